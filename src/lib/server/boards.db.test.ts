import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { BoardInput } from '../domain/board.ts';
import { conceptsOf } from '../domain/value-sets.ts';
import { boardFor, canManageBoard, createBoard, listBoardsFor, listMembers, setMembership, updateBoard } from './boards.ts';
import { users } from './db/schema.ts';
import type { SessionUser } from './users.ts';

describe(`board directory (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	const people: Record<string, SessionUser> = {};
	const actor = () => ({ userId: people.admin.id, address: null });
	const input = (name: string) =>
		BoardInput.parse({ name, apparatus: conceptsOf('JDV_RCP_Appareil')[0].code, site: 'CHU de Poitiers', type: 'standard' });

	beforeAll(async () => {
		database = await openTestDatabase();
		for (const [key, isAdmin, specialty] of [
			['admin', true, null],
			['coordinator', false, 'digestive-surgery'],
			['member', false, 'radiation-oncology'],
			['outsider', false, 'medical-oncology']
		] as const) {
			const [row] = await database.db
				.insert(users)
				.values({ givenName: key, familyName: 'Test', email: `${key}@chu.fr`, isAdmin, specialty })
				.returning();
			people[key] = { id: row.id, givenName: key, familyName: 'Test', email: row.email, specialty, isAdmin, networkEditor: false };
		}
	});
	afterAll(() => database?.dispose());

	it('shows each person only the boards they belong to; administrators see all', async () => {
		const digestive = await createBoard(database.db, input('RCP digestive'), actor());
		const thorax = await createBoard(database.db, input('RCP thoracique'), actor());
		await setMembership(database.db, digestive.id, people.coordinator.id, 'coordinator', actor());
		await setMembership(database.db, digestive.id, people.member.id, 'member', actor());
		await setMembership(database.db, thorax.id, people.member.id, 'member', actor());

		const names = async (who: SessionUser) => (await listBoardsFor(database.db, who)).map((b) => `${b.name}:${b.role}`);
		expect(await names(people.admin)).toEqual(['RCP digestive:null', 'RCP thoracique:null']);
		expect(await names(people.coordinator)).toEqual(['RCP digestive:coordinator']);
		expect(await names(people.member)).toEqual(['RCP digestive:member', 'RCP thoracique:member']);
		expect(await names(people.outsider)).toEqual([]);

		expect(await boardFor(database.db, people.outsider, digestive.id)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await boardFor(database.db, people.member, '00000000-0000-0000-0000-000000000000')).toEqual({ ok: false, reason: 'not-found' });
		const access = await boardFor(database.db, people.coordinator, digestive.id);
		expect(access.ok && access.role).toBe('coordinator');
		expect(access.ok && access.board.quorumRule.minDistinctSpecialties).toBe(3);
	});

	it('changes roles, removes members, and stores edits', async () => {
		const [digestive] = await listBoardsFor(database.db, people.coordinator);
		await setMembership(database.db, digestive.id, people.member.id, 'secretary', actor());
		await setMembership(database.db, digestive.id, people.coordinator.id, null, actor());
		expect((await listMembers(database.db, digestive.id)).map((m) => [m.name, m.role])).toEqual([['member Test', 'secretary']]);
		expect(canManageBoard(people.member, 'secretary')).toBe(true);
		expect(canManageBoard(people.member, 'member')).toBe(false);

		const edited = await updateBoard(database.db, digestive.id, { ...input('RCP digestive — CHU'), recurrence: null }, actor());
		expect(edited?.name).toBe('RCP digestive — CHU');
	});
});
