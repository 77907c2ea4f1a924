/**
 * Who may do what with a case's PPS. The members of the case's board and administrators
 * read it (the rule of `caseFor`); the case's requesting physician, the board's
 * coordinator(s) and administrators write it (create, edit the draft, issue, update, mark
 * handed over). Everyone else is refused.
 */
import type { BoardRole } from '../../domain/board.ts';
import { caseFor, type AccessRefusal } from '../cases.ts';
import type { Database } from '../db/index.ts';
import type { Case } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';

/** A case the user may at least read the PPS of, and whether they may write it. */
export type PpsAccess = { ok: true; row: Case; role: BoardRole | null; mayWrite: boolean } | AccessRefusal;

/** Whether `user` writes the PPS of a case whose board role they hold. */
export const mayWritePps = (user: SessionUser, row: Pick<Case, 'requestedBy'>, role: BoardRole | null): boolean =>
	user.isAdmin || role === 'coordinator' || row.requestedBy === user.id;

/** The case, if `user` may read its PPS. */
export async function ppsAccess(db: Database, user: SessionUser, caseId: string): Promise<PpsAccess> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	return { ok: true, row: access.row, role: access.role, mayWrite: mayWritePps(user, access.row, access.role) };
}

/** The case, if `user` may write its PPS; `forbidden` for a reader who may not. */
export async function ppsWriteAccess(db: Database, user: SessionUser, caseId: string): Promise<PpsAccess> {
	const access = await ppsAccess(db, user, caseId);
	if (access.ok && !access.mayWrite) return { ok: false, reason: 'forbidden' };
	return access;
}
