/**
 * The patient's GP invited to one follow-up, like a meeting's guest: a writer of the plan
 * invites them by name until a day (a year by default); the link, shown once, starts a GP
 * session in the browser that opens it (only hashes are kept). The session sees that plan,
 * its fiche and its PPS, and nothing else; revoking ends it at once.
 */
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { GpInvite } from '../../domain/follow-up-gp.ts';
import { parisDate, parisInstant } from '../../domain/schedule.ts';
import { fieldErrors, isUuid } from '../../validation.ts';
import { audit } from '../audit.ts';
import type { Database } from '../db/index.ts';
import { boards, followUpGpLinks, followUpPlans, type FollowUpGpLink } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';
import { planFor, type FollowUpRefusal, type SessionGp } from './access.ts';
import { clock } from '../../clock.ts';
import { hashSecret, newSecret } from '../link-secrets.ts';

export type { SessionGp } from './access.ts';

/** The cookie holding a GP session's secret (set by /medecin/[token]). */
export const GP_COOKIE = 'concerto_gp';

interface UserContext {
	user: SessionUser;
	address: string | null;
}


async function writablePlan(db: Database, user: SessionUser, planId: string) {
	const access = await planFor(db, { kind: 'user', user }, planId);
	if (!access.ok) return access;
	if (!access.writer) return { ok: false as const, reason: 'forbidden' as const };
	return access;
}

export type InviteGpResult =
	| { ok: true; link: FollowUpGpLink; token: string }
	| FollowUpRefusal
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** Invites the GP; the token is returned once and only its hash is kept. The link ends on `expiresOn` at midnight (Paris). */
export async function inviteGp(db: Database, ctx: UserContext, planId: string, input: unknown, now: Date = clock.now()): Promise<InviteGpResult> {
	const access = await writablePlan(db, ctx.user, planId);
	if (!access.ok) return access;
	const parsed = GpInvite.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	if (parsed.data.expiresOn < parisDate(now)) return { ok: false, reason: 'invalid', errors: { expiresOn: 'L’échéance ne peut pas être dans le passé.' } };
	const token = newSecret();
	const [link] = await db
		.insert(followUpGpLinks)
		.values({
			planId,
			name: parsed.data.name,
			email: parsed.data.email,
			rpps: parsed.data.rpps,
			tokenHash: hashSecret(token),
			expiresAt: parisInstant(parsed.data.expiresOn, '23:59'),
			createdBy: ctx.user.id,
			createdAt: now
		})
		.returning();
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'follow-up.gp.invite',
		entityType: 'follow-up-plan',
		entityId: planId,
		address: ctx.address,
		details: { gpLinkId: link.id }
	});
	return { ok: true, link, token };
}

/** A plan's GP links, newest first, for its writers. */
export async function listGpLinks(db: Database, user: SessionUser, planId: string): Promise<{ ok: true; links: FollowUpGpLink[] } | FollowUpRefusal> {
	const access = await writablePlan(db, user, planId);
	if (!access.ok) return access;
	const links = await db.select().from(followUpGpLinks).where(eq(followUpGpLinks.planId, planId)).orderBy(desc(followUpGpLinks.createdAt));
	return { ok: true, links };
}

/** Ends a link and its session at once. */
export async function revokeGpLink(db: Database, ctx: UserContext, planId: string, linkId: string, now: Date = clock.now()): Promise<{ ok: true } | FollowUpRefusal> {
	const access = await writablePlan(db, ctx.user, planId);
	if (!access.ok) return access;
	if (!isUuid(linkId)) return { ok: false, reason: 'not-found', id: linkId };
	const [link] = await db
		.update(followUpGpLinks)
		.set({ revokedAt: now, sessionHash: null })
		.where(and(eq(followUpGpLinks.id, linkId), eq(followUpGpLinks.planId, planId), isNull(followUpGpLinks.revokedAt)))
		.returning({ id: followUpGpLinks.id });
	if (!link) return { ok: false, reason: 'not-found', id: linkId };
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'follow-up.gp.revoke',
		entityType: 'follow-up-plan',
		entityId: planId,
		address: ctx.address,
		details: { gpLinkId: linkId }
	});
	return { ok: true };
}

/** The link behind a hash if it can still be used, with its board's name. */
async function usableLink(db: Database, column: typeof followUpGpLinks.tokenHash | typeof followUpGpLinks.sessionHash, hash: string, now: Date) {
	const [row] = await db
		.select({ link: followUpGpLinks, boardName: boards.name })
		.from(followUpGpLinks)
		.innerJoin(followUpPlans, eq(followUpPlans.id, followUpGpLinks.planId))
		.innerJoin(boards, eq(boards.id, followUpPlans.boardId))
		.where(and(eq(column, hash), isNull(followUpGpLinks.revokedAt), gt(followUpGpLinks.expiresAt, now)));
	return row;
}

const toSessionGp = (link: FollowUpGpLink): SessionGp => ({ linkId: link.id, name: link.name, planId: link.planId, expiresAt: link.expiresAt });

/** What a link shows before it is opened: whom it is for and which board follows the patient. */
export async function peekGpLink(db: Database, token: string, now: Date = clock.now()): Promise<(SessionGp & { boardName: string }) | undefined> {
	if (!token || token.length > 100) return undefined;
	const row = await usableLink(db, followUpGpLinks.tokenHash, hashSecret(token), now);
	return row && { ...toSessionGp(row.link), boardName: row.boardName };
}

/**
 * Opens the link: a new session secret replaces the previous one, so the link works in
 * one browser at a time. Undefined when the link is unknown, revoked or expired.
 */
export async function claimGpLink(
	db: Database,
	token: string,
	address: string | null,
	now: Date = clock.now()
): Promise<{ secret: string; gp: SessionGp } | undefined> {
	if (!token || token.length > 100) return undefined;
	const row = await usableLink(db, followUpGpLinks.tokenHash, hashSecret(token), now);
	if (!row) return undefined;
	const secret = newSecret();
	await db.update(followUpGpLinks).set({ sessionHash: hashSecret(secret), claimedAt: now }).where(eq(followUpGpLinks.id, row.link.id));
	await audit(
		db,
		{
			actorUserId: null,
			action: 'follow-up.gp.claim',
			entityType: 'follow-up-plan',
			entityId: row.link.planId,
			address,
			details: { gpLinkId: row.link.id, replacedSession: row.link.sessionHash !== null }
		},
		now
	);
	return { secret, gp: toSessionGp(row.link) };
}

/** The GP holding this session cookie, if the link still stands. */
export async function gpFromSession(db: Database, secret: string, now: Date = clock.now()): Promise<SessionGp | undefined> {
	if (!secret || secret.length > 100) return undefined;
	const row = await usableLink(db, followUpGpLinks.sessionHash, hashSecret(secret), now);
	return row && toSessionGp(row.link);
}

/** Ends the GP's session in this browser (the link opens a new one until it expires or is revoked). */
export async function endGpSession(db: Database, secret: string, address: string | null, now: Date = clock.now()): Promise<void> {
	if (!secret || secret.length > 100) return;
	const [link] = await db
		.update(followUpGpLinks)
		.set({ sessionHash: null })
		.where(eq(followUpGpLinks.sessionHash, hashSecret(secret)))
		.returning({ id: followUpGpLinks.id, planId: followUpGpLinks.planId });
	if (link) {
		await audit(db, { actorUserId: null, action: 'follow-up.gp.leave', entityType: 'follow-up-plan', entityId: link.planId, address, details: { gpLinkId: link.id } }, now);
	}
}
