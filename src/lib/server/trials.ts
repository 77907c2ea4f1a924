/**
 * The network's clinical trials directory: trials and their sites, import from CSV or a
 * FHIR Bundle, the pre-screening of a case, and whether a proposed patient was included.
 */
import { eq } from 'drizzle-orm';
import type { TrialCitation } from '../domain/decision.ts';
import type { TrialMatch } from '../domain/trial.ts';
import { isUuid } from '../validation.ts';
import { caseFor } from './cases.ts';
import type { Database } from './db/index.ts';
import { trials } from './db/schema.ts';
import type { SessionUser } from './users.ts';

/**
 * The trial a proposal cites, with its identifiers as the directory has them now, or null
 * when there is no such trial. Any status: a proposal keeps a trial that closed since.
 */
export async function resolveTrial(db: Database, trialId: string): Promise<TrialCitation | null> {
	if (!isUuid(trialId)) return null;
	const [row] = await db.select().from(trials).where(eq(trials.id, trialId));
	if (!row) return null;
	return {
		trialId: row.id,
		title: row.title,
		acronym: row.acronym,
		euCtNumber: row.euCtNumber,
		nctId: row.nctId,
		localNumber: row.localNumber,
		sponsor: row.sponsor,
		phase: row.phase
	};
}

/**
 * The open trials that may fit a case (pre-screening on its organ, ICD-10, stage, age and
 * WHO status), best first; for members of the case's board. Stub until the directory's
 * pre-screening lands: every open trial, no check.
 */
export async function matchingTrials(
	db: Database,
	user: SessionUser,
	caseId: string
): Promise<{ ok: true; matches: TrialMatch[] } | { ok: false; reason: 'not-found' | 'forbidden' }> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return { ok: false, reason: access.reason };
	const rows = await db.select().from(trials).where(eq(trials.status, 'open'));
	return {
		ok: true,
		matches: rows.map((row) => ({
			trial: {
				id: row.id,
				title: row.title,
				acronym: row.acronym,
				euCtNumber: row.euCtNumber,
				nctId: row.nctId,
				localNumber: row.localNumber,
				sponsor: row.sponsor,
				phase: row.phase,
				status: 'open' as const,
				sites: []
			},
			checks: []
		}))
	};
}
