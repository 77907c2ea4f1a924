/**
 * The "Suivi après traitement" section of a case page: the plan if one was opened, or
 * whether this user may open one (a writer, once the fiche is signed).
 */
import type { Database } from '../db/index.ts';
import { currentFiche } from '../fiches/service.ts';
import type { SessionUser } from '../users.ts';
import { mayWriteFollowUp, planOfCase } from './access.ts';
import type { BoardRole } from '../../domain/board.ts';

/** What the case page shows of the follow-up; the caller checked the user may see the case. */
export interface CaseFollowUpSection {
	planId: string | null;
	planStatus: string | null;
	ficheSigned: boolean;
	canOpen: boolean;
}

export async function caseFollowUpSection(
	db: Database,
	user: SessionUser,
	row: { id: string; requestedBy: string },
	role: BoardRole | null
): Promise<CaseFollowUpSection> {
	const plan = await planOfCase(db, row.id);
	const ficheSigned = plan !== undefined || (await currentFiche(db, row.id)) !== undefined;
	return {
		planId: plan?.id ?? null,
		planStatus: plan?.status ?? null,
		ficheSigned,
		canOpen: !plan && ficheSigned && mayWriteFollowUp(user, role, row.requestedBy)
	};
}
