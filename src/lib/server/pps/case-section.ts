/**
 * The "Programme personnalisé de soins" section of the case page: the issued versions
 * with their downloads, and what the user may do next (write, continue, update).
 */
import type { Database } from '../db/index.ts';
import type { SessionUser } from '../users.ts';
import { ppsOfCase, type IssuedPpsEntry } from './case-view.ts';

/** What the case page's PPS section shows. */
export interface PpsSection {
	caseId: string;
	mayWrite: boolean;
	signedFiche: boolean;
	draft: { id: string; version: number } | null;
	issued: IssuedPpsEntry[];
	/** The button offered to a writer: start, continue the draft, or update. */
	next: 'start' | 'continue' | 'update' | null;
}

/** The section for `user`, or null when they may not see the case (the page refused already). */
export async function ppsCaseSection(db: Database, user: SessionUser, caseId: string): Promise<PpsSection | null> {
	const view = await ppsOfCase(db, user, caseId);
	if (!view.ok) return null;
	const next = !view.mayWrite || !view.signedFiche ? null : view.draft ? 'continue' : view.issued.length > 0 ? 'update' : 'start';
	return { caseId, mayWrite: view.mayWrite, signedFiche: view.signedFiche, draft: view.draft && { id: view.draft.id, version: view.draft.version }, issued: view.issued, next };
}
