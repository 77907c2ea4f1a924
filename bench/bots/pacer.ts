/**
 * How many frames are due at a fixed rate: a timer that fires late (a busy event loop)
 * sends the frames it missed, up to three at once, so that the load offered stays what
 * was asked; beyond that they are dropped, as a starved camera would.
 */
export class Pacer {
	readonly #interval: number;
	#start: number | null = null;
	#sent = 0;
	constructor(interval: number) {
		this.#interval = interval;
	}
	due(now: number): number {
		if (this.#start === null) this.#start = now - this.#interval;
		const due = Math.floor((now - this.#start) / this.#interval) - this.#sent;
		const sending = Math.min(due, 3);
		// Frames beyond three are given up for good.
		this.#sent += due > 3 ? due : sending;
		return Math.max(0, sending);
	}
}
