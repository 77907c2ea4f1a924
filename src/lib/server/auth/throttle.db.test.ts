import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { accountKey, addressKey, checkThrottle, DEFAULT_THROTTLE, recordFailure, recordSuccess } from './throttle.ts';
import { useManualClock } from '../../../../tests/helpers/clock.ts';

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-11-22T10:00:00Z');

describe(`sign-in throttle (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(() => database?.dispose());

	const t0 = new Date('2026-11-22T10:00:00Z');
	const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

	it('lets the first attempts through at once, then slows down, then locks the account', async () => {
		const keys = [accountKey('Dr.Lent@chu.fr'), addressKey('10.1.2.3')];
		expect(await checkThrottle(database.db, keys, t0)).toEqual({ ok: true, delayMs: 0 });
		for (let i = 0; i < 3; i++) await recordFailure(database.db, keys, at(i));
		expect(await checkThrottle(database.db, keys, at(3))).toEqual({ ok: true, delayMs: 1000 });
		await recordFailure(database.db, keys, at(4));
		expect(await checkThrottle(database.db, keys, at(5))).toEqual({ ok: true, delayMs: 2000 });
		await recordFailure(database.db, keys, at(6));
		const locked = await checkThrottle(database.db, keys, at(7));
		expect(locked).toEqual({ ok: false, reason: 'locked', until: new Date(at(6).getTime() + DEFAULT_THROTTLE.lockMs) });
		// Another account from the same address is not locked (the address limit is higher).
		expect((await checkThrottle(database.db, [accountKey('autre@chu.fr'), addressKey('10.1.2.3')], at(8))).ok).toBe(true);
		// The lock ends by itself.
		expect((await checkThrottle(database.db, keys, at(6 + 15 * 60 + 1))).ok).toBe(true);
	});

	it('forgets failures older than the window, and a success clears the account', async () => {
		const keys = [accountKey('oubli@chu.fr')];
		for (let i = 0; i < 4; i++) await recordFailure(database.db, keys, at(i));
		expect(await checkThrottle(database.db, keys, at(5))).toEqual({ ok: true, delayMs: 2000 });
		await recordFailure(database.db, keys, at(20 * 60));
		expect(await checkThrottle(database.db, keys, at(20 * 60 + 1))).toEqual({ ok: true, delayMs: 0 });
		for (let i = 0; i < 3; i++) await recordFailure(database.db, keys, at(21 * 60 + i));
		await recordSuccess(database.db, 'OUBLI@chu.fr');
		expect(await checkThrottle(database.db, keys, at(22 * 60))).toEqual({ ok: true, delayMs: 0 });
	});
});
