import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { audit, auditActions, listAuditEvents } from './audit.ts';
import { users } from './db/schema.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-11-22T10:00:00Z');

describe(`audit trail (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let userId: string;
	beforeAll(async () => {
		database = await openTestDatabase();
		[{ id: userId }] = await database.db
			.insert(users)
			.values({ givenName: 'Paul', familyName: 'Secrétaire', email: 'paul@chu.fr' })
			.returning({ id: users.id });
		const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute));
		await audit(database.db, { actorUserId: userId, action: 'user.sign-in', address: '10.0.0.1' }, at(0));
		await audit(database.db, { actorUserId: null, action: 'user.sign-in-failed', address: '10.0.0.9' }, at(5));
		await audit(database.db, { actorUserId: userId, action: 'case.read', entityType: 'case', entityId: 'c-1' }, at(10));
	});
	afterAll(() => database?.dispose());

	it('lists the most recent first, with the actor’s name', async () => {
		const rows = await listAuditEvents(database.db, { limit: 10, offset: 0 });
		expect(rows.map((r) => [r.action, r.actor?.name ?? null])).toEqual([
			['case.read', 'Paul Secrétaire'],
			['user.sign-in-failed', null],
			['user.sign-in', 'Paul Secrétaire']
		]);
	});

	it('filters by action, actor and period, and pages', async () => {
		const list = (filter: Parameters<typeof listAuditEvents>[1]) =>
			listAuditEvents(database.db, filter).then((rows) => rows.map((r) => r.action));
		expect(await list({ action: 'case.read', limit: 10, offset: 0 })).toEqual(['case.read']);
		expect(await list({ actorUserId: userId, limit: 10, offset: 0 })).toEqual(['case.read', 'user.sign-in']);
		expect(
			await list({ from: new Date(Date.UTC(2026, 10, 22, 9, 1)), to: new Date(Date.UTC(2026, 10, 22, 9, 10)), limit: 10, offset: 0 })
		).toEqual(['user.sign-in-failed']);
		expect(await list({ limit: 1, offset: 1 })).toEqual(['user.sign-in-failed']);
		expect(await auditActions(database.db)).toEqual(['case.read', 'user.sign-in', 'user.sign-in-failed']);
	});
});
