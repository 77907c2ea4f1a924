/**
 * The cluster benchmark's tables: the configurations side by side (round trips,
 * presenter fan-out, CPU), and for each configuration of several nodes, each node's share
 * and the balance verdict.
 */
import type { FanoutSummary } from '../bots/fanout.ts';
import { formatTable, type Summary } from '../lib/stats.ts';
import { BALANCE_TOLERANCE, balanced, spread } from './balance.ts';
import type { ConfigurationResult } from './run.ts';

const ms = (value: number) => value.toFixed(1);
const pct = (cores: number) => `${(cores * 100).toFixed(1)} %`;
const p50p95 = (s: Summary) => (s.n === 0 ? 'n/a' : `${ms(s.p50)} / ${ms(s.p95)} ms`);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function fanoutCell(f: FanoutSummary): string {
	return `${p50p95(f.last)} (${f.last.n}${f.incomplete ? `, ${f.incomplete} not received by all` : ''})`;
}

function layout(r: ConfigurationResult): string {
	const c = r.configuration;
	const workers = `${c.workersPerNode} worker${c.workersPerNode > 1 ? 's' : ''}`;
	if (c.clusterNodes === 0) return `no Redis, ${workers}`;
	return c.clusterNodes === 1 ? `REDIS_URL, ${workers}` : `REDIS_URL, ${workers} each`;
}

/** The configurations side by side, one column each. */
export function comparisonTable(results: readonly ConfigurationResult[]): string {
	const rows: [string, (r: ConfigurationResult) => string][] = [
		['', layout],
		['bots in', (r) => `${r.joined} / ${r.bots}`],
		['meetings per node', (r) => r.nodes.map((n) => n.meetings.toFixed(1)).join(' · ')],
		['signaling round trip p50 / p95', (r) => `${p50p95(r.signaling)} (${r.signaling.n})`],
		['page turn → every other (p50 / p95)', (r) => fanoutCell(r.fanout.show)],
		['  each receiver (p50 / p95)', (r) => p50p95(r.fanout.show.each)],
		['pointer → every other (p50 / p95)', (r) => fanoutCell(r.fanout.pointer)],
		['  each receiver (p50 / p95)', (r) => p50p95(r.fanout.pointer.each)],
		['SFU workers CPU, all nodes', (r) => pct(sum(r.nodes.map((n) => n.workerCores)))],
		['Node CPU, all nodes', (r) => pct(sum(r.nodes.map((n) => n.nodeCores)))],
		['bots CPU (not the server)', (r) => pct(r.botCores)],
		['HAProxy + Redis CPU', (r) => pct(r.helperCores)],
		['other processes’ CPU (disturbance)', (r) => pct(r.otherCores)],
		['load average, start → end', (r) => `${r.loadAverage[0].toFixed(1)} → ${r.loadAverage[1].toFixed(1)}`],
		['tracks received by the bots, loss', (r) => `${Math.round(r.receivedConsumers)}, ${r.lossPercent.toFixed(3)} %`],
		['errors: server log / bots', (r) => `${r.serverErrors.length} / ${r.botErrors.length}`]
	];
	const header = ['', ...results.map((r) => `${r.configuration.key}: ${r.configuration.title}`)];
	return formatTable(
		header,
		rows.map(([label, cell]) => [label, ...results.map(cell)])
	);
}

/** Each later configuration beside the first: the difference at p50 and p95. */
export function differences(results: readonly ConfigurationResult[]): string[] {
	const [base, ...others] = results;
	if (!base) return [];
	const delta = (a: Summary, b: Summary) => (a.n && b.n ? `p50 ${signed(b.p50 - a.p50)}, p95 ${signed(b.p95 - a.p95)} ms` : 'n/a');
	return others.map(
		(r) =>
			`${r.configuration.key} − ${base.configuration.key}: round trip ${delta(base.signaling, r.signaling)}; page turn ${delta(base.fanout.show.last, r.fanout.show.last)}; pointer ${delta(base.fanout.pointer.last, r.fanout.pointer.last)}`
	);
}

const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;

/** What the verdict weighs: the media load placement spreads. Node CPU is shown, not judged (see bench/README.md). */
const JUDGED = ['meetings', 'consumers', 'workerCores'] as const;

export interface BalanceVerdict {
	table: string;
	pass: boolean;
}

/** Each node's share, the spread of each figure, and PASS/FAIL against the 20 % target. */
export function balanceReport(r: ConfigurationResult): BalanceVerdict {
	const figures = {
		meetings: r.nodes.map((n) => n.meetings),
		consumers: r.nodes.map((n) => n.consumers),
		workerCores: r.nodes.map((n) => n.workerCores),
		nodeCores: r.nodes.map((n) => n.nodeCores)
	};
	const spreadCell = (values: number[]) => {
		const s = spread(values);
		return Number.isFinite(s) ? `${(s * 100).toFixed(0)} %` : '∞';
	};
	const verdict = (values: number[]) => (balanced(values) ? 'PASS' : 'FAIL');
	const table = formatTable(
		['node', 'meetings', 'consumers', 'worker CPU', 'Node CPU'],
		[
			...r.nodes.map((n) => [n.id, n.meetings.toFixed(1), n.consumers.toFixed(0), pct(n.workerCores), pct(n.nodeCores)]),
			['spread', spreadCell(figures.meetings), spreadCell(figures.consumers), spreadCell(figures.workerCores), spreadCell(figures.nodeCores)],
			['verdict', verdict(figures.meetings), verdict(figures.consumers), verdict(figures.workerCores), '(shown)']
		]
	);
	const pass = JUDGED.every((name) => balanced(figures[name]));
	return {
		table: `${table}\nspread = (largest − smallest) / smallest; target ≤ ${BALANCE_TOLERANCE * 100} % (each node within ${BALANCE_TOLERANCE * 100} % of the other): ${pass ? 'PASS' : 'FAIL'}`,
		pass
	};
}
