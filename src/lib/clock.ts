/**
 * The one place Concerto reads the time. Services, routes, socket handlers and the
 * database's insert defaults ask `clock.now()`; the domain's date rules take the instant
 * as a parameter. Tests move it with `setClock` (a `ManualClock`), or move the whole
 * stack's clock with `faketime` (the system clock is read through `Date`).
 *
 * Why globalThis: SvelteKit bundles its own copy of the modules under src/, beside the one
 * `server/` imports, and both must read the same clock. In a browser it is the browser's.
 *
 * Deadlines and expiries are compared with `now`, never counted down in memory, so a clock
 * that jumps (NTP, a resumed VM) changes what is open at that instant and nothing else.
 */

/** A source of the current instant. */
export interface Clock {
	now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until a test moves it. */
export class ManualClock implements Clock {
	#at: number;

	constructor(at: Date | string | number) {
		this.#at = new Date(at).getTime();
		if (Number.isNaN(this.#at)) throw new RangeError(`ManualClock: not an instant: ${String(at)}`);
	}

	now(): Date {
		return new Date(this.#at);
	}

	/** Puts the clock at an instant (forwards or backwards, as a clock correction would). */
	set(at: Date | string | number): void {
		const next = new Date(at).getTime();
		if (Number.isNaN(next)) throw new RangeError(`ManualClock: not an instant: ${String(at)}`);
		this.#at = next;
	}

	/** Moves the clock by `ms` milliseconds (negative: backwards). */
	advance(ms: number): void {
		this.#at += ms;
	}
}

const KEY = Symbol.for('concerto.clock');
type Holder = { [KEY]?: Clock };

/** The process's clock: `clock.now()` is the current instant. */
export const clock: Clock = {
	now: () => ((globalThis as Holder)[KEY] ?? systemClock).now()
};

/** Replaces the process's clock; `undefined` gives the system clock back. */
export function setClock(next: Clock | undefined): void {
	(globalThis as Holder)[KEY] = next;
}

/**
 * Runs `work` with the clock standing at `at`, then puts the previous clock back (even
 * when `work` fails): for tools that replay past events through the services (the demo).
 */
export async function withClockAt<T>(at: Date, work: () => Promise<T>): Promise<T> {
	const holder = globalThis as Holder;
	const previous = holder[KEY];
	holder[KEY] = new ManualClock(at);
	try {
		return await work();
	} finally {
		holder[KEY] = previous;
	}
}
