/**
 * One load run: a fresh data directory (or the PostgreSQL database given), the population
 * written to it, the server started in its own process, the bots joined meeting by
 * meeting, media and the live meeting for the time asked, then everybody leaves and the
 * run checks what the server kept. Used by `npm run load` (bench/load.ts), the capacity
 * benchmark (bench/sfu-capacity.ts) and the CI's short load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { and, inArray, isNull, gt, or } from 'drizzle-orm';
import { loadConfig } from '../../src/lib/server/config.ts';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { roomPresences } from '../../src/lib/server/db/schema.ts';
import { fileSystemStorage } from '../../src/lib/server/storage.ts';
import { Bot } from '../bots/bot.ts';
import { newLiveCounters, playMeeting, type LiveCounters } from '../bots/live.ts';
import { BotRequestError, LatencyLog } from '../bots/signaling.ts';
import { summarize as summarizeSamples, type Summary } from '../lib/stats.ts';
import { createLoadFixture, type LoadFixture, type LoadMeeting } from './fixture.ts';
import { scrapeMetrics, type MetricSample } from './metrics.ts';
import { startServer, type ServerProcess } from './server.ts';
import { childProcesses, coresUsed, ownCpuSeconds, sampleProcess, type ProcessSample } from './system.ts';

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
	/** Extra server environment (capacity settings, say). */
	env?: Record<string, string>;
	joinConcurrency: number;
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
}

export interface LoadResult {
	options: Omit<LoadOptions, 'log'>;
	bots: number;
	joined: number;
	joinFailures: { label: string; reason: string }[];
	join: Summary;
	/** Request round trips after every bot joined (the live meeting, layers, hands, chat). */
	signaling: Summary;
	samples: Sample[];
	/** Averages over the steady state (samples after the joins). */
	steady: Omit<Sample, 'at'>;
	memory: { before: MemoryFigure; during: MemoryFigure; after: MemoryFigure };
	/** Per receiving bot, video: worst freeze, frames, loss; per run: totals. */
	video: { consumers: number; silent: number; maxGapMs: number; freezes: number; freezeMs: number; lossPercent: number; jitterMs: number };
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

export const METRICS_TOKEN = `load-${randomBytes(12).toString('hex')}`;

/** Runs the load and returns what it measured; never throws for a bot's failure (it is reported). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	const { log } = options;
	const dataDir = mkdtempSync(join(tmpdir(), 'concerto-load-'));
	const env: Record<string, string> = {
		DATA_DIR: dataDir,
		MEDIASOUP_ANNOUNCED_ADDRESS: '127.0.0.1',
		METRICS_TOKEN,
		...(options.workers ? { MEDIASOUP_NUM_WORKERS: String(options.workers) } : {}),
		...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
		...options.env
	};
	const runId = randomBytes(3).toString('hex');
	const perMeeting = options.participants;
	log(`population: ${options.meetings} meeting(s) × ${perMeeting} participants (run ${runId})…`);
	const fixture = await seed(env, options, runId);
	log('starting the server (node server/tools/start.ts; it builds first if the sources changed)…');
	const server = await startServer(env);
	const latency = new LatencyLog();
	const botErrors: string[] = [];
	try {
		if (options.warmUp) await warmUp(server, fixture);
		await settle(3000);
		const before = await memory(server);
		const workerPids = childProcesses(server.pid, 'mediasoup-work');
		log(`server ${server.origin} (pid ${server.pid}, ${workerPids.length} mediasoup worker(s)); RSS ${mb(before.rssBytes)}`);

		// Join: chairs first (moderators let the guests in), then everyone, a few at a time.
		const joinTimes: number[] = [];
		const joinFailures: LoadResult['joinFailures'] = [];
		const meetingBots = fixture.meetings.map((meeting, m) => botsOf(meeting, m, fixture, server.origin, options, latency));
		const all = meetingBots.flat();
		const enter = async (bot: Bot) => {
			const started = performance.now();
			try {
				await bot.connect();
				await bot.enter();
				joinTimes.push(performance.now() - started);
			} catch (error) {
				bot.state = 'failed';
				bot.failure = error instanceof BotRequestError ? error.reason : (error as Error).message;
				joinFailures.push({ label: bot.options.label, reason: bot.failure });
			}
		};
		await pool(meetingBots.map((bots) => bots[0]), options.joinConcurrency, enter);
		for (const bots of meetingBots) admitGuests(bots[0]);
		await pool(meetingBots.flatMap((bots) => bots.slice(1)), options.joinConcurrency, enter);
		const joined = all.filter((bot) => bot.state === 'joined').length;
		log(`${joined}/${all.length} bots joined (join p50 ${ms(summarize(joinTimes).p50)}, p95 ${ms(summarize(joinTimes).p95)}); ${joinFailures.length} refused`);

		const counters = newLiveCounters();
		const scenarios = options.live
			? meetingBots.map((bots, m) =>
					playMeeting(bots.filter((bot) => bot.state === 'joined'), fixture.meetings[m].caseIds, { caseMs: options.caseSeconds * 1000, cookieOf: (bot) => bot.cookie }, counters)
				)
			: [];

		// Steady state: a sample every few seconds.
		latency.clear();
		for (const bot of all) bot.intervalStats();
		const samples: Sample[] = [];
		const started = performance.now();
		let last = await sampleAll(server, workerPids);
		let peakRss = before;
		while (performance.now() - started < options.seconds * 1000) {
			await settle(Math.min(options.sampleSeconds * 1000, options.seconds * 1000 - (performance.now() - started)));
			const now = await sampleAll(server, workerPids);
			const seconds = (now.at - last.at) / 1000;
			const receive = all.flatMap((bot) => bot.intervalStats());
			const packets = receive.reduce((sum, r) => sum + r.stats.packets, 0);
			const expectedLost = receive.reduce((sum, r) => sum + (r.stats.lossPercent * r.stats.packets) / Math.max(1e-9, 100 - r.stats.lossPercent), 0);
			const sample: Sample = {
				at: (now.at - started) / 1000,
				joined: all.filter((bot) => bot.state === 'joined').length,
				consumers: receive.length,
				receivedPps: packets / seconds,
				receivedKbps: receive.reduce((sum, r) => sum + r.stats.kbps, 0),
				lossPercent: packets + expectedLost > 0 ? (100 * expectedLost) / (packets + expectedLost) : 0,
				workerCores: now.workers.map((w, i) => (last.workers[i] ? coresUsed(last.workers[i], w, seconds) : 0)),
				nodeCores: now.node && last.node ? coresUsed(last.node, now.node, seconds) : 0,
				botCores: (now.bots - last.bots) / seconds,
				rssBytes: now.node?.rssBytes ?? 0,
				heapBytes: now.metrics ? metricValue(now.metrics, 'nodejs_heap_size_used_bytes') : null,
				eventLoopLagSeconds: now.metrics ? metricValue(now.metrics, 'nodejs_eventloop_lag_p99_seconds') : null
			};
			samples.push(sample);
			if (sample.rssBytes > peakRss.rssBytes) peakRss = { rssBytes: sample.rssBytes, heapBytes: sample.heapBytes };
			log(progressLine(sample));
			last = now;
		}
		const signaling = summarize(latency.all());
		const video = videoTotals(all);
		for (const bot of all) botErrors.push(...bot.errors.map((e) => `${bot.options.label}: ${e}`));

		// Everybody leaves; then what is left on the server?
		for (const scenario of scenarios) scenario.stop();
		const leftAt = new Date();
		await Promise.all(all.map((bot) => bot.leave()));
		await settle(5000);
		const after = await memory(server);
		const metrics = await scrapeMetrics(server.origin, METRICS_TOKEN).catch(() => null);
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
			bots: all.length,
			joined,
			joinFailures,
			join: summarize(joinTimes),
			signaling,
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
		if (!options.databaseUrl) rmSync(dataDir, { recursive: true, force: true });
	}
}

async function seed(env: Record<string, string>, options: LoadOptions, runId: string): Promise<LoadFixture> {
	const config = loadConfig({ ...process.env, ...env });
	const database = await openDatabase(config.database);
	try {
		const cases = options.live ? Math.ceil(options.seconds / options.caseSeconds) + 1 : 1;
		return await createLoadFixture(database.db, fileSystemStorage(config.dataDir), {
			meetings: options.meetings + (options.warmUp ? 1 : 0),
			participants: options.participants,
			casesPerMeeting: cases,
			now: new Date(),
			runId
		});
	} finally {
		await database.close();
	}
}

/** The bots of one meeting: accounts, and the guest last (from three participants). */
function botsOf(meeting: LoadMeeting, index: number, fixture: LoadFixture, origin: string, options: LoadOptions, latency: LatencyLog): Bot[] {
	return meeting.accounts.map((account, p) => {
		const guest = options.guests && options.participants >= 3 && p === meeting.accounts.length - 1;
		return new Bot({
			origin,
			credentials: guest ? { invitationToken: meeting.guestToken } : { email: account.email, password: fixture.password },
			meetingId: meeting.meetingId,
			publish: p < options.publishers,
			receiveLayer: options.receiveLayer,
			latency,
			label: `m${index + 1}.p${p + 1}${guest ? ' (guest)' : ''}`
		});
	});
}

/** The chair lets in whoever waits in the lobby (the guests). */
function admitGuests(chair: Bot): void {
	chair.onEvent((event, payload) => {
		if (event !== 'lobby:changed') return;
		for (const entry of (payload as { lobby: { participantKey: string }[] }).lobby) {
			void chair.request('lobby:admit', { participantKey: entry.participantKey }).catch(() => {});
		}
	});
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

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, items.length) }, async () => {
			while (next < items.length) await run(items[next++]);
		})
	);
}

interface Snapshot {
	at: number;
	node: ProcessSample | null;
	workers: ProcessSample[];
	bots: number;
	metrics: MetricSample[] | null;
}

async function sampleAll(server: ServerProcess, workerPids: number[]): Promise<Snapshot> {
	const metrics = await scrapeMetrics(server.origin, METRICS_TOKEN).catch(() => null);
	return {
		at: performance.now(),
		node: sampleProcess(server.pid),
		workers: workerPids.map((pid) => sampleProcess(pid) ?? { pid, cpuSeconds: 0, rssBytes: 0 }),
		bots: ownCpuSeconds(),
		metrics
	};
}

async function memory(server: ServerProcess): Promise<MemoryFigure> {
	const metrics = await scrapeMetrics(server.origin, METRICS_TOKEN).catch(() => null);
	return { rssBytes: sampleProcess(server.pid)?.rssBytes ?? 0, heapBytes: metrics ? metricValue(metrics, 'nodejs_heap_size_used_bytes') : null };
}

function metricValue(samples: MetricSample[], name: string): number | null {
	const matching = samples.filter((s) => s.name === name);
	return matching.length === 0 ? null : matching.reduce((sum, s) => sum + s.value, 0);
}

function videoTotals(bots: Bot[]): LoadResult['video'] {
	const now = performance.now();
	const videos = bots.filter((bot) => bot.state === 'joined').flatMap((bot) => bot.totals(now).filter((t) => t.kind === 'video'));
	const packets = videos.reduce((sum, v) => sum + v.totals.packets, 0);
	const lost = videos.reduce((sum, v) => sum + v.totals.lost, 0);
	return {
		consumers: videos.length,
		silent: videos.filter((v) => v.totals.frames === 0).length,
		maxGapMs: Math.max(0, ...videos.map((v) => v.totals.maxGapMs)),
		freezes: videos.reduce((sum, v) => sum + v.totals.freezes, 0),
		freezeMs: videos.reduce((sum, v) => sum + v.totals.freezeMs, 0),
		lossPercent: packets + lost > 0 ? (100 * lost) / (packets + lost) : 0,
		jitterMs: videos.length ? videos.reduce((sum, v) => sum + v.totals.jitterMs, 0) / videos.length : 0
	};
}

/** Presences of the run's meetings still open, or closed only after everybody had left (by the shutdown). */
async function openPresences(env: Record<string, string>, fixture: LoadFixture, leftAt: Date): Promise<number> {
	const config = loadConfig({ ...process.env, ...env });
	const database = await openDatabase(config.database);
	try {
		const late = new Date(leftAt.getTime() + 4000);
		const rows = await database.db
			.select({ id: roomPresences.id })
			.from(roomPresences)
			.where(
				and(
					inArray(roomPresences.meetingId, fixture.meetings.map((m) => m.meetingId)),
					or(isNull(roomPresences.leftAt), gt(roomPresences.leftAt, late))
				)
			);
		return rows.length;
	} finally {
		await database.close();
	}
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
		eventLoopLagSeconds: mean((s) => s.eventLoopLagSeconds)
	};
}

/** A summary of no samples is all zeros (no bot joined, no request was sent). */
function summarize(samples: number[]): Summary {
	return samples.length > 0 ? summarizeSamples(samples) : { n: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
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
		`bots ${pct(s.botCores)}`,
		`RSS ${mb(s.rssBytes)}`
	].join(' · ');
}
