/**
 * The directory's open trials as the proposal's picker offers them (beside those the
 * pre-screening suggests): a board may propose any open trial, matched or not.
 */
import { asc, eq } from 'drizzle-orm';
import type { TrialCitation } from '../domain/decision.ts';
import type { Database } from './db/index.ts';
import { trials } from './db/schema.ts';

/** Every open trial of the directory as a proposal would cite it, by acronym then title. */
export async function openTrialChoices(db: Database): Promise<TrialCitation[]> {
	return db
		.select({
			trialId: trials.id,
			title: trials.title,
			acronym: trials.acronym,
			euCtNumber: trials.euCtNumber,
			nctId: trials.nctId,
			localNumber: trials.localNumber,
			sponsor: trials.sponsor,
			phase: trials.phase
		})
		.from(trials)
		.where(eq(trials.status, 'open'))
		.orderBy(asc(trials.acronym), asc(trials.title));
}
