/**
 * Saves what is being typed without saving every keystroke: changes are debounced, at
 * most one save is in flight, and when it returns the latest content (only the latest)
 * is saved after it. The server answers each save with a new version based on the one
 * before, so two saves racing each other would conflict with themselves.
 *
 * Also `throttle`, its sibling for live updates that must keep flowing while they
 * change (a presenter panning a document: a debounce would send nothing until they stop).
 */

/** What the owner hears about the saves. */
export interface AutosaveOptions<T, R> {
	/** Sends one content; resolves when the server kept it. */
	save: (content: T) => Promise<R>;
	/** Quiet time after the last change before saving (ms). */
	delayMs?: number;
	/** A save starts. */
	onSaving?: (content: T) => void;
	onSaved?: (result: R, content: T) => void;
	/**
	 * A save failed. Newer content waiting behind it is still saved afterwards, unless
	 * this calls `cancel()` (a conflict: the content must be reloaded first).
	 */
	onError?: (error: unknown, content: T) => void;
}

/** The quiet time of a typist between two words (ms). */
export const AUTOSAVE_DELAY_MS = 250;

export class Autosave<T, R = unknown> {
	readonly #options: AutosaveOptions<T, R>;
	readonly #delayMs: number;
	/** The newest content not yet sent, if any. */
	#pending: { content: T } | null = null;
	/** The debounce has elapsed for `#pending`: send it as soon as nothing is in flight. */
	#due = false;
	#inFlight = false;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#idle: (() => void)[] = [];

	constructor(options: AutosaveOptions<T, R>) {
		this.#options = options;
		this.#delayMs = options.delayMs ?? AUTOSAVE_DELAY_MS;
	}

	/** True while a change is waiting or being saved. */
	get busy(): boolean {
		return this.#pending !== null || this.#inFlight;
	}

	/** A new content: saved once the typing pauses (replaces any content still waiting). */
	schedule(content: T): void {
		this.#pending = { content };
		this.#due = false;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.#due = true;
			this.#next();
		}, this.#delayMs);
	}

	/** Saves what waits now, without the debounce; resolves once nothing is waiting or in flight. */
	flush(): Promise<void> {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		if (this.#pending) this.#due = true;
		this.#next();
		if (!this.busy) return Promise.resolve();
		return new Promise((resolve) => this.#idle.push(resolve));
	}

	/** Forgets the content still waiting (the one in flight, if any, still completes). */
	cancel(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#pending = null;
		this.#due = false;
		this.#settle();
	}

	/** Stops for good: nothing waiting is sent. */
	dispose(): void {
		this.cancel();
		this.#resolveIdle();
	}

	#next(): void {
		if (this.#inFlight || !this.#due || !this.#pending) return;
		const { content } = this.#pending;
		this.#pending = null;
		this.#due = false;
		this.#inFlight = true;
		this.#options.onSaving?.(content);
		void this.#options.save(content).then(
			(result) => this.#done(() => this.#options.onSaved?.(result, content)),
			(error: unknown) => this.#done(() => this.#options.onError?.(error, content))
		);
	}

	#done(report: () => void): void {
		this.#inFlight = false;
		try {
			report();
		} finally {
			this.#next();
			this.#settle();
		}
	}

	#settle(): void {
		if (!this.busy) this.#resolveIdle();
	}

	#resolveIdle(): void {
		const waiting = this.#idle;
		this.#idle = [];
		for (const resolve of waiting) resolve();
	}
}

/**
 * Paces a stream of live updates (a document being panned, a laser pointer): the first
 * goes at once, then at most one every `intervalMs`, and the last one always goes (late
 * by less than `intervalMs`). `flush` sends the waiting one now; `cancel` drops it.
 */
export interface Throttled<T> {
	(value: T): void;
	flush(): void;
	cancel(): void;
}

export function throttle<T>(send: (value: T) => void, intervalMs: number): Throttled<T> {
	let lastAt = -Infinity;
	let waiting: { value: T } | null = null;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const fire = () => {
		clearTimeout(timer);
		timer = undefined;
		if (!waiting) return;
		const { value } = waiting;
		waiting = null;
		lastAt = performance.now();
		send(value);
	};
	const throttled = ((value: T) => {
		waiting = { value };
		const wait = lastAt + intervalMs - performance.now();
		if (wait <= 0) fire();
		else timer ??= setTimeout(fire, wait);
	}) as Throttled<T>;
	throttled.flush = fire;
	throttled.cancel = () => {
		clearTimeout(timer);
		timer = undefined;
		waiting = null;
	};
	return throttled;
}
