/**
 * `npm run bench:cluster`: Concerto on several nodes, measured with the load tool's bots
 * (bench/load, bench/bots) against baselines started in the same run, one after another
 * on the same PostgreSQL server, each with a fresh database and population:
 *
 *   A  one node reached directly, REDIS_URL unset (today's deployment), 2 workers;
 *   B  one node in cluster mode (REDIS_URL) behind HAProxy, 2 workers: the proxy's cost;
 *   C  two nodes behind HAProxy, 1 worker each, the meetings spread by placement;
 *   D  two nodes, more meetings entering at about the same time: how evenly they spread.
 *
 * A, B and C carry the same population (--meetings × --participants, --publishers of
 * them with camera and microphone, everyone receiving layer 0, the live meeting going on
 * with a page turned every --page-seconds and the pointer moving 5 times a second). For
 * each: the signaling round trip (every request's acknowledgement), and the presenter's
 * fan-out: from the page turn (`doc:show`) or pointer move (`doc:pointer`) sent until
 * every other participant received `live:changed` or `doc:pointer`. For each node:
 * meetings hosted, tracks forwarded, worker and Node CPU; for C and D the balance verdict
 * against the issue's target (each node within 20 % of the other).
 *
 * Options: --seconds S (steady state per configuration, 60), --warm-up S (10),
 * --meetings N (4), --participants P (6), --publishers K (3), --page-seconds S (2),
 * --balance-meetings N (8), --balance-publishers K (2), --only A,C (some configurations),
 * --json FILE, --check (exit 1 when D's balance verdict fails or a bot did not join).
 * Needs PostgreSQL (CLUSTER_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test),
 * redis-server and haproxy on this machine.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureBuild } from '../server/tools/local-cluster.ts';
import { balanceReport, comparisonTable, differences } from './cluster/report.ts';
import { runConfiguration, type Configuration, type ConfigurationResult } from './cluster/run.ts';
import { Teardown } from './cluster/teardown.ts';

const { values } = parseArgs({
	options: {
		seconds: { type: 'string', default: '60' },
		'warm-up': { type: 'string', default: '10' },
		meetings: { type: 'string', default: '4' },
		participants: { type: 'string', default: '6' },
		publishers: { type: 'string', default: '3' },
		'page-seconds': { type: 'string', default: '2' },
		'balance-meetings': { type: 'string', default: '8' },
		'balance-publishers': { type: 'string', default: '2' },
		only: { type: 'string', default: 'A,B,C,D' },
		json: { type: 'string' },
		check: { type: 'boolean', default: false }
	}
});

function integer(name: keyof typeof values, min: number, max: number): number {
	const n = Number(values[name]);
	if (!Number.isInteger(n) || n < min || n > max) {
		console.error(`--${name}: expected a whole number from ${min} to ${max}, got "${values[name]}"`);
		process.exit(2);
	}
	return n;
}

const participants = integer('participants', 3, 12);
const meetings = integer('meetings', 1, 20);
const publishers = Math.min(participants, integer('publishers', 0, 12));
const common = { participants, workersPerNode: 1, judgeBalance: false };
const all: Configuration[] = [
	{ ...common, key: 'A', title: 'one node, direct', clusterNodes: 0, workersPerNode: 2, meetings, publishers, joinConcurrency: 4 },
	{ ...common, key: 'B', title: 'one node, HAProxy', clusterNodes: 1, workersPerNode: 2, meetings, publishers, joinConcurrency: 4 },
	{ ...common, key: 'C', title: 'two nodes, HAProxy', clusterNodes: 2, meetings, publishers, joinConcurrency: 4 },
	(() => {
		const n = integer('balance-meetings', 2, 40);
		// Every chair at once, then the others as fast: the meetings start together.
		return { ...common, key: 'D', title: `two nodes, ${n} meetings at once`, clusterNodes: 2, meetings: n, publishers: Math.min(participants, integer('balance-publishers', 0, 12)), joinConcurrency: n, judgeBalance: true };
	})()
];
const wanted = new Set(values.only.split(',').map((k) => k.trim().toUpperCase()));
const configurations = all.filter((c) => wanted.has(c.key));
const settings = {
	seconds: integer('seconds', 10, 3600),
	warmUpSeconds: integer('warm-up', 0, 600),
	pageSeconds: integer('page-seconds', 1, 60),
	sampleSeconds: 5,
	log: (line: string) => console.log(line)
};

const teardown = new Teardown(settings.log);
const results: ConfigurationResult[] = [];
try {
	await ensureBuild();
	for (const configuration of configurations) {
		console.log(`\n— ${configuration.key}: ${configuration.title}: ${configuration.meetings} meetings × ${configuration.participants} (${configuration.publishers} publishing) —`);
		results.push(await runConfiguration(configuration, settings, teardown));
	}
} catch (error) {
	// Interrupted: what failed is the interruption's doing; the signal's handler exits.
	if (!teardown.interrupted) console.error(error);
	await teardown.run();
	process.exit(teardown.interrupted ? 130 : 1);
}

const compared = results.filter((r) => r.configuration.key !== 'D');
console.log(
	`\nSignaling and presenter fan-out, ${settings.seconds} s steady state each (${new Date().toISOString().slice(0, 10)}; ms, p50 / p95 (n)):\n`
);
if (compared.length) console.log(`${comparisonTable(compared)}\n\n${differences(compared).join('\n')}`);
const problems: string[] = [];
for (const r of results) {
	if (r.joined < r.bots) problems.push(`${r.configuration.key}: ${r.bots - r.joined} bot(s) did not join`);
	if (r.nodes.length < 2) continue;
	const verdict = balanceReport(r);
	const judged = r.configuration.judgeBalance ? '' : ', shown only: the verdict that counts is D’s';
	console.log(`\nBalance, ${r.configuration.key}: ${r.configuration.title} (${r.configuration.meetings} meetings × ${r.configuration.participants}${judged}):\n${verdict.table}`);
	if (r.configuration.judgeBalance && !verdict.pass) problems.push(`${r.configuration.key}: the nodes' load is not within 20 % of each other`);
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
if (problems.length) console.log(`\nProblems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
// werift keeps timers of closed connections for a while: do not wait for them.
process.exit(values.check && problems.length > 0 ? 1 : 0);
