/**
 * What the case page and the PPS page show of a case's PPS: its draft (if any, and
 * whether the user may edit it), its issued versions with who issued them, when, why
 * (for an update) and whether they were handed over to the patient.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { CaseFicheDraft } from '../../domain/case-fiche.ts';
import { patientName, type FicheSnapshot } from '../../domain/fiche.ts';
import { ppsLabel, type PpsDraft } from '../../domain/pps.ts';
import { audit } from '../audit.ts';
import type { AccessRefusal } from '../cases.ts';
import type { Database } from '../db/index.ts';
import { ppsVersions, users } from '../db/schema.ts';
import { currentFiche } from '../fiches/service.ts';
import type { SessionUser } from '../users.ts';
import { ppsAccess } from './access.ts';
import { storedDraft } from './drafts.ts';
import { proposalHint } from './prefill.ts';

/** An issued version as listed. */
export interface IssuedPpsEntry {
	id: string;
	version: number;
	issuedAt: Date;
	issuedBy: string;
	/** Why it replaced the previous version (versions 2+). */
	updateReason: { code: string; label: string; note: string } | null;
	handedOver: { at: Date; by: string } | null;
}

/** The draft being written. */
export interface PpsDraftView {
	id: string;
	version: number;
	content: PpsDraft;
	/** When it was last saved: the base of the next save (stale-edit detection). */
	updatedAt: Date;
}

/** A case's PPS as its pages show it. */
export interface PpsCaseView {
	caseId: string;
	/** "DÉMO-MARTIN Jeanne Marie", for the page's title. */
	patientName: string;
	mayWrite: boolean;
	/** The PPS is written from a signed fiche RCP only. */
	signedFiche: boolean;
	/** The proposal the board decided, to write the calendar from. */
	proposalHint: string | null;
	draft: PpsDraftView | null;
	/** Newest first. */
	issued: IssuedPpsEntry[];
}

const nameOf = (user: { givenName: string; familyName: string } | undefined) => (user ? `${user.givenName} ${user.familyName.toLocaleUpperCase('fr-FR')}` : '');

/**
 * The case's PPS for `user` (a member of its board, or an administrator). With
 * `auditRead`, the read is audited (`pps.read`): the PPS page does, the case page's summary
 * (dates and names only) is covered by its own `case.read`.
 */
export async function ppsOfCase(
	db: Database,
	user: SessionUser,
	caseId: string,
	auditRead?: { address: string | null }
): Promise<({ ok: true } & PpsCaseView) | AccessRefusal> {
	const access = await ppsAccess(db, user, caseId);
	if (!access.ok) return access;
	const fiche = await currentFiche(db, caseId);
	const rows = await db.select().from(ppsVersions).where(eq(ppsVersions.caseId, caseId)).orderBy(desc(ppsVersions.version), asc(ppsVersions.createdAt));
	const userIds = [...new Set(rows.flatMap((row) => [row.issuedBy, row.handedOverBy].filter((id): id is string => id !== null)))];
	const people = new Map((userIds.length ? await db.select().from(users).where(inArray(users.id, userIds)) : []).map((row) => [row.id, row]));
	const draft = rows.find((row) => row.status === 'draft');
	if (auditRead) await audit(db, { actorUserId: user.id, action: 'pps.read', entityType: 'case', entityId: caseId, address: auditRead.address, details: { versions: rows.map((row) => row.id) } });
	return {
		ok: true,
		caseId,
		patientName: patientName(CaseFicheDraft.safeParse(access.row.fiche).data ?? {}),
		mayWrite: access.mayWrite,
		signedFiche: Boolean(fiche),
		proposalHint: fiche ? proposalHint(fiche.content as unknown as FicheSnapshot) || null : null,
		draft: draft ? { id: draft.id, version: draft.version, content: storedDraft(draft), updatedAt: draft.updatedAt } : null,
		issued: rows
			.filter((row) => row.status === 'issued' && row.issuedAt)
			.map((row) => {
				const reason = storedDraft(row).updateReason;
				return {
					id: row.id,
					version: row.version,
					issuedAt: row.issuedAt!,
					issuedBy: nameOf(people.get(row.issuedBy ?? '')),
					updateReason: reason ? { code: reason.code, label: ppsLabel('JDV_MotifMiseAJour', reason.code), note: reason.note } : null,
					handedOver: row.handedOverAt ? { at: row.handedOverAt, by: nameOf(people.get(row.handedOverBy ?? '')) } : null
				};
			})
	};
}

/** Whether the case has an issued version `versionId` (for the downloads). */
export async function isIssuedVersionOf(db: Database, caseId: string, versionId: string): Promise<boolean> {
	const [row] = await db.select({ id: ppsVersions.id }).from(ppsVersions).where(and(eq(ppsVersions.id, versionId), eq(ppsVersions.caseId, caseId), eq(ppsVersions.status, 'issued')));
	return Boolean(row);
}
