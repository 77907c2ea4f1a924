/**
 * Slows down, then locks, repeated failed sign-ins, per account and per client address.
 * Counters live in the database so that every node applies the same limits.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { signInThrottle } from '../db/schema.ts';
import { clock } from '../../clock.ts';

export interface ThrottlePolicy {
	/** Failures older than this are forgotten. */
	windowMs: number;
	/** Failures after which each further attempt waits, doubling up to `maxDelayMs`. */
	slowAfter: { account: number; address: number };
	maxDelayMs: number;
	/** Failures after which the key is locked for `lockMs`. */
	lockAfter: { account: number; address: number };
	lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
	windowMs: 15 * 60_000,
	// An address may be a hospital's shared proxy: it gets more room than one account.
	slowAfter: { account: 3, address: 10 },
	maxDelayMs: 8_000,
	lockAfter: { account: 5, address: 30 },
	lockMs: 15 * 60_000
};

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

export type ThrottleVerdict = { ok: true; delayMs: number } | { ok: false; reason: 'locked'; until: Date };

/** Whether an attempt may proceed now, and how long it must wait first. */
export async function checkThrottle(
	db: Database,
	keys: string[],
	now: Date = clock.now(),
	policy: ThrottlePolicy = DEFAULT_THROTTLE
): Promise<ThrottleVerdict> {
	const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, keys));
	let delayMs = 0;
	for (const row of rows) {
		if (row.lockedUntil && row.lockedUntil > now) return { ok: false, reason: 'locked', until: row.lockedUntil };
		if (now.getTime() - row.lastFailureAt.getTime() > policy.windowMs) continue;
		const slowAfter = row.key.startsWith('account:') ? policy.slowAfter.account : policy.slowAfter.address;
		if (row.failures >= slowAfter) {
			delayMs = Math.max(delayMs, Math.min(policy.maxDelayMs, 1000 * 2 ** (row.failures - slowAfter)));
		}
	}
	return { ok: true, delayMs };
}

/** Counts a failure against each key; locks the keys that reach their limit. */
export async function recordFailure(
	db: Database,
	keys: string[],
	now: Date = clock.now(),
	policy: ThrottlePolicy = DEFAULT_THROTTLE
): Promise<void> {
	// Raw SQL parameters are passed as ISO strings: drivers differ in how they send a Date.
	const windowStart = sql`${new Date(now.getTime() - policy.windowMs).toISOString()}::timestamptz`;
	for (const key of keys) {
		const limit = key.startsWith('account:') ? policy.lockAfter.account : policy.lockAfter.address;
		const lockUntil = new Date(now.getTime() + policy.lockMs);
		const lockUntilSql = sql`${lockUntil.toISOString()}::timestamptz`;
		// One statement, so that concurrent failures on several nodes all count.
		await db
			.insert(signInThrottle)
			.values({ key, failures: 1, lastFailureAt: now, lockedUntil: limit <= 1 ? lockUntil : null })
			.onConflictDoUpdate({
				target: signInThrottle.key,
				set: {
					failures: sql`case when ${signInThrottle.lastFailureAt} < ${windowStart} then 1 else ${signInThrottle.failures} + 1 end`,
					lastFailureAt: now,
					lockedUntil: sql`case when (case when ${signInThrottle.lastFailureAt} < ${windowStart} then 1 else ${signInThrottle.failures} + 1 end) >= ${limit} then ${lockUntilSql} else ${signInThrottle.lockedUntil} end`
				}
			});
	}
}

/** A successful sign-in clears the account's failures (not the address's). */
export async function recordSuccess(db: Database, email: string): Promise<void> {
	await db.delete(signInThrottle).where(eq(signInThrottle.key, accountKey(email)));
}
