/**
 * "Enregistrement sans discussion" (DOMAIN.md): a case that strictly follows a référentiel
 * may be registered instead of discussed. Before the meeting a manager of the board
 * prepares its proposal from the case page; during the meeting the chair validates the
 * prepared cases in one batch. This module reads that form into a proposal and says when
 * the proposal is ready for the batch.
 */
import type { CaseState } from './case-lifecycle.ts';
import { decisionProblems, type DecisionDraft, type GuidelineCitation, type TrialCitation } from './decision.ts';

/** Case states in which a proposal may be prepared for registration: on the agenda, not yet discussed. */
export const RECORDABLE_STATES: readonly CaseState[] = ['registered', 'complete'];

/** Whether a case in this state may have its proposal prepared for registration. */
export const isRecordable = (state: string): boolean => (RECORDABLE_STATES as readonly string[]).includes(state);

/** A yes/no radio answer as the form sends it; '' while unanswered. */
export type YesNo = '' | 'yes' | 'no';

/** The form's fields as typed: what fills the form again after a refusal. */
export interface RecordedForm {
	treatmentTypes: string[];
	proposal: string;
	/** The library's situation followed (its id, set by the page's picker), '' for none. */
	guidelineSituationId: string;
	/** A guideline outside the library, without a situation. */
	guidelineName: string;
	guidelineVersion: string;
	trialProposed: YesNo;
	/** The directory's trial proposed (its id, set by the page's picker), '' for none. */
	trialId: string;
	/** A trial outside the directory. */
	trialName: string;
	fileComplete: YesNo;
	furtherTests: string;
}

/** The library's and directory's citations of the form's ids (read by the server from them). */
export interface RecordedCitations {
	guidelineCitation: GuidelineCitation | null;
	trialCitation: TrialCitation | null;
}

/** Fields the form requires before a case is marked for registration. */
export type RequiredRecordedField = 'proposal' | 'guidelineName';

/** A proposal built from the form, before its codes and lengths are checked (by `DecisionDraft`). */
export type RecordedProposal = Omit<DecisionDraft, 'treatmentTypes'> & { treatmentTypes: string[] };

/** The form's fields from a submission; anything missing or unexpected reads as empty. */
export function readRecordedForm(form: FormData): RecordedForm {
	const text = (name: keyof RecordedForm): string => {
		const value = form.get(name);
		return typeof value === 'string' ? value : '';
	};
	const yesNo = (name: keyof RecordedForm): YesNo => {
		const value = text(name);
		return value === 'yes' || value === 'no' ? value : '';
	};
	return {
		treatmentTypes: form.getAll('treatmentTypes').filter((value): value is string => typeof value === 'string'),
		proposal: text('proposal'),
		guidelineSituationId: text('guidelineSituationId').trim(),
		guidelineName: text('guidelineName'),
		guidelineVersion: text('guidelineVersion'),
		trialProposed: yesNo('trialProposed'),
		trialId: text('trialId').trim(),
		trialName: text('trialName'),
		fileComplete: yesNo('fileComplete'),
		furtherTests: text('furtherTests')
	};
}

const toYesNo = (value: boolean | null): YesNo => (value === null ? '' : value ? 'yes' : 'no');
const fromYesNo = (value: YesNo): boolean | null => (value === '' ? null : value === 'yes');

/** The form filled from a stored proposal. */
export function recordedFormOf(draft: DecisionDraft): RecordedForm {
	return {
		treatmentTypes: [...draft.treatmentTypes],
		proposal: draft.proposal,
		guidelineSituationId: draft.guidelineCitation?.situationId ?? '',
		// With a citation the name and version are the cited référentiel's: not typed.
		guidelineName: draft.guidelineCitation ? '' : draft.guidelineName,
		guidelineVersion: draft.guidelineCitation ? '' : draft.guidelineVersion,
		trialProposed: toYesNo(draft.trialProposed),
		trialId: draft.trialCitation?.trialId ?? '',
		trialName: draft.trialCitation ? '' : draft.trialName,
		fileComplete: toYesNo(draft.fileComplete),
		furtherTests: draft.furtherTests
	};
}

/**
 * The required fields left blank: a case is registered because it follows a référentiel,
 * a situation of the library's or one named in free text.
 */
export function missingRequired(form: RecordedForm): RequiredRecordedField[] {
	const missing: RequiredRecordedField[] = [];
	if (form.proposal.trim() === '') missing.push('proposal');
	if (form.guidelineSituationId === '' && form.guidelineName.trim() === '') missing.push('guidelineName');
	return missing;
}

/**
 * The proposal to save from the form. It follows the référentiel (that is why the case is
 * registered), it is not a postponement, and the quorum is judged at the meeting, so
 * nothing acknowledges its absence. `recorded` false keeps the content but leaves the
 * case to be discussed. A trial's name or citation is kept only when a trial is proposed.
 * `citations` are those of the form's ids, read from the library by the server (which
 * also sets the names from them when it saves).
 */
export function recordedProposal(form: RecordedForm, recorded: boolean, citations: RecordedCitations = { guidelineCitation: null, trialCitation: null }): RecordedProposal {
	const trialProposed = fromYesNo(form.trialProposed);
	const trialCitation = trialProposed ? citations.trialCitation : null;
	return {
		treatmentTypes: form.treatmentTypes,
		proposal: form.proposal,
		guidelineFollowed: 'yes',
		guidelineCitation: citations.guidelineCitation,
		guidelineName: form.guidelineName,
		guidelineVersion: form.guidelineVersion,
		guidelineJustification: '',
		trialProposed,
		trialCitation,
		trialName: trialProposed && !trialCitation ? form.trialName : '',
		fileComplete: fromYesNo(form.fileComplete),
		furtherTests: form.furtherTests,
		representationMeetingId: null,
		recordedWithoutDiscussion: recorded,
		quorumNotMetAcknowledged: false
	};
}

/**
 * Whether the chair may validate this proposal in the batch of registered cases: marked
 * for registration, lacking nothing (the quorum is the meeting's, so not judged here),
 * and the case's file complete (only a complete case may be recorded, per the lifecycle).
 */
export const readyForBatch = (draft: DecisionDraft, caseState: string): boolean =>
	draft.recordedWithoutDiscussion && caseState === 'complete' && decisionProblems(draft, true).length === 0;
