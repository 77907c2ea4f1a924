/**
 * How much this node can carry, and what it does near the limit.
 *
 * Capacity is counted in consumers (one forwarded track to one participant), the unit
 * an SFU's work grows with: the node holds `consumersPerWorker` × its workers
 * (configurable; the default comes from bench/sfu-capacity.ts on a 2-core machine,
 * see docs/capacity.md). Before a participant enters, the node adds what the entry
 * would cost — they receive every track already published in the room, and everyone
 * present receives their microphone and camera — and refuses the entry (`server-full`)
 * when that would pass the capacity: better one clear refusal than everyone's picture
 * degrading.
 *
 * CPU pressure is watched per worker (its own CPU time, from mediasoup's resource
 * usage): above `highCpu` twice in a row, the node lowers the simulcast layer it
 * forwards on that worker's routers by one (to the middle layer, then the smallest);
 * below `lowCpu` three times in a row, it gives one layer back. Each consumer keeps the
 * layer its tile asked for, and gets it back when the pressure is gone.
 */
import type { Worker } from 'mediasoup/types';

/** The tracks a participant is assumed to publish when entering (microphone and camera). */
export const TRACKS_PER_NEWCOMER = 2;

export interface RoomLoad {
	peers: number;
	producers: number;
}

/** Consumers a newcomer adds to a room: theirs (every track there) and the others' (theirs). */
export function entryCost(room: RoomLoad | undefined): number {
	if (!room) return 0;
	return room.producers + room.peers * TRACKS_PER_NEWCOMER;
}

export interface Admission {
	ok: boolean;
	/** Consumers now, and after the entry. */
	current: number;
	projected: number;
	capacity: number;
}

export function admit(currentConsumers: number, room: RoomLoad | undefined, capacity: number): Admission {
	const projected = currentConsumers + entryCost(room);
	return { ok: projected <= capacity, current: currentConsumers, projected, capacity };
}

/** The highest simulcast layer (0 = smallest) forwarded on a worker, under pressure or not. */
export const FULL_LAYERS = 2;

export interface PressureSettings {
	/** Share of one core (0-1) above which a worker is under pressure. */
	highCpu: number;
	/** Share of one core below which the pressure is over. */
	lowCpu: number;
	/** How often the workers' CPU is read. */
	intervalMs: number;
}

interface WorkerReading {
	cpuMs: number;
	at: number;
	highs: number;
	lows: number;
	cap: number;
}

/**
 * Reads each worker's CPU time at an interval and decides the layer cap per worker.
 * `onChange` is told when a worker's cap moves (the rooms apply it to their consumers).
 */
export class CpuPressure {
	readonly #settings: PressureSettings;
	readonly #workers: () => Worker[];
	readonly #onChange: (worker: Worker, cap: number, cpu: number) => void;
	readonly #readings = new Map<Worker, WorkerReading>();
	#timer: NodeJS.Timeout | undefined;

	constructor(settings: PressureSettings, workers: () => Worker[], onChange: (worker: Worker, cap: number, cpu: number) => void) {
		this.#settings = settings;
		this.#workers = workers;
		this.#onChange = onChange;
	}

	start(): void {
		this.#timer = setInterval(() => void this.tick().catch(() => {}), this.#settings.intervalMs);
		this.#timer.unref();
	}

	stop(): void {
		clearInterval(this.#timer);
	}

	/** Whether some worker forwards lower layers now (the node is under CPU pressure). */
	capped(): boolean {
		return [...this.#readings.values()].some((reading) => reading.cap < FULL_LAYERS);
	}

	/** The highest layer forwarded on this worker now. */
	capOf(worker: Worker): number {
		return this.#readings.get(worker)?.cap ?? FULL_LAYERS;
	}

	/** One reading of every live worker (the timer calls it; tests call it with readings of their own). */
	async tick(now = performance.now(), usage?: (worker: Worker) => Promise<number>): Promise<void> {
		const read = usage ?? (async (worker: Worker) => {
			const u = await worker.getResourceUsage();
			return u.ru_utime + u.ru_stime;
		});
		const alive = this.#workers().filter((w) => !w.closed);
		for (const worker of this.#readings.keys()) if (!alive.includes(worker)) this.#readings.delete(worker);
		for (const worker of alive) {
			const cpuMs = await read(worker);
			const previous = this.#readings.get(worker);
			if (!previous) {
				this.#readings.set(worker, { cpuMs, at: now, highs: 0, lows: 0, cap: FULL_LAYERS });
				continue;
			}
			const cpu = now > previous.at ? (cpuMs - previous.cpuMs) / (now - previous.at) : 0;
			const reading: WorkerReading = { cpuMs, at: now, highs: 0, lows: 0, cap: previous.cap };
			if (cpu >= this.#settings.highCpu) reading.highs = previous.highs + 1;
			else if (cpu <= this.#settings.lowCpu) reading.lows = previous.lows + 1;
			if (reading.highs >= 2 && reading.cap > 0) {
				reading.cap -= 1;
				reading.highs = 0;
			} else if (reading.lows >= 3 && reading.cap < FULL_LAYERS) {
				reading.cap += 1;
				reading.lows = 0;
			}
			this.#readings.set(worker, reading);
			if (reading.cap !== previous.cap) this.#onChange(worker, reading.cap, cpu);
		}
	}
}
