/**
 * What the proposal's pickers ask the server: the published référentiel situations
 * (`/referentiels/situations.json`) and the trials beside a case (`/cases/[id]/essais.json`).
 */
import type { GuidelineCitation, TrialCitation } from '$lib/domain/decision';
import type { TrialMatch } from '$lib/domain/trial';

/** A situation the picker offers: the citation, the référentiel's organ and the recommended options. */
export type SituationChoice = GuidelineCitation & { organ: string; recommendation: string };

/** The trials beside a case: those the pre-screening suggests, then the directory's other open trials. */
export interface CaseTrials {
	matches: TrialMatch[];
	others: TrialCitation[];
}

/** A request the server refused or could not answer, with its HTTP status (0: no answer). */
export class FetchError extends Error {
	readonly status: number;
	constructor(status: number) {
		super(`request failed (${status})`);
		this.status = status;
		this.name = 'FetchError';
	}
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
	let response: Response;
	try {
		response = await fetch(url, { signal, headers: { accept: 'application/json' } });
	} catch (cause) {
		if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
		throw new FetchError(0);
	}
	if (!response.ok) throw new FetchError(response.status);
	return (await response.json()) as T;
}

/** Published situations of `organ` (null: every organ) matching `query`. */
export async function fetchSituations(organ: string | null, query: string, signal?: AbortSignal): Promise<SituationChoice[]> {
	const params = new URLSearchParams({ organ: organ ?? '', q: query });
	return (await getJson<{ situations: SituationChoice[] }>(`/referentiels/situations.json?${params}`, signal)).situations;
}

/** The trials beside case `caseId`. */
export const fetchCaseTrials = (caseId: string, signal?: AbortSignal): Promise<CaseTrials> =>
	getJson<CaseTrials>(`/cases/${encodeURIComponent(caseId)}/essais.json`, signal);

/** A situation choice as the proposal stores it (without the picker's extra fields). */
export function citationOf(choice: SituationChoice): GuidelineCitation {
	const { situationId, versionId, referentielId, title, versionLabel, situationCode, situationHeading, publishedAt } = choice;
	return { situationId, versionId, referentielId, title, versionLabel, situationCode, situationHeading, publishedAt };
}

/** A trial of the directory as the proposal stores it. */
export function trialCitationOf(trial: TrialMatch['trial']): TrialCitation {
	const { id, title, acronym, euCtNumber, nctId, localNumber, sponsor, phase } = trial;
	return { trialId: id, title, acronym, euCtNumber, nctId, localNumber, sponsor, phase };
}
