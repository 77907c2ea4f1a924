/**
 * `promise`, or a rejection with `timedOut()` (by default `Error('timeout')`) when it has
 * not settled within `ms`. The timer is cleared either way. The promise itself goes on;
 * only the wait ends.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, timedOut: () => Error = () => new Error('timeout')): Promise<T> {
	let timer: ReturnType<typeof setTimeout>;
	return Promise.race([
		promise.finally(() => clearTimeout(timer)),
		new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timedOut()), ms)))
	]);
}
