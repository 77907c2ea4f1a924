/**
 * The network's RCP activity and quality over a period, computed in SQL from the data
 * itself (meetings, their agendas and history, decisions, discussions, presence, signed
 * fiches and their sending): no counter is kept on the side.
 *
 * A meeting belongs to the period by its start; a case to the meeting where it was
 * registered (history), decided, postponed or discussed. Delays are in days, medians and
 * 90th percentiles by `percentile_cont`. The filter's boards are checked by the caller
 * (`indicatorBoards`): each user sees the boards they belong to, administrators all.
 */
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { parisInstant } from '../domain/schedule.ts';
import { specialtyLabel } from '../domain/specialties.ts';
import type { Database } from './db/index.ts';
import { boardMembers, boards } from './db/schema.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

/** What the indicators page asks for: boards, a period [from, to), an organ (ICD-10 category of the tumour site). */
export const IndicatorQuery = z
	.object({
		boardIds: z.array(z.uuid('RCP invalide')).max(500).default([]),
		from: z.iso.date({ error: 'Date de début au format AAAA-MM-JJ' }),
		to: z.iso.date({ error: 'Date de fin au format AAAA-MM-JJ' }),
		organ: z
			.string()
			.trim()
			.toUpperCase()
			.regex(/^C\d{2}$|^D\d{2}$/, 'Organe : une catégorie CIM-10, par exemple C18')
			.optional()
			.or(z.literal('').transform(() => undefined))
	})
	.refine((query) => query.from <= query.to, { message: 'La date de fin précède la date de début.', path: ['to'] });
export type IndicatorQuery = z.output<typeof IndicatorQuery>;

export interface IndicatorFilter {
	boardIds: string[];
	/** Start of the first day and end of the last day, Europe/Paris. */
	from: Date;
	to: Date;
	/** ICD-10 category (C18) of the tumour site, or null for all. */
	organ: string | null;
	/** The instant of the reading: a meeting that started before it, with cases dealt with, was held. */
	asOf: Date;
}

export interface Share {
	count: number;
	total: number;
	/** count / total, null without any case to count. */
	ratio: number | null;
}

export interface Delay {
	/** How many cases the delay was measured on. */
	n: number;
	/** Days. */
	median: number | null;
	p90: number | null;
}

export interface Indicators {
	meetingsHeld: number;
	cases: { registered: number; discussed: number; recorded: number; postponed: number };
	quorumMet: Share;
	completeAtDeadline: Share;
	/** Among proposals where a référentiel applies (followed or not). */
	guidelineFollowed: Share;
	trialProposed: Share;
	delays: { registrationToMeeting: Delay; meetingToValidation: Delay; validationToSent: Delay };
	attendance: { specialty: string; label: string; physicians: number; presences: number }[];
	casesPerMeeting: number | null;
	minutesPerCase: number | null;
	/** HAS "RCP" indicator: 1 = a dated RCP trace with a proposal; 2 = the same with ≥ 3 physicians of different specialties. */
	has: { level1: Share; level2: Share };
}

/**
 * The boards a user may read indicators of: theirs, or every board for an administrator
 * and for a network editor (who revises the référentiels from the network's conformity;
 * indicators are counts, never a patient).
 */
export async function indicatorBoards(db: Database, user: SessionUser): Promise<{ id: string; name: string }[]> {
	if (user.isAdmin || user.networkEditor) return db.select({ id: boards.id, name: boards.name }).from(boards).orderBy(asc(boards.name));
	return db
		.select({ id: boards.id, name: boards.name })
		.from(boards)
		.innerJoin(boardMembers, and(eq(boardMembers.boardId, boards.id), eq(boardMembers.userId, user.id)))
		.orderBy(asc(boards.name));
}

/** Turns a checked query into the filter: the period's days in Europe/Paris; boards limited to `allowed` (all of them when none chosen). */
export function indicatorFilter(query: IndicatorQuery, allowed: string[], asOf: Date = clock.now()): { ok: true; filter: IndicatorFilter } | { ok: false; reason: 'forbidden' } {
	const outside = query.boardIds.filter((id) => !allowed.includes(id));
	if (outside.length > 0) return { ok: false, reason: 'forbidden' };
	const day = (date: string) => parisInstant(date, '00:00');
	const next = new Date(`${query.to}T12:00:00Z`);
	next.setUTCDate(next.getUTCDate() + 1);
	return {
		ok: true,
		filter: {
			boardIds: query.boardIds.length > 0 ? query.boardIds : allowed,
			from: day(query.from),
			to: day(next.toISOString().slice(0, 10)),
			organ: query.organ ?? null,
			asOf
		}
	};
}

/** count of total, as a share (null ratio without anything to count). */
export const share = (count: number, total: number): Share => ({ count, total, ratio: total > 0 ? count / total : null });
const num = (value: unknown): number => Number(value ?? 0);
const orNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** A delay from `percentile_cont(array[0.5, 0.9])`: an array (or its text form `{a,b}`), null without rows. */
export function delayOf(n: number, percentiles: unknown): Delay {
	const values = Array.isArray(percentiles) ? percentiles : typeof percentiles === 'string' ? percentiles.replace(/[{}]/g, '').split(',') : [];
	return { n, median: orNull(values[0] ?? null), p90: orNull(values[1] ?? null) };
}

/**
 * The period's meetings (not cancelled) of the filter's boards, as a subquery text; the
 * organ filter applies to cases (`caseOrgan`).
 */
function scope(filter: IndicatorFilter) {
	const boardList = filter.boardIds.length > 0 ? sql.join(filter.boardIds.map((id) => sql`${id}::uuid`), sql`, `) : sql`null::uuid`;
	const periodMeetings = sql`select id, board_id, starts_at, registration_deadline, status from meetings
		where board_id in (${boardList}) and starts_at >= ${filter.from.toISOString()}::timestamptz and starts_at < ${filter.to.toISOString()}::timestamptz and status <> 'cancelled'`;
	const caseOrgan = (alias: string): SQL =>
		filter.organ ? sql`and ${sql.raw(alias)}.fiche->>'tumourSiteCode' like ${`${filter.organ}%`}` : sql``;
	/** Joins the case of `caseId` only to filter by organ (the join costs on 100 000 cases). */
	const organJoin = (caseId: string): SQL =>
		filter.organ ? sql`join cases oc on oc.id = ${sql.raw(caseId)} and oc.fiche->>'tumourSiteCode' like ${`${filter.organ}%`}` : sql``;
	return { periodMeetings, caseOrgan, organJoin };
}

type Row = Record<string, unknown>;

/** The rows of a raw query, whatever the driver's result shape (postgres-js: an array; PGlite: `{ rows }`). */
export async function rows(db: Database, query: SQL): Promise<Row[]> {
	const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
	return Array.isArray(result) ? result : result.rows;
}

/**
 * The period's decided proposals (the filter's boards and organ), as a subquery text:
 * `case_id`, `board_id`, `meeting_starts_at`, `content` (a DecisionDraft) and `quorum`. What every proposal
 * indicator counts, here and in indicators-network.ts.
 */
export function decidedProposals(filter: IndicatorFilter): SQL {
	const { periodMeetings, organJoin } = scope(filter);
	return sql`select d.case_id, m.board_id, m.starts_at as meeting_starts_at, d.content, d.quorum
		from case_decisions d join (${periodMeetings}) m on m.id = d.meeting_id ${organJoin('d.case_id')}
		where d.status = 'decided'`;
}

/** Each indicator query, by name: the benchmark times them one by one. */
export function indicatorQueries(filter: IndicatorFilter) {
	const { periodMeetings, caseOrgan, organJoin } = scope(filter);
	const decided = decidedProposals(filter);
	return {
		meetings: sql`select count(*) as held from (${periodMeetings}) m
			where m.status in ('live', 'closed') or m.starts_at < ${filter.asOf.toISOString()}::timestamptz and (
				exists (select 1 from case_discussions x where x.meeting_id = m.id)
				or exists (select 1 from case_decisions x where x.meeting_id = m.id and x.status = 'decided'))`,
		cases: sql`select
				(select count(distinct h.case_id) from case_meeting_history h join (${periodMeetings}) m on m.id = h.meeting_id ${organJoin('h.case_id')}) as registered,
				(select count(distinct (x.case_id, x.meeting_id)) from case_discussions x join (${periodMeetings}) m on m.id = x.meeting_id ${organJoin('x.case_id')} where x.outcome = 'postponed') as postponed`,
		quality: sql`select
				count(*) as decided,
				count(*) filter (where x.content->>'recordedWithoutDiscussion' = 'true') as recorded,
				count(*) filter (where (x.quorum->>'met')::boolean) as quorum_met,
				count(*) filter (where x.content->>'guidelineFollowed' = 'yes') as guideline_yes,
				count(*) filter (where x.content->>'guidelineFollowed' in ('yes', 'no')) as guideline_applies,
				count(*) filter (where x.content->>'trialProposed' = 'true') as trial,
				-- The quorum snapshot counts distinct specialties (older ones: its list of those present).
				count(*) filter (where coalesce((x.quorum->>'distinct')::int, jsonb_array_length(coalesce(x.quorum->'present', '[]'::jsonb))) >= 3) as three_specialties
			from (${decided}) x`,
		registration: sql`select percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from m.starts_at - c.created_at) / 86400) as delay
			from case_decisions d join (${periodMeetings}) m on m.id = d.meeting_id join cases c on c.id = d.case_id
			where d.status = 'decided' ${caseOrgan('c')}`,
		completeness: sql`select count(*) as total, count(*) filter (where c.complete_at is not null and c.complete_at <= m.registration_deadline) as complete
			from (select distinct on (h.case_id, h.meeting_id) h.case_id, h.meeting_id from case_meeting_history h join (${periodMeetings}) m2 on m2.id = h.meeting_id) h
			join (${periodMeetings}) m on m.id = h.meeting_id join cases c on c.id = h.case_id where true ${caseOrgan('c')}`,
		validation: sql`select count(*) as validated,
				percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from f.validated_at - m.starts_at) / 86400) as delay
			from fiches f join (${periodMeetings}) m on m.id = f.meeting_id ${organJoin('f.case_id')}
			where f.version = 1`,
		// Sent: every recipient has it (the case is then \`sent\`); when: the last of them.
		sending: sql`select count(*) as sent,
				percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from x.last_sent - x.validated_at) / 86400) as delay
			from (
				select f.case_id, f.validated_at, max(r.sent_at) as last_sent
				from fiches f join (${periodMeetings}) m on m.id = f.meeting_id join cases c on c.id = f.case_id join fiche_recipients r on r.case_id = f.case_id
				where f.version = 1 and c.status = 'sent' ${caseOrgan('c')}
				group by f.case_id, f.validated_at
			) x`,
		attendance: sql`select p.specialty, count(distinct p.user_id) as physicians, count(distinct (p.meeting_id, p.user_id)) as presences
			from room_presences p join (${periodMeetings}) m on m.id = p.meeting_id
			where p.user_id is not null and p.specialty is not null
			group by p.specialty order by presences desc, p.specialty`,
		discussionTime: sql`select avg(extract(epoch from x.closed_at - x.opened_at) / 60) as minutes, count(*) as n
			from case_discussions x join (${periodMeetings}) m on m.id = x.meeting_id ${organJoin('x.case_id')}
			where x.closed_at is not null and x.outcome is not null`
	};
}

export async function computeIndicators(db: Database, filter: IndicatorFilter): Promise<Indicators> {
	const q = indicatorQueries(filter);
	const [meetingsRow] = await rows(db, q.meetings);
	const [casesRow] = await rows(db, q.cases);
	const [quality] = await rows(db, q.quality);
	const [registration] = await rows(db, q.registration);
	const [completeness] = await rows(db, q.completeness);
	const [validation] = await rows(db, q.validation);
	const [sending] = await rows(db, q.sending);
	const attendance = await rows(db, q.attendance);
	const [discussion] = await rows(db, q.discussionTime);

	const held = num(meetingsRow.held);
	const decidedCount = num(quality.decided);
	const recorded = num(quality.recorded);
	const cases = { registered: num(casesRow.registered), discussed: decidedCount - recorded, recorded, postponed: num(casesRow.postponed) };
	const presented = cases.discussed + cases.recorded + cases.postponed;
	return {
		meetingsHeld: held,
		cases,
		quorumMet: share(num(quality.quorum_met), decidedCount),
		completeAtDeadline: share(num(completeness.complete), num(completeness.total)),
		guidelineFollowed: share(num(quality.guideline_yes), num(quality.guideline_applies)),
		trialProposed: share(num(quality.trial), decidedCount),
		delays: {
			registrationToMeeting: delayOf(decidedCount, registration.delay),
			meetingToValidation: delayOf(num(validation.validated), validation.delay),
			validationToSent: delayOf(num(sending.sent), sending.delay)
		},
		attendance: attendance.map((row) => ({
			specialty: String(row.specialty),
			label: specialtyLabel(String(row.specialty)) ?? String(row.specialty),
			physicians: num(row.physicians),
			presences: num(row.presences)
		})),
		casesPerMeeting: held > 0 ? presented / held : null,
		minutesPerCase: num(discussion.n) > 0 ? orNull(discussion.minutes) : null,
		has: { level1: share(decidedCount, presented), level2: share(num(quality.three_specialties), presented) }
	};
}
