/**
 * Accounts: the first administrator, look-ups for sign-in.
 */
import { and, count, eq, isNull, notExists, sql } from 'drizzle-orm';
import type { FirstAdminInput } from '../users/schemas.ts';
import { isUuid } from '../validation.ts';
import { audit } from './audit.ts';
import { hashPassword } from './auth/password.ts';
import { isUniqueViolation, type Database } from './db/index.ts';
import { users, type User } from './db/schema.ts';
import { clock } from '../clock.ts';

export async function countUsers(db: Database): Promise<number> {
	const [row] = await db.select({ n: count() }).from(users);
	return row.n;
}

export type CreateFirstAdminResult = { ok: true; user: User } | { ok: false; reason: 'already-initialised' };

/**
 * Creates the administrator while no account exists. Two concurrent first visits
 * cannot both succeed: the check and the insert run under one advisory lock.
 */
export async function createFirstAdmin(
	db: Database,
	input: FirstAdminInput,
	address: string | null
): Promise<CreateFirstAdminResult> {
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(4242001)`);
		const [{ n }] = await tx.select({ n: count() }).from(users);
		if (n > 0) return { ok: false, reason: 'already-initialised' } as const;
		const [user] = await tx
			.insert(users)
			.values({
				email: input.email,
				givenName: input.givenName,
				familyName: input.familyName,
				passwordHash,
				isAdmin: true
			})
			.returning();
		await audit(tx as unknown as Database, { actorUserId: user.id, action: 'user.create-first-admin', entityType: 'user', entityId: user.id, address });
		return { ok: true, user } as const;
	});
}

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
	const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
	return user;
}

export async function findUserById(db: Database, id: string): Promise<User | undefined> {
	if (!isUuid(id)) return undefined;
	const [user] = await db.select().from(users).where(eq(users.id, id));
	return user;
}

export async function recordSignIn(db: Database, userId: string, at: Date = clock.now()): Promise<void> {
	await db.update(users).set({ lastSignInAt: at }).where(eq(users.id, userId));
}

/** What pages may know about the signed-in user (no hash, no contact details). */
export interface SessionUser {
	id: string;
	givenName: string;
	familyName: string;
	email: string | null;
	specialty: string | null;
	isAdmin: boolean;
	/** Manages the network's référentiels and trials directory (administrators do too). */
	networkEditor: boolean;
}

export function toSessionUser(user: User): SessionUser {
	return {
		id: user.id,
		givenName: user.givenName,
		familyName: user.familyName,
		email: user.email,
		specialty: user.specialty,
		isAdmin: user.isAdmin,
		networkEditor: user.networkEditor
	};
}

/** The account holding this RPPS number (11 digits), if any. */
export async function findUserByRpps(db: Database, rpps: string): Promise<User | undefined> {
	const [user] = await db.select().from(users).where(eq(users.rpps, rpps));
	return user;
}

/**
 * Sets the RPPS number of an account that has none, unless another account holds it.
 * Returns whether it was set.
 */
export async function fillMissingRpps(db: Database, userId: string, rpps: string): Promise<boolean> {
	const holders = db.select({ id: users.id }).from(users).where(eq(users.rpps, rpps));
	try {
		const updated = await db
			.update(users)
			.set({ rpps, updatedAt: clock.now() })
			.where(and(eq(users.id, userId), isNull(users.rpps), notExists(holders)))
			.returning({ id: users.id });
		return updated.length > 0;
	} catch (error) {
		// Another account took this number between the check and the update.
		if (isUniqueViolation(error)) return false;
		throw error;
	}
}

