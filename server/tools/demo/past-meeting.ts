/**
 * A meeting of the demonstration that took place two weeks ago, run through the same
 * services as a live one: six physicians in the room, a case recorded without discussion
 * in batch, two cases discussed, decided and read back, one postponed to the next meeting.
 * Its decided fiches wait for the coordinator's signature (`/meetings/<id>/fiches`).
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../src/lib/server/db/index.ts';
import { meetings, type Meeting } from '../../../src/lib/server/db/schema.ts';
import { answerReadBack, finalizeDecision, saveDecision } from '../../../src/lib/server/decisions.ts';
import { closeCase, openCase, recordWithoutDiscussion } from '../../../src/lib/server/live-meeting.ts';
import { roomEntryFor } from '../../../src/lib/server/meeting-room.ts';
import { recordJoin, recordLeave } from '../../../src/lib/server/presence.ts';
import type { SessionUser } from '../../../src/lib/server/users.ts';

export interface PastMeetingInput {
	boardId: string;
	startsAt: Date;
	coordinator: SessionUser;
	secretary: SessionUser;
	/** The physicians in the room besides the coordinator (the quorum and the read-back). */
	members: SessionUser[];
	/** Registers a case on the meeting as of `at` (before its deadline); returns its id. */
	register: (meeting: Meeting, index: number, at: Date) => Promise<string>;
	/** Where the postponed case is presented again. */
	nextMeetingId: string;
}

const minutes = (start: Date, count: number) => new Date(start.getTime() + count * 60_000);

const PROPOSALS = [
	{
		treatmentTypes: ['387713003', 'C15632'],
		proposal: 'Colectomie gauche par cœlioscopie, puis chimiothérapie adjuvante selon l’histologie définitive.',
		guidelineFollowed: 'yes',
		guidelineName: 'Thésaurus national de cancérologie digestive (TNCD)',
		guidelineVersion: '2024',
		trialProposed: false,
		fileComplete: true
	},
	{
		treatmentTypes: ['C15632'],
		proposal: 'Chimiothérapie d’induction (FOLFIRINOX), réévaluation par scanner après quatre cures.',
		guidelineFollowed: 'no',
		guidelineJustification: 'Patient jeune en excellent état général : intensification discutée en RCP.',
		trialProposed: true,
		trialName: 'Essai fictif DÉMO-PANC-01',
		fileComplete: true
	}
] as const;

export async function fillPastMeeting(db: Database, input: PastMeetingInput): Promise<Meeting> {
	const { startsAt } = input;
	const [meeting] = await db
		.insert(meetings)
		.values({ boardId: input.boardId, startsAt, durationMinutes: 120, registrationDeadline: minutes(startsAt, -3 * 24 * 60), status: 'scheduled' })
		.returning();
	const caseIds: string[] = [];
	for (let i = 0; i < 4; i++) caseIds.push(await input.register(meeting, i, minutes(startsAt, -5 * 24 * 60)));
	const [discussedA, discussedB, recorded, postponed] = caseIds;

	const everyone = [input.coordinator, input.secretary, ...input.members];
	for (const [i, person] of everyone.entries()) {
		await recordJoin(
			db,
			{ roomId: meeting.id, peerId: `demo-past-${meeting.id}-${i}`, displayName: `${person.givenName} ${person.familyName}`, meetingId: meeting.id, userId: person.id, specialty: person.specialty, role: i === 0 ? 'coordinator' : i === 1 ? 'secretary' : 'member' },
			minutes(startsAt, i)
		);
	}
	const entry = await roomEntryFor(db, { kind: 'user', user: input.coordinator }, meeting.id);
	if (!entry.ok) throw new Error(`demo: the past meeting's room refused its coordinator (${entry.reason})`);
	const chair = entry.participant;
	const as = { user: input.secretary, address: null };
	const must = <T extends { ok: boolean }>(result: T, what: string): T => {
		if (!result.ok) throw new Error(`demo: ${what} refused (${JSON.stringify(result)})`);
		return result;
	};

	// The case that follows the référentiel, recorded first, in batch.
	must(
		await saveDecision(db, as, recorded, 0, {
			treatmentTypes: ['387713003'],
			proposal: 'Résection endoscopique, surveillance selon le référentiel.',
			guidelineFollowed: 'yes',
			guidelineName: 'Thésaurus national de cancérologie digestive (TNCD)',
			guidelineVersion: '2024',
			trialProposed: false,
			fileComplete: true,
			recordedWithoutDiscussion: true
		}),
		'the recorded proposal'
	);
	must(await recordWithoutDiscussion(db, chair, [recorded], {}, minutes(startsAt, 5)), 'the batch');

	// Two cases discussed, decided and read back; closing each opens the next.
	must(await openCase(db, chair, discussedA, minutes(startsAt, 6)), 'opening the first case');
	for (const [index, caseId] of [discussedA, discussedB].entries()) {
		const saved = must(await saveDecision(db, as, caseId, 0, PROPOSALS[index]), 'a proposal');
		if (!saved.ok) continue;
		must(await finalizeDecision(db, as, caseId, saved.version), 'a final proposal');
		for (const member of input.members.slice(0, 3)) {
			const disagree = index === 1 && member === input.members[2];
			await answerReadBack(
				db,
				{ key: `user:${member.id}`, displayName: `${member.givenName} ${member.familyName}`, specialty: member.specialty, userId: member.id, guestId: null },
				caseId,
				saved.version,
				disagree ? { answer: 'disagree', comment: 'J’aurais proposé une radio-chimiothérapie d’emblée.' } : { answer: 'confirm', comment: '' },
				null
			);
		}
		must(await closeCase(db, chair, input.coordinator, 'decided', minutes(startsAt, 6 + 12 * (index + 1))), 'closing a case');
	}

	// The last one waits for an MRI: postponed to the next meeting.
	must(await saveDecision(db, as, postponed, 0, { furtherTests: 'IRM hépatique avant décision.', representationMeetingId: input.nextMeetingId }), 'the postponement');
	must(await closeCase(db, chair, input.coordinator, 'postponed', minutes(startsAt, 36)), 'the postponement');

	for (let i = 0; i < everyone.length; i++) await recordLeave(db, `demo-past-${meeting.id}-${i}`, minutes(startsAt, 40 + i));
	const [closed] = await db.update(meetings).set({ status: 'closed' }).where(eq(meetings.id, meeting.id)).returning();
	return closed;
}
