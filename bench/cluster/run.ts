/**
 * One configuration of the cluster benchmark: a fresh PostgreSQL database with the load
 * population (bench/load/fixture.ts), the target started on it (targets.ts), the bots in
 * their host processes (bench/load/hosts.ts) joined and playing the live meeting, a
 * warm-up, then the steady state during which the bots time their requests and the
 * presenter's fan-out and each node is sampled; then everyone leaves and everything the
 * configuration started is stopped and its database dropped.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { databaseStorage } from '../../src/lib/server/database-storage.ts';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { POSTGRES_SERVER } from '../../tests/helpers/cluster-fixture.ts';
import { createScratchDatabase } from '../../tests/helpers/database.ts';
import { summarizeFanout, type FanoutSummary } from '../bots/fanout.ts';
import { summarizeOrZero, type Summary } from '../lib/stats.ts';
import { createLoadFixture } from '../load/fixture.ts';
import type { HostReport, HostSample } from '../load/host.ts';
import { joinEveryone, mergeCounters, startHosts, type JoinFailure } from '../load/hosts.ts';
import { METRICS_TOKEN, settle } from '../load/run.ts';
import { machineFigures, nodeFigures, snapshotMachine, snapshotNode, type NodeFigures, type NodeSnapshot } from './nodes.ts';
import { startTarget } from './targets.ts';
import type { Teardown } from './teardown.ts';

export interface Configuration {
	/** A letter for the tables (A, B, …). */
	key: string;
	title: string;
	/** 0: one node reached directly without REDIS_URL; N: N nodes in cluster mode behind HAProxy. */
	clusterNodes: number;
	workersPerNode: number;
	meetings: number;
	participants: number;
	/** Participants who publish camera and microphone, per meeting. */
	publishers: number;
	/** Bots entering at once over all host processes (chairs first, then the others). */
	joinConcurrency: number;
	/** Its balance verdict counts for --check (the meetings start together); otherwise shown only. */
	judgeBalance: boolean;
}

export interface RunSettings {
	/** Steady state measured, after the warm-up. */
	seconds: number;
	warmUpSeconds: number;
	/** How often each presenter turns a page. */
	pageSeconds: number;
	sampleSeconds: number;
	log: (line: string) => void;
}

export interface ConfigurationResult {
	configuration: Configuration;
	bots: number;
	joined: number;
	joinFailures: JoinFailure[];
	/** Request round trips of the steady state (every bot, every request). */
	signaling: Summary;
	fanout: { show: FanoutSummary; pointer: FanoutSummary };
	nodes: NodeFigures[];
	/** The bots' processes, as shares of one core. */
	botCores: number;
	/** HAProxy and Redis; everything else on the machine (not started by the benchmark: what disturbs it). */
	helperCores: number;
	otherCores: number;
	/** The machine's 1-minute load average at the start and the end of the steady state. */
	loadAverage: [number, number];
	/** Tracks the bots received, and their loss, over the steady state. */
	receivedConsumers: number;
	lossPercent: number;
	serverErrors: string[];
	botErrors: string[];
}

const CASE_SECONDS = 60;

export async function runConfiguration(configuration: Configuration, settings: RunSettings, teardown: Teardown): Promise<ConfigurationResult> {
	const { log } = settings;
	const database = await createScratchDatabase(POSTGRES_SERVER, 'concerto_bench');
	const dropDatabase = teardown.add('drop the database', () => database.drop());
	// Run early on success; on a failure, before the database is dropped.
	let stopTarget = async () => {};
	let closeHosts = async () => {};
	try {
		const handle = await openDatabase({ kind: 'postgres', url: database.url });
		const fixture = await createLoadFixture(handle.db, databaseStorage(handle.db), {
			meetings: configuration.meetings,
			participants: configuration.participants,
			casesPerMeeting: Math.ceil((settings.warmUpSeconds + settings.seconds) / CASE_SECONDS) + 1,
			now: new Date(),
			runId: randomBytes(3).toString('hex'),
			documents: true
		}).finally(() => handle.close());

		const target = await startTarget({ ...configuration, databaseUrl: database.url, metricsToken: METRICS_TOKEN });
		stopTarget = teardown.add('stop the nodes', () => target.stop());
		log(`  ${target.nodes.map((n) => `${n.id} pid ${n.pid}`).join(', ')}; bots open ${target.origin}`);

		const hosts = await startHosts(fixture, target.origin, {
			participants: configuration.participants,
			publishers: configuration.publishers,
			receiveLayer: 0,
			guests: true,
			joinConcurrency: configuration.joinConcurrency,
			caseSeconds: CASE_SECONDS,
			pageSeconds: settings.pageSeconds
		});
		closeHosts = teardown.add('stop the bots', () => hosts.forEach((host) => host.close()));
		const { times, failures } = await joinEveryone(hosts);
		const bots = configuration.meetings * configuration.participants;
		log(`  ${times.length}/${bots} bots in (join p50 ${Math.round(summarizeOrZero(times).p50)} ms)${failures.length ? `; refused: ${failures.map((f) => f.reason).join(', ')}` : ''}`);

		await Promise.all(hosts.map((host) => host.call({ type: 'live' })));
		await settle(settings.warmUpSeconds * 1000);
		await Promise.all(hosts.map((host) => host.call({ type: 'reset' })));
		await Promise.all(hosts.map((host) => host.call({ type: 'sample' })));
		const snapshot = () => Promise.all(target.nodes.map((node) => snapshotNode(node, METRICS_TOKEN)));
		const snapshots: NodeSnapshot[][] = [await snapshot()];
		const machineBefore = snapshotMachine();
		const loadBefore = loadavg()[0];
		const hostSamples: HostSample[] = [];
		const started = performance.now();
		while (performance.now() - started < settings.seconds * 1000) {
			await settle(Math.min(settings.sampleSeconds * 1000, settings.seconds * 1000 - (performance.now() - started)));
			const [nodes, samples] = await Promise.all([snapshot(), Promise.all(hosts.map((host) => host.call<HostSample>({ type: 'sample' })))]);
			snapshots.push(nodes);
			hostSamples.push(...samples);
			log(`  [${Math.round((performance.now() - started) / 1000)} s] ${nodes.map((n, i) => `${target.nodes[i].id}: ${n.rooms ?? '?'} rooms, ${n.consumers ?? '?'} consumers`).join(' · ')}`);
		}
		const elapsed = (performance.now() - started) / 1000;
		const machine = machineFigures(machineBefore, snapshotMachine());
		const loadAfter = loadavg()[0];

		const reports = await Promise.all(hosts.map((host) => host.call<HostReport>({ type: 'leave' })));
		await closeHosts();
		await stopTarget();
		const nodes = target.nodes.map((node, i) => nodeFigures(node.id, snapshots.map((s) => s[i])));
		const botCores = hostSamples.reduce((sum, s) => sum + s.cpuSeconds, 0) / elapsed;
		const serverCores = nodes.reduce((sum, n) => sum + n.workerCores + n.nodeCores, 0);
		const packets = hostSamples.reduce((sum, s) => sum + s.packets, 0);
		const lost = hostSamples.reduce((sum, s) => sum + s.lost, 0);
		return {
			configuration,
			bots,
			joined: times.length,
			joinFailures: failures,
			signaling: summarizeOrZero(reports.flatMap((r) => r.latencies)),
			fanout: { show: summarizeFanout(reports.map((r) => r.fanout.show)), pointer: summarizeFanout(reports.map((r) => r.fanout.pointer)) },
			nodes,
			botCores,
			helperCores: machine.helperCores,
			otherCores: Math.max(0, machine.machineCores - serverCores - botCores - machine.helperCores - machine.ownCores),
			loadAverage: [loadBefore, loadAfter],
			receivedConsumers: hostSamples.length ? hostSamples.reduce((sum, s) => sum + s.consumers, 0) / (hostSamples.length / hosts.length) : 0,
			lossPercent: packets + lost > 0 ? (100 * lost) / (packets + lost) : 0,
			serverErrors: target.log.errors,
			botErrors: [...reports.flatMap((r) => r.errors), ...mergeCounters(reports.map((r) => r.live)).errors]
		};
	} finally {
		await closeHosts();
		await stopTarget();
		await dropDatabase();
	}
}
