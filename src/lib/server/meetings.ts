/**
 * A board's meetings: generated from its recurrence or created by hand, cancelled,
 * reinstated. Only the board's managers (coordinator, secretary, administrators) change
 * them; every member sees them.
 */
import { and, asc, count, desc, eq, gte, inArray, lt, ne, notExists, sql } from 'drizzle-orm';
import type { BoardRole } from '../domain/board.ts';
import { canMeetingTransition, type MeetingCopy, type MeetingEdit, type MeetingInput, type MeetingState } from '../domain/meeting.ts';
import { deadlineFor, occurrencesBetween, parisInstant } from '../domain/schedule.ts';
import { isUuid } from '../validation.ts';
import { audit } from './audit.ts';
import { boardFor, canManageBoard } from './boards.ts';
import { isUniqueViolation, type Database } from './db/index.ts';
import { boardMembers, boards, cases, meetings, type Meeting } from './db/schema.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

type Refusal = { ok: false; reason: 'not-found' | 'forbidden' | 'no-recurrence' | 'invalid-transition' | 'already-exists' };

interface Context {
	user: SessionUser;
	address: string | null;
}

async function managedBoard(db: Database, ctx: Context, boardId: string) {
	const access = await boardFor(db, ctx.user, boardId);
	if (!access.ok) return access;
	if (!canManageBoard(ctx.user, access.role)) return { ok: false as const, reason: 'forbidden' as const };
	return access;
}

/** A meeting and the user's standing in its board, or why they may not see it. */
export type MeetingAccess =
	| { ok: true; meeting: Meeting; role: BoardRole | null; manager: boolean }
	| { ok: false; reason: 'not-found'; id: string }
	| { ok: false; reason: 'forbidden' };

export async function meetingFor(db: Database, user: SessionUser, meetingId: string): Promise<MeetingAccess> {
	if (!isUuid(meetingId)) return { ok: false, reason: 'not-found', id: meetingId };
	const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
	if (!meeting) return { ok: false, reason: 'not-found', id: meetingId };
	const access = await boardFor(db, user, meeting.boardId);
	if (!access.ok) return { ok: false, reason: 'forbidden' };
	return { ok: true, meeting, role: access.role, manager: canManageBoard(user, access.role) };
}

export interface MeetingSummary extends Meeting {
	caseCount: number;
}

/** Meetings of a board from `from` on, with the number of cases on each agenda. */
export async function listMeetings(
	db: Database,
	user: SessionUser,
	boardId: string,
	from: Date
): Promise<{ ok: true; meetings: MeetingSummary[] } | Refusal> {
	const access = await boardFor(db, user, boardId);
	if (!access.ok) return access;
	const rows = await db
		.select({ meeting: meetings, caseCount: count(cases.id) })
		.from(meetings)
		.leftJoin(cases, eq(cases.meetingId, meetings.id))
		.where(and(eq(meetings.boardId, boardId), gte(meetings.startsAt, from)))
		.groupBy(meetings.id)
		.orderBy(asc(meetings.startsAt));
	return { ok: true, meetings: rows.map((r) => ({ ...r.meeting, caseCount: r.caseCount })) };
}

/** A meeting already held, with what its fiches wait for. */
export interface PastMeeting {
	id: string;
	startsAt: Date;
	status: string;
	caseCount: number;
	/** Cases decided whose fiche is not signed yet. */
	toSign: number;
	/** Signed fiches not yet sent to every recipient. */
	toSend: number;
}

/** The board's meetings before `before`, newest first (the last `limit`). */
export async function listPastMeetings(db: Database, user: SessionUser, boardId: string, before: Date, limit = 20): Promise<{ ok: true; meetings: PastMeeting[] } | Refusal> {
	const access = await boardFor(db, user, boardId);
	if (!access.ok) return access;
	const rows = await db
		.select({
			id: meetings.id,
			startsAt: meetings.startsAt,
			status: meetings.status,
			caseCount: count(cases.id),
			toSign: sql<number>`count(*) filter (where ${cases.status} = 'decided')`.mapWith(Number),
			toSend: sql<number>`count(*) filter (where ${cases.status} = 'validated')`.mapWith(Number)
		})
		.from(meetings)
		.leftJoin(cases, eq(cases.meetingId, meetings.id))
		.where(and(eq(meetings.boardId, boardId), lt(meetings.startsAt, before)))
		.groupBy(meetings.id)
		.orderBy(desc(meetings.startsAt))
		.limit(limit);
	return { ok: true, meetings: rows };
}

/** Creates the meetings the board's recurrence has in [from, to) that do not exist yet. */
export async function generateMeetings(
	db: Database,
	ctx: Context,
	boardId: string,
	from: Date,
	to: Date
): Promise<{ ok: true; created: number } | Refusal> {
	const access = await managedBoard(db, ctx, boardId);
	if (!access.ok) return access;
	const { recurrence, deadline } = access.board;
	if (!recurrence) return { ok: false, reason: 'no-recurrence' };
	const slots = occurrencesBetween(recurrence, from, to);
	if (slots.length === 0) return { ok: true, created: 0 };
	const inserted = await db
		.insert(meetings)
		.values(
			slots.map((slot) => ({
				boardId,
				startsAt: slot.start,
				durationMinutes: recurrence.durationMinutes,
				registrationDeadline: deadlineFor(deadline, slot.start),
				recurring: true
			}))
		)
		.onConflictDoNothing({ target: [meetings.boardId, meetings.startsAt] })
		.returning({ id: meetings.id });
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'meeting.generate',
		entityType: 'board',
		entityId: boardId,
		address: ctx.address,
		details: { created: inserted.length }
	});
	return { ok: true, created: inserted.length };
}

/** An ad hoc meeting at a Paris date and time; its deadline follows the board's rule. */
export async function createMeeting(
	db: Database,
	ctx: Context,
	boardId: string,
	input: MeetingInput
): Promise<{ ok: true; meeting: Meeting } | Refusal> {
	const access = await managedBoard(db, ctx, boardId);
	if (!access.ok) return access;
	const startsAt = parisInstant(input.date, input.time);
	const [meeting] = await db
		.insert(meetings)
		.values({
			boardId,
			startsAt,
			durationMinutes: input.durationMinutes,
			registrationDeadline: deadlineFor(access.board.deadline, startsAt)
		})
		.onConflictDoNothing({ target: [meetings.boardId, meetings.startsAt] })
		.returning();
	if (!meeting) return { ok: false, reason: 'already-exists' };
	await audit(db, { actorUserId: ctx.user.id, action: 'meeting.create', entityType: 'meeting', entityId: meeting.id, address: ctx.address });
	return { ok: true, meeting };
}

/** Moves a meeting to another state (cancel, reinstate, start, close) when the lifecycle allows it. */
export async function setMeetingStatus(
	db: Database,
	ctx: Context,
	meetingId: string,
	to: MeetingState
): Promise<{ ok: true; meeting: Meeting } | Refusal> {
	const access = await meetingFor(db, ctx.user, meetingId);
	if (!access.ok) return { ok: false, reason: access.reason };
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	const current = access.meeting;
	if (!canMeetingTransition(current.status as MeetingState, to)) return { ok: false, reason: 'invalid-transition' };
	const [meeting] = await db
		.update(meetings)
		.set({ status: to, updatedAt: clock.now() })
		.where(and(eq(meetings.id, meetingId), eq(meetings.status, current.status)))
		.returning();
	if (!meeting) return { ok: false, reason: 'invalid-transition' };
	await audit(db, {
		actorUserId: ctx.user.id,
		action: `meeting.${to}`,
		entityType: 'meeting',
		entityId: meetingId,
		address: ctx.address,
		details: { from: current.status }
	});
	return { ok: true, meeting };
}

export interface UpcomingMeeting extends MeetingSummary {
	boardName: string;
}

/** The next scheduled or live meetings of every board `user` may see, soonest first. */
export async function listUpcomingMeetings(db: Database, user: SessionUser, from: Date, limit = 20): Promise<UpcomingMeeting[]> {
	const visible = user.isAdmin
		? undefined
		: inArray(meetings.boardId, db.select({ id: boardMembers.boardId }).from(boardMembers).where(eq(boardMembers.userId, user.id)));
	const rows = await db
		.select({ meeting: meetings, boardName: boards.name, caseCount: count(cases.id) })
		.from(meetings)
		.innerJoin(boards, eq(boards.id, meetings.boardId))
		.leftJoin(cases, eq(cases.meetingId, meetings.id))
		.where(and(gte(meetings.startsAt, from), inArray(meetings.status, ['scheduled', 'live']), visible))
		.groupBy(meetings.id, boards.name)
		.orderBy(asc(meetings.startsAt))
		.limit(limit);
	return rows.map((r) => ({ ...r.meeting, boardName: r.boardName, caseCount: r.caseCount }));
}

/**
 * Reschedules a scheduled meeting: date, time, duration and registration deadline (which
 * must come before the start). Its agenda and guests stay with it.
 */
export async function updateMeeting(
	db: Database,
	ctx: Context,
	meetingId: string,
	input: MeetingEdit
): Promise<{ ok: true; meeting: Meeting } | Refusal | { ok: false; reason: 'deadline-after-start' }> {
	const access = await meetingFor(db, ctx.user, meetingId);
	if (!access.ok) return { ok: false, reason: access.reason };
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	if (access.meeting.status !== 'scheduled') return { ok: false, reason: 'invalid-transition' };
	const startsAt = parisInstant(input.date, input.time);
	const registrationDeadline = parisInstant(input.deadlineDate, input.deadlineTime);
	if (registrationDeadline.getTime() >= startsAt.getTime()) return { ok: false, reason: 'deadline-after-start' };
	const current = access.meeting;
	const update = db
		.update(meetings)
		.set({ startsAt, durationMinutes: input.durationMinutes, registrationDeadline, updatedAt: clock.now() })
		.where(
			and(
				eq(meetings.id, meetingId),
				eq(meetings.status, 'scheduled'),
				notExists(
					db
						.select({ id: meetings.id })
						.from(meetings)
						.where(and(eq(meetings.boardId, current.boardId), eq(meetings.startsAt, startsAt), ne(meetings.id, meetingId)))
				)
			)
		)
		.returning();
	let meeting: Meeting | undefined;
	try {
		[meeting] = await update;
	} catch (error) {
		// Another meeting took that slot between the check and the update.
		if (!isUniqueViolation(error)) throw error;
	}
	if (!meeting) return { ok: false, reason: 'already-exists' };
	const changed = [
		current.startsAt.getTime() !== startsAt.getTime() && 'startsAt',
		current.durationMinutes !== input.durationMinutes && 'durationMinutes',
		current.registrationDeadline.getTime() !== registrationDeadline.getTime() && 'registrationDeadline'
	].filter(Boolean);
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'meeting.update',
		entityType: 'meeting',
		entityId: meetingId,
		address: ctx.address,
		details: { fields: changed }
	});
	return { ok: true, meeting };
}

/** A new meeting of the same board and duration at another date and time (its deadline follows the board's rule). */
export async function duplicateMeeting(
	db: Database,
	ctx: Context,
	meetingId: string,
	input: MeetingCopy
): Promise<{ ok: true; meeting: Meeting } | Refusal> {
	const access = await meetingFor(db, ctx.user, meetingId);
	if (!access.ok) return { ok: false, reason: access.reason };
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	const copy = await createMeeting(db, ctx, access.meeting.boardId, { ...input, durationMinutes: access.meeting.durationMinutes });
	if (copy.ok) {
		await audit(db, {
			actorUserId: ctx.user.id,
			action: 'meeting.duplicate',
			entityType: 'meeting',
			entityId: copy.meeting.id,
			address: ctx.address,
			details: { from: meetingId }
		});
	}
	return copy;
}
