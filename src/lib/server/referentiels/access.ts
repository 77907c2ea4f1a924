/**
 * Who someone is to a référentiel (editor, working-group role), and whether a référentiel
 * or version is cited by a proposal or a signed fiche: the checks every service of the
 * library starts with.
 */
import { and, eq, or, sql } from 'drizzle-orm';
import type { ReferentielActor, ReferentielGroupRole, ReferentielVersionState } from '../../domain/referentiel.ts';
import { isUuid } from '../../validation.ts';
import { isNetworkEditor } from '../auth/guards.ts';
import type { Database } from '../db/index.ts';
import { auditEvents, caseDecisions, fiches, referentielGroupMembers, referentiels, referentielVersions, type Referentiel, type ReferentielVersion } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';

/** Refusals shared by the library's services. */
export type LibraryRefusal =
	| { ok: false; reason: 'not-found'; id: string }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'published' }
	| { ok: false; reason: 'state'; state: ReferentielVersionState }
	| { ok: false; reason: 'cited' }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** A database handle or an open transaction (drizzle types them apart; both query alike). */
export const asDatabase = (tx: unknown): Database => tx as Database;

/** `user` as the lifecycle rules see them for référentiel `referentielId`. */
export async function actorFor(db: Database, user: SessionUser, referentielId: string): Promise<ReferentielActor> {
	const [row] = await db
		.select({ role: referentielGroupMembers.role })
		.from(referentielGroupMembers)
		.where(and(eq(referentielGroupMembers.referentielId, referentielId), eq(referentielGroupMembers.userId, user.id)));
	return { editor: isNetworkEditor(user), groupRole: (row?.role as ReferentielGroupRole | undefined) ?? null };
}

/** The référentiel and who `user` is to it, or not-found. */
export async function referentielFor(
	db: Database,
	user: SessionUser,
	referentielId: string
): Promise<{ ok: true; referentiel: Referentiel; actor: ReferentielActor } | { ok: false; reason: 'not-found'; id: string }> {
	if (!isUuid(referentielId)) return { ok: false, reason: 'not-found', id: referentielId };
	const [referentiel] = await db.select().from(referentiels).where(eq(referentiels.id, referentielId));
	if (!referentiel) return { ok: false, reason: 'not-found', id: referentielId };
	return { ok: true, referentiel, actor: await actorFor(db, user, referentielId) };
}

/** The version, its référentiel and who `user` is to it, or not-found (reading rights are the caller's to check). */
export async function versionFor(
	db: Database,
	user: SessionUser,
	versionId: string
): Promise<
	| { ok: true; version: ReferentielVersion; state: ReferentielVersionState; referentiel: Referentiel; actor: ReferentielActor }
	| { ok: false; reason: 'not-found'; id: string }
> {
	if (!isUuid(versionId)) return { ok: false, reason: 'not-found', id: versionId };
	const [row] = await db
		.select({ version: referentielVersions, referentiel: referentiels })
		.from(referentielVersions)
		.innerJoin(referentiels, eq(referentiels.id, referentielVersions.referentielId))
		.where(eq(referentielVersions.id, versionId));
	if (!row) return { ok: false, reason: 'not-found', id: versionId };
	return {
		ok: true,
		version: row.version,
		state: row.version.status as ReferentielVersionState,
		referentiel: row.referentiel,
		actor: await actorFor(db, user, row.referentiel.id)
	};
}

/**
 * Whether a proposal (whatever its status) or a signed fiche cites the version, or any
 * version of the référentiel: what is cited stays, so that the fiche can be read again.
 */
export async function isCited(db: Database, target: { versionId: string } | { referentielId: string }): Promise<boolean> {
	const [key, id] = 'versionId' in target ? ['versionId', target.versionId] : ['referentielId', target.referentielId];
	const [decision] = await db
		.select({ id: caseDecisions.caseId })
		.from(caseDecisions)
		.where(sql`${caseDecisions.content}->'guidelineCitation'->>${key} = ${id}`)
		.limit(1);
	if (decision) return true;
	const [fiche] = await db
		.select({ id: fiches.id })
		.from(fiches)
		.where(sql`${fiches.content}->'decision'->'guidelineCitation'->>${key} = ${id}`)
		.limit(1);
	return Boolean(fiche);
}

/** The condition "this référentiel's audit events": its own, and those of its versions (which name it in their details). */
export const referentielEvents = (referentielId: string) =>
	or(
		and(eq(auditEvents.entityType, 'referentiel'), eq(auditEvents.entityId, referentielId)),
		and(eq(auditEvents.entityType, 'referentiel-version'), sql`${auditEvents.details}->>'referentielId' = ${referentielId}`)
	);
