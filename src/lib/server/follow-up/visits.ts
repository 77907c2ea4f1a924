/**
 * Follow-up visits, recorded by whoever saw the patient (a member of the board or the
 * invited GP), and the suspected relapse that, in the same step, registers the patient
 * again at the board's next meeting open to registration.
 */
import { and, asc, eq, gt, max } from 'drizzle-orm';
import { CaseFicheDraft, identityMismatches, missingFields } from '../../domain/case-fiche.ts';
import { nextOpenMeeting, relapseRegistration } from '../../domain/follow-up-relapse.ts';
import { VisitRecord } from '../../domain/follow-up-visits.ts';
import { fieldErrors } from '../../validation.ts';
import { audit } from '../audit.ts';
import type { Database } from '../db/index.ts';
import { caseMeetingHistory, cases, followUpPlans, followUpVisits, meetings, type FollowUpVisit, type Meeting } from '../db/schema.ts';
import { auditActor, planFor, type FollowUpContext, type FollowUpRefusal } from './access.ts';
import { clock } from '../../clock.ts';

/** The history reason of a case registered again from a follow-up visit (case_meeting_history.reason). */
export const RELAPSE_HISTORY_REASON = 'follow-up-relapse';

/** A plan's visits, oldest first (no access check: the caller made it). */
export async function listVisits(db: Database, planId: string): Promise<FollowUpVisit[]> {
	return db.select().from(followUpVisits).where(eq(followUpVisits.planId, planId)).orderBy(asc(followUpVisits.doneOn), asc(followUpVisits.recordedAt));
}

/** A stored visit as the domain's status functions read it. */
export const asRecord = (visit: FollowUpVisit): VisitRecord => ({
	itemId: visit.itemId ?? undefined,
	doneOn: visit.doneOn,
	by: visit.by as VisitRecord['by'],
	findings: visit.findings,
	examsDone: visit.examsDone,
	relapseSuspected: visit.relapseSuspected,
	relapseNote: visit.relapseNote ?? undefined
});

/**
 * The board's next meeting open to registration at `now`, if any, after the meeting that
 * decided the followed case (a relapse goes to a later meeting than the one that decided
 * the treatment, even when that one has not taken place yet).
 */
export async function relapseMeeting(db: Database, plan: { boardId: string; caseId: string }, now: Date = clock.now()): Promise<Meeting | undefined> {
	const [decided] = await db
		.select({ startsAt: meetings.startsAt })
		.from(cases)
		.innerJoin(meetings, eq(meetings.id, cases.meetingId))
		.where(eq(cases.id, plan.caseId));
	const after = decided && decided.startsAt > now ? decided.startsAt : now;
	const upcoming = await db
		.select()
		.from(meetings)
		.where(and(eq(meetings.boardId, plan.boardId), eq(meetings.status, 'scheduled'), gt(meetings.startsAt, after)));
	return nextOpenMeeting(upcoming, now);
}

export type RecordVisitResult =
	| { ok: true; visit: FollowUpVisit; relapse: { caseId: string; meetingId: string; startsAt: Date } | null; noOpenMeeting: boolean }
	| FollowUpRefusal
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/**
 * Records a visit. With a suspected relapse and `registerRelapse`, the same transaction
 * registers a new case, pre-filled from the previous one, on the board's next open
 * meeting, requested by the previous case's requester, and marks the plan `relapse`.
 * With no meeting open the visit is still recorded (`noOpenMeeting`).
 */
export async function recordVisit(
	db: Database,
	ctx: FollowUpContext,
	planId: string,
	input: unknown,
	options: { registerRelapse: boolean },
	now: Date = clock.now()
): Promise<RecordVisitResult> {
	const access = await planFor(db, ctx.viewer, planId);
	if (!access.ok) return access;
	if (!access.recorder) return { ok: false, reason: 'forbidden' };
	const fromGp = ctx.viewer.kind === 'gp';
	const parsed = VisitRecord.safeParse(fromGp && input && typeof input === 'object' ? { ...input, by: 'gp' } : input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const record = parsed.data;
	if (record.itemId && !(access.plan.items as { id: string }[]).some((item) => item.id === record.itemId)) {
		return { ok: false, reason: 'invalid', errors: { itemId: 'Cette consultation ne fait pas partie du plan.' } };
	}
	const meeting = record.relapseSuspected && options.registerRelapse ? await relapseMeeting(db, access.plan, now) : undefined;
	const actor = auditActor(ctx.viewer);

	return db.transaction(async (t) => {
		const tx = t as unknown as Database;
		let relapseCaseId: string | null = null;
		if (meeting) {
			relapseCaseId = await registerRelapseCase(tx, {
				previous: access.case,
				meetingId: meeting.id,
				note: record.relapseNote ?? '',
				actorUserId: actor.actorUserId,
				address: ctx.address,
				now
			});
		}
		const [visit] = await tx
			.insert(followUpVisits)
			.values({
				planId,
				itemId: record.itemId ?? null,
				doneOn: record.doneOn,
				by: record.by,
				findings: record.findings,
				examsDone: record.examsDone,
				relapseSuspected: record.relapseSuspected,
				relapseNote: record.relapseSuspected ? (record.relapseNote ?? null) : null,
				relapseCaseId,
				recordedByUser: ctx.viewer.kind === 'user' ? ctx.viewer.user.id : null,
				recordedByGpLink: ctx.viewer.kind === 'gp' ? ctx.viewer.gp.linkId : null,
				recordedAt: now
			})
			.returning();
		if (record.relapseSuspected) await tx.update(followUpPlans).set({ status: 'relapse', updatedAt: now }).where(eq(followUpPlans.id, planId));
		await audit(
			tx,
			{
				actorUserId: actor.actorUserId,
				action: 'follow-up.visit',
				entityType: 'follow-up-plan',
				entityId: planId,
				address: ctx.address,
				details: { visitId: visit.id, itemId: visit.itemId, gpLinkId: actor.gpLinkId ?? null, relapseSuspected: record.relapseSuspected }
			},
			now
		);
		if (record.relapseSuspected) {
			await audit(
				tx,
				{
					actorUserId: actor.actorUserId,
					action: 'follow-up.relapse',
					entityType: 'follow-up-plan',
					entityId: planId,
					address: ctx.address,
					details: { visitId: visit.id, caseId: relapseCaseId, meetingId: meeting?.id ?? null, gpLinkId: actor.gpLinkId ?? null }
				},
				now
			);
		}
		const relapse = meeting && relapseCaseId ? { caseId: relapseCaseId, meetingId: meeting.id, startsAt: meeting.startsAt } : null;
		return { ok: true as const, visit, relapse, noOpenMeeting: record.relapseSuspected && options.registerRelapse && !meeting };
	});
}

/** The new case of a relapse on `meetingId`, at the end of its agenda; returns its id. */
async function registerRelapseCase(
	tx: Database,
	args: { previous: { id: string; boardId: string; requestedBy: string; fiche: Record<string, unknown> }; meetingId: string; note: string; actorUserId: string | null; address: string | null; now: Date }
): Promise<string> {
	const { previous, meetingId, now } = args;
	const previousFiche = CaseFicheDraft.safeParse(previous.fiche);
	const drafted = relapseRegistration(previousFiche.success ? previousFiche.data : {}, args.note);
	// The GP has no account: the case is the previous requester's, as the patient's specialist.
	const fiche = CaseFicheDraft.parse({ ...drafted, requestingPhysicianId: previous.requestedBy });
	const complete = missingFields(fiche).length === 0 && identityMismatches(fiche).length === 0;
	await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, meetingId)).for('update');
	const [{ last }] = await tx.select({ last: max(cases.position) }).from(cases).where(eq(cases.meetingId, meetingId));
	const [created] = await tx
		.insert(cases)
		.values({
			boardId: previous.boardId,
			meetingId,
			position: (last ?? 0) + 1,
			status: complete ? 'complete' : 'registered',
			requestedBy: previous.requestedBy,
			fiche,
			completeAt: complete ? now : null,
			updatedBy: previous.requestedBy,
			createdAt: now,
			updatedAt: now
		})
		.returning({ id: cases.id });
	await tx.insert(caseMeetingHistory).values({ caseId: created.id, meetingId, reason: RELAPSE_HISTORY_REASON, at: now, by: args.actorUserId });
	await audit(
		tx,
		{
			actorUserId: args.actorUserId,
			action: 'case.create',
			entityType: 'case',
			entityId: created.id,
			address: args.address,
			details: { boardId: previous.boardId, meetingId, from: 'follow-up-relapse', previousCaseId: previous.id, fields: Object.keys(fiche) }
		},
		now
	);
	return created.id;
}
