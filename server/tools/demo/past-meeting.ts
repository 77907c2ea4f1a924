/**
 * A meeting of the demonstration that took place two weeks ago, run through the same
 * services as a live one: six physicians in the room, a case recorded without discussion
 * in batch, two cases discussed, decided and read back, one postponed to the next meeting.
 * The discussed proposals cite the network's colorectal référentiel (one follows it, one
 * departs from it to propose a directory trial, the patient later included), so that the
 * indicators count them. Its decided fiches wait for the coordinator's signature
 * (`/meetings/<id>/fiches`).
 */
import { eq } from 'drizzle-orm';
import { trialCitationName, type GuidelineCitation, type TrialCitation } from '../../../src/lib/domain/decision.ts';
import { audit } from '../../../src/lib/server/audit.ts';
import type { Database } from '../../../src/lib/server/db/index.ts';
import { caseTrialOutcomes, meetings, type Meeting } from '../../../src/lib/server/db/schema.ts';
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
	/** What the proposals cite from the network's référentiels and trials (network.ts). */
	library: {
		/** The colon situation the first discussed proposal follows. */
		colon: GuidelineCitation;
		/** The rectum situation the second departs from, proposing `rectumTrial` instead. */
		rectum: GuidelineCitation;
		rectumTrial: TrialCitation;
		/** The trial's local investigator, who records afterwards that the patient was included. */
		investigator: SessionUser;
	};
}

const minutes = (start: Date, count: number) => new Date(start.getTime() + count * 60_000);

/**
 * The two discussed proposals: the colon case follows the network's référentiel (a cited
 * situation); the rectum case departs from it to propose a trial of the directory.
 */
const proposals = (library: PastMeetingInput['library']) =>
	[
		{
			treatmentTypes: ['387713003', 'C15632'],
			proposal: 'Colectomie gauche par cœlioscopie, puis chimiothérapie adjuvante selon l’histologie définitive.',
			guidelineFollowed: 'yes',
			guidelineCitation: library.colon,
			guidelineName: library.colon.title,
			guidelineVersion: library.colon.versionLabel,
			trialProposed: false,
			fileComplete: true
		},
		{
			treatmentTypes: ['C15632', 'C15313'],
			proposal: `Proposition d’inclusion dans l’essai ${library.rectumTrial.acronym} : traitement néoadjuvant total, puis réévaluation par IRM pelvienne. À défaut, radiochimiothérapie néoadjuvante.`,
			guidelineFollowed: 'no',
			guidelineCitation: library.rectum,
			guidelineName: library.rectum.title,
			guidelineVersion: library.rectum.versionLabel,
			guidelineJustification: 'Patient éligible à l’essai thérapeutique, dont le bras expérimental s’écarte du référentiel.',
			trialProposed: true,
			trialCitation: library.rectumTrial,
			trialName: trialCitationName(library.rectumTrial),
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

	// The case that follows the référentiel, recorded first, in batch. The library has no
	// published pancreas référentiel yet (its first version is a draft): a national one is named.
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
	const discussed = proposals(input.library);
	for (const [index, caseId] of [discussedA, discussedB].entries()) {
		const saved = must(await saveDecision(db, as, caseId, 0, discussed[index]), 'a proposal');
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

	// Five days later (still in the past: the meeting was two to three weeks ago) the investigator records that the rectum case's patient was included.
	const recordedAt = minutes(startsAt, 5 * 24 * 60);
	const { trialId } = input.library.rectumTrial;
	await db.insert(caseTrialOutcomes).values({ caseId: discussedB, trialId, outcome: 'included', on: recordedAt.toISOString().slice(0, 10), recordedAt, recordedBy: input.library.investigator.id });
	await audit(
		db,
		{ actorUserId: input.library.investigator.id, action: 'case.trial-outcome', entityType: 'case', entityId: discussedB, address: null, details: { trialId, outcome: 'included' } },
		recordedAt
	);
	return closed;
}
