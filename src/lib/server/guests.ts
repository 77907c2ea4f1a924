/**
 * Guests of one meeting. A manager of the board (coordinator, secretary, administrator)
 * invites a named person until a given time; the link, shown once, starts a guest session
 * in the browser that opens it. A guest sees that meeting and nothing else.
 */
import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { guestExpiry, type GuestInput } from '../domain/guest.ts';
import { isUuid } from '../validation.ts';
import { audit } from './audit.ts';
import type { Database } from './db/index.ts';
import { boards, cases, meetingGuests, meetings, type MeetingGuest } from './db/schema.ts';
import { meetingFor } from './meetings.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';
import { hashSecret, newSecret } from './link-secrets.ts';

/** The cookie holding a guest session's secret (set by /invite/[token]). */
export const GUEST_COOKIE = 'concerto_guest';

/** The guest a request comes from (`locals.guest`). */
export interface SessionGuest {
	id: string;
	name: string;
	meetingId: string;
	boardId: string;
	expiresAt: Date;
}

interface Context {
	user: SessionUser;
	address: string | null;
}

/** Meetings still worth inviting someone to. */
const INVITABLE = new Set(['scheduled', 'live']);


export type GuestRefusal =
	| { ok: false; reason: 'not-found'; id?: string }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'meeting-not-open' }
	| { ok: false; reason: 'invalid-expiry'; message: string };

async function managedMeeting(db: Database, user: SessionUser, meetingId: string) {
	const access = await meetingFor(db, user, meetingId);
	if (!access.ok) return access;
	if (!access.manager) return { ok: false as const, reason: 'forbidden' as const };
	return access;
}

/** Invites a guest to a meeting; the token is returned once and only its hash is kept. */
export async function inviteGuest(
	db: Database,
	ctx: Context,
	meetingId: string,
	input: GuestInput,
	now: Date = clock.now()
): Promise<{ ok: true; guest: MeetingGuest; token: string } | GuestRefusal> {
	const access = await managedMeeting(db, ctx.user, meetingId);
	if (!access.ok) return access;
	if (!INVITABLE.has(access.meeting.status)) return { ok: false, reason: 'meeting-not-open' };
	const expiry = guestExpiry(input, access.meeting, now);
	if (!expiry.ok) return { ok: false, reason: 'invalid-expiry', message: expiry.message };
	const token = newSecret();
	const [guest] = await db
		.insert(meetingGuests)
		.values({
			meetingId,
			name: input.name,
			email: input.email,
			tokenHash: hashSecret(token),
			expiresAt: expiry.expiresAt,
			createdBy: ctx.user.id
		})
		.returning();
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'guest.invite',
		entityType: 'meeting',
		entityId: meetingId,
		address: ctx.address,
		details: { guestId: guest.id }
	});
	return { ok: true, guest, token };
}

/** A meeting's guests, newest first, for its managers. */
export async function listGuests(
	db: Database,
	user: SessionUser,
	meetingId: string
): Promise<{ ok: true; guests: MeetingGuest[] } | GuestRefusal> {
	const access = await managedMeeting(db, user, meetingId);
	if (!access.ok) return access;
	const guests = await db.select().from(meetingGuests).where(eq(meetingGuests.meetingId, meetingId)).orderBy(desc(meetingGuests.createdAt));
	return { ok: true, guests };
}

/** Ends an invitation and the guest's session at once. */
export async function revokeGuest(
	db: Database,
	ctx: Context,
	meetingId: string,
	guestId: string
): Promise<{ ok: true } | GuestRefusal> {
	const access = await managedMeeting(db, ctx.user, meetingId);
	if (!access.ok) return access;
	if (!isUuid(guestId)) return { ok: false, reason: 'not-found', id: guestId };
	const [guest] = await db
		.update(meetingGuests)
		.set({ revokedAt: clock.now(), sessionHash: null })
		.where(and(eq(meetingGuests.id, guestId), eq(meetingGuests.meetingId, meetingId), isNull(meetingGuests.revokedAt)))
		.returning({ id: meetingGuests.id });
	if (!guest) return { ok: false, reason: 'not-found', id: guestId };
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'guest.revoke',
		entityType: 'meeting',
		entityId: meetingId,
		address: ctx.address,
		details: { guestId }
	});
	return { ok: true };
}

/** The invitation behind a token if it can still be used, with its meeting. */
async function usableInvitation(db: Database, column: typeof meetingGuests.tokenHash | typeof meetingGuests.sessionHash, hash: string, now: Date) {
	const [row] = await db
		.select({ guest: meetingGuests, meeting: meetings })
		.from(meetingGuests)
		.innerJoin(meetings, eq(meetings.id, meetingGuests.meetingId))
		.where(and(eq(column, hash), isNull(meetingGuests.revokedAt), gt(meetingGuests.expiresAt, now)));
	if (!row || !INVITABLE.has(row.meeting.status)) return undefined;
	return row;
}

function toSessionGuest(row: { guest: MeetingGuest; meeting: { boardId: string } }): SessionGuest {
	const { guest, meeting } = row;
	return { id: guest.id, name: guest.name, meetingId: guest.meetingId, boardId: meeting.boardId, expiresAt: guest.expiresAt };
}

/** What an invitation link shows before it is opened: whose it is and whether it still works. */
export async function peekInvitation(db: Database, token: string, now: Date = clock.now()): Promise<SessionGuest | undefined> {
	const row = await usableInvitation(db, meetingGuests.tokenHash, hashSecret(token), now);
	return row && toSessionGuest(row);
}

/**
 * Opens the link: a new session secret replaces the previous one, so the invitation
 * works in one browser at a time. Returns the cookie value, or undefined when the link
 * is unknown, revoked, expired or its meeting is over.
 */
export async function claimInvitation(
	db: Database,
	token: string,
	address: string | null,
	now: Date = clock.now()
): Promise<{ secret: string; guest: SessionGuest } | undefined> {
	const row = await usableInvitation(db, meetingGuests.tokenHash, hashSecret(token), now);
	if (!row) return undefined;
	const secret = newSecret();
	const replaced = row.guest.sessionHash !== null;
	await db.update(meetingGuests).set({ sessionHash: hashSecret(secret), claimedAt: now }).where(eq(meetingGuests.id, row.guest.id));
	await audit(db, {
		actorUserId: null,
		actorGuestId: row.guest.id,
		action: 'guest.open',
		entityType: 'meeting',
		entityId: row.guest.meetingId,
		address,
		details: { replacedSession: replaced }
	});
	return { secret, guest: toSessionGuest(row) };
}

/** The guest holding this session cookie, if the invitation still stands. */
export async function guestFromSession(db: Database, secret: string, now: Date = clock.now()): Promise<SessionGuest | undefined> {
	if (!secret || secret.length > 100) return undefined;
	const row = await usableInvitation(db, meetingGuests.sessionHash, hashSecret(secret), now);
	return row && toSessionGuest(row);
}

/** The guest leaves: the session ends (the link can be opened again until it expires). */
export async function endGuestSession(db: Database, secret: string, address: string | null): Promise<void> {
	const [guest] = await db
		.update(meetingGuests)
		.set({ sessionHash: null })
		.where(eq(meetingGuests.sessionHash, hashSecret(secret)))
		.returning({ id: meetingGuests.id, meetingId: meetingGuests.meetingId });
	if (guest) {
		await audit(db, { actorUserId: null, actorGuestId: guest.id, action: 'guest.leave', entityType: 'meeting', entityId: guest.meetingId, address });
	}
}

/** What a guest sees of its meeting before it starts: when, which board, how long the agenda is. */
export async function guestMeetingView(db: Database, guest: SessionGuest) {
	const [row] = await db
		.select({ meeting: meetings, boardName: boards.name, caseCount: count(cases.id), minutes: sql<number>`coalesce(sum(${cases.estimatedMinutes}), 0)::int` })
		.from(meetings)
		.innerJoin(boards, eq(boards.id, meetings.boardId))
		.leftJoin(cases, eq(cases.meetingId, meetings.id))
		.where(eq(meetings.id, guest.meetingId))
		.groupBy(meetings.id, boards.name);
	return row;
}
