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
 * The situation of a référentiel of the network's library that a proposal cites. The
 * proposal keeps what it cited (title, version, situation) even after a newer version is
 * published; the server fills the labels from the library when the citation is saved, so
 * the client's copy of them is never trusted.
 */
export const GuidelineCitation = z.strictObject({
	situationId: z.uuid('Situation de référentiel invalide'),
	versionId: z.uuid('Version de référentiel invalide'),
	referentielId: z.uuid('Référentiel invalide'),
	/** The référentiel's title, its version's label, the situation's code and heading. */
	title: z.string().max(300),
	versionLabel: z.string().max(50),
	situationCode: z.string().max(50),
	situationHeading: z.string().max(500),
	/** When the cited version was published (ISO), null if unknown. */
	publishedAt: z.string().max(40).nullable().default(null)
});
export type GuidelineCitation = z.output<typeof GuidelineCitation>;

/** A trial of the network's directory that the proposal proposes, with its identifiers (filled by the server). */
export const TrialCitation = z.strictObject({
	trialId: z.uuid('Essai invalide'),
	title: z.string().max(500),
	acronym: z.string().max(100).nullable().default(null),
	euCtNumber: z.string().max(40).nullable().default(null),
	nctId: z.string().max(40).nullable().default(null),
	localNumber: z.string().max(60).nullable().default(null),
	sponsor: z.string().max(300).default(''),
	phase: z.string().max(20).nullable().default(null)
});
export type TrialCitation = z.output<typeof TrialCitation>;

/** How a cited trial is named on a fiche: "ACRONYME — Titre". */
export const trialCitationName = (trial: Pick<TrialCitation, 'acronym' | 'title'>): string =>
	trial.acronym ? `${trial.acronym} — ${trial.title}` : trial.title;

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
	/**
	 * The library's situation the proposal follows (with `yes`) or departs from (with `no`,
	 * "hors référentiel"). With a citation, `guidelineName` and `guidelineVersion` are the
	 * cited référentiel's title and version (set by the server); without one, they name a
	 * guideline outside the library (a national one).
	 */
	guidelineCitation: GuidelineCitation.nullable().default(null),
	guidelineName: text(300),
	guidelineVersion: text(50),
	/** Why the référentiel is not followed (required when it is not). */
	guidelineJustification: text(4000),
	trialProposed: z.boolean().nullable().default(null),
	/** The directory's trial proposed; with it `trialName` is its name (set by the server). */
	trialCitation: TrialCitation.nullable().default(null),
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
	} else if (draft.guidelineFollowed === 'yes' && draft.guidelineCitation === null && blank(draft.guidelineName)) {
		problems.push({ field: 'guidelineName', message: 'Choisissez la situation du référentiel suivie, ou nommez le référentiel.' });
	} else if (draft.guidelineFollowed === 'no' && blank(draft.guidelineJustification)) {
		problems.push({ field: 'guidelineJustification', message: 'Justifiez l’écart au référentiel.' });
	}
	if (draft.trialProposed === null) {
		problems.push({ field: 'trialProposed', message: 'Indiquez si un essai clinique est proposé.' });
	} else if (draft.trialProposed && draft.trialCitation === null && blank(draft.trialName)) {
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
