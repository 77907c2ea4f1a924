/**
 * The indicators of what follows the RCP (issue 16): the PPS handed over to the patient
 * and its delay after the meeting, the patients in post-treatment follow-up, the follow-up
 * visits done on time or overdue, and the suspected relapses presented again to a board.
 *
 * Same filter as `computeIndicators`: the boards checked by the caller, the organ as the
 * ICD-10 category of the tumour site. The period applies by what each figure is about:
 * the meeting that decided the case (PPS), the day a visit was due (visits), the day a
 * relapse was suspected (relapses). "Patients in follow-up" is a count at the reading's
 * instant (`asOf`), whatever the period.
 */
import { sql, type SQL } from 'drizzle-orm';
import { OVERDUE_GRACE_DAYS } from '../domain/follow-up-visits.ts';
import { parisDate } from '../domain/schedule.ts';
import type { Database } from './db/index.ts';
import { decidedProposals, delayOf, rows, share, type Delay, type IndicatorFilter, type Share } from './indicators.ts';

/** Planned follow-up visits due in the period, by where they stand at the reading. */
export interface VisitPunctuality {
	/** Done within the grace period after their due day (OVERDUE_GRACE_DAYS.visit). */
	onTime: number;
	/** Done, but after the grace period. */
	late: number;
	/** Not done and past the grace period. */
	overdue: number;
	/** Not done, still within the grace period. */
	pending: number;
	/** Done on time among the visits whose grace period is over (on time + late + overdue). */
	onTimeShare: Share;
}

export interface AfterRcpIndicators {
	/** Decided cases of the period whose patient was handed a PPS (any version). */
	ppsHandedOver: Share;
	/** Days from the meeting that decided the case to the first PPS handed over. */
	meetingToPps: Delay;
	/** Follow-up plans running at the reading's instant (one per patient's case). */
	patientsInFollowUp: number;
	/** Plans opened during the period. */
	followUpsOpened: number;
	visits: VisitPunctuality;
	/** Visits of the period that suspected a relapse, and how many of those re-registered the patient at a board. */
	relapsesPresented: Share;
}

const num = (value: unknown): number => Number(value ?? 0);

/** The queries by name. */
export function afterRcpQueries(filter: IndicatorFilter) {
	const decided = decidedProposals(filter);
	const boardList = filter.boardIds.length > 0 ? sql.join(filter.boardIds.map((id) => sql`${id}::uuid`), sql`, `) : sql`null::uuid`;
	const organ = (alias: string): SQL => (filter.organ ? sql`and ${sql.raw(alias)}.fiche->>'tumourSiteCode' like ${`${filter.organ}%`}` : sql``);
	const fromDay = parisDate(filter.from);
	// `to` is the start of the day after the period's last.
	const toDay = parisDate(filter.to);
	const today = parisDate(filter.asOf);
	const plans = sql`select p.* from follow_up_plans p join cases c on c.id = p.case_id where p.board_id in (${boardList}) ${organ('c')}`;
	return {
		pps: sql`select count(*) as decided, count(h.case_id) as handed_over,
				percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from h.first_at - x.meeting_starts_at) / 86400) filter (where h.case_id is not null) as delay
			from (${decided}) x
			left join (select case_id, min(handed_over_at) as first_at from pps_versions where handed_over_at is not null group by case_id) h on h.case_id = x.case_id`,
		plans: sql`select count(*) filter (where p.status = 'active' and p.opened_at <= ${filter.asOf.toISOString()}::timestamptz) as active,
				count(*) filter (where p.opened_at >= ${filter.from.toISOString()}::timestamptz and p.opened_at < ${filter.to.toISOString()}::timestamptz) as opened
			from (${plans}) p`,
		// A planned visit is one item of kind 'visit'; a recorded visit names it by item_id.
		visits: sql`select
				count(*) filter (where v.done_on is not null and v.done_on::date <= i.due::date + ${OVERDUE_GRACE_DAYS.visit}::int) as on_time,
				count(*) filter (where v.done_on is not null and v.done_on::date > i.due::date + ${OVERDUE_GRACE_DAYS.visit}::int) as late,
				count(*) filter (where v.done_on is null and ${today}::date > i.due::date + ${OVERDUE_GRACE_DAYS.visit}::int) as overdue,
				count(*) filter (where v.done_on is null and ${today}::date <= i.due::date + ${OVERDUE_GRACE_DAYS.visit}::int) as pending
			from (${plans}) p
			cross join lateral jsonb_to_recordset(p.items) as i(id text, kind text, due text)
			left join lateral (select min(done_on) as done_on from follow_up_visits fv where fv.plan_id = p.id and fv.item_id = i.id) v on true
			where i.kind = 'visit' and i.due >= ${fromDay} and i.due < ${toDay} and i.due <= ${today}`,
		relapses: sql`select count(*) as suspected, count(v.relapse_case_id) as presented
			from follow_up_visits v join (${plans}) p on p.id = v.plan_id
			where v.relapse_suspected and v.done_on >= ${fromDay} and v.done_on < ${toDay}`
	};
}

export async function computeAfterRcpIndicators(db: Database, filter: IndicatorFilter): Promise<AfterRcpIndicators> {
	const q = afterRcpQueries(filter);
	const [pps] = await rows(db, q.pps);
	const [plans] = await rows(db, q.plans);
	const [visits] = await rows(db, q.visits);
	const [relapses] = await rows(db, q.relapses);
	const handedOver = num(pps.handed_over);
	const onTime = num(visits.on_time);
	const late = num(visits.late);
	const overdue = num(visits.overdue);
	return {
		ppsHandedOver: share(handedOver, num(pps.decided)),
		meetingToPps: delayOf(handedOver, pps.delay),
		patientsInFollowUp: num(plans.active),
		followUpsOpened: num(plans.opened),
		visits: { onTime, late, overdue, pending: num(visits.pending), onTimeShare: share(onTime, onTime + late + overdue) },
		relapsesPresented: share(num(relapses.presented), num(relapses.suspected))
	};
}
