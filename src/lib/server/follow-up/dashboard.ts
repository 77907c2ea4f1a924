/**
 * The follow-up dashboard. For the boards a user manages (coordinator, secretary; every
 * board for an administrator): the overdue visits and exams of their active plans, the
 * suspected relapses and whether the patient was registered again, and the plans with
 * their next item. For other members: the plans of the cases they requested.
 */
import { and, asc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { CaseFicheDraft } from '../../domain/case-fiche.ts';
import { calendarDaysBetween, type FollowUpActor, type ScheduleItem } from '../../domain/follow-up.ts';
import { itemStatus, overdueItems } from '../../domain/follow-up-visits.ts';
import { parisDate } from '../../domain/schedule.ts';
import { audit } from '../audit.ts';
import type { Database } from '../db/index.ts';
import { boardMembers, boards, cases, followUpPlans, followUpVisits, meetings, type FollowUpPlan, type FollowUpVisit } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';
import { patientName } from './access.ts';
import { planItems } from './plans.ts';
import { asRecord } from './visits.ts';
import { clock } from '../../clock.ts';

/** An overdue item of a plan, as the dashboard lists it. */
export interface OverdueRow {
	planId: string;
	caseId: string;
	boardName: string;
	patientName: string;
	itemId: string;
	kind: ScheduleItem['kind'];
	label: string;
	dueOn: string;
	daysLate: number;
	who: FollowUpActor;
}

/** A suspected relapse and what became of it. */
export interface RelapseRow {
	planId: string;
	visitId: string;
	patientName: string;
	boardName: string;
	doneOn: string;
	/** The case registered again, with the date of its meeting; null: not registered yet. */
	relapseCaseId: string | null;
	meetingStartsAt: Date | null;
}

/** A plan as listed. */
export interface PlanRow {
	planId: string;
	caseId: string;
	patientName: string;
	boardName: string;
	status: string;
	next: ScheduleItem | null;
	overdue: number;
}

interface PlanRowSource {
	plan: FollowUpPlan;
	fiche: Record<string, unknown>;
	boardName: string;
}

/** The boards whose follow-up `user` oversees: those they coordinate or are secretary of; all for an administrator. */
async function managedBoardIds(db: Database, user: SessionUser): Promise<string[]> {
	if (user.isAdmin) return (await db.select({ id: boards.id }).from(boards)).map((row) => row.id);
	const rows = await db
		.select({ id: boardMembers.boardId })
		.from(boardMembers)
		.where(and(eq(boardMembers.userId, user.id), or(eq(boardMembers.role, 'coordinator'), eq(boardMembers.role, 'secretary'))));
	return rows.map((row) => row.id);
}

async function plansWhere(db: Database, condition: SQL | undefined): Promise<PlanRowSource[]> {
	return db
		.select({ plan: followUpPlans, fiche: cases.fiche, boardName: boards.name })
		.from(followUpPlans)
		.innerJoin(cases, eq(cases.id, followUpPlans.caseId))
		.innerJoin(boards, eq(boards.id, followUpPlans.boardId))
		.where(condition)
		.orderBy(asc(followUpPlans.openedAt));
}

async function visitsOf(db: Database, planIds: string[]): Promise<Map<string, FollowUpVisit[]>> {
	const byPlan = new Map<string, FollowUpVisit[]>();
	if (planIds.length === 0) return byPlan;
	for (const visit of await db.select().from(followUpVisits).where(inArray(followUpVisits.planId, planIds)).orderBy(asc(followUpVisits.doneOn))) {
		byPlan.set(visit.planId, [...(byPlan.get(visit.planId) ?? []), visit]);
	}
	return byPlan;
}

function overdueOf(source: PlanRowSource, visits: FollowUpVisit[], today: string): OverdueRow[] {
	if (source.plan.status !== 'active') return [];
	return overdueItems(planItems(source.plan), visits.map(asRecord), today).map((item) => ({
		planId: source.plan.id,
		caseId: source.plan.caseId,
		boardName: source.boardName,
		patientName: patientName(source.fiche as CaseFicheDraft),
		itemId: item.id,
		kind: item.kind,
		label: item.label,
		dueOn: item.due,
		daysLate: calendarDaysBetween(item.due, today),
		who: item.who
	}));
}

/** A plan's line of the dashboard; `overdue`: its overdue rows (overdueOf). */
function planRow(source: PlanRowSource, visits: FollowUpVisit[], overdue: readonly OverdueRow[], today: string): PlanRow {
	const records = visits.map(asRecord);
	return {
		planId: source.plan.id,
		caseId: source.plan.caseId,
		patientName: patientName(source.fiche as CaseFicheDraft),
		boardName: source.boardName,
		status: source.plan.status,
		next: planItems(source.plan).find((item) => itemStatus(item, records, today) !== 'done' && item.due >= today) ?? null,
		overdue: overdue.length
	};
}

/** Each plan's overdue rows, computed once. */
const overdueByPlan = (sources: readonly PlanRowSource[], visits: Map<string, FollowUpVisit[]>, today: string) =>
	new Map(sources.map((s) => [s.plan.id, overdueOf(s, visits.get(s.plan.id) ?? [], today)]));

/** Every plan's overdue rows together, most late first. */
const mostLateFirst = (byPlan: Map<string, OverdueRow[]>): OverdueRow[] => [...byPlan.values()].flat().sort((a, b) => b.daysLate - a.daysLate);

/** The overdue visits and exams of the active plans of the boards `user` oversees, most late first. */
export async function overdueForUser(db: Database, user: SessionUser, now: Date = clock.now()): Promise<OverdueRow[]> {
	const boardIds = await managedBoardIds(db, user);
	if (boardIds.length === 0) return [];
	const sources = await plansWhere(db, and(inArray(followUpPlans.boardId, boardIds), eq(followUpPlans.status, 'active')));
	const visits = await visitsOf(db, sources.map((s) => s.plan.id));
	return mostLateFirst(overdueByPlan(sources, visits, parisDate(now)));
}

/** The dashboard of `user`; the read is audited (counts only). */
export async function followUpDashboard(db: Database, user: SessionUser, address: string | null, now: Date = clock.now()) {
	const today = parisDate(now);
	const boardIds = await managedBoardIds(db, user);
	const managed = boardIds.length > 0;
	const sources = managed
		? await plansWhere(db, inArray(followUpPlans.boardId, boardIds))
		: await plansWhere(db, eq(cases.requestedBy, user.id));
	const visits = await visitsOf(db, sources.map((s) => s.plan.id));
	const overdueRows = overdueByPlan(sources, visits, today);
	const overdue = mostLateFirst(overdueRows);
	const relapses: RelapseRow[] = [];
	const meetingOf = new Map<string, Date>();
	const relapseCaseIds = [...visits.values()].flat().flatMap((v) => (v.relapseCaseId ? [v.relapseCaseId] : []));
	if (relapseCaseIds.length > 0) {
		const rows = await db.select({ id: cases.id, startsAt: meetings.startsAt }).from(cases).innerJoin(meetings, eq(meetings.id, cases.meetingId)).where(inArray(cases.id, relapseCaseIds));
		for (const row of rows) meetingOf.set(row.id, row.startsAt);
	}
	for (const source of sources) {
		for (const visit of visits.get(source.plan.id) ?? []) {
			if (!visit.relapseSuspected) continue;
			relapses.push({
				planId: source.plan.id,
				visitId: visit.id,
				patientName: patientName(source.fiche as CaseFicheDraft),
				boardName: source.boardName,
				doneOn: visit.doneOn,
				relapseCaseId: visit.relapseCaseId,
				meetingStartsAt: visit.relapseCaseId ? (meetingOf.get(visit.relapseCaseId) ?? null) : null
			});
		}
	}
	const plans = sources.map((s) => planRow(s, visits.get(s.plan.id) ?? [], overdueRows.get(s.plan.id) ?? [], today));
	await audit(db, { actorUserId: user.id, action: 'follow-up.dashboard.read', address, details: { plans: plans.length, managed } }, now);
	return { managed, overdue, relapses, plans, today };
}
