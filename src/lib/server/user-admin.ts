/**
 * Account administration: an administrator creates, edits, deactivates and reactivates
 * accounts, and hands each new person a one-time link to choose a password.
 */
import { and, asc, eq, gt, isNull, ne } from 'drizzle-orm';
import type { UserInput } from '../users/schemas.ts';
import { audit, type Actor } from './audit.ts';
import { hashPassword } from './auth/password.ts';
import type { Database } from './db/index.ts';
import { userInvitations, users, type User } from './db/schema.ts';
import { clock } from '../clock.ts';
import { hashSecret, newSecret } from './link-secrets.ts';

/** How long an invitation link stays valid. */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export type UserChangeResult =
	| { ok: true; user: User }
	| { ok: false; reason: 'email-taken' | 'rpps-taken' | 'not-found' | 'last-admin' };

export function listUsers(db: Database): Promise<User[]> {
	return db.select().from(users).orderBy(asc(users.familyName), asc(users.givenName));
}

async function conflict(db: Database, input: UserInput, exceptId?: string): Promise<'email-taken' | 'rpps-taken' | null> {
	const other = (column: typeof users.email | typeof users.rpps, value: string) =>
		db
			.select({ id: users.id })
			.from(users)
			.where(exceptId ? and(eq(column, value), ne(users.id, exceptId)) : eq(column, value));
	if ((await other(users.email, input.email)).length) return 'email-taken';
	if (input.rpps && (await other(users.rpps, input.rpps)).length) return 'rpps-taken';
	return null;
}

/** Creates an account without password; returns it with its invitation token. */
export async function createUser(
	db: Database,
	input: UserInput,
	actor: Actor
): Promise<UserChangeResult & { token?: string }> {
	const taken = await conflict(db, input);
	if (taken) return { ok: false, reason: taken };
	const [user] = await db.insert(users).values(input).returning();
	await audit(db, { actorUserId: actor.userId, action: 'user.create', entityType: 'user', entityId: user.id, address: actor.address });
	const token = await createInvitation(db, user.id, actor);
	return { ok: true, user, token };
}

export async function updateUser(db: Database, id: string, input: UserInput, actor: Actor): Promise<UserChangeResult> {
	const [current] = await db.select().from(users).where(eq(users.id, id));
	if (!current) return { ok: false, reason: 'not-found' };
	const taken = await conflict(db, input, id);
	if (taken) return { ok: false, reason: taken };
	if (current.isAdmin && !input.isAdmin && (await activeAdminCount(db)) <= 1) return { ok: false, reason: 'last-admin' };
	const [user] = await db
		.update(users)
		.set({ ...input, updatedAt: clock.now() })
		.where(eq(users.id, id))
		.returning();
	const changed = (Object.keys(input) as (keyof UserInput)[]).filter((k) => input[k] !== current[k]);
	await audit(db, {
		actorUserId: actor.userId,
		action: 'user.update',
		entityType: 'user',
		entityId: id,
		address: actor.address,
		details: { fields: changed }
	});
	return { ok: true, user };
}

/** Deactivated accounts cannot sign in; their history stays. The last active administrator stays active. */
export async function setActive(db: Database, id: string, active: boolean, actor: Actor): Promise<UserChangeResult> {
	const [current] = await db.select().from(users).where(eq(users.id, id));
	if (!current) return { ok: false, reason: 'not-found' };
	if (!active && current.isAdmin && current.active && (await activeAdminCount(db)) <= 1) {
		return { ok: false, reason: 'last-admin' };
	}
	const [user] = await db.update(users).set({ active, updatedAt: clock.now() }).where(eq(users.id, id)).returning();
	await audit(db, {
		actorUserId: actor.userId,
		action: active ? 'user.reactivate' : 'user.deactivate',
		entityType: 'user',
		entityId: id,
		address: actor.address
	});
	return { ok: true, user };
}

async function activeAdminCount(db: Database): Promise<number> {
	const rows = await db
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.isAdmin, true), eq(users.active, true)));
	return rows.length;
}


/** A fresh one-time token for `userId` (previous unused ones stay valid until they expire). */
export async function createInvitation(db: Database, userId: string, actor: Actor, now: Date = clock.now()): Promise<string> {
	const token = newSecret();
	await db.insert(userInvitations).values({
		tokenHash: hashSecret(token),
		userId,
		createdBy: actor.userId,
		createdAt: now,
		expiresAt: new Date(now.getTime() + INVITATION_TTL_MS)
	});
	await audit(db, { actorUserId: actor.userId, action: 'user.invite', entityType: 'user', entityId: userId, address: actor.address });
	return token;
}

/** The account an unused, unexpired invitation token opens, if any. */
export async function findInvitation(db: Database, token: string, now: Date = clock.now()): Promise<User | undefined> {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
	const [row] = await db
		.select({ user: users })
		.from(userInvitations)
		.innerJoin(users, eq(users.id, userInvitations.userId))
		.where(and(eq(userInvitations.tokenHash, hashSecret(token)), isNull(userInvitations.usedAt), gt(userInvitations.expiresAt, now)));
	return row?.user.active ? row.user : undefined;
}

/** Sets the password and uses the token up; false when the token is not (or no longer) valid. */
export async function acceptInvitation(
	db: Database,
	token: string,
	password: string,
	address: string | null,
	now: Date = clock.now()
): Promise<boolean> {
	const user = await findInvitation(db, token, now);
	if (!user) return false;
	const passwordHash = await hashPassword(password);
	const used = await db
		.update(userInvitations)
		.set({ usedAt: now })
		.where(and(eq(userInvitations.tokenHash, hashSecret(token)), isNull(userInvitations.usedAt)))
		.returning({ userId: userInvitations.userId });
	// Someone used the same link a moment earlier.
	if (used.length === 0) return false;
	await db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
	await audit(db, { actorUserId: user.id, action: 'user.accept-invitation', entityType: 'user', entityId: user.id, address });
	return true;
}
