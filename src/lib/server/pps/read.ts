/**
 * Reading a case's issued PPS versions, for pages that have already checked who may see
 * that case's patient (a board member, or the GP invited to the patient's follow-up).
 */
import { and, desc, eq } from 'drizzle-orm';
import type { PpsSnapshot } from '../../domain/pps.ts';
import type { Database } from '../db/index.ts';
import { ppsVersions, users } from '../db/schema.ts';
import { personOf } from '../fiches/snapshot.ts';

/** An issued version as listed. */
export interface IssuedPpsLine {
	id: string;
	version: number;
	issuedAt: Date;
	handedOverAt: Date | null;
}

/** The issued versions of a case's PPS, newest first. No access check: the caller made it. */
export async function issuedPpsVersions(db: Database, caseId: string): Promise<IssuedPpsLine[]> {
	const rows = await db
		.select({ id: ppsVersions.id, version: ppsVersions.version, issuedAt: ppsVersions.issuedAt, handedOverAt: ppsVersions.handedOverAt })
		.from(ppsVersions)
		.where(and(eq(ppsVersions.caseId, caseId), eq(ppsVersions.status, 'issued')))
		.orderBy(desc(ppsVersions.version));
	return rows.map((row) => ({ ...row, issuedAt: row.issuedAt as Date }));
}

/**
 * One issued version's snapshot as its documents render it: the snapshot as issued, with
 * the handover (when, by whom) read from the row, where it is recorded after the issue.
 * No access check: the caller made it.
 */
export async function renderablePps(db: Database, caseId: string, versionId: string): Promise<PpsSnapshot | undefined> {
	const [row] = await db
		.select({ snapshot: ppsVersions.snapshot, handedOverAt: ppsVersions.handedOverAt, handedOverBy: ppsVersions.handedOverBy })
		.from(ppsVersions)
		.where(and(eq(ppsVersions.id, versionId), eq(ppsVersions.caseId, caseId), eq(ppsVersions.status, 'issued')));
	if (!row?.snapshot) return undefined;
	const snapshot = row.snapshot as unknown as PpsSnapshot;
	if (!row.handedOverAt || !row.handedOverBy) return { ...snapshot, handedOver: null };
	const [by] = await db.select().from(users).where(eq(users.id, row.handedOverBy));
	return { ...snapshot, handedOver: { at: row.handedOverAt.toISOString(), by: personOf(by) } };
}
