/**
 * What a benchmark must undo however it ends: processes it started, databases it
 * created. Undone in reverse order at the end, or at the first SIGINT or SIGTERM (then the
 * process exits with 130). A second signal exits at once: the nodes, HAProxy, Redis and
 * the bot processes are then killed by their own exit hooks, but a database may stay
 * (its name starts with `concerto_bench_`).
 */
const STEP_TIMEOUT_MS = 45_000;

interface Step {
	name: string;
	undo: () => Promise<unknown> | unknown;
	/** Set when the undoing started: whoever asks again waits for the same. */
	done?: Promise<void>;
}

export class Teardown {
	#steps: Step[] = [];
	#running?: Promise<void>;
	#log: (line: string) => void;
	/** A signal came: the run is being stopped. */
	interrupted = false;

	constructor(log: (line: string) => void) {
		this.#log = log;
		for (const signal of ['SIGINT', 'SIGTERM'] as const) {
			process.on(signal, () => {
				if (this.interrupted) process.exit(130);
				this.interrupted = true;
				this.#log(`\n${signal}: stopping what the benchmark started (again to exit at once)…`);
				void this.run().finally(() => process.exit(130));
			});
		}
	}

	/** Registers `undo`; returns what runs it now (once; a second call waits for the first) and forgets it. */
	add(name: string, undo: () => Promise<unknown> | unknown): () => Promise<void> {
		const step: Step = { name, undo };
		this.#steps.push(step);
		return () => this.#undo(step);
	}

	/** Undoes everything still registered, the latest first (one pass at a time). */
	run(): Promise<void> {
		this.#running ??= (async () => {
			while (this.#steps.length > 0) await this.#undo(this.#steps.at(-1)!);
		})().finally(() => (this.#running = undefined));
		return this.#running;
	}

	#undo(step: Step): Promise<void> {
		step.done ??= (async () => {
			let timer: NodeJS.Timeout | undefined;
			try {
				await Promise.race([
					Promise.resolve().then(step.undo),
					new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not done after ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS)))
				]);
			} catch (error) {
				this.#log(`could not ${step.name}: ${(error as Error).message}`);
			} finally {
				clearTimeout(timer);
				this.#steps = this.#steps.filter((s) => s !== step);
			}
		})();
		return step.done;
	}
}
