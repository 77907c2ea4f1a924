/**
 * The indicators of the network's référentiels and trials directory (issue 15): the
 * conformity of decided proposals per cited référentiel version and per organ, the trial
 * proposals per trial and per board, and the inclusion rate once investigators recorded
 * whether the patient was included (`case_trial_outcomes`).
 *
 * Same filter and same notion of a decided proposal as `computeIndicators`
 * (`decidedProposals`): the boards checked by the caller, the period by meeting start,
 * the organ as ICD-10 category of the tumour site. Computed in SQL from the proposals'
 * content (a DecisionDraft), which keeps what it cited even after a newer version.
 */
import { sql } from 'drizzle-orm';
import { findConcept } from '../domain/value-sets.ts';
import type { Database } from './db/index.ts';
import { decidedProposals, rows, share, type IndicatorFilter, type Share } from './indicators.ts';

/** One référentiel version cited by decided proposals. */
export interface VersionConformity {
	referentielId: string;
	versionId: string;
	/** The library's title and label (the cited ones if the version is gone from it). */
	title: string;
	versionLabel: string;
	/** Proposals that follow one of its situations. */
	followed: number;
	/** "Hors référentiel" proposals citing one of its situations as the one they depart from. */
	departed: number;
}

/** How the decided proposals of one organ answered "référentiel suivi". */
export interface OrganConformity {
	/** JDV_RCP_Organe code of the case, null when its fiche does not say. */
	organ: string | null;
	/** The code's display name, null for no code or a code outside the value set. */
	label: string | null;
	/** Follows a situation of the network's library. */
	followedLibrary: number;
	/** Follows a guideline outside the library (named in free text). */
	followedOutside: number;
	/** Hors référentiel, with its justification. */
	departed: number;
	/** No référentiel applies. */
	notApplicable: number;
	/** Followed (library or outside) among the proposals where a référentiel applies. */
	conformity: Share;
}

/** What became of the trial proposals of the directory's trials, counted per patient (case). */
export interface TrialOutcomes {
	included: number;
	notIncluded: number;
	/** Proposed, and nothing recorded yet. */
	pending: number;
	/** Included among the recorded outcomes. */
	inclusionRate: Share;
}

/** The decided proposals that proposed one trial. */
export interface TrialProposals {
	/** The directory's trial; null groups the trials named in free text ("Essai hors annuaire"). */
	trialId: string | null;
	acronym: string | null;
	title: string | null;
	proposals: number;
	/** Null outside the directory: no outcome can be recorded for such a trial. */
	outcomes: TrialOutcomes | null;
}

/** One board's trial proposals. */
export interface BoardTrialProposals {
	boardId: string;
	name: string;
	/** Its decided proposals, and those proposing a trial (directory or not). */
	decided: number;
	proposals: Share;
	/** Trial proposals citing the directory: those whose outcome can be recorded. */
	directoryProposals: number;
	outcomes: TrialOutcomes;
}

export interface NetworkIndicators {
	conformity: { versions: VersionConformity[]; organs: OrganConformity[] };
	trials: {
		byTrial: TrialProposals[];
		byBoard: BoardTrialProposals[];
		/** Every board of the filter together. */
		total: { proposals: number; directoryProposals: number; outcomes: TrialOutcomes };
	};
}

const num = (value: unknown): number => Number(value ?? 0);
const text = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));
const outcomes = (included: number, notIncluded: number, pending: number): TrialOutcomes => ({
	included,
	notIncluded,
	pending,
	inclusionRate: share(included, included + notIncluded)
});

/** The queries by name, on the filter's decided proposals. */
export function networkIndicatorQueries(filter: IndicatorFilter) {
	const decided = decidedProposals(filter);
	const cited = sql`jsonb_typeof(x.content->'guidelineCitation') = 'object'`;
	const trialId = sql`(x.content->'trialCitation'->>'trialId')`;
	const proposed = sql`x.content->>'trialProposed' = 'true'`;
	// The outcome of the trial the proposal cites (a case has at most one, of one trial).
	const outcome = sql`left join case_trial_outcomes o on o.case_id = x.case_id and o.trial_id::text = ${trialId} and ${proposed}`;
	return {
		versions: sql`select x.content->'guidelineCitation'->>'referentielId' as referentiel_id, x.content->'guidelineCitation'->>'versionId' as version_id,
				coalesce(max(r.title), max(x.content->'guidelineCitation'->>'title')) as title,
				coalesce(max(v.label), max(x.content->'guidelineCitation'->>'versionLabel')) as version_label,
				count(*) filter (where x.content->>'guidelineFollowed' = 'yes') as followed,
				count(*) filter (where x.content->>'guidelineFollowed' = 'no') as departed
			from (${decided}) x
			left join referentiel_versions v on v.id::text = x.content->'guidelineCitation'->>'versionId'
			left join referentiels r on r.id = v.referentiel_id
			where ${cited} and x.content->>'guidelineFollowed' in ('yes', 'no')
			group by 1, 2`,
		organs: sql`select c.fiche->>'organ' as organ,
				count(*) filter (where x.content->>'guidelineFollowed' = 'yes' and ${cited}) as followed_library,
				count(*) filter (where x.content->>'guidelineFollowed' = 'yes' and not ${cited}) as followed_outside,
				count(*) filter (where x.content->>'guidelineFollowed' = 'no') as departed,
				count(*) filter (where x.content->>'guidelineFollowed' = 'not-applicable') as not_applicable
			from (${decided}) x join cases c on c.id = x.case_id
			where x.content->>'guidelineFollowed' in ('yes', 'no', 'not-applicable')
			group by 1`,
		trials: sql`select ${trialId} as trial_id,
				coalesce(max(t.acronym), max(x.content->'trialCitation'->>'acronym')) as acronym,
				coalesce(max(t.title), max(x.content->'trialCitation'->>'title')) as title,
				count(*) as proposals,
				count(distinct x.case_id) filter (where o.outcome = 'included') as included,
				count(distinct x.case_id) filter (where o.outcome = 'not-included') as not_included,
				count(distinct x.case_id) filter (where o.case_id is null) as pending
			from (${decided}) x
			left join trials t on t.id::text = ${trialId}
			${outcome}
			where ${proposed}
			group by 1`,
		boards: sql`select x.board_id, b.name, count(*) as decided,
				count(*) filter (where ${proposed}) as proposals,
				count(*) filter (where ${proposed} and ${trialId} is not null) as directory,
				count(distinct x.case_id) filter (where o.outcome = 'included') as included,
				count(distinct x.case_id) filter (where o.outcome = 'not-included') as not_included,
				count(distinct x.case_id) filter (where ${proposed} and ${trialId} is not null and o.case_id is null) as pending
			from (${decided}) x join boards b on b.id = x.board_id
			${outcome}
			group by x.board_id, b.name`
	};
}

const collator = new Intl.Collator('fr');

export async function computeNetworkIndicators(db: Database, filter: IndicatorFilter): Promise<NetworkIndicators> {
	const q = networkIndicatorQueries(filter);
	const versions = (await rows(db, q.versions))
		.map(
			(row): VersionConformity => ({
				referentielId: String(row.referentiel_id),
				versionId: String(row.version_id),
				title: String(row.title ?? ''),
				versionLabel: String(row.version_label ?? ''),
				followed: num(row.followed),
				departed: num(row.departed)
			})
		)
		.sort((a, b) => collator.compare(a.title, b.title) || collator.compare(a.versionLabel, b.versionLabel));

	const organs = (await rows(db, q.organs))
		.map((row): OrganConformity => {
			const organ = text(row.organ);
			const followedLibrary = num(row.followed_library);
			const followedOutside = num(row.followed_outside);
			const departed = num(row.departed);
			const followed = followedLibrary + followedOutside;
			return {
				organ,
				label: organ ? (findConcept('JDV_RCP_Organe', organ)?.displayName ?? null) : null,
				followedLibrary,
				followedOutside,
				departed,
				notApplicable: num(row.not_applicable),
				conformity: share(followed, followed + departed)
			};
		})
		// Organs of the fiche first, by name; cases without organ last.
		.sort((a, b) => (a.organ === null ? 1 : 0) - (b.organ === null ? 1 : 0) || collator.compare(a.label ?? a.organ ?? '', b.label ?? b.organ ?? ''));

	const byTrial = (await rows(db, q.trials))
		.map((row): TrialProposals => {
			const trialId = text(row.trial_id);
			return {
				trialId,
				acronym: text(row.acronym),
				title: text(row.title),
				proposals: num(row.proposals),
				outcomes: trialId ? outcomes(num(row.included), num(row.not_included), num(row.pending)) : null
			};
		})
		// The most proposed first; trials outside the directory last.
		.sort((a, b) => (a.trialId === null ? 1 : 0) - (b.trialId === null ? 1 : 0) || b.proposals - a.proposals || collator.compare(a.acronym ?? a.title ?? '', b.acronym ?? b.title ?? ''));

	const byBoard = (await rows(db, q.boards))
		.map(
			(row): BoardTrialProposals => ({
				boardId: String(row.board_id),
				name: String(row.name),
				decided: num(row.decided),
				proposals: share(num(row.proposals), num(row.decided)),
				directoryProposals: num(row.directory),
				outcomes: outcomes(num(row.included), num(row.not_included), num(row.pending))
			})
		)
		.sort((a, b) => collator.compare(a.name, b.name));

	// A case belongs to one board: the boards' counts of patients add up.
	const sum = (pick: (board: BoardTrialProposals) => number) => byBoard.reduce((total, board) => total + pick(board), 0);
	return {
		conformity: { versions, organs },
		trials: {
			byTrial,
			byBoard,
			total: {
				proposals: sum((board) => board.proposals.count),
				directoryProposals: sum((board) => board.directoryProposals),
				outcomes: outcomes(
					sum((board) => board.outcomes.included),
					sum((board) => board.outcomes.notIncluded),
					sum((board) => board.outcomes.pending)
				)
			}
		}
	};
}
