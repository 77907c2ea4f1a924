/**
 * A référentiel's versions and their situations: reading one, starting a new one from the
 * latest, editing a draft, and the lifecycle steps of src/lib/domain/referentiel.ts
 * (submit, return, validate, publish). A published version never changes: the service
 * says so ('published'), and migration 0013's trigger holds it in the database too.
 */
import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import {
	allowedActions,
	latestVersion,
	mayReadVersion,
	mayStartVersion,
	versionAction,
	type ReferentielActor,
	type ReferentielVersionState,
	type SituationInput,
	type VersionAction,
	type VersionInput
} from '../../domain/referentiel.ts';
import { isUuid } from '../../validation.ts';
import { audit } from '../audit.ts';
import { isUniqueViolation, type Database } from '../db/index.ts';
import { referentielSituations, referentielVersions, type Referentiel, type ReferentielSituation, type ReferentielVersion } from '../db/schema.ts';
import type { AttachmentStorage } from '../storage.ts';
import { clock } from '../../clock.ts';
import { asDatabase, isCited, referentielFor, versionFor, type LibraryRefusal } from './access.ts';
import type { Requester } from './library.ts';

const LABEL_TAKEN = { label: 'Ce libellé de version existe déjà pour ce référentiel.' };
const CODE_TAKEN = { code: 'Ce code existe déjà dans cette version.' };

/** The version page: the version, its référentiel, its situations, and what this person may do. */
export type VersionView =
	| {
			ok: true;
			version: ReferentielVersion;
			state: ReferentielVersionState;
			referentiel: Referentiel;
			actor: ReferentielActor;
			situations: ReferentielSituation[];
			actions: VersionAction[];
	  }
	| Extract<LibraryRefusal, { reason: 'not-found' | 'forbidden' }>;

export async function getVersion(db: Database, user: Requester['user'], versionId: string): Promise<VersionView> {
	const found = await versionFor(db, user, versionId);
	if (!found.ok) return found;
	if (!mayReadVersion(found.actor, found.state)) return { ok: false, reason: 'forbidden' };
	const situations = await db
		.select()
		.from(referentielSituations)
		.where(eq(referentielSituations.versionId, versionId))
		.orderBy(asc(referentielSituations.position), asc(referentielSituations.code));
	return { ...found, situations, actions: allowedActions(found.actor, found.state) };
}

const versionAudit = (version: Pick<ReferentielVersion, 'id' | 'referentielId' | 'label'>, { user, address }: Requester, action: string, more: Record<string, unknown> = {}) => ({
	actorUserId: user.id,
	action: `referentiel.version.${action}`,
	entityType: 'referentiel-version',
	entityId: version.id,
	address,
	details: { referentielId: version.referentielId, label: version.label, ...more }
});

/**
 * A new draft of the référentiel, starting from the situations of its latest version
 * (anyone who may write drafts, while no other version is in preparation).
 */
export async function createVersion(
	db: Database,
	requester: Requester,
	referentielId: string,
	input: VersionInput
): Promise<{ ok: true; version: ReferentielVersion } | Exclude<LibraryRefusal, { reason: 'cited' | 'published' }>> {
	const found = await referentielFor(db, requester.user, referentielId);
	if (!found.ok) return found;
	const existing = await db.select().from(referentielVersions).where(eq(referentielVersions.referentielId, referentielId));
	const may = mayStartVersion(found.actor, existing.map((v) => v.status as ReferentielVersionState));
	if (!may.ok) {
		if (may.reason === 'forbidden') return { ok: false, reason: 'forbidden' };
		const preparing = existing.find((v) => v.status !== 'published' && v.status !== 'superseded')!;
		return { ok: false, reason: 'state', state: preparing.status as ReferentielVersionState };
	}
	const from = latestVersion(existing);
	try {
		const version = await db.transaction(async (transaction) => {
			const tx = asDatabase(transaction);
			const [created] = await tx.insert(referentielVersions).values({ referentielId, ...input, createdBy: requester.user.id }).returning();
			const situations = from ? await tx.select().from(referentielSituations).where(eq(referentielSituations.versionId, from.id)) : [];
			if (situations.length) {
				await tx.insert(referentielSituations).values(situations.map(({ id: _id, versionId: _from, ...s }) => ({ ...s, versionId: created.id })));
			}
			await audit(tx, versionAudit(created, requester, 'create', { from: from?.id ?? null, situations: situations.length }));
			return created;
		});
		return { ok: true, version };
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', errors: LABEL_TAKEN };
		throw error;
	}
}

/** The version, if `action` is allowed on it for this person now. */
async function versionAllowing(db: Database, requester: Requester, versionId: string, action: VersionAction) {
	const found = await versionFor(db, requester.user, versionId);
	if (!found.ok) return found;
	if (!mayReadVersion(found.actor, found.state)) return { ok: false, reason: 'forbidden' } as const;
	const verdict = versionAction(found.actor, action, found.state);
	if (!verdict.ok) return verdict.reason === 'state' ? ({ ok: false, reason: 'state', state: found.state } as const) : ({ ok: false, reason: verdict.reason } as const);
	return { ...found, to: verdict.to };
}

type EditRefusal = Exclude<LibraryRefusal, { reason: 'cited' }>;

/** Changes a draft's label or change summary. */
export async function updateVersion(db: Database, requester: Requester, versionId: string, input: VersionInput): Promise<{ ok: true; version: ReferentielVersion } | EditRefusal> {
	const found = await versionAllowing(db, requester, versionId, 'edit');
	if (!found.ok) return found;
	try {
		// The state is checked again as the row changes: a draft submitted meanwhile is left alone.
		const [version] = await db
			.update(referentielVersions)
			.set(input)
			.where(and(eq(referentielVersions.id, versionId), eq(referentielVersions.status, 'draft')))
			.returning();
		if (!version) return { ok: false, reason: 'state', state: found.state };
		await audit(db, versionAudit(version, requester, 'update', { fields: (Object.keys(input) as (keyof VersionInput)[]).filter((k) => input[k] !== found.version[k]) }));
		return { ok: true, version };
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', errors: LABEL_TAKEN };
		throw error;
	}
}

/**
 * Deletes a draft that nothing cites, with its situations and document. Those who may
 * delete hear 'cited' before the state: a cited version is a published one, and the
 * reason it stays is that a proposal or a fiche needs it.
 */
export async function deleteVersion(db: Database, storage: AttachmentStorage, requester: Requester, versionId: string): Promise<{ ok: true; referentielId: string } | LibraryRefusal> {
	const found = await versionFor(db, requester.user, versionId);
	if (!found.ok) return found;
	if (!mayReadVersion(found.actor, found.state) || !versionAction(found.actor, 'delete', 'draft').ok) return { ok: false, reason: 'forbidden' };
	if (await isCited(db, { versionId })) return { ok: false, reason: 'cited' };
	const allowed = await versionAllowing(db, requester, versionId, 'delete');
	if (!allowed.ok) return allowed;
	const { version } = allowed;
	await db.transaction(async (transaction) => {
		const tx = asDatabase(transaction);
		await tx.delete(referentielSituations).where(eq(referentielSituations.versionId, versionId));
		await tx.delete(referentielVersions).where(eq(referentielVersions.id, versionId));
		await audit(tx, versionAudit(version, requester, 'delete'));
	});
	if (version.documentKey) await storage.delete(version.documentKey).catch(() => {});
	return { ok: true, referentielId: version.referentielId };
}

/** A lifecycle step of a version. */
export type VersionStep = Extract<VersionAction, 'submit' | 'return' | 'validate' | 'publish'>;

/**
 * Moves the version on: submitted by its writers, returned to draft (with `reason`) by
 * the coordinator or an editor, validated (dated) by the working group's coordinator,
 * published by an editor. Publishing supersedes the version published before it.
 */
export async function changeVersionState(
	db: Database,
	requester: Requester,
	versionId: string,
	step: VersionStep,
	reason = ''
): Promise<{ ok: true; version: ReferentielVersion } | Exclude<LibraryRefusal, { reason: 'cited' }>> {
	const found = await versionAllowing(db, requester, versionId, step);
	if (!found.ok) return found;
	const { user } = requester;
	if (step === 'return' && !reason.trim()) return { ok: false, reason: 'invalid', errors: { reason: 'Le motif du retour est obligatoire.' } };
	if (step === 'publish') {
		const [{ n }] = await db.select({ n: count() }).from(referentielSituations).where(eq(referentielSituations.versionId, versionId));
		if (n === 0) return { ok: false, reason: 'invalid', errors: { form: 'Une version sans situation ne peut pas être citée : ajoutez au moins une situation avant de la publier.' } };
	}
	const now = clock.now();
	const changes: Partial<ReferentielVersion> = {
		submit: { status: 'submitted', submittedAt: now, submittedBy: user.id },
		// Back to the group: the dates of the step undone go with it.
		return: { status: 'draft', submittedAt: null, submittedBy: null, validatedAt: null, validatedBy: null },
		validate: { status: 'validated', validatedAt: now, validatedBy: user.id },
		publish: { status: 'published', publishedAt: now, publishedBy: user.id }
	}[step];
	return db.transaction(async (transaction) => {
		const tx = asDatabase(transaction);
		// One publication of a référentiel at a time, so that exactly one version is current.
		await tx.execute(sql`select id from referentiels where id = ${found.referentiel.id} for update`);
		const [version] = await tx
			.update(referentielVersions)
			.set(changes)
			.where(and(eq(referentielVersions.id, versionId), eq(referentielVersions.status, found.state)))
			.returning();
		if (!version) return { ok: false, reason: 'state', state: found.state } as const;
		let superseded: string[] = [];
		if (step === 'publish') {
			const previous = await tx
				.update(referentielVersions)
				.set({ status: 'superseded', supersededAt: now, supersededById: versionId })
				.where(and(eq(referentielVersions.referentielId, version.referentielId), eq(referentielVersions.status, 'published'), ne(referentielVersions.id, versionId)))
				.returning({ id: referentielVersions.id });
			superseded = previous.map((p) => p.id);
		}
		await audit(
			tx,
			versionAudit(version, requester, step, step === 'return' ? { from: found.state, reason: reason.trim() } : step === 'publish' ? { superseded } : {}),
			now
		);
		return { ok: true, version } as const;
	});
}

// ---------------------------------------------------------------------------------------
// Situations

type SituationResult = { ok: true; situation: ReferentielSituation } | EditRefusal;

/** Adds a situation to a draft. */
export async function addSituation(db: Database, requester: Requester, versionId: string, input: SituationInput): Promise<SituationResult> {
	const found = await versionAllowing(db, requester, versionId, 'edit');
	if (!found.ok) return found;
	try {
		const [situation] = await db.insert(referentielSituations).values({ ...input, versionId }).returning();
		await audit(db, versionAudit(found.version, requester, 'situation.add', { situationId: situation.id, code: situation.code }));
		return { ok: true, situation };
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', errors: CODE_TAKEN };
		throw error;
	}
}

async function situationFor(db: Database, situationId: string) {
	if (!isUuid(situationId)) return undefined;
	const [row] = await db.select().from(referentielSituations).where(eq(referentielSituations.id, situationId));
	return row;
}

/** Changes a situation of a draft. */
export async function updateSituation(db: Database, requester: Requester, situationId: string, input: SituationInput): Promise<SituationResult> {
	const current = await situationFor(db, situationId);
	if (!current) return { ok: false, reason: 'not-found', id: situationId };
	const found = await versionAllowing(db, requester, current.versionId, 'edit');
	if (!found.ok) return found;
	try {
		const [situation] = await db.update(referentielSituations).set(input).where(eq(referentielSituations.id, situationId)).returning();
		await audit(db, versionAudit(found.version, requester, 'situation.update', { situationId, code: situation.code }));
		return { ok: true, situation };
	} catch (error) {
		if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', errors: CODE_TAKEN };
		throw error;
	}
}

/** Removes a situation from a draft. */
export async function deleteSituation(db: Database, requester: Requester, situationId: string): Promise<{ ok: true } | EditRefusal> {
	const current = await situationFor(db, situationId);
	if (!current) return { ok: false, reason: 'not-found', id: situationId };
	const found = await versionAllowing(db, requester, current.versionId, 'edit');
	if (!found.ok) return found;
	await db.delete(referentielSituations).where(eq(referentielSituations.id, situationId));
	await audit(db, versionAudit(found.version, requester, 'situation.delete', { situationId, code: current.code }));
	return { ok: true };
}
