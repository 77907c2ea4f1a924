/**
 * Issuing a PPS version (its draft frozen into a self-contained `PpsSnapshot`, from which
 * the patient's PDF, the CDA and the FHIR Bundle are rendered) and marking an issued
 * version handed over to the patient, once. The database keeps issued versions immutable
 * but for that single handover (migration 0014).
 */
import { TZDate } from '@date-fns/tz';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import type { PpsSnapshot } from '../../domain/pps.ts';
import { BOARD_TIME_ZONE, parisDate } from '../../domain/schedule.ts';
import { clock } from '../../clock.ts';
import { audit } from '../audit.ts';
import type { AccessRefusal } from '../cases.ts';
import type { Database } from '../db/index.ts';
import { ppsVersions, users } from '../db/schema.ts';
import { currentFiche } from '../fiches/service.ts';
import { personOf } from '../fiches/snapshot.ts';
import { getNetwork } from '../settings.ts';
import { parseDraft, versionFor, type NoSignedFiche, type NotDraft, type PpsActor, type PpsFieldErrors } from './drafts.ts';

export type IssueResult = { ok: true; snapshot: PpsSnapshot } | AccessRefusal | NotDraft | NoSignedFiche | { ok: false; reason: 'invalid'; errors: PpsFieldErrors };

/**
 * Issues a draft: its content is checked again against its version's rules (a first
 * version's phases may not have started meanwhile), then frozen with the patient's traits
 * and the fiche it follows (the case's current signed fiche), the network and its author.
 */
export async function issuePps(db: Database, actor: PpsActor, versionId: string, now: Date = clock.now()): Promise<IssueResult> {
	const found = await versionFor(db, actor.user, versionId, true);
	if (!found.ok) return found;
	const row = found.row;
	if (row.status !== 'draft') return { ok: false, reason: 'not-draft' };
	const parsed = parseDraft(row.version, row.content);
	if (!parsed.ok) return parsed;
	const fiche = await currentFiche(db, row.caseId);
	if (!fiche) return { ok: false, reason: 'no-signed-fiche' };
	const ficheSnapshot = fiche.content as unknown as FicheSnapshot;
	const [authorRow] = await db.select().from(users).where(eq(users.id, actor.user.id));
	const [previous] = row.supersedesId ? await db.select().from(ppsVersions).where(eq(ppsVersions.id, row.supersedesId)) : [];
	const { familyName, givenNames, birthDate, sex, ins, hospitalPatientId } = ficheSnapshot.fiche;
	const snapshot: PpsSnapshot = {
		id: row.id,
		setId: row.setId,
		version: row.version,
		supersedes: previous ? { id: previous.id, version: previous.version, createdAt: (previous.issuedAt ?? previous.createdAt).toISOString() } : null,
		network: await getNetwork(db).then(({ name, region }) => ({ name, region })),
		patient: { familyName, givenNames, birthDate, sex, ins, hospitalPatientId },
		fiche: {
			id: fiche.id,
			setId: ficheSnapshot.setId,
			caseId: row.caseId,
			meeting: { id: ficheSnapshot.meeting.id, startsAt: ficheSnapshot.meeting.startsAt },
			board: { id: ficheSnapshot.board.id, name: ficheSnapshot.board.name, site: ficheSnapshot.board.site }
		},
		author: personOf(authorRow),
		content: parsed.draft,
		handedOver: null,
		createdAt: now.toISOString()
	};
	const issued = await db.transaction(async (tx) => {
		const updated = await tx
			.update(ppsVersions)
			.set({
				status: 'issued',
				content: parsed.draft as unknown as Record<string, unknown>,
				updateReason: parsed.draft.updateReason?.code ?? null,
				snapshot: snapshot as unknown as Record<string, unknown>,
				ficheId: fiche.id,
				issuedAt: now,
				issuedBy: actor.user.id,
				updatedAt: now
			})
			.where(and(eq(ppsVersions.id, versionId), eq(ppsVersions.status, 'draft')))
			.returning({ id: ppsVersions.id });
		if (updated.length === 0) return false;
		await audit(
			tx as unknown as Database,
			{
				actorUserId: actor.user.id,
				action: 'pps.issue',
				entityType: 'case',
				entityId: row.caseId,
				address: actor.address,
				details: { versionId, version: row.version, setId: row.setId, ficheId: fiche.id, supersedes: previous?.id ?? null, updateReason: snapshot.content.updateReason?.code ?? null }
			},
			now
		);
		return true;
	});
	return issued ? { ok: true, snapshot } : { ok: false, reason: 'not-draft' };
}

/** A day of handover: 'YYYY-MM-DD'. */
const HandOverDay = z.iso.date({ error: 'Date de remise au format AAAA-MM-JJ' });

export type HandOverResult =
	| { ok: true; at: Date }
	| AccessRefusal
	| { ok: false; reason: 'not-issued' | 'already-handed-over' }
	| { ok: false; reason: 'invalid'; errors: { on: string } };

/**
 * Marks an issued version as handed over to the patient on `on` (a Paris calendar day,
 * today by default; not in the future, not before the version was issued), once.
 */
export async function handOverPps(db: Database, actor: PpsActor, versionId: string, on?: string, now: Date = clock.now()): Promise<HandOverResult> {
	const found = await versionFor(db, actor.user, versionId, true);
	if (!found.ok) return found;
	const row = found.row;
	if (row.status !== 'issued' || !row.issuedAt) return { ok: false, reason: 'not-issued' };
	if (row.handedOverAt) return { ok: false, reason: 'already-handed-over' };
	const today = parisDate(now);
	const day = HandOverDay.safeParse(on?.trim() || today);
	if (!day.success) return { ok: false, reason: 'invalid', errors: { on: day.error.issues[0].message } };
	if (day.data > today) return { ok: false, reason: 'invalid', errors: { on: 'La date de remise ne peut pas être dans le futur.' } };
	if (day.data < parisDate(row.issuedAt)) return { ok: false, reason: 'invalid', errors: { on: 'La date de remise précède l’émission de cette version.' } };
	// A past day is recorded at noon, Paris time: the day reads the same everywhere.
	const [year, month, date] = day.data.split('-').map(Number);
	const at = day.data === today ? now : new Date(new TZDate(year, month - 1, date, 12, 0, BOARD_TIME_ZONE).getTime());
	const done = await db.transaction(async (tx) => {
		const updated = await tx
			.update(ppsVersions)
			.set({ handedOverAt: at, handedOverBy: actor.user.id })
			.where(and(eq(ppsVersions.id, versionId), isNull(ppsVersions.handedOverAt)))
			.returning({ id: ppsVersions.id });
		if (updated.length === 0) return false;
		await audit(tx as unknown as Database, { actorUserId: actor.user.id, action: 'pps.handover', entityType: 'case', entityId: row.caseId, address: actor.address, details: { versionId, version: row.version, on: day.data } }, now);
		return true;
	});
	return done ? { ok: true, at } : { ok: false, reason: 'already-handed-over' };
}
