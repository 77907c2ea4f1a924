/**
 * The board's proposal: a CarePlan (intent "proposal") with one activity per treatment
 * type, the trial it proposes (ResearchStudy), and what frames it — référentiel, further
 * tests, file completeness, quorum — said in French sentences that the CarePlan carries as
 * notes and the Composition's section as text.
 */
import { guidelineCitationText, trialCitationText } from '../../domain/citations.ts';
import { trialCitationName, type TrialCitation } from '../../domain/decision.ts';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { conceptIn } from './fhir-terms.ts';
import { formatDateTime } from './fiche-format.ts';
import type { BundleEntry, CarePlan, Identifier, Reference, ResearchStudy } from './fhir-types.ts';

export interface ProposalEntries {
	carePlan: BundleEntry<CarePlan>;
	/** The trial proposed, when one is. */
	study: BundleEntry<ResearchStudy> | undefined;
}

/** What the proposal's entries refer to. */
export interface ProposalContext {
	patient: Reference;
	encounter: Reference;
	condition: Reference;
	coordinator: Reference;
	participants: Reference[];
}

/** The statements that frame the proposal, in the fiche's order. */
export function proposalStatements(snapshot: FicheSnapshot): string[] {
	const { decision, quorum } = snapshot;
	const statements: string[] = [];
	// A library citation names the référentiel, its version and the situation; else the free-text guideline.
	const cited = decision.guidelineCitation;
	const guideline = cited
		? guidelineCitationText(cited)
		: [decision.guidelineName.trim(), decision.guidelineVersion.trim() && `version ${decision.guidelineVersion.trim()}`].filter(Boolean).join(', ');
	if (decision.guidelineFollowed === 'yes') statements.push(`Proposition conforme au référentiel : ${guideline}.`);
	if (decision.guidelineFollowed === 'no') {
		const from = cited ? ` (situation dont elle s’écarte : ${guideline})` : guideline && ` (${guideline})`;
		statements.push(`Proposition non conforme au référentiel${from}. Justification : ${decision.guidelineJustification.trim()}`);
	}
	if (decision.guidelineFollowed === 'not-applicable') statements.push('Aucun référentiel ne s’applique.');
	if (decision.trialProposed === true) {
		statements.push(`Essai clinique proposé : ${decision.trialCitation ? trialCitationText(decision.trialCitation) : decision.trialName.trim()}.`);
	}
	if (decision.trialProposed === false) statements.push('Pas d’essai clinique proposé.');
	if (decision.furtherTests.trim()) statements.push(`Examens complémentaires : ${decision.furtherTests.trim()}`);
	if (decision.fileComplete !== null) statements.push(decision.fileComplete ? 'Dossier complet.' : 'Dossier incomplet.');
	if (quorum.met) statements.push('Quorum atteint.');
	else {
		const missing = quorum.missing.length > 0 ? ` Manquant : ${quorum.missing.join(', ')}.` : '';
		const knowingly = decision.quorumNotMetAcknowledged ? ' : la RCP a décidé en connaissance de cause' : '';
		statements.push(`Quorum non atteint${knowingly}.${missing}`);
	}
	if (decision.recordedWithoutDiscussion) statements.push('Dossier enregistré sans discussion, la proposition suivant le référentiel.');
	if (snapshot.representation) statements.push(`Nouvelle présentation en RCP le ${formatDateTime(snapshot.representation.startsAt)}.`);
	return statements;
}

/** Where a trial's number is registered: the EU Clinical Trials Information System and ClinicalTrials.gov. */
const EU_CT_SYSTEM = 'https://euclinicaltrials.eu';
const NCT_SYSTEM = 'http://clinicaltrials.gov';

/** A ClinicalTrials.gov number in a free-text trial name ("PRODIGE 99 (NCT01234567)"). */
function trialIdentifier(trialName: string): Identifier | undefined {
	const nct = /\bNCT\d{8}\b/.exec(trialName)?.[0];
	return nct ? { system: NCT_SYSTEM, value: nct } : undefined;
}

/** A directory trial's identifiers; the local number has no registry, so its type says what it is. */
function citedTrialIdentifiers(trial: TrialCitation, network: string): Identifier[] {
	const identifiers: Identifier[] = [];
	if (trial.euCtNumber) identifiers.push({ use: 'official', system: EU_CT_SYSTEM, value: trial.euCtNumber });
	if (trial.nctId) identifiers.push({ use: 'secondary', system: NCT_SYSTEM, value: trial.nctId });
	if (trial.localNumber) identifiers.push({ use: 'secondary', type: { text: `Numéro local (${network})` }, value: trial.localNumber });
	return identifiers;
}

/** FHIR R4 research-study-phase codes for the phases a directory writes ("I", "II/III", "2", "phase 3"…). */
const PHASES: Record<string, string> = { '0': 'early-phase-1', I: 'phase-1', 'I/II': 'phase-1-phase-2', II: 'phase-2', 'II/III': 'phase-2-phase-3', III: 'phase-3', IV: 'phase-4' };
const ROMAN: Record<string, string> = { '1': 'I', '2': 'II', '3': 'III', '4': 'IV' };

function studyPhase(phase: string | null): ResearchStudy['phase'] {
	if (!phase?.trim()) return undefined;
	const key = phase
		.trim()
		.replace(/^phase\s*/i, '')
		.toUpperCase()
		.replace(/\s*[-/]\s*/g, '/')
		.replace(/\d/g, (digit) => ROMAN[digit] ?? digit);
	const code = PHASES[key];
	return code
		? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/research-study-phase', code }], text: `Phase ${phase.trim().replace(/^phase\s*/i, '')}` }
		: { text: phase.trim() };
}

/** The proposed trial: the directory's (identifiers, title, phase, sponsor) or one named in free text. */
function studyOf(snapshot: FicheSnapshot): ResearchStudy | undefined {
	const { decision } = snapshot;
	if (!decision.trialProposed) return undefined;
	const trial = decision.trialCitation;
	if (trial) {
		const identifiers = citedTrialIdentifiers(trial, snapshot.network.name);
		return {
			resourceType: 'ResearchStudy',
			// FHIR arrays are never empty: a trial without any number has no identifier.
			identifier: identifiers.length > 0 ? identifiers : undefined,
			title: trialCitationName(trial),
			// Open when the board proposed it (a trial of the directory is proposed only while open).
			status: 'active',
			phase: studyPhase(trial.phase),
			description: trial.sponsor ? `Promoteur : ${trial.sponsor}` : undefined
		};
	}
	const trialName = decision.trialName.trim();
	return trialName ? { resourceType: 'ResearchStudy', identifier: [trialIdentifier(trialName)].filter((id) => id !== undefined), title: trialName, status: 'active' } : undefined;
}

/** The proposal's entries. `urlOf` gives an entry's fullUrl from its name in the Bundle. */
export function proposalEntries(snapshot: FicheSnapshot, urlOf: (name: string) => string, context: ProposalContext): ProposalEntries {
	const { decision } = snapshot;
	const studyResource = studyOf(snapshot);
	const study: BundleEntry<ResearchStudy> | undefined = studyResource ? { fullUrl: urlOf('research-study'), resource: studyResource } : undefined;
	const carePlan: BundleEntry<CarePlan> = {
		fullUrl: urlOf('care-plan'),
		resource: {
			resourceType: 'CarePlan',
			status: 'active',
			intent: 'proposal',
			title: 'Proposition thérapeutique de la RCP',
			description: decision.proposal.trim(),
			subject: context.patient,
			encounter: context.encounter,
			created: snapshot.quorum.at,
			author: context.coordinator,
			contributor: context.participants,
			addresses: [context.condition],
			supportingInfo: study ? [{ reference: study.fullUrl }] : undefined,
			activity: decision.treatmentTypes.map((code) => ({ detail: { code: conceptIn('JDV_TypeTraitement_FRCP', code), status: 'not-started' } })),
			note: proposalStatements(snapshot).map((text) => ({ text }))
		}
	};
	return { carePlan, study };
}
