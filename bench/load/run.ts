/**
 * One load run: a fresh data directory (or the PostgreSQL database given), the population
 * written to it, the server started in its own process, the bots joined meeting by
 * meeting, media and the live meeting for the time asked, then everybody leaves and the
 * run checks what the server kept. Used by `npm run load` (bench/load.ts), the capacity
 * benchmark (bench/sfu-capacity.ts) and the CI's short load.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, inArray, isNull, gt, or } from 'drizzle-orm';
import { loadConfig } from '../../src/lib/server/config.ts';
import { configuredStorage } from '../../src/lib/server/database-storage.ts';
import { openDatabase, type Database } from '../../src/lib/server/db/index.ts';
import { roomPresences } from '../../src/lib/server/db/schema.ts';
import type { AttachmentStorage } from '../../src/lib/server/storage.ts';
import { Bot } from '../bots/bot.ts';
import type { LiveCounters } from '../bots/live.ts';
import type { HostReport, HostSample, VideoTotal } from './host.ts';
import { joinEveryone, mergeCounters, startHosts } from './hosts.ts';
import { summarizeOrZero as summarize, type Summary } from '../lib/stats.ts';
import { summarizeFanout, type FanoutSummary } from '../bots/fanout.ts';
import { createLoadFixture, type LoadFixture, type LoadMeeting } from './fixture.ts';
import { metricValue, scrapeMetrics, type MetricSample } from './metrics.ts';
import { runningServer, startServer, type ServerProcess } from './server.ts';
import { childProcesses, coresUsed, sampleProcess, type ProcessSample } from './system.ts';

export interface LoadOptions {
	meetings: number;
	participants: number;
	/** Participants who publish a camera and a microphone, per meeting (the first ones). */
	publishers: number;
	seconds: number;
	/** The simulcast layer each bot asks for (0 to 2): a 12-tile grid on a laptop is 0. */
	receiveLayer: number;
	/** Play the live meeting (cases, documents, hands, chat, proposal, read-back). */
	live: boolean;
	caseSeconds: number;
	/** The last participant of each meeting (from the third) comes as the meeting's guest. */
	guests: boolean;
	/** mediasoup workers (default: the server's own default, one per core). */
	workers?: number;
	/** PostgreSQL instead of the embedded database. */
	databaseUrl?: string;
	/**
	 * A Concerto already running (on PostgreSQL: `databaseUrl` is its database, where the
	 * population is written) instead of one started for the run; `metricsToken` is its
	 * METRICS_TOKEN (CPU, memory and what is left behind come from its /metrics).
	 */
	url?: string;
	metricsToken?: string;
	/** With `url`: the running server's DATA_DIR on this machine, where the cases' documents go; without it, cases have none. */
	dataDir?: string;
	/** Extra server environment (capacity settings, say). */
	env?: Record<string, string>;
	joinConcurrency: number;
	/** Bot processes (default: one per core, at most one per meeting). */
	hosts?: number;
	sampleSeconds: number;
	/** One meeting of two bots joins and leaves before the baseline is taken. */
	warmUp: boolean;
	/** Lines of progress (every sample) and notices. */
	log: (line: string) => void;
}

export const DEFAULT_OPTIONS: LoadOptions = {
	meetings: 2,
	participants: 8,
	publishers: 8,
	seconds: 60,
	receiveLayer: 0,
	live: true,
	caseSeconds: 60,
	guests: true,
	joinConcurrency: 4,
	sampleSeconds: 5,
	warmUp: true,
	log: (line) => console.log(line)
};

/** One sample of the steady state. */
export interface Sample {
	at: number;
	joined: number;
	consumers: number;
	/** Packets/s and kb/s the bots received (what the SFU forwarded to them). */
	receivedPps: number;
	receivedKbps: number;
	lossPercent: number;
	workerCores: number[];
	nodeCores: number;
	botCores: number;
	rssBytes: number;
	heapBytes: number | null;
	eventLoopLagSeconds: number | null;
	/** The load tool's own event loop (the bots'): its longest delay in the interval, ms. */
	botLoopMaxMs: number;
}

export interface LoadResult {
	options: Omit<LoadOptions, 'log'>;
	bots: number;
	joined: number;
	joinFailures: { label: string; reason: string }[];
	join: Summary;
	/** Request round trips after every bot joined (the live meeting, layers, hands, chat). */
	signaling: Summary;
	/** The presenter's page turns and pointer moves until every other participant had them. */
	fanout: { show: FanoutSummary; pointer: FanoutSummary };
	samples: Sample[];
	/** Averages over the steady state (samples after the joins). */
	steady: Omit<Sample, 'at'>;
	memory: { before: MemoryFigure; during: MemoryFigure; after: MemoryFigure };
	/** Per receiving bot, video: worst freeze, frames, loss; per run: totals. */
	video: { consumers: number; silent: number; maxGapMs: number; longGaps: number; freezes: number; freezeMs: number; lossPercent: number; jitterMs: number };
	live: LiveCounters;
	botErrors: string[];
	serverErrors: string[];
	/** What the server still held after everybody left (should all be zero). */
	leftBehind: Record<string, number>;
}

export interface MemoryFigure {
	rssBytes: number;
	heapBytes: number | null;
}

export const METRICS_TOKEN = `load-${randomBytes(24).toString('hex')}`;

/** Runs the load and returns what it measured; never throws for a bot's failure (it is reported). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	const { log } = options;
	if (options.url && !options.databaseUrl) {
		throw new Error('--url needs --database-url (the running server’s PostgreSQL database, where the bots’ accounts and meetings are written)');
	}
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'concerto-load-'));
	const env: Record<string, string> = {
		DATA_DIR: dataDir,
		MEDIASOUP_ANNOUNCED_ADDRESS: '127.0.0.1',
		METRICS_TOKEN,
		...(options.workers ? { MEDIASOUP_NUM_WORKERS: String(options.workers) } : {}),
		...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
		...options.env
	};
	const runId = randomBytes(3).toString('hex');
	log(`population: ${options.meetings} meeting(s) × ${options.participants} participants (run ${runId})…`);
	const fixture = await seed(env, options, runId);
	let server: ServerProcess;
	if (options.url) {
		const token = options.metricsToken ?? process.env.METRICS_TOKEN ?? '';
		server = runningServer(options.url, token);
		log(`the server at ${server.origin}: CPU and memory from its /metrics${token ? '' : ' (no METRICS_TOKEN given: none)'}`);
	} else {
		log('starting the server (node server/tools/start.ts; it builds first if the sources changed)…');
		server = await startServer(env);
	}
	const botErrors: string[] = [];
	try {
		if (options.warmUp) await warmUp(server, fixture);
		await settle(3000);
		const before = memory(server, await scrape(server));
		const workerPids = server.pid === null ? [] : childProcesses(server.pid, 'mediasoup-work');
		if (server.pid !== null) log(`server ${server.origin} (pid ${server.pid}, ${workerPids.length} mediasoup worker(s)); RSS ${mb(before.rssBytes)}`);

		// The bots, in host processes (whole meetings each); chairs first everywhere, so
		// that moderators are in to let the guests in, then everyone.
		const { participants, publishers, receiveLayer, guests, joinConcurrency, caseSeconds } = options;
		const hosts = await startHosts(fixture, server.origin, { participants, publishers, receiveLayer, guests, joinConcurrency, caseSeconds, hosts: options.hosts });
		const { times: joinTimes, failures: joinFailures } = await joinEveryone(hosts);
		const bots = options.meetings * options.participants;
		const joined = joinTimes.length;
		log(`${joined}/${bots} bots joined in ${hosts.length} bot process(es) (join p50 ${ms(summarize(joinTimes).p50)}, p95 ${ms(summarize(joinTimes).p95)}); ${joinFailures.length} refused`);
		if (options.live) await Promise.all(hosts.map((host) => host.call({ type: 'live' })));
		else await Promise.all(hosts.map((host) => host.call({ type: 'sample' })));

		// Steady state: a sample every few seconds.
		const samples: Sample[] = [];
		const started = performance.now();
		let last = await sampleServer(server, workerPids);
		let peakRss = before;
		while (performance.now() - started < options.seconds * 1000) {
			await settle(Math.min(options.sampleSeconds * 1000, options.seconds * 1000 - (performance.now() - started)));
			const [now, hostSamples] = await Promise.all([sampleServer(server, workerPids), Promise.all(hosts.map((host) => host.call<HostSample>({ type: 'sample' })))]);
			const seconds = (now.at - last.at) / 1000;
			const packets = hostSamples.reduce((sum, h) => sum + h.packets, 0);
			const lost = hostSamples.reduce((sum, h) => sum + h.lost, 0);
			const sample: Sample = {
				at: (now.at - started) / 1000,
				joined: hostSamples.reduce((sum, h) => sum + h.joined, 0),
				consumers: hostSamples.reduce((sum, h) => sum + h.consumers, 0),
				receivedPps: packets / seconds,
				receivedKbps: hostSamples.reduce((sum, h) => sum + h.kbps, 0),
				lossPercent: packets + lost > 0 ? (100 * lost) / (packets + lost) : 0,
				workerCores: now.workers.map((w, i) => (last.workers[i] ? coresUsed(last.workers[i], w, seconds) : 0)),
				nodeCores: now.node && last.node ? coresUsed(last.node, now.node, seconds) : 0,
				botCores: hostSamples.reduce((sum, h) => sum + h.cpuSeconds, 0) / seconds,
				rssBytes: now.node?.rssBytes ?? 0,
				heapBytes: now.metrics ? metricValue(now.metrics, 'nodejs_heap_size_used_bytes') : null,
				eventLoopLagSeconds: now.metrics ? metricValue(now.metrics, 'nodejs_eventloop_lag_p99_seconds') : null,
				botLoopMaxMs: Math.max(0, ...hostSamples.map((h) => h.loopMaxMs))
			};
			samples.push(sample);
			if (sample.rssBytes > peakRss.rssBytes) peakRss = { rssBytes: sample.rssBytes, heapBytes: sample.heapBytes };
			log(progressLine(sample));
			last = now;
		}

		// Everybody leaves; then what is left on the server?
		const leftAt = new Date();
		const reports = await Promise.all(hosts.map((host) => host.call<HostReport>({ type: 'leave' })));
		for (const host of hosts) host.close();
		const signaling = summarize(reports.flatMap((r) => r.latencies));
		const fanout = { show: summarizeFanout(reports.map((r) => r.fanout.show)), pointer: summarizeFanout(reports.map((r) => r.fanout.pointer)) };
		const video = videoTotals(reports.flatMap((r) => r.videos));
		const counters = mergeCounters(reports.map((r) => r.live));
		botErrors.push(...reports.flatMap((r) => r.errors));
		await settle(5000);
		const metrics = await scrape(server);
		const after = memory(server, metrics);
		const leftBehind: Record<string, number> = {};
		for (const name of ['concerto_rooms', 'concerto_peers', 'concerto_transports', 'concerto_producers', 'concerto_consumers', 'concerto_sockets']) {
			const value = metrics ? metricValue(metrics, name) : null;
			if (value !== null) leftBehind[name.replace('concerto_', '')] = value;
		}
		const exit = await server.stop();
		if (exit !== 0) server.errors.push(`the server exited with code ${exit}`);
		leftBehind.openPresences = await openPresences(env, fixture, leftAt);
		const steadySamples = samples.length > 1 ? samples.slice(1) : samples;
		return {
			options: { ...options, log: undefined } as unknown as LoadResult['options'],
			bots,
			joined,
			joinFailures,
			join: summarize(joinTimes),
			signaling,
			fanout,
			samples,
			steady: average(steadySamples),
			memory: { before, during: peakRss, after },
			video,
			live: counters,
			botErrors,
			serverErrors: server.errors,
			leftBehind
		};
	} finally {
		await server.stop();
		if (!options.databaseUrl && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
	}
}

/** Opens the run's database (the embedded one only while its server is not running), for `task`. */
async function withDatabase<T>(env: Record<string, string>, task: (db: Database, storage: AttachmentStorage) => Promise<T>): Promise<T> {
	const config = loadConfig({ ...process.env, ...env });
	const database = await openDatabase(config.database);
	try {
		return await task(database.db, configuredStorage(config, database.db));
	} finally {
		await database.close();
	}
}

function seed(env: Record<string, string>, options: LoadOptions, runId: string): Promise<LoadFixture> {
	const cases = options.live ? Math.ceil(options.seconds / options.caseSeconds) + 1 : 1;
	return withDatabase(env, (db, storage) =>
		createLoadFixture(db, storage, {
			meetings: options.meetings + (options.warmUp ? 1 : 0),
			participants: options.participants,
			casesPerMeeting: cases,
			// A running server elsewhere reads documents from its own DATA_DIR.
			documents: !options.url || options.dataDir !== undefined,
			now: new Date(),
			runId
		})
	);
}

/** Two bots of the spare meeting join, exchange media for a few seconds and leave. */
async function warmUp(server: ServerProcess, fixture: LoadFixture): Promise<void> {
	const meeting = fixture.meetings.at(-1)!;
	const bots = meeting.accounts.slice(0, 2).map(
		(account, p) =>
			new Bot({
				origin: server.origin,
				credentials: { email: account.email, password: fixture.password },
				meetingId: meeting.meetingId,
				publish: true,
				receiveLayer: 0,
				label: `warm-up.${p + 1}`
			})
	);
	for (const bot of bots) {
		await bot.connect();
		await bot.enter();
	}
	await settle(4000);
	await Promise.all(bots.map((bot) => bot.leave()));
	fixture.meetings.pop();
}

interface Snapshot {
	at: number;
	node: ProcessSample | null;
	workers: ProcessSample[];
	metrics: MetricSample[] | null;
}

/** The server's /metrics now, or null when it does not answer. */
function scrape(server: ServerProcess): Promise<MetricSample[] | null> {
	return scrapeMetrics(server.origin, server.metricsToken).catch(() => null);
}

async function sampleServer(server: ServerProcess, workerPids: number[]): Promise<Snapshot> {
	const metrics = await scrape(server);
	if (server.pid === null) return { at: performance.now(), ...fromMetrics(metrics), metrics };
	return {
		at: performance.now(),
		node: sampleProcess(server.pid),
		workers: workerPids.map((pid) => sampleProcess(pid) ?? { pid, cpuSeconds: 0, rssBytes: 0 }),
		metrics
	};
}

/** A server the tool did not start: its CPU and memory as its /metrics give them. */
function fromMetrics(metrics: MetricSample[] | null): { node: ProcessSample | null; workers: ProcessSample[] } {
	if (!metrics) return { node: null, workers: [] };
	const node = {
		pid: 0,
		cpuSeconds: metricValue(metrics, 'process_cpu_seconds_total') ?? 0,
		rssBytes: metricValue(metrics, 'process_resident_memory_bytes') ?? 0
	};
	const workers = metrics
		.filter((s) => s.name === 'concerto_worker_cpu_seconds_total')
		.sort((a, b) => Number(a.labels.worker) - Number(b.labels.worker))
		.map((s) => ({ pid: Number(s.labels.pid), cpuSeconds: s.value, rssBytes: 0 }));
	return { node, workers };
}

function memory(server: ServerProcess, metrics: MetricSample[] | null): MemoryFigure {
	const rss = server.pid === null ? (metrics ? metricValue(metrics, 'process_resident_memory_bytes') : null) : sampleProcess(server.pid)?.rssBytes;
	return { rssBytes: rss ?? 0, heapBytes: metrics ? metricValue(metrics, 'nodejs_heap_size_used_bytes') : null };
}

function videoTotals(videos: VideoTotal[]): LoadResult['video'] {
	const packets = videos.reduce((sum, v) => sum + v.packets, 0);
	const lost = videos.reduce((sum, v) => sum + v.lost, 0);
	return {
		consumers: videos.length,
		silent: videos.filter((v) => v.frames === 0).length,
		maxGapMs: Math.max(0, ...videos.map((v) => v.maxGapMs)),
		longGaps: videos.reduce((sum, v) => sum + v.longGaps, 0),
		freezes: videos.reduce((sum, v) => sum + v.freezes, 0),
		freezeMs: videos.reduce((sum, v) => sum + v.freezeMs, 0),
		lossPercent: packets + lost > 0 ? (100 * lost) / (packets + lost) : 0,
		jitterMs: videos.length ? videos.reduce((sum, v) => sum + v.jitterMs, 0) / videos.length : 0
	};
}

/** Presences of the run's meetings still open, or closed only after everybody had left (by the shutdown). */
function openPresences(env: Record<string, string>, fixture: LoadFixture, leftAt: Date): Promise<number> {
	const late = new Date(leftAt.getTime() + 4000);
	return withDatabase(env, async (db) => {
		const rows = await db
			.select({ id: roomPresences.id })
			.from(roomPresences)
			.where(
				and(
					inArray(roomPresences.meetingId, fixture.meetings.map((m) => m.meetingId)),
					or(isNull(roomPresences.leftAt), gt(roomPresences.leftAt, late))
				)
			);
		return rows.length;
	});
}

function average(samples: Sample[]): Omit<Sample, 'at'> {
	const mean = (pick: (s: Sample) => number | null) => {
		const values = samples.map(pick).filter((v): v is number => v !== null);
		return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
	};
	const workers = samples[0]?.workerCores.length ?? 0;
	return {
		joined: mean((s) => s.joined),
		consumers: mean((s) => s.consumers),
		receivedPps: mean((s) => s.receivedPps),
		receivedKbps: mean((s) => s.receivedKbps),
		lossPercent: mean((s) => s.lossPercent),
		workerCores: Array.from({ length: workers }, (_, i) => mean((s) => s.workerCores[i])),
		nodeCores: mean((s) => s.nodeCores),
		botCores: mean((s) => s.botCores),
		rssBytes: Math.max(0, ...samples.map((s) => s.rssBytes)),
		heapBytes: mean((s) => s.heapBytes),
		eventLoopLagSeconds: mean((s) => s.eventLoopLagSeconds),
		botLoopMaxMs: Math.max(0, ...samples.map((s) => s.botLoopMaxMs))
	};
}

export const settle = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));
export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
export const ms = (milliseconds: number) => `${Math.round(milliseconds)} ms`;
const pct = (cores: number) => `${Math.round(cores * 100)}%`;

export function progressLine(s: Sample): string {
	return [
		`[${s.at.toFixed(0).padStart(4)} s]`,
		`${s.joined} bots`,
		`${s.consumers} consumers`,
		`received ${(s.receivedPps / 1000).toFixed(1)} k packets/s ${(s.receivedKbps / 1000).toFixed(1)} Mb/s`,
		`loss ${s.lossPercent.toFixed(2)} %`,
		`CPU workers ${s.workerCores.map(pct).join(' ')}`,
		`node ${pct(s.nodeCores)}`,
		`bots ${pct(s.botCores)} (loop max ${Math.round(s.botLoopMaxMs)} ms)`,
		`RSS ${mb(s.rssBytes)}`
	].join(' · ');
}
