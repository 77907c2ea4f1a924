/**
 * The board's proposal for a case (the decision part of the fiche RCP, DOMAIN.md): one
 * zod schema for the live editor, the server and the stored versions, and the check of
 * what a final proposal must hold.
 */
import { z } from 'zod';
import { codeIn, findConcept } from './value-sets.ts';

/** Whether the proposal follows a référentiel (guideline). */
export const GUIDELINE_ANSWERS = ['yes', 'no', 'not-applicable'] as const;
export type GuidelineAnswer = (typeof GUIDELINE_ANSWERS)[number];
export const GUIDELINE_ANSWER_LABELS: Record<GuidelineAnswer, string> = {
	yes: 'Oui',
	no: 'Non',
	'not-applicable': 'Aucun référentiel ne s’applique'
};

const text = (max: number) => z.string().max(max, `${max} caractères au plus`).default('');

/**
 * A proposal as it is being typed: everything optional, each value checked. Text is kept
 * as typed (no trimming while typing); the final check trims.
 */
export const DecisionDraft = z.strictObject({
	/** JDV_TypeTraitement_FRCP codes: surgery, radiotherapy, chemotherapy… (several). */
	treatmentTypes: z
		.array(codeIn('JDV_TypeTraitement_FRCP'))
		.max(20)
		.default([])
		.transform((codes) => [...new Set(codes)]),
	/** The proposal itself, in words. */
	proposal: text(20_000),
	guidelineFollowed: z.enum(GUIDELINE_ANSWERS, { error: 'Réponse attendue : oui, non, ou aucun référentiel' }).nullable().default(null),
	guidelineName: text(300),
	guidelineVersion: text(50),
	/** Why the référentiel is not followed (required when it is not). */
	guidelineJustification: text(4000),
	trialProposed: z.boolean().nullable().default(null),
	/** The trial's name or identifier (required when one is proposed). */
	trialName: text(300),
	fileComplete: z.boolean().nullable().default(null),
	furtherTests: text(4000),
	/** To be presented again at this meeting (postponement). */
	representationMeetingId: z.uuid('Séance invalide').nullable().default(null),
	/** The board proposes without discussing: the case follows the référentiel (enregistré sans discussion). */
	recordedWithoutDiscussion: z.boolean().default(false),
	/** The board decides although the quorum is not met; the fiche says so. */
	quorumNotMetAcknowledged: z.boolean().default(false)
});
export type DecisionDraft = z.output<typeof DecisionDraft>;

/** An empty proposal. */
export const emptyDecision = (): DecisionDraft => DecisionDraft.parse({});

/** Something a final proposal lacks, with the field it concerns and a French message. */
export interface DecisionProblem {
	field: keyof DecisionDraft | 'quorum';
	message: string;
}

/**
 * What keeps a proposal from being final. `quorumMet` is the quorum of the case at that
 * moment: without it the proposal needs the explicit "quorum non atteint" mark.
 */
export function decisionProblems(draft: DecisionDraft, quorumMet: boolean): DecisionProblem[] {
	const problems: DecisionProblem[] = [];
	const blank = (value: string) => value.trim() === '';
	const postponed = draft.representationMeetingId !== null;
	if (!postponed && draft.treatmentTypes.length === 0) {
		problems.push({ field: 'treatmentTypes', message: 'Choisissez au moins un type de traitement (ou une nouvelle présentation).' });
	}
	if (blank(draft.proposal)) problems.push({ field: 'proposal', message: 'Rédigez la proposition.' });
	if (draft.guidelineFollowed === null) {
		problems.push({ field: 'guidelineFollowed', message: 'Indiquez si la proposition suit un référentiel.' });
	} else if (draft.guidelineFollowed === 'yes' && blank(draft.guidelineName)) {
		problems.push({ field: 'guidelineName', message: 'Nommez le référentiel suivi.' });
	} else if (draft.guidelineFollowed === 'no' && blank(draft.guidelineJustification)) {
		problems.push({ field: 'guidelineJustification', message: 'Justifiez l’écart au référentiel.' });
	}
	if (draft.trialProposed === null) {
		problems.push({ field: 'trialProposed', message: 'Indiquez si un essai clinique est proposé.' });
	} else if (draft.trialProposed && blank(draft.trialName)) {
		problems.push({ field: 'trialName', message: 'Indiquez le nom ou l’identifiant de l’essai.' });
	}
	if (draft.fileComplete === null) problems.push({ field: 'fileComplete', message: 'Indiquez si le dossier était complet.' });
	if (draft.recordedWithoutDiscussion && draft.guidelineFollowed !== 'yes') {
		problems.push({ field: 'recordedWithoutDiscussion', message: 'Un dossier enregistré sans discussion suit un référentiel : indiquez lequel.' });
	}
	if (!quorumMet && !draft.quorumNotMetAcknowledged) {
		problems.push({ field: 'quorum', message: 'Le quorum n’est pas atteint : cochez « quorum non atteint » pour décider quand même.' });
	}
	return problems;
}

/** The French label of a treatment type code. */
export const treatmentLabel = (code: string): string => findConcept('JDV_TypeTraitement_FRCP', code)?.displayName ?? code;

/** A participant's answer to the read-back of the final proposal. */
export const ReadBackAnswer = z.strictObject({
	answer: z.enum(['confirm', 'disagree']),
	/** Why not (expected with a disagreement). */
	comment: z.string().trim().max(2000, '2000 caractères au plus').default('')
});
export type ReadBackAnswer = z.output<typeof ReadBackAnswer>;
