/**
 * A suspected relapse at a follow-up visit sends the patient back to the board: the new
 * case is pre-filled from the previous fiche and registered at the board's next meeting
 * still open to registration.
 */
import type { CaseFicheDraft } from './case-fiche.ts';
import { registrationOpen } from './meeting.ts';

/**
 * What the new case keeps from the previous fiche: who the patient is, their GP, the
 * requester, the tumour as diagnosed and the history. Staging, performance status and
 * results are not copied: they describe the patient then, and must be assessed again.
 */
const CARRIED_OVER = [
	'familyName',
	'givenNames',
	'birthDate',
	'sex',
	'ins',
	'hospitalPatientId',
	'gpName',
	'gpRpps',
	'gpPhone',
	'gpEmail',
	'requestingPhysicianId',
	'organ',
	'tumourSiteCode',
	'tumourSiteLabel',
	'histology',
	'histologyCode',
	'history',
	'comorbidities',
	'previousTreatments'
] as const satisfies readonly (keyof CaseFicheDraft)[];

/** Longest note quoted in the drafted question (the fiche's question holds 4,000 characters). */
const NOTE_IN_QUESTION = 3000;

/**
 * The draft of the case that re-presents the patient after a suspected relapse: the
 * previous fiche's identity, GP, tumour and history, "rechute" as the reason, the note of
 * the visit as the circumstances and a question drafted from it, for the requester to
 * complete.
 */
export function relapseRegistration(previousFiche: CaseFicheDraft, note: string): CaseFicheDraft {
	const draft: CaseFicheDraft = {};
	for (const field of CARRIED_OVER) {
		if (previousFiche[field] !== undefined) Object.assign(draft, { [field]: previousFiche[field] });
	}
	const said = note.trim().replace(/[.\s]+$/, '').slice(0, NOTE_IN_QUESTION);
	const circumstances = said ? `Suspicion de récidive lors du suivi : ${said}.` : 'Suspicion de récidive lors du suivi.';
	return {
		...draft,
		presentationType: 'relapse',
		discussionMode: 'discussion',
		discoveryCircumstances: circumstances,
		question: `${circumstances} Quels examens et quelle prise en charge proposer ?`
	};
}

/** What choosing a meeting needs to know of one. */
export interface OpenableMeeting {
	status: string;
	startsAt: Date;
	registrationDeadline: Date;
}

/**
 * The board's next meeting still open to registration at `now` (the earliest such one),
 * or undefined when none is: the coordinator then schedules one.
 */
export function nextOpenMeeting<M extends OpenableMeeting>(meetings: readonly M[], now: Date): M | undefined {
	return meetings
		.filter((meeting) => registrationOpen(meeting, now) && meeting.startsAt.getTime() > now.getTime())
		.reduce<M | undefined>((earliest, meeting) => (!earliest || meeting.startsAt < earliest.startsAt ? meeting : earliest), undefined);
}
