/**
 * The rooms this node hosts. A room exists while someone is in it: the first join
 * creates it on the least-loaded worker, the last leave closes it. Lifecycle operations
 * of one room are serialised; when a worker dies, the rooms it carried are closed and
 * their peers told (`room:closed`), so that they can join again on a live worker.
 */
import type { Worker } from 'mediasoup/types';
import type { RoomClosedReason } from '../../src/lib/realtime/protocol.ts';
import type { Logger } from '../../src/lib/server/logger.ts';
import { Room, type RoomEvents, type TransportSettings } from './room.ts';
import { KeyedSerialQueue } from './serial.ts';
import type { WorkerPool } from './workers.ts';

export interface RoomRegistryEvents extends RoomEvents {
	roomClosed(roomId: string, reason: RoomClosedReason): void;
}

export class RoomRegistry {
	readonly #rooms = new Map<string, Room>();
	readonly #lifecycle = new KeyedSerialQueue();
	readonly #workers: WorkerPool;
	readonly #settings: TransportSettings;
	readonly #maxPeers: number;
	readonly #events: RoomRegistryEvents;
	readonly #logger: Logger;

	constructor(options: {
		workers: WorkerPool;
		settings: TransportSettings;
		maxPeers: number;
		events: RoomRegistryEvents;
		logger: Logger;
	}) {
		this.#workers = options.workers;
		this.#settings = options.settings;
		this.#maxPeers = options.maxPeers;
		this.#events = options.events;
		this.#logger = options.logger;
		this.#workers.onWorkerDeath((dead) => this.#closeRoomsOn(dead));
	}

	/** The room, if this node hosts it. */
	get(roomId: string): Room | undefined {
		return this.#rooms.get(roomId);
	}

	get size(): number {
		return this.#rooms.size;
	}

	/** Puts a peer in a room, creating the room if needed. */
	join(roomId: string, peerId: string, displayName: string) {
		return this.#lifecycle.run(roomId, async () => {
			let room = this.#rooms.get(roomId);
			if (!room || room.closed) {
				const worker = this.#workers.leastLoaded();
				room = await Room.create(roomId, worker, this.#settings, this.#events, this.#maxPeers);
				this.#workers.trackRouter(worker, room.router);
				this.#rooms.set(roomId, room);
				this.#logger.info({ roomId, workerPid: worker.pid }, 'room opened');
			}
			return { room, others: room.join(peerId, displayName) };
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

	/** Ends every room, telling its peers why. */
	async closeAll(reason: RoomClosedReason): Promise<void> {
		await Promise.all([...this.#rooms.keys()].map((roomId) => this.#close(roomId, reason)));
	}

	#close(roomId: string, reason: RoomClosedReason): Promise<void> {
		return this.#lifecycle.run(roomId, () => {
			const room = this.#rooms.get(roomId);
			if (!room) return;
			this.#rooms.delete(roomId);
			this.#events.roomClosed(roomId, reason);
			room.close();
		});
	}

	#closeRoomsOn(dead: Worker): void {
		for (const room of this.#rooms.values()) {
			if (room.worker !== dead) continue;
			this.#logger.warn({ roomId: room.id, workerPid: dead.pid }, 'room lost with its mediasoup worker');
			void this.#close(room.id, 'sfu-failure');
		}
	}
}
