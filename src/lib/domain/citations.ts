/**
 * How the proposal's citations read on a fiche (PDF, CDA narrative, FHIR notes), in
 * French: the référentiel's title, version and situation; the trial with its identifiers.
 */
import { trialCitationName, type GuidelineCitation, type TrialCitation } from './decision.ts';

/** "Cancer du côlon, version 2026 — situation COLON-III-R0 : Côlon, stade III, après résection R0". */
export const guidelineCitationText = (citation: GuidelineCitation): string =>
	`${citation.title}, version ${citation.versionLabel} — situation ${citation.situationCode} : ${citation.situationHeading}`;

/** The trial's identifiers as a fiche lists them: "EU CT 2024-512345-12-00, NCT01234567, n° local CHU-12"; '' when it has none. */
export function trialIdentifiersText(trial: Pick<TrialCitation, 'euCtNumber' | 'nctId' | 'localNumber'>): string {
	return [trial.euCtNumber && `EU CT ${trial.euCtNumber}`, trial.nctId, trial.localNumber && `n° local ${trial.localNumber}`].filter(Boolean).join(', ');
}

/** "ACRONYME — Titre (EU CT …, NCT…, n° local …)". */
export function trialCitationText(trial: TrialCitation): string {
	const name = trialCitationName(trial);
	const identifiers = trialIdentifiersText(trial);
	return identifiers ? `${name} (${identifiers})` : name;
}
