/**
 * Attendance documents from the room's recorded presence: a meeting's attendance sheet
 * (who was there, from when to when) for the members of its board, and a physician's
 * meetings of a year for their certificate of participation (themself or an administrator).
 */
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import {
	hoursOf,
	isPhysicianSpecialty,
	mergePresence,
	minutesPresent,
	openPresenceEnd,
	parisYear,
	parisYearOf,
	presentSpecialties,
	type OpenEnd,
	type PresenceInterval
} from '../domain/attendance.ts';
import { physicianName } from '../domain/fiche.ts';
import type { NetworkInput } from '../domain/network.ts';
import { specialtyLabel } from '../domain/specialties.ts';
import type { Database } from './db/index.ts';
import { boards, meetingGuests, meetings, roomPresences, users, type Meeting, type User } from './db/schema.ts';
import { meetingFor } from './meetings.ts';
import { getNetwork } from './settings.ts';
import { findUserById, type SessionUser } from './users.ts';
import { clock } from '../clock.ts';

type Refusal = { ok: false; reason: 'not-found'; id: string } | { ok: false; reason: 'forbidden' };

/** One person (account or guest) on a meeting's attendance sheet. */
export interface AttendanceLine {
	/** `user:<id>` or `guest:<id>`. */
	participantKey: string;
	userId: string | null;
	guestId: string | null;
	/** As printed: "Dr Paul DURAND" for a physician, the invitation's name for a guest. */
	name: string;
	familyName: string;
	rpps: string | null;
	/** The specialty recorded with the presence (else the account's), and its French label. */
	specialty: string | null;
	specialtyLabel: string | null;
	/** coordinator, secretary, member, admin or guest, as recorded with the last presence. */
	role: string;
	/** The merged intervals of presence, in order. */
	intervals: PresenceInterval[];
	firstArrival: Date;
	lastDeparture: Date;
	minutes: number;
}

/** A meeting's attendance as the sheet states it. */
export interface MeetingAttendance {
	network: NetworkInput;
	board: { id: string; name: string; site: string };
	meeting: { id: string; startsAt: Date; durationMinutes: number; status: string };
	/** Where presences without a recorded departure were ended. */
	openEnd: OpenEnd;
	/** Sorted by family name. */
	lines: AttendanceLine[];
	/** Physicians present (a physician specialty is known) and the distinct specialties present (codes). */
	physicians: number;
	specialties: string[];
	/** When it was read (the "now" of open presences): the document's date. */
	generatedAt: Date;
}

const byFamilyName = (a: AttendanceLine, b: AttendanceLine) =>
	a.familyName.localeCompare(b.familyName, 'fr', { sensitivity: 'base' }) ||
	a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }) ||
	a.participantKey.localeCompare(b.participantKey);

/** The rows of a meeting's presence, with the account or the invitation of each. */
function presenceRows(db: Database, meetingId: string) {
	return db
		.select({ presence: roomPresences, user: users, guestName: meetingGuests.name })
		.from(roomPresences)
		.leftJoin(users, eq(users.id, roomPresences.userId))
		.leftJoin(meetingGuests, eq(meetingGuests.id, roomPresences.guestId))
		.where(eq(roomPresences.meetingId, meetingId))
		.orderBy(asc(roomPresences.joinedAt));
}

type PresenceRow = Awaited<ReturnType<typeof presenceRows>>[number];

/** One person's line from their presence rows (in order of arrival). */
function attendanceLine(rows: readonly PresenceRow[], openEnd: OpenEnd): AttendanceLine {
	const { presence, user, guestName } = rows.at(-1)!;
	const specialty = rows.findLast((row) => row.presence.specialty)?.presence.specialty ?? user?.specialty ?? null;
	const intervals = mergePresence(
		rows.map((row) => row.presence),
		openEnd
	);
	const guest = guestName || presence.displayName;
	const person = user
		? { name: isPhysicianSpecialty(specialty) ? physicianName(user) : `${user.givenName} ${user.familyName.toLocaleUpperCase('fr-FR')}`, familyName: user.familyName }
		: { name: guest, familyName: guest.trim().split(/\s+/).at(-1) ?? guest };
	return {
		participantKey: participantKey(presence),
		userId: presence.userId,
		guestId: presence.guestId,
		...person,
		rpps: user?.rpps ?? null,
		specialty,
		specialtyLabel: specialtyLabel(specialty),
		role: presence.role ?? (presence.guestId ? 'guest' : 'member'),
		intervals,
		firstArrival: intervals[0].from,
		lastDeparture: intervals.at(-1)!.to,
		minutes: minutesPresent(intervals)
	};
}

const participantKey = (presence: { userId: string | null; guestId: string | null; peerId: string }) =>
	presence.userId ? `user:${presence.userId}` : presence.guestId ? `guest:${presence.guestId}` : `peer:${presence.peerId}`;

/** The attendance of a meeting, for the members of its board (and administrators). */
export async function meetingAttendance(
	db: Database,
	user: SessionUser,
	meetingId: string,
	now: Date = clock.now()
): Promise<{ ok: true; attendance: MeetingAttendance } | Refusal> {
	const access = await meetingFor(db, user, meetingId);
	if (!access.ok) return access;
	const { meeting } = access;
	const [board] = await db.select({ id: boards.id, name: boards.name, site: boards.site }).from(boards).where(eq(boards.id, meeting.boardId));
	const openEnd = openPresenceEnd(meeting, now);
	const byPerson = Map.groupBy(await presenceRows(db, meeting.id), (row) => participantKey(row.presence));
	const lines = [...byPerson.values()].map((rows) => attendanceLine(rows, openEnd)).sort(byFamilyName);
	return {
		ok: true,
		attendance: {
			network: await getNetwork(db),
			board,
			meeting: { id: meeting.id, startsAt: meeting.startsAt, durationMinutes: meeting.durationMinutes, status: meeting.status },
			openEnd,
			lines,
			...presentSpecialties(lines),
			generatedAt: now
		}
	};
}

/** A physician as a certificate names them. */
export interface CertifiedPhysician {
	id: string;
	givenName: string;
	familyName: string;
	rpps: string | null;
	specialty: string | null;
	specialtyLabel: string | null;
}

/** One meeting a physician attended. */
export interface AttendedMeeting {
	meetingId: string;
	boardName: string;
	startsAt: Date;
	minutes: number;
}

/** A physician's meetings of one calendar year (Paris), for the certificate. */
export interface YearlyAttendance {
	network: NetworkInput;
	physician: CertifiedPhysician;
	year: number;
	/** In date order. */
	meetings: AttendedMeeting[];
	count: number;
	totalMinutes: number;
	/** Total hours to one decimal. */
	totalHours: number;
	generatedAt: Date;
}

/** The physician whose attendance `user` asks for: themself, or anyone for an administrator. */
async function physicianFor(db: Database, user: SessionUser, physicianId: string): Promise<{ ok: true; physician: User } | Refusal> {
	if (physicianId !== user.id && !user.isAdmin) return { ok: false, reason: 'forbidden' };
	const physician = await findUserById(db, physicianId);
	return physician ? { ok: true, physician } : { ok: false, reason: 'not-found', id: physicianId };
}

/** Presences of `userId` in meetings starting in [from, to), with their meeting and board. */
function physicianPresences(db: Database, userId: string, from: Date, to: Date) {
	return db
		.select({ presence: roomPresences, meeting: meetings, boardName: boards.name })
		.from(roomPresences)
		.innerJoin(meetings, eq(meetings.id, roomPresences.meetingId))
		.innerJoin(boards, eq(boards.id, meetings.boardId))
		.where(and(eq(roomPresences.userId, userId), gte(meetings.startsAt, from), lt(meetings.startsAt, to)))
		.orderBy(asc(meetings.startsAt), asc(roomPresences.joinedAt));
}

/**
 * The meetings `physicianId` attended in `year`: those that took place in that Paris
 * calendar year (a meeting belongs to the year of its date, as the certificate lists it).
 */
export async function yearlyAttendance(
	db: Database,
	user: SessionUser,
	physicianId: string,
	year: number,
	now: Date = clock.now()
): Promise<{ ok: true; attendance: YearlyAttendance } | Refusal> {
	const found = await physicianFor(db, user, physicianId);
	if (!found.ok) return found;
	const { physician } = found;
	const { from, to } = parisYear(year);
	const byMeeting = Map.groupBy(await physicianPresences(db, physician.id, from, to), (row) => row.meeting.id);
	const attended = [...byMeeting.values()].map((rows): AttendedMeeting => {
		const meeting: Meeting = rows[0].meeting;
		const intervals = mergePresence(
			rows.map((row) => row.presence),
			openPresenceEnd(meeting, now)
		);
		return { meetingId: meeting.id, boardName: rows[0].boardName, startsAt: meeting.startsAt, minutes: minutesPresent(intervals) };
	});
	const totalMinutes = attended.reduce((sum, meeting) => sum + meeting.minutes, 0);
	return {
		ok: true,
		attendance: {
			network: await getNetwork(db),
			physician: {
				id: physician.id,
				givenName: physician.givenName,
				familyName: physician.familyName,
				rpps: physician.rpps,
				specialty: physician.specialty,
				specialtyLabel: specialtyLabel(physician.specialty)
			},
			year,
			meetings: attended,
			count: attended.length,
			totalMinutes,
			totalHours: hoursOf(totalMinutes),
			generatedAt: now
		}
	};
}

/** The Paris years in which `physicianId` attended a meeting, latest first. */
export async function attendanceYears(db: Database, user: SessionUser, physicianId: string): Promise<{ ok: true; years: number[] } | Refusal> {
	const found = await physicianFor(db, user, physicianId);
	if (!found.ok) return found;
	const rows = await db
		.selectDistinct({ startsAt: meetings.startsAt })
		.from(roomPresences)
		.innerJoin(meetings, eq(meetings.id, roomPresences.meetingId))
		.where(eq(roomPresences.userId, physicianId));
	return { ok: true, years: [...new Set(rows.map((row) => parisYearOf(row.startsAt)))].sort((a, b) => b - a) };
}
