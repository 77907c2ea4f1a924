/**
 * The rooms this node hosts. A room exists while someone is in it: the first join
 * creates it on the least-loaded worker, the last leave closes it. Lifecycle operations
 * of one room are serialised. When a worker dies, the rooms it carried are rebuilt on
 * live workers and their peers told to rebuild their media (`mediaReset`); a room that
 * cannot be rebuilt is closed (`room:closed`, `sfu-failure`).
 */
import type { Worker } from 'mediasoup/types';
import type { RoomClosedReason } from '../../src/lib/realtime/protocol.ts';
import type { RoomParticipant } from '../../src/lib/server/meeting-room.ts';
import type { Logger } from '../../src/lib/server/logger.ts';
import { admit, CpuPressure, type PressureSettings } from './capacity.ts';
import { SfuError } from './errors.ts';
import { MEDIA_CODECS, Room, type RoomEvents, type TransportSettings } from './room.ts';
import { KeyedSerialQueue } from './serial.ts';
import type { WorkerPool } from './workers.ts';

export interface RoomRegistryEvents extends RoomEvents {
	roomClosed(roomId: string, reason: RoomClosedReason): void;
}

/** What the node may carry (capacity.ts): consumers in all, and the CPU pressure thresholds. */
export interface CapacitySettings extends PressureSettings {
	maxConsumers: number;
}

export class RoomRegistry {
	readonly #rooms = new Map<string, Room>();
	readonly #lifecycle = new KeyedSerialQueue();
	readonly #workers: WorkerPool;
	readonly #settings: TransportSettings;
	readonly #maxPeers: number;
	readonly #maxPeersPerRouter: number;
	readonly #events: RoomRegistryEvents;
	readonly #logger: Logger;
	readonly #maxConsumers: number;
	readonly #pressure: CpuPressure | undefined;

	constructor(options: {
		workers: WorkerPool;
		settings: TransportSettings;
		maxPeers: number;
		maxPeersPerRouter: number;
		events: RoomRegistryEvents;
		logger: Logger;
		/** Without it, no node-wide limit and no layer lowering (tests of other things). */
		capacity?: CapacitySettings;
	}) {
		this.#workers = options.workers;
		this.#settings = options.settings;
		this.#maxPeers = options.maxPeers;
		this.#maxPeersPerRouter = options.maxPeersPerRouter;
		this.#events = options.events;
		this.#logger = options.logger;
		this.#workers.onWorkerDeath((dead) => this.#rebuildRoomsOn(dead));
		this.#maxConsumers = options.capacity?.maxConsumers ?? Number.POSITIVE_INFINITY;
		if (options.capacity) {
			this.#pressure = new CpuPressure(options.capacity, () => this.#workers.liveWorkers().map(({ worker }) => worker), (worker, cap, cpu) => {
				this.#logger.warn({ workerPid: worker.pid, cpu: Math.round(cpu * 100), layerCap: cap }, cap < 2 ? 'worker CPU pressure: forwarding lower simulcast layers' : 'worker CPU pressure easing: layers given back');
				for (const room of this.#rooms.values()) if (room.workers.includes(worker)) void room.applyLayerCap(worker, cap);
			});
			this.#pressure.start();
		}
	}

	/** The CPU pressure watch (tests drive it). */
	get pressure(): CpuPressure | undefined {
		return this.#pressure;
	}

	/** Tracks forwarded by this node now, all rooms together. */
	get consumerCount(): number {
		let consumers = 0;
		for (const room of this.#rooms.values()) consumers += room.consumerCount;
		return consumers;
	}

	/** The node's capacity in consumers (infinite when not configured). */
	get maxConsumers(): number {
		return this.#maxConsumers;
	}

	/** The room, if this node hosts it. */
	get(roomId: string): Room | undefined {
		return this.#rooms.get(roomId);
	}

	get size(): number {
		return this.#rooms.size;
	}

	/** The ids of the rooms this node hosts. */
	ids(): string[] {
		return [...this.#rooms.keys()];
	}

	/** Runs `task` in the room's lifecycle queue (after joins, leaves and rebuilds under way). */
	serially<T>(roomId: string, task: () => Promise<T> | T): Promise<T> {
		return this.#lifecycle.run(roomId, task);
	}

	/** Puts a peer in a room, creating the room if needed. */
	join(roomId: string, peerId: string, participant: RoomParticipant, rejoinSecret: string) {
		return this.#lifecycle.run(roomId, async () => {
			let room = this.#rooms.get(roomId);
			const existing = room && !room.closed ? room : undefined;
			const admission = admit(this.consumerCount, existing?.load, this.#maxConsumers);
			// A new room costs nothing at once, but is refused when the node is already full.
			if (!admission.ok || (!existing && admission.current >= this.#maxConsumers)) {
				this.#logger.warn({ roomId, consumers: admission.current, projected: admission.projected, capacity: admission.capacity }, 'node full: entry refused');
				throw new SfuError('server-full', `This node forwards ${admission.current} tracks; this entry would bring it to ${admission.projected}, over its capacity of ${admission.capacity}`);
			}
			if (!room || room.closed) {
				room = await Room.create(roomId, {
					settings: this.#settings,
					events: this.#events,
					routerSource: { createRouter: (id, avoid) => this.#createRouter(id, avoid) },
					maxPeers: this.#maxPeers,
					maxPeersPerRouter: this.#maxPeersPerRouter,
					layerCap: (worker) => this.#pressure?.capOf(worker) ?? 2
				});
				this.#rooms.set(roomId, room);
				this.#logger.info({ roomId, workers: room.workers.map((w) => w.pid) }, 'room opened');
			}
			const { peer, others } = await room.join(peerId, participant, rejoinSecret);
			return { room, peer, others };
		});
	}

	/** Takes a peer out of its room; closes the room when it was the last one. */
	leave(roomId: string, peerId: string): Promise<void> {
		return this.#lifecycle.run(roomId, () => {
			const room = this.#rooms.get(roomId);
			if (!room) return;
			room.leave(peerId);
			if (room.isEmpty) {
				room.close();
				this.#rooms.delete(roomId);
				this.#logger.info({ roomId }, 'room closed (empty)');
			}
		});
	}

	/** Ends one room for everyone in it, telling them why. */
	close(roomId: string, reason: RoomClosedReason): Promise<void> {
		return this.#lifecycle.run(roomId, () => {
			const room = this.#rooms.get(roomId);
			if (!room) return;
			this.#rooms.delete(roomId);
			this.#events.roomClosed(roomId, reason);
			room.close();
		});
	}

	/** Ends every room, telling its peers why. */
	async closeAll(reason: RoomClosedReason): Promise<void> {
		this.#pressure?.stop();
		await Promise.all([...this.#rooms.keys()].map((roomId) => this.close(roomId, reason)));
	}

	async #createRouter(roomId: string, avoid: readonly Worker[]) {
		const worker = this.#workers.leastLoaded(avoid);
		const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId } });
		this.#workers.trackRouter(worker, router);
		return { router, worker };
	}

	#rebuildRoomsOn(dead: Worker): void {
		for (const room of this.#rooms.values()) {
			if (!room.workers.includes(dead)) continue;
			this.#logger.warn({ roomId: room.id, workerPid: dead.pid }, 'mediasoup worker lost: rebuilding the room');
			void this.#lifecycle.run(room.id, async () => {
				if (this.#rooms.get(room.id) !== room) return;
				try {
					await room.rebuild();
					this.#logger.info({ roomId: room.id, workers: room.workers.map((w) => w.pid) }, 'room rebuilt');
				} catch (error) {
					this.#logger.error({ err: error, roomId: room.id }, 'could not rebuild the room');
					this.#rooms.delete(room.id);
					this.#events.roomClosed(room.id, 'sfu-failure');
					room.close();
				}
			});
		}
	}
}
