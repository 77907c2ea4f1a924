/**
 * A connection's request budget (a token bucket): `burst` requests at once, then `rate`
 * per second. A browser entering a meeting of 20 sends about a hundred requests in its
 * first second (transports, a consumer and its resume per track, layers), the presenter's
 * pointer some 20 per second; a client past the budget is answered `rate-limited` without
 * the request being looked at, so that a runaway or hostile client costs the node little
 * and the others keep their media.
 */
export const REQUEST_RATE_PER_SECOND = 60;
export const REQUEST_BURST = 400;

export class RequestBudget {
	readonly #rate: number;
	readonly #burst: number;
	#tokens: number;
	#at: number;

	constructor(rate = REQUEST_RATE_PER_SECOND, burst = REQUEST_BURST, now = performance.now()) {
		this.#rate = rate;
		this.#burst = burst;
		this.#tokens = burst;
		this.#at = now;
	}

	/** Spends one request; false when the budget is exhausted. */
	take(now = performance.now()): boolean {
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
		this.#at = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
