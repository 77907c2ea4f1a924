/**
 * The network's clinical trials directory: trials and their sites, the pre-screening of a
 * case against the open ones. Every signed-in member reads the directory; its editors and
 * administrators (`isNetworkEditor`) change it. A trial a proposal or a fiche cites is
 * never deleted: the fiche must keep saying which trial was proposed.
 */
import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { TrialCitation } from '../domain/decision.ts';
import { byFit, mayFit, prescreen, TrialCriteria, TrialInput, type TrialMatch, type TrialStatus, type TrialSummary } from '../domain/trial.ts';
import type { CaseFicheDraft } from '../domain/case-fiche.ts';
import { trialFieldName } from '../trials/form.ts';
import { fieldErrors, isUuid } from '../validation.ts';
import { audit } from './audit.ts';
import { isNetworkEditor } from './auth/guards.ts';
import { caseFor } from './cases.ts';
import type { Database } from './db/index.ts';
import { caseDecisions, caseTrialOutcomes, fiches, trialSites, trials, type Trial } from './db/schema.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

/** Who changes the directory, and from where. */
export interface TrialActor {
	user: SessionUser;
	address: string | null;
}

/** A trial with everything its page shows. */
export interface TrialView extends TrialSummary {
	openedAt: string | null;
	closedAt: string | null;
	criteria: TrialCriteria;
	eligibilityText: string;
	source: string;
	updatedAt: Date;
}

/** Where a directory row came from. */
export type TrialSource = 'manual' | 'csv' | 'fhir';

// Transactions hand out a narrower handle; the services take the database type.
const asDatabase = (tx: unknown) => tx as Database;

/** Criteria were parsed by TrialCriteria before being stored; parsing again fills defaults added since. */
const storedCriteria = (row: Trial): TrialCriteria => TrialCriteria.parse(row.criteria);

async function sitesOf(db: Database, ids: string[]): Promise<Map<string, TrialSummary['sites']>> {
	const bySite = new Map<string, TrialSummary['sites']>(ids.map((id) => [id, []]));
	if (ids.length === 0) return bySite;
	const rows = await db.select().from(trialSites).where(inArray(trialSites.trialId, ids)).orderBy(asc(trialSites.trialId), asc(trialSites.position));
	for (const row of rows) bySite.get(row.trialId)?.push({ site: row.site, investigator: row.investigator, contact: row.contact, open: row.open });
	return bySite;
}

const summary = (row: Trial, sites: TrialSummary['sites']): TrialSummary => ({
	id: row.id,
	title: row.title,
	acronym: row.acronym,
	euCtNumber: row.euCtNumber,
	nctId: row.nctId,
	localNumber: row.localNumber,
	sponsor: row.sponsor,
	phase: row.phase,
	status: row.status as TrialStatus,
	sites
});

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
 * The open trials that may fit a case (pre-screening on its organ, ICD-10, histology,
 * stage, age and WHO status): those no criterion rules out, most criteria matched first,
 * then fewest unknown; for members of the case's board.
 */
export async function matchingTrials(
	db: Database,
	user: SessionUser,
	caseId: string
): Promise<{ ok: true; matches: TrialMatch[] } | { ok: false; reason: 'not-found' | 'forbidden' }> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return { ok: false, reason: access.reason };
	// Stored fiches were parsed by CaseFicheDraft before being written.
	const fiche = access.row.fiche as CaseFicheDraft;
	const asOf = clock.now();
	const rows = await db.select().from(trials).where(eq(trials.status, 'open')).orderBy(asc(trials.title));
	const candidates = rows
		.map((row) => ({ row, checks: prescreen(storedCriteria(row), fiche, asOf) }))
		.filter(({ checks }) => mayFit(checks))
		.sort((a, b) => byFit(a.checks, b.checks));
	const sites = await sitesOf(db, candidates.map(({ row }) => row.id));
	return { ok: true, matches: candidates.map(({ row, checks }) => ({ trial: summary(row, sites.get(row.id) ?? []), checks })) };
}

/** Filters of the directory's list. */
export interface TrialFilter {
	status?: TrialStatus;
	/** A JDV_RCP_Organe code the trial's criteria name. */
	organ?: string;
	/** Words of the title or acronym, or an identifier. */
	query?: string;
}

/** The directory, by title, with each trial's sites. */
export async function listTrials(db: Database, filter: TrialFilter = {}): Promise<TrialSummary[]> {
	const query = filter.query?.trim();
	const like = query ? `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
	const rows = await db
		.select()
		.from(trials)
		.where(
			and(
				filter.status ? eq(trials.status, filter.status) : undefined,
				filter.organ ? sql`${trials.criteria}->'organs' @> ${JSON.stringify([filter.organ])}::jsonb` : undefined,
				like
					? or(ilike(trials.title, like), ilike(trials.acronym, like), ilike(trials.euCtNumber, like), ilike(trials.nctId, like), ilike(trials.localNumber, like))
					: undefined
			)
		)
		.orderBy(asc(trials.title));
	const sites = await sitesOf(db, rows.map((row) => row.id));
	return rows.map((row) => summary(row, sites.get(row.id) ?? []));
}

/** One trial of the directory. */
export async function getTrial(db: Database, trialId: string): Promise<{ ok: true; trial: TrialView } | { ok: false; reason: 'not-found'; id: string }> {
	if (!isUuid(trialId)) return { ok: false, reason: 'not-found', id: trialId };
	const [row] = await db.select().from(trials).where(eq(trials.id, trialId));
	if (!row) return { ok: false, reason: 'not-found', id: trialId };
	const sites = await sitesOf(db, [row.id]);
	return {
		ok: true,
		trial: {
			...summary(row, sites.get(row.id) ?? []),
			openedAt: row.openedAt,
			closedAt: row.closedAt,
			criteria: storedCriteria(row),
			eligibilityText: row.eligibilityText,
			source: row.source,
			updatedAt: row.updatedAt
		}
	};
}

/** The directory's trial holding one of these identifiers: EU CT number, else NCT, else local number. */
export async function trialWithIdentifiers(db: Database, input: Pick<TrialInput, 'euCtNumber' | 'nctId' | 'localNumber'>): Promise<Trial[]> {
	for (const [column, value] of [
		[trials.euCtNumber, input.euCtNumber],
		[trials.nctId, input.nctId],
		[trials.localNumber, input.localNumber]
	] as const) {
		if (!value) continue;
		const rows = await db.select().from(trials).where(eq(column, value));
		if (rows.length) return rows;
	}
	return [];
}

/** Writes a trial and replaces its sites; `id` null creates it. Returns its id. */
export async function writeTrial(db: Database, id: string | null, input: TrialInput, source: TrialSource, userId: string): Promise<string> {
	const values = {
		title: input.title,
		acronym: input.acronym,
		euCtNumber: input.euCtNumber,
		nctId: input.nctId,
		localNumber: input.localNumber,
		sponsor: input.sponsor,
		phase: input.phase,
		status: input.status,
		openedAt: input.openedAt,
		closedAt: input.closedAt,
		criteria: input.criteria as Record<string, unknown>,
		eligibilityText: input.eligibilityText,
		source,
		updatedAt: clock.now(),
		updatedBy: userId
	};
	let trialId = id;
	if (trialId === null) {
		[{ id: trialId }] = await db.insert(trials).values(values).returning({ id: trials.id });
	} else {
		await db.update(trials).set(values).where(eq(trials.id, trialId));
		await db.delete(trialSites).where(eq(trialSites.trialId, trialId));
	}
	if (input.sites.length) {
		const owner = trialId;
		await db.insert(trialSites).values(input.sites.map((site, position) => ({ ...site, trialId: owner, position })));
	}
	return trialId;
}

/** An identifier another trial of the directory already holds, as a form error. */
async function identifierTaken(db: Database, input: TrialInput, self: string | null): Promise<Record<string, string> | null> {
	for (const [field, column, value] of [
		['euCtNumber', trials.euCtNumber, input.euCtNumber],
		['nctId', trials.nctId, input.nctId]
	] as const) {
		if (!value) continue;
		const [other] = await db.select({ id: trials.id, title: trials.title }).from(trials).where(eq(column, value));
		if (other && other.id !== self) return { [field]: `Ce numéro est déjà celui de l’essai « ${other.title} »` };
	}
	return null;
}

export type SaveTrialResult =
	| { ok: true; id: string }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'not-found'; id: string }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** Creates (`trialId` null) or updates a trial by hand; for network editors. */
export async function saveTrial(db: Database, actor: TrialActor, trialId: string | null, input: unknown): Promise<SaveTrialResult> {
	if (!isNetworkEditor(actor.user)) return { ok: false, reason: 'forbidden' };
	if (trialId !== null && !(await getTrial(db, trialId)).ok) return { ok: false, reason: 'not-found', id: trialId };
	const parsed = TrialInput.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error, trialFieldName) };
	return db.transaction(async (t): Promise<SaveTrialResult> => {
		const tx = asDatabase(t);
		const taken = await identifierTaken(tx, parsed.data, trialId);
		if (taken) return { ok: false, reason: 'invalid', errors: taken };
		const id = await writeTrial(tx, trialId, parsed.data, 'manual', actor.user.id);
		await audit(tx, { actorUserId: actor.user.id, action: trialId ? 'trial.update' : 'trial.create', entityType: 'trial', entityId: id, address: actor.address });
		return { ok: true, id };
	});
}

/** Whether a proposal, a signed fiche or an inclusion follow-up names the trial. */
async function isCited(db: Database, trialId: string): Promise<boolean> {
	const [decision] = await db
		.select({ one: sql`1` })
		.from(caseDecisions)
		.where(sql`${caseDecisions.content}->'trialCitation'->>'trialId' = ${trialId}`)
		.limit(1);
	if (decision) return true;
	const [fiche] = await db
		.select({ one: sql`1` })
		.from(fiches)
		.where(sql`${fiches.content}->'decision'->'trialCitation'->>'trialId' = ${trialId}`)
		.limit(1);
	if (fiche) return true;
	const [outcome] = await db.select({ one: sql`1` }).from(caseTrialOutcomes).where(eq(caseTrialOutcomes.trialId, trialId)).limit(1);
	return outcome !== undefined;
}

export type DeleteTrialResult = { ok: true } | { ok: false; reason: 'forbidden' | 'cited' } | { ok: false; reason: 'not-found'; id: string };

/** Deletes a trial nobody cites; for network editors. */
export async function deleteTrial(db: Database, actor: TrialActor, trialId: string): Promise<DeleteTrialResult> {
	if (!isNetworkEditor(actor.user)) return { ok: false, reason: 'forbidden' };
	if (!isUuid(trialId)) return { ok: false, reason: 'not-found', id: trialId };
	return db.transaction(async (t): Promise<DeleteTrialResult> => {
		const tx = asDatabase(t);
		const [row] = await tx.select({ id: trials.id }).from(trials).where(eq(trials.id, trialId)).for('update');
		if (!row) return { ok: false, reason: 'not-found', id: trialId };
		if (await isCited(tx, trialId)) return { ok: false, reason: 'cited' };
		await tx.delete(trials).where(eq(trials.id, trialId));
		await audit(tx, { actorUserId: actor.user.id, action: 'trial.delete', entityType: 'trial', entityId: trialId, address: actor.address });
		return { ok: true };
	});
}
