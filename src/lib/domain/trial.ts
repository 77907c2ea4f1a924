/**
 * The network's clinical trials directory (DOMAIN.md, "Clinical trials"): a trial, its
 * sites and its pre-screening criteria, and the pre-screening of a case against them.
 * Pre-screening helps a board think of a trial; eligibility stays the investigator's call,
 * so a criterion the case does not document is "unknown", never a refusal.
 */

/** A trial's recruitment status. */
export const TRIAL_STATUSES = ['open', 'suspended', 'closed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/** Whether the patient of a case proposed for a trial was included (recorded after the meeting). */
export const TRIAL_OUTCOMES = ['included', 'not-included'] as const;
export type TrialOutcome = (typeof TRIAL_OUTCOMES)[number];

/** The criteria the pre-screening compares with a case. */
export const TRIAL_CRITERIA = ['organ', 'icd10', 'histology', 'stage', 'age', 'performanceStatus', 'biomarkers', 'lines'] as const;
export type TrialCriterion = (typeof TRIAL_CRITERIA)[number];

/** match: the case satisfies it; mismatch: it does not; unknown: the case does not say (or the criterion cannot be checked from a fiche). */
export type CriterionResult = 'match' | 'mismatch' | 'unknown';

/** One criterion of a trial compared with a case; `expected` and `actual` are data (codes, numbers, ranges), not sentences. */
export interface CriterionCheck {
	criterion: TrialCriterion;
	result: CriterionResult;
	/** What the trial asks, e.g. "C18, C19, C20", "T3–T4b", "18–75", "0–1". */
	expected: string;
	/** What the case says, null when it does not say. */
	actual: string | null;
}

/** A trial as shown beside a case. */
export interface TrialSummary {
	id: string;
	title: string;
	acronym: string | null;
	euCtNumber: string | null;
	nctId: string | null;
	localNumber: string | null;
	sponsor: string;
	phase: string | null;
	status: TrialStatus;
	sites: { site: string; investigator: string; contact: string; open: boolean }[];
}

/** An open trial that may fit a case: no criterion fails; what matched and what is unknown. */
export interface TrialMatch {
	trial: TrialSummary;
	/** Every constrained criterion, in TRIAL_CRITERIA order. */
	checks: CriterionCheck[];
}
