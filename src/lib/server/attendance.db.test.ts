import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { createMeetingFixture, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { attendanceYears, meetingAttendance, yearlyAttendance, type AttendanceLine } from './attendance.ts';
import { meetings, users } from './db/schema.ts';
import { recordJoin, recordLeave } from './presence.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';

/** The fixture's meeting starts at 13:00 UTC (14:00 in Paris) and lasts 120 minutes. */
const FIXTURE_NOW = new Date('2026-12-15T13:10:00Z');
const at = (time: string, day = '2026-12-15') => new Date(`${day}T${time}:00Z`);
/** After the meeting's scheduled end: open presences end there. */
const AFTER_MEETING = at('16:00');

/** A line as the sheet states it: name, RPPS, specialty, role, intervals (UTC hh:mm, how an unrecorded end was chosen), minutes. */
const shown = (line: AttendanceLine) => [
	line.name,
	line.rpps,
	line.specialtyLabel,
	line.role,
	line.intervals.map((i) => `${i.from.toISOString().slice(11, 16)}-${i.to.toISOString().slice(11, 16)}${i.assumedEnd ? ` ${i.assumedEnd}` : ''}`),
	line.minutes
];

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-12-15T13:10:00Z');

describe(`attendance from the recorded presence (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let peers = 0;

	/** A presence of `who` in `meetingId` from `from` to `to` (null: the leave was never recorded). */
	async function presence(meetingId: string, who: { userId?: string; guestId?: string; name: string; specialty?: string | null; role: string }, from: Date, to: Date | null) {
		const peerId = `peer-${++peers}`;
		const { name, ...rest } = who;
		await recordJoin(database.db, { roomId: meetingId, peerId, displayName: name, meetingId, ...rest }, from);
		if (to) await recordLeave(database.db, peerId, to);
	}

	async function addMeeting(startsAt: Date, status = 'closed'): Promise<string> {
		const [row] = await database.db
			.insert(meetings)
			.values({ boardId: fixture.boardId, startsAt, durationMinutes: 60, registrationDeadline: new Date(startsAt.getTime() - 86_400_000), status })
			.returning();
		return row.id;
	}

	const person = (key: 'coordinator' | 'member' | 'secretary' | 'otherBoardMember', role: string) => ({
		userId: fixture.people[key].id,
		name: `${fixture.people[key].givenName} (écran)`,
		specialty: fixture.people[key].specialty,
		role
	});

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db, FIXTURE_NOW);
		const rename = (id: string, values: Partial<typeof users.$inferInsert>) => database.db.update(users).set(values).where(eq(users.id, id));
		await rename(fixture.people.coordinator.id, { givenName: 'Paul', familyName: 'Durand', rpps: '10001234565' });
		await rename(fixture.people.member.id, { givenName: 'Julie', familyName: 'Bernard', rpps: '10003456786' });
		await rename(fixture.people.secretary.id, { givenName: 'Anne', familyName: 'Martin' });

		const meetingId = fixture.meetingId;
		// The coordinator reconnects while still connected: the two presences overlap.
		await presence(meetingId, person('coordinator', 'coordinator'), at('13:00'), at('13:30'));
		await presence(meetingId, person('coordinator', 'coordinator'), at('13:20'), at('14:10'));
		// The member leaves for a quarter of an hour: two intervals.
		await presence(meetingId, person('member', 'member'), at('13:05'), at('13:20'));
		await presence(meetingId, person('member', 'member'), at('13:45'), at('14:30'));
		// A guest GP, and the secretary whose departure was never recorded.
		await presence(meetingId, { guestId: fixture.guest.id, name: 'Dr Invitée', specialty: 'general-practice', role: 'guest' }, at('13:30'), at('13:50'));
		await presence(meetingId, person('secretary', 'secretary'), at('13:00'), null);
		// Someone in another board's meeting is not on this sheet.
		await presence(fixture.otherBoardMeetingId, person('otherBoardMember', 'member'), at('13:00'), at('14:00'));
	});
	afterAll(() => database?.dispose());

	it('lists exactly the recorded presence: one line per person, merged intervals, sorted by family name, with totals', async () => {
		const result = await meetingAttendance(database.db, fixture.people.member, fixture.meetingId, AFTER_MEETING);
		if (!result.ok) throw new Error(result.reason);
		const sheet = result.attendance;
		expect(sheet.lines.map(shown)).toEqual([
			['Dr Julie BERNARD', '10003456786', 'Oncologie médicale', 'member', ['13:05-13:20', '13:45-14:30'], 60],
			['Dr Paul DURAND', '10001234565', 'Chirurgie digestive', 'coordinator', ['13:00-14:10'], 70],
			['Dr Invitée', null, 'Médecine générale', 'guest', ['13:30-13:50'], 20],
			// Open: ended at the meeting's scheduled end (15:00 UTC), and said so.
			['Anne MARTIN', null, null, 'secretary', ['13:00-15:00 meeting-end'], 120]
		]);
		const bernard = sheet.lines[0];
		expect([bernard.firstArrival, bernard.lastDeparture]).toEqual([at('13:05'), at('14:30')]);
		expect(sheet.lines[2]).toMatchObject({ participantKey: `guest:${fixture.guest.id}`, userId: null, guestId: fixture.guest.id });
		expect(sheet.openEnd).toEqual({ at: at('15:00'), kind: 'meeting-end' });
		expect({ physicians: sheet.physicians, specialties: sheet.specialties }).toEqual({
			physicians: 3,
			specialties: ['medical-oncology', 'digestive-surgery', 'general-practice']
		});
		expect(sheet.board.name).toBe('RCP digestive');
		expect(sheet.meeting).toMatchObject({ id: fixture.meetingId, startsAt: at('13:00'), durationMinutes: 120 });
		expect(sheet.network.name).toBeTruthy();
		expect(sheet.generatedAt).toEqual(AFTER_MEETING);
	});

	it('ends an open presence at the time of reading while the meeting still runs', async () => {
		const result = await meetingAttendance(database.db, fixture.people.coordinator, fixture.meetingId, at('14:40'));
		if (!result.ok) throw new Error(result.reason);
		expect(result.attendance.openEnd).toEqual({ at: at('14:40'), kind: 'now' });
		expect(shown(result.attendance.lines.find((line) => line.name === 'Anne MARTIN')!).slice(4)).toEqual([['13:00-14:40 now'], 100]);
	});

	it('shows the sheet to the board’s members and administrators only', async () => {
		const { db } = database;
		expect((await meetingAttendance(db, fixture.people.admin, fixture.meetingId)).ok).toBe(true);
		expect(await meetingAttendance(db, fixture.people.otherBoardMember, fixture.meetingId)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await meetingAttendance(db, fixture.people.nonMember, fixture.meetingId)).toEqual({ ok: false, reason: 'forbidden' });
		const unknown = '00000000-0000-4000-8000-000000000000';
		expect(await meetingAttendance(db, fixture.people.member, unknown)).toEqual({ ok: false, reason: 'not-found', id: unknown });
		// The other board's member sees their own meeting, without this board's people.
		const other = await meetingAttendance(db, fixture.people.otherBoardMember, fixture.otherBoardMeetingId, AFTER_MEETING);
		expect(other.ok && other.attendance.lines.map((line) => [line.name, line.minutes])).toEqual([['Dr otherBoardMember TEST', 60]]);
	});

	describe('a physician’s year', () => {
		beforeAll(async () => {
			const member = person('member', 'member');
			// 23:00 in Paris on 31 December 2026: the presence from 23:30 to 23:50 (Paris) counts for 2026.
			const newYearsEve = await addMeeting(at('22:00', '2026-12-31'));
			await presence(newYearsEve, member, at('22:30', '2026-12-31'), at('22:50', '2026-12-31'));
			await presence(newYearsEve, person('coordinator', 'coordinator'), at('22:00', '2026-12-31'), at('22:55', '2026-12-31'));
			// 00:15 in Paris on 1 January 2027 is still 2026 in UTC: it counts for 2027.
			const newYear = await addMeeting(at('23:15', '2026-12-31'));
			await presence(newYear, member, at('23:30', '2026-12-31'), at('23:59', '2026-12-31'));
			const lastYear = await addMeeting(at('13:00', '2025-06-10'));
			await presence(lastYear, member, at('13:00', '2025-06-10'), at('13:45', '2025-06-10'));
		});

		it('counts only the meetings of that Paris calendar year, with minutes and total hours', async () => {
			const result = await yearlyAttendance(database.db, fixture.people.member, fixture.people.member.id, 2026, AFTER_MEETING);
			if (!result.ok) throw new Error(result.reason);
			const year = result.attendance;
			expect(year.meetings.map((m) => [m.boardName, m.startsAt.toISOString(), m.minutes])).toEqual([
				['RCP digestive', '2026-12-15T13:00:00.000Z', 60],
				['RCP digestive', '2026-12-31T22:00:00.000Z', 20]
			]);
			expect({ count: year.count, totalMinutes: year.totalMinutes, totalHours: year.totalHours }).toEqual({ count: 2, totalMinutes: 80, totalHours: 1.3 });
			expect(year.physician).toMatchObject({ givenName: 'Julie', familyName: 'Bernard', rpps: '10003456786', specialtyLabel: 'Oncologie médicale' });

			const next = await yearlyAttendance(database.db, fixture.people.member, fixture.people.member.id, 2027, AFTER_MEETING);
			expect(next.ok && next.attendance.meetings.map((m) => [m.startsAt.toISOString(), m.minutes])).toEqual([['2026-12-31T23:15:00.000Z', 29]]);
			const empty = await yearlyAttendance(database.db, fixture.people.member, fixture.people.member.id, 2024, AFTER_MEETING);
			expect(empty.ok && [empty.attendance.count, empty.attendance.totalHours]).toEqual([0, 0]);
			expect(await attendanceYears(database.db, fixture.people.member, fixture.people.member.id)).toEqual({ ok: true, years: [2027, 2026, 2025] });
		});

		it('is for the physician themself and administrators only', async () => {
			const { db } = database;
			const memberId = fixture.people.member.id;
			expect(await yearlyAttendance(db, fixture.people.coordinator, memberId, 2026)).toEqual({ ok: false, reason: 'forbidden' });
			expect(await attendanceYears(db, fixture.people.coordinator, memberId)).toEqual({ ok: false, reason: 'forbidden' });
			const byAdmin = await yearlyAttendance(db, fixture.people.admin, memberId, 2026, AFTER_MEETING);
			expect(byAdmin.ok && byAdmin.attendance.count).toBe(2);
			const unknown = '00000000-0000-4000-8000-000000000000';
			expect(await yearlyAttendance(db, fixture.people.admin, unknown, 2026)).toEqual({ ok: false, reason: 'not-found', id: unknown });
		});
	});
});
