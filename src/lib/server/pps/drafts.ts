/**
 * Writing a case's PPS: starting it from the signed fiche, saving the draft (with
 * stale-edit detection), starting a new version from the latest issued one, discarding an
 * update's draft. Issuing and handing over are in issue.ts.
 *
 * One PPS per case: every version shares the `setId` of the first; one draft at a time
 * (the database's unique index says so too). Audit details carry ids, versions and the
 * names of the parts changed, never what they say.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { ppsDraftSchema, type PpsDraft } from '../../domain/pps.ts';
import { ppsFieldName } from '../../pps/form.ts';
import { clock } from '../../clock.ts';
import { fieldErrors, isUuid } from '../../validation.ts';
import { audit } from '../audit.ts';
import type { AccessRefusal } from '../cases.ts';
import type { Database } from '../db/index.ts';
import { cases, ppsVersions, users, type PpsVersion } from '../db/schema.ts';
import { currentFiche } from '../fiches/service.ts';
import type { SessionUser } from '../users.ts';
import { ppsAccess, ppsWriteAccess } from './access.ts';
import { draftFromFiche } from './prefill.ts';

/** Who acts, and from where (for the audit trail). */
export interface PpsActor {
	user: SessionUser;
	address: string | null;
}

/** A PPS is written from a signed fiche RCP only. */
export type NoSignedFiche = { ok: false; reason: 'no-signed-fiche' };
/** The version asked for is not (or no longer) a draft. */
export type NotDraft = { ok: false; reason: 'not-draft' };
/** Field name (as the form posts it) → French message. */
export type PpsFieldErrors = Record<string, string>;

// Transactions hand out a narrower handle; the services take the database type.
const asDatabase = (tx: unknown) => tx as Database;

/** A version of a PPS, if `user` may read it (`write`: and write it). */
export async function versionFor(db: Database, user: SessionUser, versionId: string, write: boolean) {
	const [row] = isUuid(versionId) ? await db.select().from(ppsVersions).where(eq(ppsVersions.id, versionId)) : [];
	if (!row) return { ok: false, reason: 'not-found', id: versionId } as const;
	const access = write ? await ppsWriteAccess(db, user, row.caseId) : await ppsAccess(db, user, row.caseId);
	if (!access.ok) return access.reason === 'not-found' ? ({ ok: false, reason: 'not-found', id: versionId } as const) : access;
	return { ok: true, row, mayWrite: access.mayWrite } as const;
}

/** The case's draft, if it has one. */
export async function draftOf(db: Database, caseId: string): Promise<PpsVersion | undefined> {
	const [row] = await db.select().from(ppsVersions).where(and(eq(ppsVersions.caseId, caseId), eq(ppsVersions.status, 'draft')));
	return row;
}

/** The case's latest issued version, if any. */
export async function latestIssued(db: Database, caseId: string): Promise<PpsVersion | undefined> {
	const [row] = await db
		.select()
		.from(ppsVersions)
		.where(and(eq(ppsVersions.caseId, caseId), eq(ppsVersions.status, 'issued')))
		.orderBy(desc(ppsVersions.version))
		.limit(1);
	return row;
}

// Serialises the creation of versions of one case (the number and the set id are read first).
async function lockCase(db: Database, caseId: string): Promise<void> {
	await db.select({ id: cases.id }).from(cases).where(eq(cases.id, caseId)).for('update');
}

export type StartResult = { ok: true; versionId: string; created: boolean } | AccessRefusal | NoSignedFiche;

/**
 * Starts the case's PPS: a draft of version 1 pre-filled from the signed fiche. When the
 * case already has a draft or an issued version, that one is returned instead.
 */
export async function startPps(db: Database, actor: PpsActor, caseId: string, now: Date = clock.now()): Promise<StartResult> {
	const access = await ppsWriteAccess(db, actor.user, caseId);
	if (!access.ok) return access;
	const fiche = await currentFiche(db, caseId);
	if (!fiche) return { ok: false, reason: 'no-signed-fiche' };
	return db.transaction(async (t) => {
		const tx = asDatabase(t);
		await lockCase(tx, caseId);
		const existing = (await draftOf(tx, caseId)) ?? (await latestIssued(tx, caseId));
		if (existing) return { ok: true, versionId: existing.id, created: false } as const;
		const snapshot = fiche.content as unknown as FicheSnapshot;
		const [requester] = await tx.select().from(users).where(eq(users.id, access.row.requestedBy));
		const id = randomUUID();
		await tx.insert(ppsVersions).values({
			id,
			setId: id,
			caseId,
			boardId: access.row.boardId,
			ficheId: fiche.id,
			version: 1,
			content: draftFromFiche(snapshot, requester) as unknown as Record<string, unknown>,
			createdBy: actor.user.id,
			createdAt: now,
			updatedAt: now
		});
		await audit(tx, { actorUserId: actor.user.id, action: 'pps.draft.create', entityType: 'case', entityId: caseId, address: actor.address, details: { versionId: id, version: 1, ficheId: fiche.id } }, now);
		return { ok: true, versionId: id, created: true } as const;
	});
}

export type SaveResult =
	| { ok: true; updatedAt: Date; changed: string[] }
	| AccessRefusal
	| NotDraft
	| { ok: false; reason: 'invalid'; errors: PpsFieldErrors }
	| { ok: false; reason: 'stale'; updatedAt: Date };

/** The draft's content as the form last saved it. */
export const storedDraft = (row: PpsVersion) => row.content as unknown as PpsDraft;

/** JSON with sorted keys: the database's jsonb does not keep the order they were written in. */
const canonical = (value: unknown): string =>
	JSON.stringify(value ?? null, (_, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner
	);

/** The parts of the PPS that differ between two drafts (diagnosis, phases, careTeam…). */
function changedParts(before: PpsDraft, after: PpsDraft): string[] {
	const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof PpsDraft>;
	return [...keys].filter((key) => canonical(before[key]) !== canonical(after[key]));
}

/** Checks a draft's content against the rules of its version: the draft, or the errors per form field. */
export function parseDraft(version: number, input: unknown): { ok: true; draft: PpsDraft } | { ok: false; reason: 'invalid'; errors: PpsFieldErrors } {
	const parsed = ppsDraftSchema(version).safeParse(input);
	if (parsed.success) return { ok: true, draft: parsed.data };
	return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error, ppsFieldName) };
}

/**
 * Saves the draft if nobody saved it since `baseUpdatedAt` (when the form was read). A
 * refusal (invalid, stale) changes nothing; the caller shows the typed input again.
 */
export async function savePpsDraft(
	db: Database,
	actor: PpsActor,
	versionId: string,
	input: unknown,
	baseUpdatedAt: Date | string,
	now: Date = clock.now()
): Promise<SaveResult> {
	const found = await versionFor(db, actor.user, versionId, true);
	if (!found.ok) return found;
	if (found.row.status !== 'draft') return { ok: false, reason: 'not-draft' };
	const parsed = parseDraft(found.row.version, input);
	if (!parsed.ok) return parsed;
	const base = new Date(baseUpdatedAt).getTime();
	return db.transaction(async (t) => {
		const tx = asDatabase(t);
		const [row] = await tx.select().from(ppsVersions).where(eq(ppsVersions.id, versionId)).for('update');
		if (!row || row.status !== 'draft') return { ok: false, reason: 'not-draft' } as const;
		if (row.updatedAt.getTime() !== base) return { ok: false, reason: 'stale', updatedAt: row.updatedAt } as const;
		const changed = changedParts(storedDraft(row), parsed.draft);
		await tx
			.update(ppsVersions)
			.set({ content: parsed.draft as unknown as Record<string, unknown>, updateReason: parsed.draft.updateReason?.code ?? null, updatedAt: now })
			.where(eq(ppsVersions.id, versionId));
		await audit(tx, { actorUserId: actor.user.id, action: 'pps.draft.save', entityType: 'case', entityId: row.caseId, address: actor.address, details: { versionId, version: row.version, changed } }, now);
		return { ok: true, updatedAt: now, changed } as const;
	});
}

export type NewVersionResult = { ok: true; versionId: string; created: boolean } | AccessRefusal | { ok: false; reason: 'not-issued' };

/**
 * A new draft (version n + 1) from the latest issued version, its content copied; the
 * update's reason is left to choose. The case's existing draft is returned if it has one.
 */
export async function newPpsVersion(db: Database, actor: PpsActor, caseId: string, now: Date = clock.now()): Promise<NewVersionResult> {
	const access = await ppsWriteAccess(db, actor.user, caseId);
	if (!access.ok) return access;
	return db.transaction(async (t) => {
		const tx = asDatabase(t);
		await lockCase(tx, caseId);
		const draft = await draftOf(tx, caseId);
		if (draft) return { ok: true, versionId: draft.id, created: false } as const;
		const latest = await latestIssued(tx, caseId);
		if (!latest) return { ok: false, reason: 'not-issued' } as const;
		const fiche = await currentFiche(tx, caseId);
		const id = randomUUID();
		const version = latest.version + 1;
		await tx.insert(ppsVersions).values({
			id,
			setId: latest.setId,
			caseId,
			boardId: latest.boardId,
			ficheId: fiche?.id ?? latest.ficheId,
			version,
			supersedesId: latest.id,
			content: { ...storedDraft(latest), updateReason: null } as unknown as Record<string, unknown>,
			createdBy: actor.user.id,
			createdAt: now,
			updatedAt: now
		});
		await audit(tx, { actorUserId: actor.user.id, action: 'pps.draft.create', entityType: 'case', entityId: caseId, address: actor.address, details: { versionId: id, version, supersedes: latest.id } }, now);
		return { ok: true, versionId: id, created: true } as const;
	});
}

export type DiscardResult = { ok: true } | AccessRefusal | { ok: false; reason: 'issued' | 'first-version' };

/** Discards the draft of an update (version 2 or later); an issued version stays for ever. */
export async function discardPpsDraft(db: Database, actor: PpsActor, versionId: string, now: Date = clock.now()): Promise<DiscardResult> {
	const found = await versionFor(db, actor.user, versionId, true);
	if (!found.ok) return found;
	if (found.row.status !== 'draft') return { ok: false, reason: 'issued' };
	if (found.row.version < 2) return { ok: false, reason: 'first-version' };
	await db.transaction(async (t) => {
		const tx = asDatabase(t);
		await tx.delete(ppsVersions).where(and(eq(ppsVersions.id, versionId), eq(ppsVersions.status, 'draft')));
		await audit(tx, { actorUserId: actor.user.id, action: 'pps.draft.discard', entityType: 'case', entityId: found.row.caseId, address: actor.address, details: { versionId, version: found.row.version } }, now);
	});
	return { ok: true };
}
