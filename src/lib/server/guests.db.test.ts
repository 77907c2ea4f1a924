import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { BoardInput } from '../domain/board.ts';
import { conceptsOf } from '../domain/value-sets.ts';
import { createBoard, setMembership } from './boards.ts';
import { auditEvents, users } from './db/schema.ts';
import { claimInvitation, endGuestSession, guestFromSession, inviteGuest, listGuests, peekInvitation, revokeGuest } from './guests.ts';
import { createMeeting, setMeetingStatus } from './meetings.ts';
import type { SessionUser } from './users.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-12-10T09:00:00Z');

describe(`meeting guests (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let meetingId: string;
	let otherMeetingId: string;
	const people: Record<string, SessionUser> = {};
	const as = (who: string) => ({ user: people[who], address: '192.0.2.7' });
	const now = new Date('2026-12-10T09:00:00Z');
	const input = { name: 'Dr Alice Martin', email: 'a.martin@cabinet.fr', expiresDate: '2026-12-15', expiresTime: '23:59' };

	beforeAll(async () => {
		database = await openTestDatabase();
		for (const [key, isAdmin] of [['admin', true], ['coordinator', false], ['secretary', false], ['member', false], ['outsider', false]] as const) {
			const [row] = await database.db.insert(users).values({ givenName: key, familyName: 'T', email: `${key}@chu.fr`, isAdmin }).returning();
			people[key] = { id: row.id, givenName: key, familyName: 'T', email: row.email, specialty: null, isAdmin, networkEditor: false };
		}
		const board = await createBoard(
			database.db,
			BoardInput.parse({ name: 'RCP thoracique', apparatus: conceptsOf('JDV_RCP_Appareil')[0].code, site: 'CHU', type: 'standard' }),
			{ userId: people.admin.id, address: null }
		);
		for (const role of ['coordinator', 'secretary', 'member'] as const) {
			await setMembership(database.db, board.id, people[role].id, role, { userId: people.admin.id, address: null });
		}
		const meeting = await createMeeting(database.db, as('secretary'), board.id, { date: '2026-12-15', time: '14:00', durationMinutes: 120 });
		const other = await createMeeting(database.db, as('secretary'), board.id, { date: '2026-12-22', time: '14:00', durationMinutes: 120 });
		if (!meeting.ok || !other.ok) throw new Error('meetings not created');
		meetingId = meeting.meeting.id;
		otherMeetingId = other.meeting.id;
	});
	afterAll(() => database?.dispose());

	it('lets the coordinator, the secretary and administrators invite; members and outsiders are refused', async () => {
		for (const who of ['coordinator', 'secretary', 'admin']) {
			const invited = await inviteGuest(database.db, as(who), meetingId, { ...input, email: null }, now);
			expect(invited.ok, who).toBe(true);
		}
		expect(await inviteGuest(database.db, as('member'), meetingId, { ...input, email: null }, now)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await inviteGuest(database.db, as('outsider'), meetingId, { ...input, email: null }, now)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await listGuests(database.db, people.member, meetingId)).toEqual({ ok: false, reason: 'forbidden' });
		const listed = await listGuests(database.db, people.secretary, meetingId);
		expect(listed.ok && listed.guests.length).toBe(3);
	});

	it('refuses an expiry before the end of the meeting, and invitations to a cancelled meeting', async () => {
		expect(await inviteGuest(database.db, as('secretary'), meetingId, { ...input, email: null, expiresTime: '15:00' }, now)).toEqual({
			ok: false,
			reason: 'invalid-expiry',
			message: 'L’échéance doit suivre la fin de la réunion.'
		});
		await setMeetingStatus(database.db, as('secretary'), otherMeetingId, 'cancelled');
		expect(await inviteGuest(database.db, as('secretary'), otherMeetingId, { ...input, email: null, expiresDate: '2026-12-22' }, now)).toEqual({
			ok: false,
			reason: 'meeting-not-open'
		});
		await setMeetingStatus(database.db, as('secretary'), otherMeetingId, 'scheduled');
	});

	it('opens a session for its one meeting, in one browser at a time, audited without patient data', async () => {
		const invited = await inviteGuest(database.db, as('secretary'), meetingId, { ...input, email: 'a.martin@cabinet.fr' }, now);
		if (!invited.ok) throw new Error('not invited');
		// The stored row never holds the token itself.
		expect(JSON.stringify(invited.guest)).not.toContain(invited.token);
		expect(await peekInvitation(database.db, invited.token, now)).toMatchObject({ name: 'Dr Alice Martin', meetingId });

		const first = await claimInvitation(database.db, invited.token, '198.51.100.1', now);
		expect(first?.guest).toMatchObject({ id: invited.guest.id, meetingId, name: 'Dr Alice Martin' });
		expect(await guestFromSession(database.db, first!.secret, now)).toMatchObject({ meetingId });

		// Opening the link again (another browser) ends the first session.
		const second = await claimInvitation(database.db, invited.token, '198.51.100.2', now);
		expect(await guestFromSession(database.db, first!.secret, now)).toBeUndefined();
		expect(await guestFromSession(database.db, second!.secret, now)).toMatchObject({ meetingId });

		// Leaving ends the session; the link still works until it expires.
		await endGuestSession(database.db, second!.secret, '198.51.100.2');
		expect(await guestFromSession(database.db, second!.secret, now)).toBeUndefined();

		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.actorGuestId, invited.guest.id));
		expect(trail.map((e) => [e.action, e.entityId, e.address])).toEqual(
			expect.arrayContaining([
				['guest.open', meetingId, '198.51.100.1'],
				['guest.open', meetingId, '198.51.100.2'],
				['guest.leave', meetingId, '198.51.100.2']
			])
		);
		expect(JSON.stringify(trail)).not.toContain('Martin');
	});

	it('stops working when revoked, expired, or when the meeting is over', async () => {
		const invited = await inviteGuest(database.db, as('coordinator'), meetingId, { ...input, email: null }, now);
		if (!invited.ok) throw new Error('not invited');
		const claimed = await claimInvitation(database.db, invited.token, null, now);
		// After its expiry (15 December 23:59 in Paris) neither the link nor the session works.
		const after = new Date('2026-12-15T23:00:00Z');
		expect(await guestFromSession(database.db, claimed!.secret, after)).toBeUndefined();
		expect(await claimInvitation(database.db, invited.token, null, after)).toBeUndefined();

		// A member cannot revoke; the secretary can, and the session ends at once.
		expect(await revokeGuest(database.db, as('member'), meetingId, invited.guest.id)).toEqual({ ok: false, reason: 'forbidden' });
		// Revoking through another meeting's id finds nothing.
		expect((await revokeGuest(database.db, as('secretary'), otherMeetingId, invited.guest.id)).ok).toBe(false);
		expect(await revokeGuest(database.db, as('secretary'), meetingId, invited.guest.id)).toEqual({ ok: true });
		expect(await guestFromSession(database.db, claimed!.secret, now)).toBeUndefined();
		expect(await claimInvitation(database.db, invited.token, null, now)).toBeUndefined();

		const another = await inviteGuest(database.db, as('coordinator'), meetingId, { ...input, email: null }, now);
		if (!another.ok) throw new Error('not invited');
		const session = await claimInvitation(database.db, another.token, null, now);
		await setMeetingStatus(database.db, as('secretary'), meetingId, 'live');
		expect(await guestFromSession(database.db, session!.secret, now)).toMatchObject({ meetingId });
		await setMeetingStatus(database.db, as('secretary'), meetingId, 'closed');
		expect(await guestFromSession(database.db, session!.secret, now)).toBeUndefined();
		expect(await claimInvitation(database.db, 'not-a-token', null, now)).toBeUndefined();
	});
});
