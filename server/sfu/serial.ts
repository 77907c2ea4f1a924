/**
 * Runs tasks one after another per key (a room id): a join, a leave and a close of the
 * same room never interleave, while different rooms proceed in parallel.
 */
export class KeyedSerialQueue {
	readonly #tails = new Map<string, Promise<unknown>>();

	run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
		const previous = this.#tails.get(key) ?? Promise.resolve();
		const result = previous.then(task, task);
		const tail = result.then(
			() => undefined,
			() => undefined
		);
		this.#tails.set(key, tail);
		// Forget the key once nothing is queued behind this task.
		void tail.then(() => {
			if (this.#tails.get(key) === tail) this.#tails.delete(key);
		});
		return result;
	}

	/** Keys with queued or running work (for tests and diagnostics). */
	get pendingKeys(): number {
		return this.#tails.size;
	}
}
