/**
 * The board's proposal: a CarePlan (intent "proposal") with one activity per treatment
 * type, the trial it proposes (ResearchStudy), and what frames it — référentiel, further
 * tests, file completeness, quorum — said in French sentences that the CarePlan carries as
 * notes and the Composition's section as text.
 */
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
	const guideline = [decision.guidelineName.trim(), decision.guidelineVersion.trim() && `version ${decision.guidelineVersion.trim()}`]
		.filter(Boolean)
		.join(', ');
	if (decision.guidelineFollowed === 'yes') statements.push(`Proposition conforme au référentiel : ${guideline}.`);
	if (decision.guidelineFollowed === 'no') {
		statements.push(`Proposition non conforme au référentiel${guideline && ` (${guideline})`}. Justification : ${decision.guidelineJustification.trim()}`);
	}
	if (decision.guidelineFollowed === 'not-applicable') statements.push('Aucun référentiel ne s’applique.');
	if (decision.trialProposed === true) statements.push(`Essai clinique proposé : ${decision.trialName.trim()}.`);
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

/** A ClinicalTrials.gov number in the trial's name ("PRODIGE 99 (NCT01234567)"). */
function trialIdentifier(trialName: string): Identifier | undefined {
	const nct = /\bNCT\d{8}\b/.exec(trialName)?.[0];
	return nct ? { system: 'http://clinicaltrials.gov', value: nct } : undefined;
}

/** The proposal's entries. `urlOf` gives an entry's fullUrl from its name in the Bundle. */
export function proposalEntries(snapshot: FicheSnapshot, urlOf: (name: string) => string, context: ProposalContext): ProposalEntries {
	const { decision } = snapshot;
	const trialName = decision.trialName.trim();
	const study: BundleEntry<ResearchStudy> | undefined =
		decision.trialProposed && trialName
			? {
					fullUrl: urlOf('research-study'),
					resource: { resourceType: 'ResearchStudy', identifier: [trialIdentifier(trialName)].filter((id) => id !== undefined), title: trialName, status: 'active' }
				}
			: undefined;
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
