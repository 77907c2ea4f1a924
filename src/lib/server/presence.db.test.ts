import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { listPresences, recordJoin, recordLeave } from './presence.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-11-22T14:00:00Z');

describe(`room presence (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(() => database?.dispose());

	it('records who joined and left a room, in order of arrival', async () => {
		const t0 = new Date('2026-11-22T14:00:00Z');
		const t1 = new Date('2026-11-22T14:02:00Z');
		const t2 = new Date('2026-11-22T14:30:00Z');
		await recordJoin(database.db, { roomId: 'rcp-digestive', peerId: 'peer-b', displayName: 'Dr B' }, t1);
		await recordJoin(database.db, { roomId: 'rcp-digestive', peerId: 'peer-a', displayName: 'Dr A' }, t0);
		await recordJoin(database.db, { roomId: 'rcp-thorax', peerId: 'peer-c', displayName: 'Dr C' }, t0);
		await recordLeave(database.db, 'peer-a', t2);

		const rows = await listPresences(database.db, 'rcp-digestive');
		expect(rows.map((r) => [r.peerId, r.displayName, r.joinedAt.toISOString(), r.leftAt?.toISOString() ?? null])).toEqual([
			['peer-a', 'Dr A', t0.toISOString(), t2.toISOString()],
			['peer-b', 'Dr B', t1.toISOString(), null]
		]);
	});

	it('keeps the first departure time when a leave is recorded twice', async () => {
		const first = new Date('2026-11-22T15:00:00Z');
		await recordJoin(database.db, { roomId: 'r2', peerId: 'peer-x', displayName: 'Dr X' }, new Date('2026-11-22T14:00:00Z'));
		await recordLeave(database.db, 'peer-x', first);
		await recordLeave(database.db, 'peer-x', new Date('2026-11-22T16:00:00Z'));
		const [row] = await listPresences(database.db, 'r2');
		expect(row.leftAt?.toISOString()).toBe(first.toISOString());
	});

	it('refuses a second presence with the same peer id', async () => {
		await recordJoin(database.db, { roomId: 'r3', peerId: 'peer-dup', displayName: 'Dr D' });
		await expect(recordJoin(database.db, { roomId: 'r3', peerId: 'peer-dup', displayName: 'Dr D' })).rejects.toThrow();
	});
});
