import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { BoardInput } from '../domain/board.ts';
import { conceptsOf } from '../domain/value-sets.ts';
import { createBoard, setMembership } from './boards.ts';
import { users } from './db/schema.ts';
import { createMeeting, duplicateMeeting, generateMeetings, listMeetings, listUpcomingMeetings, setMeetingStatus, updateMeeting } from './meetings.ts';
import type { SessionUser } from './users.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-11-20T09:00:00Z');

describe(`meetings (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let boardId: string;
	const people: Record<string, SessionUser> = {};
	const as = (who: string) => ({ user: people[who], address: null });

	beforeAll(async () => {
		database = await openTestDatabase();
		for (const [key, isAdmin] of [['admin', true], ['secretary', false], ['member', false], ['outsider', false]] as const) {
			const [row] = await database.db.insert(users).values({ givenName: key, familyName: 'T', email: `${key}@chu.fr`, isAdmin }).returning();
			people[key] = { id: row.id, givenName: key, familyName: 'T', email: row.email, specialty: null, isAdmin, networkEditor: false };
		}
		const board = await createBoard(
			database.db,
			BoardInput.parse({
				name: 'RCP digestive',
				apparatus: conceptsOf('JDV_RCP_Appareil')[0].code,
				site: 'CHU',
				type: 'standard',
				// Every other Tuesday at 14:00 from 1 December 2026; deadline: 2 working days before, noon.
				recurrence: { frequency: 'biweekly', weekday: 2, time: '14:00', durationMinutes: 120, anchorDate: '2026-12-01' }
			}),
			{ userId: people.admin.id, address: null }
		);
		boardId = board.id;
		await setMembership(database.db, boardId, people.secretary.id, 'secretary', { userId: people.admin.id, address: null });
		await setMembership(database.db, boardId, people.member.id, 'member', { userId: people.admin.id, address: null });
	});
	afterAll(() => database?.dispose());

	const from = new Date('2026-12-01T00:00:00Z');
	const to = new Date('2027-01-01T00:00:00Z');

	it('generates the recurrence once, in Paris time, with its registration deadlines', async () => {
		expect(await generateMeetings(database.db, as('secretary'), boardId, from, to)).toEqual({ ok: true, created: 3 });
		// Generating again creates nothing twice.
		expect(await generateMeetings(database.db, as('secretary'), boardId, from, to)).toEqual({ ok: true, created: 0 });
		const listed = await listMeetings(database.db, people.member, boardId, from);
		expect(listed.ok).toBe(true);
		if (!listed.ok) return;
		expect(listed.meetings.map((m) => [m.startsAt.toISOString(), m.registrationDeadline.toISOString(), m.caseCount])).toEqual([
			// 14:00 in Paris is 13:00 UTC in winter; the deadline is the Friday before at noon (11:00 UTC).
			['2026-12-01T13:00:00.000Z', '2026-11-27T11:00:00.000Z', 0],
			['2026-12-15T13:00:00.000Z', '2026-12-11T11:00:00.000Z', 0],
			// 29 December: Friday 25 December is a holiday, so the deadline is Thursday 24.
			['2026-12-29T13:00:00.000Z', '2026-12-24T11:00:00.000Z', 0]
		]);
	});

	it('lets only managers create, cancel and reinstate; outsiders see nothing', async () => {
		expect(await generateMeetings(database.db, as('member'), boardId, from, to)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await listMeetings(database.db, people.outsider, boardId, from)).toEqual({ ok: false, reason: 'forbidden' });
		const extra = await createMeeting(database.db, as('admin'), boardId, { date: '2026-12-22', time: '08:30', durationMinutes: 60 });
		expect(extra.ok && extra.meeting.startsAt.toISOString()).toBe('2026-12-22T07:30:00.000Z');
		expect(await createMeeting(database.db, as('admin'), boardId, { date: '2026-12-22', time: '08:30', durationMinutes: 60 })).toEqual({
			ok: false,
			reason: 'already-exists'
		});
		if (!extra.ok) return;
		expect(await setMeetingStatus(database.db, as('member'), extra.meeting.id, 'cancelled')).toEqual({ ok: false, reason: 'forbidden' });
		const cancelled = await setMeetingStatus(database.db, as('secretary'), extra.meeting.id, 'cancelled');
		expect(cancelled.ok && cancelled.meeting.status).toBe('cancelled');
		expect(await setMeetingStatus(database.db, as('secretary'), extra.meeting.id, 'closed')).toEqual({
			ok: false,
			reason: 'invalid-transition'
		});
		const back = await setMeetingStatus(database.db, as('secretary'), extra.meeting.id, 'scheduled');
		expect(back.ok && back.meeting.status).toBe('scheduled');
	});

	it('lists the upcoming meetings of the boards one belongs to, soonest first, without cancelled ones', async () => {
		const upcoming = (who: string) => listUpcomingMeetings(database.db, people[who], from).then((list) => list.map((m) => m.startsAt.toISOString()));
		const expected = ['2026-12-01T13:00:00.000Z', '2026-12-15T13:00:00.000Z', '2026-12-22T07:30:00.000Z', '2026-12-29T13:00:00.000Z'];
		expect(await upcoming('member')).toEqual(expected);
		expect(await upcoming('admin')).toEqual(expected);
		expect(await upcoming('outsider')).toEqual([]);
		const [first] = await listUpcomingMeetings(database.db, people.member, from);
		expect(first.boardName).toBe('RCP digestive');
		await setMeetingStatus(database.db, as('secretary'), first.id, 'cancelled');
		expect(await upcoming('member')).toEqual(expected.slice(1));
	});

	it('reschedules a meeting and duplicates it; only managers, never onto another meeting, deadline before the start', async () => {
		const created = await createMeeting(database.db, as('secretary'), boardId, { date: '2027-01-12', time: '14:00', durationMinutes: 90 });
		if (!created.ok) throw new Error('not created');
		const id = created.meeting.id;
		const edit = { date: '2027-01-13', time: '09:00', durationMinutes: 60, deadlineDate: '2027-01-11', deadlineTime: '18:00' };
		expect(await updateMeeting(database.db, as('member'), id, edit)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await updateMeeting(database.db, as('outsider'), id, edit)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await updateMeeting(database.db, as('secretary'), id, { ...edit, deadlineDate: '2027-01-13', deadlineTime: '10:00' })).toEqual({
			ok: false,
			reason: 'deadline-after-start'
		});
		// Onto the slot of another meeting of the board: refused.
		expect(await updateMeeting(database.db, as('secretary'), id, { ...edit, date: '2026-12-29', time: '14:00', deadlineDate: '2026-12-24' })).toEqual({
			ok: false,
			reason: 'already-exists'
		});
		const moved = await updateMeeting(database.db, as('secretary'), id, edit);
		expect(moved.ok && [moved.meeting.startsAt.toISOString(), moved.meeting.durationMinutes, moved.meeting.registrationDeadline.toISOString()]).toEqual([
			'2027-01-13T08:00:00.000Z',
			60,
			'2027-01-11T17:00:00.000Z'
		]);

		expect(await duplicateMeeting(database.db, as('member'), id, { date: '2027-01-20', time: '09:00' })).toEqual({ ok: false, reason: 'forbidden' });
		const copy = await duplicateMeeting(database.db, as('secretary'), id, { date: '2027-01-20', time: '09:00' });
		// Same duration; the deadline follows the board's rule (two working days before, noon).
		expect(copy.ok && [copy.meeting.startsAt.toISOString(), copy.meeting.durationMinutes, copy.meeting.registrationDeadline.toISOString()]).toEqual([
			'2027-01-20T08:00:00.000Z',
			60,
			'2027-01-18T11:00:00.000Z'
		]);
		expect(await duplicateMeeting(database.db, as('secretary'), id, { date: '2027-01-20', time: '09:00' })).toEqual({ ok: false, reason: 'already-exists' });

		// A meeting that is no longer scheduled cannot be rescheduled.
		await setMeetingStatus(database.db, as('secretary'), id, 'cancelled');
		expect(await updateMeeting(database.db, as('secretary'), id, edit)).toEqual({ ok: false, reason: 'invalid-transition' });
	});
});
