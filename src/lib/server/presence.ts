/**
 * Presence in video rooms: when each participant joined and left. It is the raw
 * material of meeting attendance (who was there, from when to when).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from './db/index.ts';
import { roomPresences, type RoomPresence } from './db/schema.ts';
import { clock } from '../clock.ts';

/** One join: the room and SFU peer, and for a meeting who it is (account or guest), their specialty and role. */
export interface PresenceStart {
	roomId: string;
	peerId: string;
	displayName: string;
	meetingId?: string;
	userId?: string | null;
	guestId?: string | null;
	specialty?: string | null;
	role?: string;
}

export async function recordJoin(db: Database, presence: PresenceStart, at: Date = clock.now()): Promise<void> {
	await db.insert(roomPresences).values({ ...presence, joinedAt: at });
}

/** Marks the presence of `peerId` as ended; a no-op when it already ended or never began. */
export async function recordLeave(db: Database, peerId: string, at: Date = clock.now()): Promise<void> {
	await db
		.update(roomPresences)
		.set({ leftAt: at })
		.where(and(eq(roomPresences.peerId, peerId), isNull(roomPresences.leftAt)));
}

/**
 * Ends every presence still open in a meeting (at `at`): called when a node opens the
 * meeting's room afresh, so that those left open by a node that stopped without
 * recording departures (a crash, a failover) count neither in the quorum nor as attendance.
 */
export async function closeOpenPresences(db: Database, meetingId: string, at: Date = clock.now()): Promise<number> {
	const closed = await db
		.update(roomPresences)
		.set({ leftAt: at })
		.where(and(eq(roomPresences.meetingId, meetingId), isNull(roomPresences.leftAt)))
		.returning({ peerId: roomPresences.peerId });
	return closed.length;
}

/** Every presence in a room, in order of arrival. */
export function listPresences(db: Database, roomId: string): Promise<RoomPresence[]> {
	return db.select().from(roomPresences).where(eq(roomPresences.roomId, roomId)).orderBy(asc(roomPresences.joinedAt));
}
