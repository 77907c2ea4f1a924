/**
 * Opening a patient's follow-up plan from a case with a signed fiche, adjusting it per
 * patient, closing it. One plan per case: opening twice gives back the first one.
 */
import { eq } from 'drizzle-orm';
import type { CaseFicheDraft } from '../../domain/case-fiche.ts';
import {
	applyAdjustments,
	compareItems,
	FollowUpStart,
	FollowUpTemplate,
	openFollowUpPlan,
	PlanAdjustment,
	type ScheduleItem
} from '../../domain/follow-up.ts';
import { fieldErrors } from '../../validation.ts';
import { audit } from '../audit.ts';
import { caseFor } from '../cases.ts';
import type { Database } from '../db/index.ts';
import { followUpPlans, type Case, type FollowUpPlan } from '../db/schema.ts';
import { currentFiche } from '../fiches/service.ts';
import type { SessionUser } from '../users.ts';
import { mayWriteFollowUp, planFor, planOfCase, type FollowUpRefusal } from './access.ts';
import { getTemplate, listTemplates, templatesForOrgan, type StoredTemplate } from './templates.ts';
import { clock } from '../../clock.ts';

interface UserContext {
	user: SessionUser;
	address: string | null;
}

/** What the opening form needs: the case, the templates (the organ's first), the plan if one exists. */
export type OpeningView =
	| { ok: true; case: Case; fiche: CaseFicheDraft; templates: StoredTemplate[]; existingPlanId: string | null }
	| FollowUpRefusal
	| { ok: false; reason: 'no-signed-fiche' };

/** The opening form of a case, for its writers, once its fiche is signed. */
export async function openingFor(db: Database, user: SessionUser, caseId: string): Promise<OpeningView> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	if (!mayWriteFollowUp(user, access.role, access.row.requestedBy)) return { ok: false, reason: 'forbidden' };
	const existing = await planOfCase(db, caseId);
	if (!existing && !(await currentFiche(db, caseId))) return { ok: false, reason: 'no-signed-fiche' };
	const fiche = access.row.fiche as CaseFicheDraft;
	return { ok: true, case: access.row, fiche, templates: templatesForOrgan(await listTemplates(db), fiche.organ), existingPlanId: existing?.id ?? null };
}

export type OpenPlanResult =
	| { ok: true; plan: FollowUpPlan; created: boolean }
	| FollowUpRefusal
	| { ok: false; reason: 'no-signed-fiche' }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** The opening form as typed. */
export interface OpenPlanInput {
	templateId: string;
	startOn: string;
}

/**
 * Opens the follow-up of a case from a template and the end-of-treatment day. The plan
 * keeps a copy of the template; a second opening returns the existing plan unchanged.
 */
export async function openPlan(db: Database, ctx: UserContext, caseId: string, input: OpenPlanInput, now: Date = clock.now()): Promise<OpenPlanResult> {
	const opening = await openingFor(db, ctx.user, caseId);
	if (!opening.ok) return opening;
	if (opening.existingPlanId) return { ok: true, plan: (await planOfCase(db, caseId))!, created: false };
	const errors: Record<string, string> = {};
	const template = await getTemplate(db, input.templateId);
	if (!template || !template.active) errors.templateId = 'Choisissez un modèle de suivi.';
	const start = FollowUpStart.safeParse(input.startOn);
	if (!start.success) errors.startOn = start.error.issues[0].message;
	if (!template || !start.success || Object.keys(errors).length > 0) return { ok: false, reason: 'invalid', errors };
	const definition = FollowUpTemplate.parse(template.definition);
	const schedule = openFollowUpPlan(definition, start.data, [], now);
	if (!schedule.ok) return { ok: false, reason: 'invalid', errors: { startOn: schedule.message } };
	const [inserted] = await db
		.insert(followUpPlans)
		.values({
			caseId,
			boardId: opening.case.boardId,
			templateId: template.id,
			template: { ...definition },
			startOn: start.data,
			items: schedule.items as unknown as Record<string, unknown>[],
			openedBy: ctx.user.id,
			openedAt: now,
			updatedAt: now
		})
		.onConflictDoNothing({ target: followUpPlans.caseId })
		.returning();
	// Someone opened it between our check and our insert: theirs stands.
	if (!inserted) return { ok: true, plan: (await planOfCase(db, caseId))!, created: false };
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'follow-up.open',
		entityType: 'follow-up-plan',
		entityId: inserted.id,
		address: ctx.address,
		details: { caseId, templateId: template.id, items: schedule.items.length }
	});
	return { ok: true, plan: inserted, created: true };
}

/** The stored items of a plan. */
export const planItems = (plan: FollowUpPlan): ScheduleItem[] => (plan.items as unknown as ScheduleItem[]).slice().sort(compareItems);

export type ChangePlanResult = { ok: true; plan: FollowUpPlan } | FollowUpRefusal | { ok: false; reason: 'closed' } | { ok: false; reason: 'invalid'; errors: Record<string, string> };

async function writablePlan(db: Database, user: SessionUser, planId: string) {
	const access = await planFor(db, { kind: 'user', user }, planId);
	if (!access.ok) return access;
	if (!access.writer) return { ok: false as const, reason: 'forbidden' as const };
	return access;
}

/** The next free id of an added item ("added:N"): ids stay unique across successive adjustments. */
function nextAddedId(items: readonly ScheduleItem[]): string {
	const used = items.map((item) => /^added:(\d+)$/.exec(item.id)).filter((match) => match !== null).map((match) => Number(match[1]));
	return `added:${used.length ? Math.max(...used) + 1 : 0}`;
}

/** Moves, removes or adds one item of an active plan; no date in the past. */
export async function adjustPlan(db: Database, ctx: UserContext, planId: string, input: unknown, now: Date = clock.now()): Promise<ChangePlanResult> {
	const access = await writablePlan(db, ctx.user, planId);
	if (!access.ok) return access;
	if (access.plan.status !== 'active') return { ok: false, reason: 'closed' };
	const parsed = PlanAdjustment.safeParse(input);
	if (!parsed.success) {
		return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error, (path) => String(path.at(-1) ?? 'form')) };
	}
	const adjustment = parsed.data;
	const items = planItems(access.plan);
	let result = applyAdjustments(adjustment.type === 'add' ? [] : items, [adjustment], now);
	if (result.ok && adjustment.type === 'add') {
		// applyAdjustments numbers an added item by its place in the list it is given: here,
		// alone; it takes the next number free in the stored plan instead.
		result = { ok: true, items: [...items, { ...result.items[0], id: nextAddedId(items) }].sort(compareItems) };
	}
	if (!result.ok) return { ok: false, reason: 'invalid', errors: result.reason === 'unknown-item' ? { itemId: result.message } : { due: result.message } };
	const [plan] = await db
		.update(followUpPlans)
		.set({ items: result.items as unknown as Record<string, unknown>[], updatedAt: now })
		.where(eq(followUpPlans.id, planId))
		.returning();
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'follow-up.adjust',
		entityType: 'follow-up-plan',
		entityId: planId,
		address: ctx.address,
		details: { type: adjustment.type, itemId: adjustment.type === 'add' ? null : adjustment.itemId }
	});
	return { ok: true, plan };
}

/** Ends the follow-up (the plan stays readable). */
export async function closePlan(db: Database, ctx: UserContext, planId: string, now: Date = clock.now()): Promise<ChangePlanResult> {
	const access = await writablePlan(db, ctx.user, planId);
	if (!access.ok) return access;
	if (access.plan.status === 'closed') return { ok: false, reason: 'closed' };
	const [plan] = await db.update(followUpPlans).set({ status: 'closed', closedAt: now, updatedAt: now }).where(eq(followUpPlans.id, planId)).returning();
	await audit(db, { actorUserId: ctx.user.id, action: 'follow-up.close', entityType: 'follow-up-plan', entityId: planId, address: ctx.address });
	return { ok: true, plan };
}
