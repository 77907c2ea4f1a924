/**
 * The timeline of one join, for bench/join-first-frame.ts: when each step happened, in
 * milliseconds after the click on "Rejoindre la réunion".
 *
 * Three sources, on one clock (the machine's wall clock, read with sub-millisecond
 * resolution through `performance.timeOrigin + performance.now()` in the page and here):
 *
 * - the page's own User Timing marks (`concerto:join:<step>`, src/lib/client/join-timeline.ts),
 *   which the page records because `preparePage` sets their localStorage flag;
 * - the page's RTCPeerConnections (ICE checking and connected, then connected: DTLS done),
 *   and the first frame the remote tile's <video> presents (`requestVideoFrameCallback`),
 *   watched by an init script;
 * - the server (`ServerTimeline`), in this process: each signaling request of the joiner
 *   (received, answered), the HTTP requests of any page, and through mediasoup's observer
 *   API the joiner's transports' ICE and DTLS states, its consumers (created, resumed,
 *   first RTP and first key frame sent, PLI received) and the senders' producers (PLI
 *   sent, key frame received); and the worst event-loop delay of the window.
 */
import type { Server as HttpServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as mediasoup from 'mediasoup';
import type { Consumer, Producer, WebRtcTransport } from 'mediasoup/types';
import type { Page } from 'playwright-core';
import type { SignalingServer, SignalingSocket } from '../../server/signaling/room-signaling.ts';

/** One step: when it happened (ms since the epoch, fractional). */
export interface TimelineEvent {
	step: string;
	at: number;
}

/** What each step means, in the order a join goes through them. Unlisted steps print as they are. */
const STEP_LABELS: [step: string, label: string][] = [
	['pointerdown', 'page: the pointer presses the button'],
	['click', 'page: click handled (pre-join form submitted)'],
	['handed-over', 'page: pre-join hands over its tracks'],
	['join-sent', 'page: room:join sent'],
	['join-ack', 'page: room:join answered'],
	['device-ready', 'page: Device loaded'],
	['sfu:transport-created:recv', 'sfu: recv transport created'],
	['transports-created', 'page: transport:create ×2 answered'],
	['sfu:consumer-created:video', 'sfu: video consumer created (paused)'],
	['consumer-created:video', 'page: consumer:create (video) answered'],
	['consumer-created:audio', 'page: consumer:create (audio) answered'],
	['recv-connect-sent', 'page: recv transport:connect sent'],
	['recv-connect-ack', 'page: recv transport:connect answered'],
	['consumed:video', 'page: video receiver set up'],
	['pc:recv:ice-checking', 'page: recv ICE checking'],
	['sfu:recv-ice-connected', 'sfu: recv ICE connected'],
	['pc:recv:ice-connected', 'page: recv ICE connected'],
	['sfu:recv-dtls-connected', 'sfu: recv DTLS connected'],
	['pc:recv:connected', 'page: recv connected (ICE + DTLS)'],
	['recv-connected', 'page: recv transport connected (mediasoup-client)'],
	['sfu:consumer-resumed:video', 'sfu: video consumer resumed'],
	['resumed:video', 'page: consumer:resume (video) answered'],
	['sfu:pli-to-sender', 'sfu: PLI sent to the sender (key frame request)'],
	['sfu:keyframe-from-sender', 'sfu: key frame received from the sender'],
	['sfu:first-rtp:video', 'sfu: first video RTP sent to the joiner'],
	['sfu:first-keyframe:video', 'sfu: first key frame sent to the joiner'],
	['sfu:pli-from-joiner', 'sfu: PLI received from the joiner'],
	['frame-presented', 'page: first remote frame presented (the measure)'],
	['produced:audio', 'page: own microphone produced'],
	['produced:video', 'page: own camera produced'],
	['sfu:send-dtls-connected', 'sfu: send DTLS connected'],
	['send-connected', 'page: send transport connected']
];

const FLAG = 'concerto:join-timeline';
const MARK_PREFIX = 'concerto:join:';

/**
 * Before the page's first navigation: turns the page's join marks on, and marks its
 * peer connections' states and the remote tile's first presented frame.
 */
export async function preparePage(page: Page): Promise<void> {
	await page.addInitScript(
		({ flag, prefix }) => {
			try {
				localStorage.setItem(flag, '1');
			} catch {
				return; // about:blank and other opaque origins
			}
			const mark = (step: string) => performance.mark(prefix + step);
			addEventListener('pointerdown', () => mark('pointerdown'), { capture: true });
			const sideOf = (pc: RTCPeerConnection) => {
				const directions = pc.getTransceivers().map((t) => t.direction);
				return directions.includes('recvonly') ? 'recv' : directions.includes('sendonly') ? 'send' : 'other';
			};
			const Native = window.RTCPeerConnection;
			class Marked extends Native {
				constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
					super(...args);
					this.addEventListener('iceconnectionstatechange', () => mark(`pc:${sideOf(this)}:ice-${this.iceConnectionState}`));
					this.addEventListener('connectionstatechange', () => mark(`pc:${sideOf(this)}:${this.connectionState}`));
				}
			}
			window.RTCPeerConnection = Marked;

			// The first video frame any remote tile's <video> presents.
			const watched = new WeakSet<HTMLVideoElement>();
			let presented = false;
			const onFrame = (video: HTMLVideoElement) => () => {
				if (presented) return;
				if (video.videoWidth === 0) return void video.requestVideoFrameCallback(onFrame(video));
				presented = true;
				mark('frame-presented');
			};
			const watch = () => {
				for (const video of document.querySelectorAll<HTMLVideoElement>('[data-testid="remote-tile"] video')) {
					if (watched.has(video)) continue;
					watched.add(video);
					video.requestVideoFrameCallback(onFrame(video));
				}
			};
			new MutationObserver(watch).observe(document, { childList: true, subtree: true });
		},
		{ flag: FLAG, prefix: MARK_PREFIX }
	);
}

/**
 * Waits until a remote tile has presented its first video frame; resolves with when it
 * did (ms since the epoch, fractional), as the P2P floor's callee measures it.
 */
export async function firstFramePresented(page: Page, timeoutMs = 15_000): Promise<number> {
	const name = `${MARK_PREFIX}frame-presented`;
	await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, name, { timeout: timeoutMs });
	return page.evaluate((mark) => performance.timeOrigin + performance.getEntriesByName(mark)[0].startTime, name);
}

/** The page's join marks, as events. */
export async function pageEvents(page: Page): Promise<TimelineEvent[]> {
	const marks = await page.evaluate((prefix) => {
		return performance
			.getEntriesByType('mark')
			.filter((mark) => mark.name.startsWith(prefix))
			.map((mark) => ({ step: mark.name.slice(prefix.length), at: performance.timeOrigin + mark.startTime }));
	}, MARK_PREFIX);
	return marks;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Watches every mediasoup worker this process creates (start it before the app's
 * workers). Between `begin()` and `end()` it records what happens to the transports
 * created in that window (the joiner's), their consumers, and the key frames of the
 * producers created before it (those the joiner receives).
 */
export class ServerTimeline {
	#events: TimelineEvent[] = [];
	#since = Infinity;
	readonly #loopDelay = monitorEventLoopDelay({ resolution: 5 });

	constructor() {
		mediasoup.observer.on('newworker', (worker) => {
			worker.observer.on('newrouter', (router) => {
				router.observer.on('newtransport', (transport) => {
					if (transport.type === 'webrtc') this.#watchTransport(transport as WebRtcTransport);
				});
			});
		});
	}

	/** Records the requests of the sockets `isJoiner` picks: `srv:<event>` when received, `srv:<event>:ack` when answered. */
	watchSignaling(io: SignalingServer, isJoiner: (socket: SignalingSocket) => boolean): void {
		io.on('connection', (socket) => {
			if (!isJoiner(socket)) return;
			socket.use((packet, next) => {
				const [event] = packet;
				const ack = packet.at(-1);
				this.#record(`srv:${event}`);
				if (typeof ack === 'function') {
					packet[packet.length - 1] = (...answer: unknown[]) => {
						this.#record(`srv:${event}:ack`);
						ack(...answer);
					};
				}
				next();
			});
		});
	}

	/** Records each HTTP request (`http:<method> <path>`), whoever makes it. */
	watchHttp(server: HttpServer): void {
		server.prependListener('request', (request) => this.#record(`http:${request.method} ${request.url?.split('?')[0]}`));
	}

	/** Starts a new window: the joiner's click is about to happen. */
	begin(): void {
		this.#events = [];
		this.#since = now();
		this.#loopDelay.reset();
		this.#loopDelay.enable();
	}

	/** The events of the window, which ends, and the longest the event loop was blocked (ms). */
	end(): { events: TimelineEvent[]; maxLoopDelayMs: number } {
		this.#since = Infinity;
		this.#loopDelay.disable();
		return { events: this.#events, maxLoopDelayMs: this.#loopDelay.max / 1e6 };
	}

	#record(step: string): void {
		const at = now();
		if (at >= this.#since) this.#events.push({ step, at });
	}

	#watchTransport(transport: WebRtcTransport): void {
		const joiner = now() >= this.#since;
		const direction = (transport.appData as { direction?: string }).direction ?? 'other';
		transport.observer.on('newproducer', (producer) => {
			if (!joiner) this.#watchSenderProducer(producer);
		});
		if (!joiner) return;
		this.#record(`sfu:transport-created:${direction}`);
		transport.on('icestatechange', (state) => {
			if (state === 'connected' || state === 'completed') this.#record(`sfu:${direction}-ice-connected`);
		});
		transport.on('dtlsstatechange', (state) => this.#record(`sfu:${direction}-dtls-${state}`));
		transport.observer.on('newconsumer', (consumer) => this.#watchJoinerConsumer(consumer));
	}

	/** A producer of someone already in the room: its key frames are what the joiner waits for. */
	#watchSenderProducer(producer: Producer): void {
		if (producer.kind !== 'video') return;
		void producer.enableTraceEvent(['keyframe', 'pli', 'fir']).catch(() => {});
		producer.on('trace', (trace) => {
			if (trace.type === 'pli' || trace.type === 'fir') this.#record('sfu:pli-to-sender');
			else if (trace.type === 'keyframe') this.#record('sfu:keyframe-from-sender');
		});
	}

	#watchJoinerConsumer(consumer: Consumer): void {
		const kind = consumer.kind;
		this.#record(`sfu:consumer-created:${kind}`);
		consumer.observer.on('resume', () => this.#record(`sfu:consumer-resumed:${kind}`));
		// Every RTP packet is traced until the first one: then only the rare ones.
		void consumer.enableTraceEvent(['rtp', 'keyframe', 'pli', 'fir']).catch(() => {});
		let firstRtp = true;
		consumer.on('trace', (trace) => {
			if ((trace.type === 'rtp' || trace.type === 'keyframe') && firstRtp) {
				firstRtp = false;
				this.#record(`sfu:first-rtp:${kind}`);
				void consumer.enableTraceEvent(['keyframe', 'pli', 'fir']).catch(() => {});
			}
			// A key frame is traced as such, not as 'rtp'.
			if (trace.type === 'keyframe') this.#record(`sfu:first-keyframe:${kind}`);
			else if (trace.type === 'pli' || trace.type === 'fir') this.#record('sfu:pli-from-joiner');
		});
	}
}

/** Each step's first occurrence, in ms after `startedAt`; steps before it are left out. */
export function offsets(events: TimelineEvent[], startedAt: number): Map<string, number> {
	const steps = new Map<string, number>();
	for (const { step, at } of [...events].sort((a, b) => a.at - b.at)) {
		if (at < startedAt - 1 || steps.has(step)) continue;
		steps.set(step, at - startedAt);
	}
	return steps;
}

/** The median of each step over the runs (those runs where it happened), in order of that median. */
export function timelineTable(runs: Map<string, number>[]): string {
	const steps = new Set(runs.flatMap((run) => [...run.keys()]));
	const labels = new Map(STEP_LABELS);
	const order = new Map(STEP_LABELS.map(([step], index) => [step, index]));
	const rows = [...steps].map((step) => {
		const values = runs.map((run) => run.get(step)).filter((v): v is number => v !== undefined);
		return { step, label: labels.get(step) ?? step, median: median(values), seen: values.length };
	});
	rows.sort((a, b) => a.median - b.median || (order.get(a.step) ?? 99) - (order.get(b.step) ?? 99));
	const width = Math.max(...rows.map((row) => row.label.length));
	return rows
		.map((row) => {
			const seen = row.seen === runs.length ? '' : `  (${row.seen}/${runs.length} runs)`;
			return `${row.label.padEnd(width)}  ${row.median.toFixed(0).padStart(5)} ms${seen}`;
		})
		.join('\n');
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
