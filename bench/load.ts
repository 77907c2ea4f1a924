/**
 * `npm run load`: synthetic participants (bench/bots) against a Concerto server started
 * for the run, in its own process, on a fresh embedded database (or PostgreSQL with
 * --database-url). Prints a progress line every few seconds, then a table.
 *
 *   npm run load -- --meetings 10 --participants 8 --minutes 10
 *   npm run load -- --meetings 2 --participants 4 --seconds 30 --check   # what the CI runs
 *
 * Options: --meetings N, --participants P (per meeting), --publishers K (per meeting, the
 * first K publish camera and microphone; default P), --minutes M or --seconds S,
 * --layer 0|1|2 (the layer each bot receives; default 0, a 12-tile grid on a laptop),
 * --workers W (mediasoup workers), --database-url URL, --no-live (media only),
 * --url URL (a Concerto already running, on the PostgreSQL of --database-url; its
 * METRICS_TOKEN in the environment; --data-dir its DATA_DIR when on this machine),
 * --case-seconds S, --json FILE (the full result), --check (exit 1 unless every bot
 * joined and received video, nothing was left behind and nothing was logged at error level),
 * --memory-growth PCT (with --check: the server's RSS after everyone left may be at most
 * PCT % above its level before the load; the soak uses 10).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, runLoad, type LoadOptions } from './load/run.ts';
import { checkResult, resultTable } from './load/report.ts';

const { values } = parseArgs({
	options: {
		meetings: { type: 'string' },
		participants: { type: 'string' },
		publishers: { type: 'string' },
		minutes: { type: 'string' },
		seconds: { type: 'string' },
		layer: { type: 'string' },
		workers: { type: 'string' },
		'database-url': { type: 'string' },
		url: { type: 'string' },
		'data-dir': { type: 'string' },
		'no-live': { type: 'boolean' },
		'case-seconds': { type: 'string' },
		json: { type: 'string' },
		check: { type: 'boolean' },
		'memory-growth': { type: 'string' }
	}
});

function integer(name: string, value: string | undefined, fallback: number, min = 0, max = 10_000): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > max) {
		console.error(`--${name}: expected a whole number from ${min} to ${max}, got "${value}"`);
		process.exit(2);
	}
	return n;
}

const participants = integer('participants', values.participants, DEFAULT_OPTIONS.participants, 1, 200);
const options: LoadOptions = {
	...DEFAULT_OPTIONS,
	meetings: integer('meetings', values.meetings, DEFAULT_OPTIONS.meetings, 1, 500),
	participants,
	publishers: integer('publishers', values.publishers, participants, 0, participants),
	seconds: values.minutes !== undefined ? integer('minutes', values.minutes, 1, 1, 24 * 60) * 60 : integer('seconds', values.seconds, DEFAULT_OPTIONS.seconds, 5, 86_400),
	receiveLayer: integer('layer', values.layer, DEFAULT_OPTIONS.receiveLayer, 0, 2),
	workers: values.workers === undefined ? undefined : integer('workers', values.workers, 1, 1, 64),
	databaseUrl: values['database-url'] ?? process.env.DATABASE_URL,
	url: values.url,
	dataDir: values['data-dir'],
	live: !values['no-live'],
	caseSeconds: integer('case-seconds', values['case-seconds'], DEFAULT_OPTIONS.caseSeconds, 10, 3600)
};

// Interrupted: exit, which stops the server the run started (bench/load/server.ts).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const result = await runLoad(options);
console.log(`\n${resultTable(result)}`);
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
const growth = values['memory-growth'];
const problems = checkResult(result, { maxGapMs: 2000, memoryGrowth: growth === undefined ? null : integer('memory-growth', growth, 10, 0, 1000) / 100 });
if (problems.length > 0) {
	console.log(`\nProblems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
	if (values.check) process.exit(1);
} else {
	console.log('\nEvery bot joined and received video; nothing was left behind; no error was logged.');
}
// werift keeps timers of closed connections for a while: do not wait for them.
process.exit(0);
