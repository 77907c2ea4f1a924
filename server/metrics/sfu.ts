/**
 * The SFU as Prometheus sees it, read from the live objects at each scrape: rooms,
 * peers, transports, producers and consumers of this node, the mediasoup workers and the
 * CPU time they used, and the packet loss on what browsers send.
 *
 * Cost of a scrape: walking the rooms in memory, one request to each worker (CPU time)
 * and one to each producer (its receive stats: about three per participant). Consumers
 * (one per participant and track received) are not asked: their score, which mediasoup
 * keeps up to date from the browsers' receiver reports, stands for the quality received.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'mediasoup/types';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Peer } from '../sfu/peer.ts';
import type { RoomRegistry } from '../sfu/rooms.ts';
import type { WorkerPool } from '../sfu/workers.ts';
import { InboundRtpTally } from './inbound-rtp.ts';

const KINDS = ['audio', 'video'] as const;
/** mediasoup scores a stream from 0 (unusable) to 10 (no loss). */
const SCORES = Array.from({ length: 11 }, (_, score) => String(score));
/** How long a scrape waits for a worker's answer (CPU time, stats) before leaving it out. */
const WORKER_ANSWER_MS = 2_000;

/** Registers the SFU's metrics; returns what stops them (the worker-death listener). */
export function observeSfu(registry: Registry, rooms: RoomRegistry, workers: WorkerPool): () => void {
	const registers = [registry];
	const peers = function* (): Generator<Peer> {
		for (const roomId of rooms.ids()) yield* rooms.get(roomId)?.peers() ?? [];
	};

	new Gauge({
		name: 'concerto_rooms',
		help: 'Meeting rooms open on this node',
		registers,
		collect() {
			this.set(rooms.size);
		}
	});
	new Gauge({
		name: 'concerto_peers',
		help: 'Participants in the rooms of this node, connected or waiting to reconnect',
		labelNames: ['state'],
		registers,
		collect() {
			const all = [...peers()];
			const reconnecting = all.filter((peer) => peer.reconnecting).length;
			this.set({ state: 'connected' }, all.length - reconnecting);
			this.set({ state: 'reconnecting' }, reconnecting);
		}
	});
	new Gauge({
		name: 'concerto_transports',
		help: 'WebRTC transports of the participants (usually two each: send and receive)',
		registers,
		collect() {
			this.set([...peers()].reduce((sum, peer) => sum + peer.transports.size, 0));
		}
	});
	/** A gauge of tracks by kind, from each peer's producers or consumers. */
	const tracksByKind = (name: string, help: string, tracks: (peer: Peer) => Iterable<{ kind: string }>) =>
		new Gauge({
			name,
			help,
			labelNames: ['kind'],
			registers,
			collect() {
				const counts = new Map<string, number>(KINDS.map((kind) => [kind, 0]));
				for (const peer of peers()) for (const track of tracks(peer)) counts.set(track.kind, (counts.get(track.kind) ?? 0) + 1);
				for (const [kind, count] of counts) this.set({ kind }, count);
			}
		});
	tracksByKind('concerto_producers', 'Tracks the participants send (microphone, camera, screen)', (peer) => peer.producers.values());
	tracksByKind('concerto_consumers', 'Tracks the participants receive', (peer) => peer.consumers.values());
	new Gauge({
		name: 'concerto_consumers_by_score',
		help: 'Tracks being received (not paused), by mediasoup score of what reaches the browser: 10 no loss, 0 unusable',
		labelNames: ['score'],
		registers,
		collect() {
			const counts = new Map(SCORES.map((score) => [score, 0]));
			for (const peer of peers()) {
				for (const consumer of peer.consumers.values()) {
					if (consumer.paused || consumer.producerPaused) continue;
					const score = String(Math.round(consumer.score.score));
					counts.set(score, (counts.get(score) ?? 0) + 1);
				}
			}
			for (const [score, count] of counts) this.set({ score }, count);
		}
	});

	new Gauge({
		name: 'concerto_workers',
		help: 'mediasoup worker processes, alive or dead (a dead one is replaced)',
		labelNames: ['state'],
		registers,
		collect() {
			const status = workers.status();
			this.set({ state: 'alive' }, status.filter((w) => w.alive).length);
			this.set({ state: 'dead' }, status.filter((w) => !w.alive).length);
		}
	});
	const deaths = new Counter({ name: 'concerto_worker_deaths_total', help: 'mediasoup workers that died', registers });
	const stopWatchingDeaths = workers.onWorkerDeath(() => deaths.inc());
	new Counter({
		name: 'concerto_worker_cpu_seconds_total',
		help: 'CPU time (user and system) used by each mediasoup worker since it started; worker is its slot, kept by a replacement',
		labelNames: ['worker', 'pid'],
		registers,
		async collect() {
			const live = workers.liveWorkers();
			const usage = await Promise.all(live.map(({ worker }) => within(worker.getResourceUsage(), WORKER_ANSWER_MS)));
			// Read first, then replace the figures at once: a concurrent scrape cannot add them twice.
			this.reset();
			live.forEach(({ slot, worker }, i) => {
				const used = usage[i];
				if (used) this.inc({ worker: String(slot), pid: String(worker.pid) }, (used.ru_utime + used.ru_stime) / 1000);
			});
		}
	});

	const tally = new InboundRtpTally();
	const received = new Counter({
		name: 'concerto_inbound_rtp_packets_total',
		help: 'RTP packets the SFU received from browsers',
		labelNames: ['kind'],
		registers,
		collect: () => readInbound()
	});
	const lost = new Counter({
		name: 'concerto_inbound_rtp_packets_lost_total',
		help: 'RTP packets browsers sent that never reached the SFU (expected minus received, as RTCP counts them)',
		labelNames: ['kind'],
		registers,
		collect: () => readInbound()
	});
	for (const kind of KINDS) {
		received.inc({ kind }, 0);
		lost.inc({ kind }, 0);
	}
	// Both counters come from the same stats: one reading serves the two collections of a scrape.
	let reading: Promise<void> | undefined;
	const readInbound = () =>
		(reading ??= (async () => {
			const producers: Producer[] = [...peers()].flatMap((peer) => [...peer.producers.values()]);
			const stats = await Promise.all(producers.map((producer) => within(producer.getStats(), WORKER_ANSWER_MS)));
			producers.forEach((producer, i) => {
				const streams = stats[i];
				if (!streams) return;
				const gained = tally.gain(producer, streams);
				received.inc({ kind: producer.kind }, gained.packets);
				lost.inc({ kind: producer.kind }, gained.lost);
			});
		})().finally(() => (reading = undefined)));

	return stopWatchingDeaths;
}

/** The answer, or undefined when it fails or takes longer than `ms` (a busy or dying worker). */
async function within<T>(answer: Promise<T>, ms: number): Promise<T | undefined> {
	const done = new AbortController();
	const late = sleep(ms, undefined, { signal: done.signal }).catch(() => undefined);
	try {
		return await Promise.race([answer.catch(() => undefined), late]);
	} finally {
		done.abort();
	}
}
