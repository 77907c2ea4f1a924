/**
 * A board with one person of each role, its meetings and a guest, for the meeting-room
 * tests: who may join which room, and do what in it.
 */
import { parisDate } from '../../src/lib/domain/schedule.ts';
import { BoardInput } from '../../src/lib/domain/board.ts';
import { conceptsOf } from '../../src/lib/domain/value-sets.ts';
import { createBoard, setMembership } from '../../src/lib/server/boards.ts';
import type { Database } from '../../src/lib/server/db/index.ts';
import { cases, meetings, users, type Case } from '../../src/lib/server/db/schema.ts';
import { finalizeDecision, saveDecision } from '../../src/lib/server/decisions.ts';
import { claimInvitation, inviteGuest } from '../../src/lib/server/guests.ts';
import { closeCase, openCase } from '../../src/lib/server/live-meeting.ts';
import { roomEntryFor } from '../../src/lib/server/meeting-room.ts';
import type { SessionUser } from '../../src/lib/server/users.ts';

export type Person = 'admin' | 'coordinator' | 'secretary' | 'member' | 'otherBoardMember' | 'nonMember';

export interface MeetingFixture {
	people: Record<Person, SessionUser>;
	/** The board (RCP digestive) whose meetings these are. */
	boardId: string;
	/** A meeting of the board, under way now. */
	meetingId: string;
	/** Another meeting of the same board (a guest of the first may not enter it). */
	otherMeetingId: string;
	/** A meeting of another board. */
	otherBoardMeetingId: string;
	/** A closed meeting of the board. */
	closedMeetingId: string;
	/** The guest of `meetingId`: its id and session secret (the cookie's value). */
	guest: { id: string; secret: string };
}

const SPECIALTIES: Record<Person, string | null> = {
	admin: null,
	coordinator: 'digestive-surgery',
	secretary: null,
	member: 'medical-oncology',
	otherBoardMember: 'pneumology',
	nonMember: 'radiology'
};

export async function createMeetingFixture(db: Database, now: Date = new Date()): Promise<MeetingFixture> {
	const people = {} as Record<Person, SessionUser>;
	const stamp = Math.random().toString(36).slice(2, 8);
	for (const person of Object.keys(SPECIALTIES) as Person[]) {
		const [row] = await db
			.insert(users)
			.values({ givenName: person, familyName: 'Test', email: `${person}.${stamp}@chu.test`, specialty: SPECIALTIES[person], isAdmin: person === 'admin' })
			.returning();
		people[person] = { id: row.id, givenName: person, familyName: 'Test', email: row.email, specialty: row.specialty, isAdmin: row.isAdmin, networkEditor: false };
	}
	const actor = { userId: people.admin.id, address: null };
	const boardInput = (name: string) =>
		BoardInput.parse({ name, apparatus: conceptsOf('JDV_RCP_Appareil')[0].code, site: 'CHU', type: 'standard' });
	const board = await createBoard(db, boardInput('RCP digestive'), actor);
	const other = await createBoard(db, boardInput('RCP thoracique'), actor);
	for (const role of ['coordinator', 'secretary', 'member'] as const) await setMembership(db, board.id, people[role].id, role, actor);
	await setMembership(db, other.id, people.otherBoardMember.id, 'member', actor);

	const meeting = async (boardId: string, offsetMinutes: number, status = 'scheduled') => {
		const startsAt = new Date(now.getTime() + offsetMinutes * 60_000);
		const [row] = await db
			.insert(meetings)
			.values({ boardId, startsAt, durationMinutes: 120, registrationDeadline: new Date(startsAt.getTime() - 86_400_000), status })
			.returning();
		return row.id;
	};
	const meetingId = await meeting(board.id, -10);
	const otherMeetingId = await meeting(board.id, 7 * 24 * 60);
	const otherBoardMeetingId = await meeting(other.id, -5);
	const closedMeetingId = await meeting(board.id, -3 * 24 * 60, 'closed');

	const day = parisDate(new Date(now.getTime() + 2 * 86_400_000));
	const invited = await inviteGuest(
		db,
		{ user: people.secretary, address: null },
		meetingId,
		{ name: 'Dr Invitée', email: null, expiresDate: day, expiresTime: '23:00' },
		now
	);
	if (!invited.ok) throw new Error(`guest not invited: ${invited.reason}`);
	const claimed = await claimInvitation(db, invited.token, null, now);
	if (!claimed) throw new Error('guest link not opened');
	return { people, boardId: board.id, meetingId, otherMeetingId, otherBoardMeetingId, closedMeetingId, guest: { id: invited.guest.id, secret: claimed.secret } };
}

/** A case on the fixture's meeting (complete, registered by the member), with `values` over those defaults. */
export async function addCase(db: Database, fixture: MeetingFixture, values: Partial<typeof cases.$inferInsert> = {}): Promise<Case> {
	const [row] = await db
		.insert(cases)
		.values({ boardId: fixture.boardId, meetingId: fixture.meetingId, status: 'complete', requestedBy: fixture.people.member.id, fiche: {}, ...values })
		.returning();
	return row;
}

/** A proposal that holds everything a final one needs (the quorum aside). */
export const FULL_DECISION = {
	treatmentTypes: ['387713003', 'C15632'],
	proposal: 'Colectomie gauche puis chimiothérapie adjuvante selon l’histologie définitive.',
	guidelineFollowed: 'yes',
	guidelineName: 'Thésaurus national de cancérologie digestive',
	guidelineVersion: '2024',
	trialProposed: false,
	fileComplete: true
} as const;

/**
 * A case of the fixture's meeting taken through the live meeting by its coordinator:
 * opened, a full proposal (quorum acknowledged) made final, closed as decided.
 */
export async function decideCase(db: Database, fixture: MeetingFixture, fiche: Record<string, unknown>): Promise<string> {
	const caseId = (await addCase(db, fixture, { fiche })).id;
	const entry = await roomEntryFor(db, { kind: 'user', user: fixture.people.coordinator }, fixture.meetingId);
	if (!entry.ok) throw new Error(entry.reason);
	const as = { user: fixture.people.coordinator, address: null };
	const opened = await openCase(db, entry.participant, caseId);
	const saved = await saveDecision(db, as, caseId, 0, { ...FULL_DECISION, quorumNotMetAcknowledged: true });
	if (!opened.ok || !saved.ok) throw new Error('case not opened or proposal not saved');
	const final = await finalizeDecision(db, as, caseId, saved.version);
	const closed = await closeCase(db, entry.participant, fixture.people.coordinator, 'decided');
	if (!final.ok || !closed.ok) throw new Error('proposal not final or case not closed');
	return caseId;
}
