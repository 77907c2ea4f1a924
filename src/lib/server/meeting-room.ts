/**
 * Who may enter a meeting's video room, as what, and whether they wait in the lobby;
 * the moderators' decisions (admit, remove, lock); the meeting's chat. Pure database
 * logic: the signaling layer (server/signaling) calls it on every join and moderator
 * action, so that the rules live in one place and are tested on both databases.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { ChatMessage, ParticipantRole } from '../realtime/protocol.ts';
import { audit } from './audit.ts';
import { canManageBoard } from './boards.ts';
import type { Database } from './db/index.ts';
import { meetingAdmissions, meetingChatMessages, meetings, type Meeting, type MeetingChatMessage } from './db/schema.ts';
import type { SessionGuest } from './guests.ts';
import { meetingFor } from './meetings.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

/** Who is asking: a signed-in account or a meeting's guest. */
export type RoomIdentity = { kind: 'user'; user: SessionUser } | { kind: 'guest'; guest: SessionGuest };

export interface RoomParticipant {
	/** `user:<id>` or `guest:<id>`: one presence per key in a room at a time. */
	key: string;
	userId: string | null;
	guestId: string | null;
	displayName: string;
	specialty: string | null;
	role: ParticipantRole;
	/** Coordinators, secretaries and administrators run the room. */
	moderator: boolean;
	meetingId: string;
	boardId: string;
}

/** Meetings whose room is open. */
const OPEN_STATES = new Set(['scheduled', 'live']);

export type RoomEntry =
	| { ok: true; participant: RoomParticipant; meeting: Meeting; admission: 'enter' | 'lobby' }
	| { ok: false; reason: 'not-found' | 'forbidden' | 'meeting-closed' };

export const participantKey = (identity: RoomIdentity): string =>
	identity.kind === 'user' ? `user:${identity.user.id}` : `guest:${identity.guest.id}`;

/**
 * Decides whether `identity` may enter the room of `meetingId`, and whether it waits in
 * the lobby: moderators enter; guests wait until admitted; members enter unless the room
 * is locked or they were removed (then they wait until admitted again).
 */
export async function roomEntryFor(db: Database, identity: RoomIdentity, meetingId: string): Promise<RoomEntry> {
	let participant: RoomParticipant;
	let meeting: Meeting;
	if (identity.kind === 'user') {
		const access = await meetingFor(db, identity.user, meetingId);
		if (!access.ok) return { ok: false, reason: access.reason };
		meeting = access.meeting;
		const { user } = identity;
		participant = {
			key: participantKey(identity),
			userId: user.id,
			guestId: null,
			displayName: `${user.givenName} ${user.familyName}`,
			specialty: user.specialty,
			role: access.role ?? 'admin',
			moderator: canManageBoard(user, access.role),
			meetingId,
			boardId: meeting.boardId
		};
	} else {
		const { guest } = identity;
		if (guest.meetingId !== meetingId) return { ok: false, reason: 'forbidden' };
		const [row] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
		if (!row) return { ok: false, reason: 'not-found' };
		meeting = row;
		participant = {
			key: participantKey(identity),
			userId: null,
			guestId: guest.id,
			displayName: guest.name,
			specialty: null,
			role: 'guest',
			moderator: false,
			meetingId,
			boardId: meeting.boardId
		};
	}
	if (!OPEN_STATES.has(meeting.status)) return { ok: false, reason: 'meeting-closed' };
	if (participant.moderator) return { ok: true, participant, meeting, admission: 'enter' };
	const [decision] = await db
		.select({ status: meetingAdmissions.status })
		.from(meetingAdmissions)
		.where(and(eq(meetingAdmissions.meetingId, meetingId), eq(meetingAdmissions.participantKey, participant.key)));
	const admitted = decision?.status === 'admitted';
	const removed = decision?.status === 'removed';
	const waits = removed || (participant.role === 'guest' ? !admitted : meeting.roomLocked && !admitted);
	return { ok: true, participant, meeting, admission: waits ? 'lobby' : 'enter' };
}

/** A moderator's decision about someone, kept so that it outlasts the room on this node. */
async function decide(db: Database, moderator: RoomParticipant, key: string, status: 'admitted' | 'removed', address: string | null) {
	const at = clock.now();
	await db
		.insert(meetingAdmissions)
		.values({ meetingId: moderator.meetingId, participantKey: key, status, at, by: moderator.userId })
		.onConflictDoUpdate({ target: [meetingAdmissions.meetingId, meetingAdmissions.participantKey], set: { status, at, by: moderator.userId } });
	await audit(db, {
		actorUserId: moderator.userId,
		action: status === 'admitted' ? 'meeting.admit' : 'meeting.remove-participant',
		entityType: 'meeting',
		entityId: moderator.meetingId,
		address,
		details: { participant: key }
	});
}

export const admitParticipant = (db: Database, moderator: RoomParticipant, key: string, address: string | null) =>
	decide(db, moderator, key, 'admitted', address);

export const removeParticipant = (db: Database, moderator: RoomParticipant, key: string, address: string | null) =>
	decide(db, moderator, key, 'removed', address);

/** Locks or unlocks the room: while locked, members wait in the lobby too. */
export async function setRoomLocked(db: Database, moderator: RoomParticipant, locked: boolean, address: string | null): Promise<void> {
	await db.update(meetings).set({ roomLocked: locked, updatedAt: clock.now() }).where(eq(meetings.id, moderator.meetingId));
	await audit(db, {
		actorUserId: moderator.userId,
		action: locked ? 'meeting.lock' : 'meeting.unlock',
		entityType: 'meeting',
		entityId: moderator.meetingId,
		address
	});
}

export async function isRoomLocked(db: Database, meetingId: string): Promise<boolean> {
	const [row] = await db.select({ locked: meetings.roomLocked }).from(meetings).where(eq(meetings.id, meetingId));
	return row?.locked ?? false;
}

/** How early a moderator's arrival puts a meeting live (before that it is a rehearsal). */
export const LIVE_WINDOW_BEFORE_MS = 30 * 60_000;

/**
 * A moderator entering the room close to the meeting's time starts it (scheduled → live);
 * earlier, or later than its end, the meeting keeps its state. Returns whether it started.
 */
export async function startMeetingIfDue(db: Database, moderator: RoomParticipant, now: Date = clock.now()): Promise<boolean> {
	const [meeting] = await db.select().from(meetings).where(eq(meetings.id, moderator.meetingId));
	if (!meeting || meeting.status !== 'scheduled') return false;
	const start = meeting.startsAt.getTime();
	const end = start + meeting.durationMinutes * 60_000;
	if (now.getTime() < start - LIVE_WINDOW_BEFORE_MS || now.getTime() > end) return false;
	const [started] = await db
		.update(meetings)
		.set({ status: 'live', updatedAt: now })
		.where(and(eq(meetings.id, meeting.id), eq(meetings.status, 'scheduled')))
		.returning({ id: meetings.id });
	if (!started) return false;
	await audit(db, { actorUserId: moderator.userId, action: 'meeting.live', entityType: 'meeting', entityId: meeting.id, address: null, details: { from: 'scheduled' } }, now);
	return true;
}

/** Ends a live meeting for everyone (live → closed); a scheduled one keeps its state. */
export async function endMeeting(db: Database, moderator: RoomParticipant, address: string | null): Promise<boolean> {
	const [ended] = await db
		.update(meetings)
		.set({ status: 'closed', updatedAt: clock.now() })
		.where(and(eq(meetings.id, moderator.meetingId), eq(meetings.status, 'live')))
		.returning({ id: meetings.id });
	await audit(db, {
		actorUserId: moderator.userId,
		action: 'meeting.end-room',
		entityType: 'meeting',
		entityId: moderator.meetingId,
		address,
		details: { closed: Boolean(ended) }
	});
	return Boolean(ended);
}

// ---------------------------------------------------------------------------------------
// Chat

/** How many recent messages a (re)joining participant receives. */
export const CHAT_TAIL = 100;

function toChatMessage(row: MeetingChatMessage): ChatMessage {
	return {
		id: row.id,
		authorKey: row.authorUserId ? `user:${row.authorUserId}` : `guest:${row.authorGuestId}`,
		authorName: row.authorName,
		text: row.text,
		at: row.at.toISOString()
	};
}

/** Keeps a message with the meeting; the audit row names it, never quotes it. */
export async function postChatMessage(db: Database, author: RoomParticipant, text: string, address: string | null): Promise<ChatMessage> {
	const [row] = await db
		.insert(meetingChatMessages)
		.values({ meetingId: author.meetingId, authorUserId: author.userId, authorGuestId: author.guestId, authorName: author.displayName, text })
		.returning();
	await audit(db, {
		actorUserId: author.userId,
		actorGuestId: author.guestId ?? undefined,
		action: 'meeting.chat',
		entityType: 'meeting',
		entityId: author.meetingId,
		address,
		details: { messageId: row.id, length: text.length }
	});
	return toChatMessage(row);
}

/** The last messages of a meeting's chat, oldest first. */
export async function chatTail(db: Database, meetingId: string, limit = CHAT_TAIL): Promise<ChatMessage[]> {
	const rows = await db
		.select()
		.from(meetingChatMessages)
		.where(eq(meetingChatMessages.meetingId, meetingId))
		.orderBy(desc(meetingChatMessages.at), desc(meetingChatMessages.id))
		.limit(limit);
	return rows.reverse().map(toChatMessage);
}
