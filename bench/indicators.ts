/**
 * The indicators on 100 000 cases: generates three years of a 20-board network in SQL
 * (meetings, cases with their history, decisions, discussions, signed fiches and their
 * sending, presence), then times each indicator query of `indicatorQueries` for the
 * whole network and for one board over a year. Side by side, in the same run: a plain
 * `count(*)` over the cases table.
 *
 * Usage: node bench/indicators.ts [--cases 100000] [--runs 7]
 *   PGlite by default; with DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)
 *   on a fresh database of that PostgreSQL server.
 */
import { sql, type SQL } from 'drizzle-orm';
import { indicatorFilter, indicatorQueries, IndicatorQuery, rows } from '../src/lib/server/indicators.ts';
import { openTestDatabase, testDatabaseKind } from '../tests/helpers/database.ts';
import { createMeetingFixture } from '../tests/helpers/meeting-fixture.ts';
import { summarize, summaryTable } from './lib/stats.ts';

const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(name);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CASES = arg('--cases', 100_000);
const RUNS = Math.max(3, arg('--runs', 7));
const BOARDS = 20;
const WEEKS = 156;

const database = await openTestDatabase();
const { db } = database;
const fixture = await createMeetingFixture(db, new Date('2027-06-01T10:00:00Z'));
const run = (query: string) => db.execute(sql.raw(query));
const started = performance.now();
process.stdout.write(`Generating ${CASES} cases on ${testDatabaseKind}…\n`);

await run(`insert into boards (name, apparatus, organ, site, type, quorum_rule, deadline)
	select 'RCP bench ' || g, apparatus, organ, site, type, quorum_rule, deadline from boards, generate_series(1, ${BOARDS}) g where id = '${fixture.boardId}'`);
await run(`create table bench_boards as select id, row_number() over (order by id) - 1 as n from boards where name like 'RCP bench %'`);
await run(`insert into meetings (board_id, starts_at, duration_minutes, registration_deadline, status)
	select b.id, s, 120, s - interval '3 days', 'closed'
	from bench_boards b, generate_series(0, ${WEEKS - 1}) w, lateral (select timestamptz '2024-06-04 13:00:00Z' + w * interval '7 days' + b.n * interval '1 hour' as s) t`);
await run(`create table bench_meetings as
	select m.id, m.board_id, m.starts_at, m.registration_deadline, row_number() over (order by m.starts_at, m.id) - 1 as n
	from meetings m join bench_boards b on b.id = m.board_id`);
await run(`create index on bench_meetings (n)`);
const [{ count: meetingCount }] = await rows(db, sql`select count(*)::int as count from bench_meetings`);

// Cases: spread over the meetings; sites C18 / C34 / C50 / C61; most complete in time.
await run(`insert into cases (board_id, meeting_id, position, status, requested_by, fiche, complete_at, created_at, updated_at)
	select m.board_id, m.id, g / ${meetingCount},
		case when g % 10 = 0 then 'complete' when g % 10 = 1 then 'validated' else 'sent' end,
		'${fixture.people.member.id}',
		jsonb_build_object('familyName', 'BENCH', 'tumourSiteCode', (array['C18.7', 'C34.1', 'C50.9', 'C61'])[1 + g % 4]),
		case when g % 7 = 0 then null else m.registration_deadline - interval '1 day' end,
		m.starts_at - (10 + g % 15) * interval '1 day', m.starts_at
	from generate_series(0, ${CASES - 1}) g join bench_meetings m on m.n = g % ${meetingCount}`);
await run(`insert into case_meeting_history (case_id, meeting_id, reason, at) select c.id, c.meeting_id, 'registered', c.created_at from cases c join bench_meetings m on m.id = c.meeting_id`);
await run(`insert into case_decisions (case_id, meeting_id, content, version, status, quorum)
	select c.id, c.meeting_id,
		jsonb_build_object('recordedWithoutDiscussion', c.position % 5 = 0, 'guidelineFollowed', (array['yes', 'yes', 'no', 'not-applicable'])[1 + c.position % 4], 'trialProposed', c.position % 9 = 0),
		3, 'decided',
		jsonb_build_object('met', c.position % 8 <> 0, 'present', case when c.position % 8 = 0 then '["digestive-surgery","medical-oncology"]'::jsonb else '["digestive-surgery","medical-oncology","radiation-oncology"]'::jsonb end)
	from cases c join bench_meetings m on m.id = c.meeting_id where c.status <> 'complete'`);
await run(`insert into case_discussions (case_id, meeting_id, opened_at, closed_at, outcome)
	select c.id, c.meeting_id, m.starts_at + (c.position % 30) * interval '4 minutes', m.starts_at + (c.position % 30) * interval '4 minutes' + (3 + c.position % 9) * interval '1 minute',
		case when c.status = 'complete' then 'postponed' else 'decided' end
	from cases c join bench_meetings m on m.id = c.meeting_id where c.position % 5 <> 0`);
await run(`insert into fiches (case_id, meeting_id, board_id, version, content, pdf, sha256, development_signature, validated_by, validated_at)
	select c.id, c.meeting_id, c.board_id, 1, '{}'::jsonb, '\\x00'::bytea, c.id::text, true, '${fixture.people.coordinator.id}', m.starts_at + (1 + c.position % 6) * interval '1 day'
	from cases c join bench_meetings m on m.id = c.meeting_id where c.status in ('validated', 'sent')`);
await run(`insert into fiche_recipients (case_id, kind, name, sent_at)
	select f.case_id, 'gp', 'Dr Bench', case when c.status = 'sent' then f.validated_at + interval '2 days' end
	from fiches f join cases c on c.id = f.case_id`);
await run(`insert into room_presences (room_id, peer_id, display_name, meeting_id, user_id, specialty, joined_at)
	select m.id::text, m.id::text || '-' || s, 'bench', m.id, '${fixture.people.coordinator.id}', s, m.starts_at
	from bench_meetings m, unnest(array['digestive-surgery', 'medical-oncology', 'radiation-oncology', 'radiology', 'pathology', 'gastroenterology']) s`);
await run('analyze');
console.log(`Generated in ${((performance.now() - started) / 1000).toFixed(1)} s: ${meetingCount} meetings of ${BOARDS} boards over three years, ${CASES} cases.\n`);

const allBoards = (await rows(db, sql`select id from bench_boards order by n`)).map((row) => String(row.id));
const firstBoard = allBoards[0];

async function time(query: SQL): Promise<number[]> {
	const samples: number[] = [];
	await db.execute(query); // warm-up
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		await db.execute(query);
		samples.push(performance.now() - start);
	}
	return samples;
}

const year = { from: '2025-06-01', to: '2026-05-31' };
const everything = { from: '2024-01-01', to: '2027-12-31' };
for (const [title, period, boardIds] of [
	['the whole network (20 boards), one year', year, allBoards],
	['one board, one year', year, [firstBoard]],
	[`the whole network, three years (all ${CASES} cases)`, everything, allBoards]
] as const) {
	const filter = indicatorFilter(IndicatorQuery.parse({ ...period, boardIds: [...boardIds] }), allBoards);
	if (!filter.ok) throw new Error(filter.reason);
	const series = [{ label: 'baseline: count(*) of cases', summary: summarize(await time(sql`select count(*) from cases`)) }];
	for (const [name, query] of Object.entries(indicatorQueries(filter.filter))) series.push({ label: name, summary: summarize(await time(query)) });
	console.log(`${title} — ${RUNS} runs each, on ${testDatabaseKind}`);
	console.log(summaryTable(series, { label: 'query', statistics: ['n', 'p50', 'max'], unit: 'ms', decimals: 1 }));
	const slowest = Math.max(...series.slice(1).map((s) => s.summary.max));
	console.log(`slowest indicator query: ${slowest.toFixed(1)} ms (target < 200 ms)\n`);
}
await database.dispose();
