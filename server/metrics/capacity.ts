/**
 * The node's load against its capacity (server/sfu/capacity.ts) and its connections:
 * `concerto_capacity_consumers` (what the node accepts before refusing entries,
 * `server-full`), `concerto_worker_layer_cap` (the highest simulcast layer a worker
 * forwards: 2 normally, lower under CPU pressure) and `concerto_sockets` (Socket.IO
 * connections open, in rooms, lobbies or before joining).
 */
import { Gauge, type Registry } from 'prom-client';
import type { RoomRegistry } from '../sfu/rooms.ts';
import type { WorkerPool } from '../sfu/workers.ts';

export function observeCapacity(registry: Registry, rooms: RoomRegistry, workers: WorkerPool, sockets: () => number): void {
	const registers = [registry];
	new Gauge({
		name: 'concerto_capacity_consumers',
		help: 'Tracks this node forwards before it refuses entries (server-full); +Inf when not limited',
		registers,
		collect() {
			this.set(rooms.maxConsumers);
		}
	});
	new Gauge({
		name: 'concerto_worker_layer_cap',
		help: 'Highest simulcast layer forwarded on each worker (2: all; lower under CPU pressure)',
		labelNames: ['worker'],
		registers,
		collect() {
			this.reset();
			for (const { slot, worker } of workers.liveWorkers()) this.set({ worker: String(slot) }, rooms.pressure?.capOf(worker) ?? 2);
		}
	});
	new Gauge({
		name: 'concerto_sockets',
		help: 'Socket.IO connections open on this node',
		registers,
		collect() {
			this.set(sockets());
		}
	});
}
