/**
 * The proposal's citations in the user's language, for the pages (the fiche exports use
 * the French of $lib/domain/citations).
 */
import { trialCitationName, type GuidelineCitation, type TrialCitation } from '$lib/domain/decision';
import { m } from '$lib/paraglide/messages';

/** "Cancer du côlon, version 2026 — situation COLON-III-R0 : Côlon, stade III…". */
export const guidelineLabel = (citation: GuidelineCitation): string =>
	m.prop_guideline_cited({ title: citation.title, version: citation.versionLabel, code: citation.situationCode, heading: citation.situationHeading });

/** "EU CT …, NCT…, n° local …" ('' without any identifier). */
export function trialIdentifiers(trial: Pick<TrialCitation, 'euCtNumber' | 'nctId' | 'localNumber'>): string {
	return [trial.euCtNumber && m.prop_trial_eu_ct({ number: trial.euCtNumber }), trial.nctId, trial.localNumber && m.prop_trial_local({ number: trial.localNumber })]
		.filter(Boolean)
		.join(', ');
}

/** "ACRONYME — Titre (identifiers)". */
export function trialLabel(trial: TrialCitation): string {
	const identifiers = trialIdentifiers(trial);
	return identifiers ? `${trialCitationName(trial)} (${identifiers})` : trialCitationName(trial);
}
