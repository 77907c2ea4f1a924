/**
 * Who may do what with a follow-up plan, decided here once:
 * - readers: the members of the plan's board, administrators, and the GP invited to that
 *   plan (by their link's session, that plan only);
 * - writers (adjust, close, invite the GP): the case's requesting physician, the board's
 *   coordinator, administrators — "the specialist opens it at the end of treatment";
 * - recorders of visits: the board's members (managers included) and the invited GP.
 */
import { and, eq } from 'drizzle-orm';
import type { BoardRole } from '../../domain/board.ts';
import type { CaseFicheDraft } from '../../domain/case-fiche.ts';
import { isUuid } from '../../validation.ts';
import { boardFor, canManageBoard } from '../boards.ts';
import type { Database } from '../db/index.ts';
import { boards, cases, followUpPlans, type Case, type FollowUpPlan } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';

/** The GP a request comes from (`locals.gp`): one link, one plan. */
export interface SessionGp {
	/** The link's id (what visits and audit rows name). */
	linkId: string;
	name: string;
	planId: string;
	expiresAt: Date;
}

/** Who is asking: a signed-in user, or the GP's session. */
export type FollowUpViewer = { kind: 'user'; user: SessionUser } | { kind: 'gp'; gp: SessionGp };

/** Who is asking and from where, for changes. */
export interface FollowUpContext {
	viewer: FollowUpViewer;
	address: string | null;
}

/** Refusals shared by the follow-up services. */
export type FollowUpRefusal = { ok: false; reason: 'not-found'; id: string } | { ok: false; reason: 'forbidden' };

/** A plan as its reader may see it, with what they may do. */
export interface PlanAccess {
	ok: true;
	plan: FollowUpPlan;
	case: Case;
	fiche: CaseFicheDraft;
	boardName: string;
	/** The user's role on the board (null for an administrator who is not a member, and for the GP). */
	role: BoardRole | null;
	/** Adjust, close, invite the GP. */
	writer: boolean;
	/** Record a visit. */
	recorder: boolean;
	/** Coordinator, secretary or administrator. */
	manager: boolean;
}

/** Whether `user` may open and change the follow-up of a case requested by `requestedBy`. */
export function mayWriteFollowUp(user: SessionUser, role: BoardRole | null, requestedBy: string): boolean {
	return user.isAdmin || role === 'coordinator' || requestedBy === user.id;
}

/** The plan if `viewer` may read it, with what they may do with it. */
export async function planFor(db: Database, viewer: FollowUpViewer, planId: string): Promise<PlanAccess | FollowUpRefusal> {
	if (!isUuid(planId)) return { ok: false, reason: 'not-found', id: planId };
	if (viewer.kind === 'gp' && viewer.gp.planId !== planId) return { ok: false, reason: 'forbidden' };
	const [row] = await db
		.select({ plan: followUpPlans, case: cases, boardName: boards.name })
		.from(followUpPlans)
		.innerJoin(cases, eq(cases.id, followUpPlans.caseId))
		.innerJoin(boards, eq(boards.id, followUpPlans.boardId))
		.where(eq(followUpPlans.id, planId));
	if (!row) return { ok: false, reason: 'not-found', id: planId };
	const base = { ok: true as const, plan: row.plan, case: row.case, fiche: row.case.fiche as CaseFicheDraft, boardName: row.boardName };
	if (viewer.kind === 'gp') return { ...base, role: null, writer: false, recorder: true, manager: false };
	const access = await boardFor(db, viewer.user, row.plan.boardId);
	if (!access.ok) return { ok: false, reason: 'forbidden' };
	return {
		...base,
		role: access.role,
		writer: mayWriteFollowUp(viewer.user, access.role, row.case.requestedBy),
		recorder: true,
		manager: canManageBoard(viewer.user, access.role)
	};
}

/** The plan of a case, if one was opened (no access check: the caller made it). */
export async function planOfCase(db: Database, caseId: string): Promise<FollowUpPlan | undefined> {
	const [row] = await db.select().from(followUpPlans).where(and(eq(followUpPlans.caseId, caseId)));
	return row;
}

/** The audit actor of a viewer: the user's id, or no user and the GP link in the details. */
export function auditActor(viewer: FollowUpViewer): { actorUserId: string | null; gpLinkId?: string } {
	return viewer.kind === 'user' ? { actorUserId: viewer.user.id } : { actorUserId: null, gpLinkId: viewer.gp.linkId };
}

/** The patient's name as the fiche gives it, for the people who may see it. */
export function patientName(fiche: CaseFicheDraft): string {
	return [fiche.familyName?.toUpperCase(), fiche.givenNames].filter(Boolean).join(' ') || '—';
}
