/**
 * Decision autosave, edit → stored → broadcast: the pen's holder saves the proposal
 * (`decision:save`: checked, a new version inserted and the current row updated in one
 * transaction, audited) and another participant receives `decision:changed`. Side by
 * side, in the same run and on the same database, a raw INSERT of the same JSON.
 *
 * Usage: node bench/decision-autosave.ts [--saves 300]
 *   PGlite by default; with DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)
 *   on a fresh database of that PostgreSQL server.
 */
import { sql } from 'drizzle-orm';
import { testDatabaseKind } from '../tests/helpers/database.ts';
import { addCase, createMeetingFixture } from '../tests/helpers/meeting-fixture.ts';
import { joinMeeting, next, send, startTestStack, type Client } from '../tests/helpers/stack.ts';
import { summarize, summaryTable } from './lib/stats.ts';

const savesArg = process.argv.indexOf('--saves');
const SAVES = Math.max(20, Number(savesArg > 0 ? process.argv[savesArg + 1] : 300));

const stack = await startTestStack({ MEDIASOUP_NUM_WORKERS: '1' });
const db = stack.concerto.runtime.database.db;
const fixture = await createMeetingFixture(db);
const row = await addCase(db, fixture, { position: 1 });

const join = (userId: string): Promise<Client> => joinMeeting(stack, userId, fixture.meetingId);
const editor = await join(fixture.people.coordinator.id);
const viewer = await join(fixture.people.member.id);
await send(editor, 'case:open', { caseId: row.id });

// A proposal being typed: the text grows a little at each save.
const content = (i: number) => ({
	treatmentTypes: ['387713003', 'C15632'],
	proposal: `Colectomie gauche par cœlioscopie puis chimiothérapie adjuvante selon l’histologie définitive. ${'x'.repeat(Math.abs(i) % 400)}`,
	guidelineFollowed: 'yes',
	guidelineName: 'Thésaurus national de cancérologie digestive',
	trialProposed: false,
	fileComplete: true
});

await db.execute(sql`create table bench_raw_insert (id serial primary key, content jsonb not null, at timestamptz not null default now())`);

const autosave: number[] = [];
const rawInsert: number[] = [];
let version = 0;
// Warm-up, then interleaved: an autosave, then a raw insert of the same content.
for (let i = -20; i < SAVES; i++) {
	const changed = next(viewer, 'decision:changed');
	const start = performance.now();
	const saved = await send(editor, 'decision:save', { caseId: row.id, baseVersion: version, content: content(i) });
	await changed;
	const autosaveMs = performance.now() - start;
	if (!saved.ok) throw new Error(JSON.stringify(saved));
	version = saved.data.version;

	const insertStart = performance.now();
	await db.execute(sql`insert into bench_raw_insert (content) values (${JSON.stringify(content(i))}::jsonb)`);
	const insertMs = performance.now() - insertStart;
	if (i >= 0) {
		autosave.push(autosaveMs);
		rawInsert.push(insertMs);
	}
}
await stack.close();

console.log(
	`Decision autosave on ${testDatabaseKind}: ${SAVES} saves after 20 warm-up ones, interleaved with a raw INSERT of the same JSON on the same database.\n`
);
console.log(
	summaryTable(
		[
			{ label: 'autosave: edit → stored → broadcast', summary: summarize(autosave) },
			{ label: 'raw INSERT', summary: summarize(rawInsert) }
		],
		{ label: 'path', statistics: ['n', 'p50', 'p95', 'max'], unit: 'ms', decimals: 2 }
	)
);
const a = summarize(autosave);
const b = summarize(rawInsert);
console.log(`\nautosave / raw INSERT: p50 ×${(a.p50 / b.p50).toFixed(1)}, p95 ×${(a.p95 / b.p95).toFixed(1)}`);
process.exit(0);
