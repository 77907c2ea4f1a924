/**
 * A bot host: a child process of the load tool that runs the bots of some meetings (whole
 * meetings, so that each meeting's live scenario runs in one place) and answers the
 * tool's commands over IPC. Several hosts let the bots use every core, each with its own
 * event loop; the server's CPU is measured apart from all of them.
 *
 * Commands (each answered with the same `id`): join (chairs or the others), live,
 * reset (the steady state starts: round trips and fan-out so far are forgotten), sample,
 * leave. Started by hosts.ts with `fork`, never by hand.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Bot } from '../bots/bot.ts';
import { FanoutLog, type FanoutFigures } from '../bots/fanout.ts';
import { newLiveCounters, playMeeting } from '../bots/live.ts';
import type { TotalStats } from '../bots/receive-stats.ts';
import { BotRequestError, LatencyLog } from '../bots/signaling.ts';
import type { LoadMeeting } from './fixture.ts';

export interface HostSetup {
	origin: string;
	password: string;
	meetings: LoadMeeting[];
	/** Index of this host's first meeting in the run (for labels). */
	firstMeeting: number;
	participants: number;
	publishers: number;
	receiveLayer: number;
	guests: boolean;
	joinConcurrency: number;
	caseSeconds: number;
	/** How often the presenter turns a page (default 8 s). */
	pageSeconds?: number;
}

export type HostCommand =
	| { id: number; type: 'setup'; setup: HostSetup }
	| { id: number; type: 'join'; who: 'chairs' | 'others' }
	| { id: number; type: 'live' }
	| { id: number; type: 'reset' }
	| { id: number; type: 'sample' }
	| { id: number; type: 'leave' };

export interface HostSample {
	joined: number;
	consumers: number;
	packets: number;
	/** Packets missing from the received sequences in the interval. */
	lost: number;
	kbps: number;
	cpuSeconds: number;
	loopMaxMs: number;
}

/** What a video consumer received over the run, as its receiver counted it. */
export type VideoTotal = TotalStats;

export interface HostReport {
	videos: VideoTotal[];
	latencies: number[];
	/** The presenter's page turns (`doc:show` → `live:changed`) and pointer moves, until the others had them. */
	fanout: { show: FanoutFigures; pointer: FanoutFigures };
	errors: string[];
	live: ReturnType<typeof newLiveCounters>;
}

let setup: HostSetup;
let meetingBots: Bot[][] = [];
const latency = new LatencyLog();
const counters = newLiveCounters();
const fanout = { show: new FanoutLog(), pointer: new FanoutLog() };
const scenarios: { stop(): void }[] = [];
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

function botsOf(meeting: LoadMeeting, index: number): Bot[] {
	return meeting.accounts.map((account, p) => {
		const guest = setup.guests && setup.participants >= 3 && p === meeting.accounts.length - 1;
		return new Bot({
			origin: setup.origin,
			credentials: guest ? { invitationToken: meeting.guestToken } : { email: account.email, password: setup.password },
			meetingId: meeting.meetingId,
			publish: p < setup.publishers,
			receiveLayer: setup.receiveLayer,
			latency,
			label: `m${index + 1}.p${p + 1}${guest ? ' (guest)' : ''}`
		});
	});
}

async function join(bots: Bot[]): Promise<{ times: number[]; failures: { label: string; reason: string }[] }> {
	const times: number[] = [];
	const failures: { label: string; reason: string }[] = [];
	let next = 0;
	const worker = async () => {
		while (next < bots.length) {
			const bot = bots[next++];
			const started = performance.now();
			try {
				// A bot stuck in its entry is reported with the step it was at.
				let timer: NodeJS.Timeout | undefined;
				const stuck = new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new Error(`entry not done after 60 s (at: ${bot.step})`)), 60_000);
				});
				await Promise.race([(async () => {
					await bot.connect();
					await bot.enter();
				})(), stuck]).finally(() => clearTimeout(timer));
				times.push(performance.now() - started);
			} catch (error) {
				bot.state = 'failed';
				bot.failure = error instanceof BotRequestError ? error.reason : (error as Error).message;
				failures.push({ label: bot.options.label, reason: bot.failure });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(setup.joinConcurrency, bots.length) }, worker));
	return { times, failures };
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

let cpuMark = process.cpuUsage();

async function handle(command: HostCommand): Promise<unknown> {
	const all = () => meetingBots.flat();
	switch (command.type) {
		case 'setup':
			setup = command.setup;
			meetingBots = setup.meetings.map((meeting, i) => botsOf(meeting, setup.firstMeeting + i));
			return null;
		case 'join': {
			if (command.who === 'chairs') {
				const result = await join(meetingBots.map((bots) => bots[0]));
				for (const bots of meetingBots) admitGuests(bots[0]);
				return result;
			}
			const result = await join(meetingBots.flatMap((bots) => bots.slice(1)));
			// Without the live scenario, the chair speaks.
			for (const bots of meetingBots) bots[0].speaking = true;
			return result;
		}
		case 'live':
			for (const [m, bots] of meetingBots.entries()) {
				bots[0].speaking = false;
				const present = bots.filter((bot) => bot.state === 'joined');
				const pageMs = setup.pageSeconds === undefined ? undefined : setup.pageSeconds * 1000;
				scenarios.push(playMeeting(present, setup.meetings[m].caseIds, { caseMs: setup.caseSeconds * 1000, cookieOf: (bot) => bot.cookie, pageMs, fanout }, counters));
			}
			latency.clear();
			for (const bot of all()) bot.intervalStats();
			cpuMark = process.cpuUsage();
			loop.reset();
			return null;
		case 'reset':
			latency.clear();
			fanout.show.clear();
			fanout.pointer.clear();
			return null;
		case 'sample': {
			const now = performance.now();
			const sample: HostSample = { joined: 0, consumers: 0, packets: 0, lost: 0, kbps: 0, cpuSeconds: 0, loopMaxMs: loop.max / 1e6 };
			for (const bot of all()) {
				if (bot.state === 'joined') sample.joined += 1;
				for (const { stats } of bot.intervalStats(now)) {
					sample.consumers += 1;
					sample.packets += stats.packets;
					sample.kbps += stats.kbps;
					sample.lost += stats.lost;
				}
			}
			const cpu = process.cpuUsage(cpuMark);
			cpuMark = process.cpuUsage();
			sample.cpuSeconds = (cpu.user + cpu.system) / 1e6;
			loop.reset();
			return sample;
		}
		case 'leave': {
			for (const scenario of scenarios) scenario.stop();
			const now = performance.now();
			const report: HostReport = {
				videos: all()
					.filter((bot) => bot.state === 'joined')
					.flatMap((bot) => bot.totals(now).filter((t) => t.kind === 'video'))
					.map(({ totals }) => totals),
				latencies: latency.all(),
				fanout: { show: fanout.show.figures(now), pointer: fanout.pointer.figures(now) },
				errors: all().flatMap((bot) => bot.errors.map((e) => `${bot.options.label}: ${e}`)),
				live: counters
			};
			await Promise.all(all().map((bot) => bot.leave()));
			return report;
		}
	}
}

process.on('message', (command: HostCommand) => {
	handle(command).then(
		(result) => process.send!({ id: command.id, ok: true, result }),
		(error: unknown) => process.send!({ id: command.id, ok: false, error: (error as Error).message })
	);
});
process.on('disconnect', () => process.exit(0));
