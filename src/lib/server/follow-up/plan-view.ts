/**
 * Everything the page of one plan shows, for whoever may read it (a member of the board,
 * an administrator, or the GP's session of that plan): the patient, the schedule with
 * each item's status, the visits, the fiche and PPS versions, the GP links for writers.
 * The read is audited (ids only).
 */
import type { FollowUpActor } from '../../domain/follow-up.ts';
import { addCalendarDays } from '../../domain/follow-up.ts';
import { EXAM_MATCH_DAYS, itemStatus, upcomingItems, type ItemStatus } from '../../domain/follow-up-visits.ts';
import { parisDate } from '../../domain/schedule.ts';
import { audit } from '../audit.ts';
import type { Database } from '../db/index.ts';
import { currentFiche } from '../fiches/service.ts';
import { issuedPpsVersions } from '../pps/read.ts';
import { auditActor, patientName, planFor, type FollowUpRefusal, type FollowUpViewer } from './access.ts';
import { listGpLinks } from './gp-links.ts';
import { planItems } from './plans.ts';
import { asRecord, listVisits, relapseMeeting } from './visits.ts';
import { clock } from '../../clock.ts';

/** A schedule line with where it stands. */
export interface ScheduleLine {
	id: string;
	kind: 'visit' | 'exam';
	due: string;
	who: FollowUpActor;
	label: string;
	status: ItemStatus;
}

/** The page of a plan. */
export async function planView(db: Database, viewer: FollowUpViewer, planId: string, address: string | null, now: Date = clock.now()) {
	const access = await planFor(db, viewer, planId);
	if (!access.ok) return access as FollowUpRefusal;
	const today = parisDate(now);
	const { plan, fiche } = access;
	const visits = await listVisits(db, planId);
	const records = visits.map(asRecord);
	const items = planItems(plan);
	const schedule: ScheduleLine[] = items.map((item) => ({ id: item.id, kind: item.kind, due: item.due, who: item.who, label: item.label, status: itemStatus(item, records, today) }));
	const from = addCalendarDays(today, -EXAM_MATCH_DAYS);
	const until = addCalendarDays(today, EXAM_MATCH_DAYS);
	const examsAroundNow = [...new Set(items.filter((item) => item.kind === 'exam' && item.due >= from && item.due <= until).map((item) => item.label))];
	const signed = await currentFiche(db, plan.caseId);
	const meeting = plan.status === 'closed' ? undefined : await relapseMeeting(db, plan, now);
	const links = access.writer && viewer.kind === 'user' ? await listGpLinks(db, viewer.user, planId) : undefined;
	const actor = auditActor(viewer);
	await audit(db, { actorUserId: actor.actorUserId, action: 'follow-up.read', entityType: 'follow-up-plan', entityId: planId, address, details: { gpLinkId: actor.gpLinkId ?? null } }, now);
	return {
		ok: true as const,
		planId,
		caseId: plan.caseId,
		status: plan.status,
		startOn: plan.startOn,
		templateName: String((plan.template as { name?: string }).name ?? ''),
		patient: { name: patientName(fiche), birthDate: fiche.birthDate ?? null },
		gpOnFiche: { name: fiche.gpName ?? '', email: fiche.gpEmail ?? '', rpps: fiche.gpRpps ?? '' },
		boardName: access.boardName,
		writer: access.writer,
		manager: access.manager,
		isGp: viewer.kind === 'gp',
		schedule,
		upcomingForGp: upcomingItems(items, records, today, 'gp'),
		visits: visits.map((visit) => ({
			id: visit.id,
			itemId: visit.itemId,
			doneOn: visit.doneOn,
			by: visit.by,
			findings: visit.findings,
			examsDone: visit.examsDone,
			relapseSuspected: visit.relapseSuspected,
			relapseNote: visit.relapseNote,
			relapseCaseId: visit.relapseCaseId
		})),
		openVisits: items.filter((item) => item.kind === 'visit' && !records.some((r) => r.itemId === item.id)).map((item) => ({ id: item.id, due: item.due, label: item.label })),
		examsAroundNow,
		hasFiche: signed !== undefined,
		ppsVersions: await issuedPpsVersions(db, plan.caseId),
		relapseMeeting: meeting ? { id: meeting.id, startsAt: meeting.startsAt } : null,
		gpLinks: links?.ok
			? links.links.map((link) => ({ id: link.id, name: link.name, expiresAt: link.expiresAt, claimedAt: link.claimedAt, revokedAt: link.revokedAt, expired: link.expiresAt <= now }))
			: [],
		today
	};
}
