/**
 * The pool of mediasoup workers (C++ processes) of this node: one per CPU core by
 * default. Rooms are placed on the least-loaded worker; a worker that dies is replaced,
 * and whoever hosted rooms on it is told so that it can rebuild them.
 */
import * as mediasoup from 'mediasoup';
import type { Worker, WorkerLogLevel } from 'mediasoup/types';
import type { Logger } from '../../src/lib/server/logger.ts';

export interface WorkerPoolSettings {
	numWorkers: number;
	logLevel: WorkerLogLevel;
}

/** One worker as seen by /healthz. */
export interface WorkerStatus {
	pid: number;
	alive: boolean;
	/** Routers (rooms) currently hosted. */
	routers: number;
}

type DeathListener = (dead: Worker, replacement: Worker | undefined) => void;

// Delays before retrying to start a replacement worker, then give up on that slot.
const RESPAWN_DELAYS_MS = [0, 500, 2000, 5000];

export class WorkerPool {
	readonly #workers: Worker[] = [];
	readonly #routerCounts = new Map<Worker, number>();
	readonly #deathListeners = new Set<DeathListener>();
	readonly #settings: WorkerPoolSettings;
	readonly #logger: Logger;
	#closed = false;

	private constructor(settings: WorkerPoolSettings, logger: Logger) {
		this.#settings = settings;
		this.#logger = logger;
	}

	static async start(settings: WorkerPoolSettings, logger: Logger): Promise<WorkerPool> {
		const pool = new WorkerPool(settings, logger);
		try {
			for (let i = 0; i < settings.numWorkers; i++) pool.#adopt(await pool.#spawn());
		} catch (error) {
			pool.close();
			throw error;
		}
		logger.info({ workers: pool.#workers.map((w) => w.pid), binary: mediasoup.workerBin }, 'mediasoup workers started');
		return pool;
	}

	/**
	 * The live worker hosting the fewest routers, preferring workers not in `avoid` (a large
	 * meeting spreads over workers); throws when none is alive.
	 */
	leastLoaded(avoid: readonly Worker[] = []): Worker {
		let best: Worker | undefined;
		const rank = (worker: Worker) => [avoid.includes(worker) ? 1 : 0, this.#load(worker)] as const;
		for (const worker of this.#workers) {
			if (worker.closed || worker.died) continue;
			if (!best) {
				best = worker;
				continue;
			}
			const [avoided, load] = rank(worker);
			const [bestAvoided, bestLoad] = rank(best);
			if (avoided < bestAvoided || (avoided === bestAvoided && load < bestLoad)) best = worker;
		}
		if (!best) throw new Error('No live mediasoup worker on this node');
		return best;
	}

	/** Counts a router against its worker's load until the router closes. */
	trackRouter(worker: Worker, router: { observer: { once(event: 'close', listener: () => void): unknown } }): void {
		this.#routerCounts.set(worker, this.#load(worker) + 1);
		router.observer.once('close', () => this.#routerCounts.set(worker, Math.max(0, this.#load(worker) - 1)));
	}

	/** Called when a worker dies, after its replacement (if any) is running. */
	onWorkerDeath(listener: DeathListener): () => void {
		this.#deathListeners.add(listener);
		return () => this.#deathListeners.delete(listener);
	}

	status(): WorkerStatus[] {
		return this.#workers.map((w) => ({ pid: w.pid, alive: !w.closed && !w.died, routers: this.#load(w) }));
	}

	/** The live workers with their slot (a replacement takes its predecessor's), for monitoring. */
	liveWorkers(): { slot: number; worker: Worker }[] {
		return this.#workers.flatMap((worker, slot) => (worker.closed || worker.died ? [] : [{ slot, worker }]));
	}

	close(): void {
		this.#closed = true;
		for (const worker of this.#workers) worker.close();
	}

	#load(worker: Worker): number {
		return this.#routerCounts.get(worker) ?? 0;
	}

	#spawn(): Promise<Worker> {
		return mediasoup.createWorker({ logLevel: this.#settings.logLevel });
	}

	#adopt(worker: Worker): void {
		this.#workers.push(worker);
		worker.on('died', (error) => void this.#replace(worker, error));
	}

	async #replace(dead: Worker, error: Error): Promise<void> {
		this.#logger.error({ pid: dead.pid, err: error }, 'mediasoup worker died');
		let replacement: Worker | undefined;
		for (const delay of RESPAWN_DELAYS_MS) {
			if (this.#closed) return;
			if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
			try {
				replacement = await this.#spawn();
				break;
			} catch (spawnError) {
				this.#logger.error({ err: spawnError }, 'could not start a replacement mediasoup worker');
			}
		}
		const slot = this.#workers.indexOf(dead);
		if (replacement) {
			this.#workers[slot] = replacement;
			replacement.on('died', (err) => void this.#replace(replacement, err));
			this.#logger.info({ deadPid: dead.pid, pid: replacement.pid }, 'mediasoup worker replaced');
		}
		this.#routerCounts.delete(dead);
		for (const listener of this.#deathListeners) listener(dead, replacement);
	}
}
