import { describe, expect, it } from 'vitest';
import { FanoutLog, LATE_MS } from './fanout.ts';

describe('the presenter fan-out log', () => {
	it('times each receiver and, per command, the last of them', () => {
		const log = new FanoutLog();
		log.sent('page-2', ['a', 'b', 'c'], 100);
		log.received('page-2', 'b', 103);
		log.received('page-2', 'a', 101);
		log.received('page-2', 'c', 108);
		expect(log.figures(200)).toEqual({ lastMs: [8], eachMs: [3, 1, 8], incomplete: 0 });
	});

	it('ignores the sender’s echo, repeats and commands it never saw sent', () => {
		const log = new FanoutLog();
		log.sent('k', ['a'], 0);
		log.received('k', 'presenter', 1);
		log.received('other', 'a', 2);
		log.received('k', 'a', 4);
		log.received('k', 'a', 9);
		expect(log.figures(10)).toEqual({ lastMs: [4], eachMs: [4], incomplete: 0 });
	});

	it('counts a command some receiver never got as incomplete once it is late, not while in flight', () => {
		const log = new FanoutLog();
		log.sent('k', ['a', 'b'], 0);
		log.received('k', 'a', 5);
		expect(log.figures(LATE_MS - 1).incomplete).toBe(0);
		expect(log.figures(LATE_MS)).toEqual({ lastMs: [], eachMs: [5], incomplete: 1 });
		log.received('k', 'b', LATE_MS + 1);
		expect(log.figures(LATE_MS + 2).lastMs).toEqual([]);
	});

	it('starts afresh when cleared', () => {
		const log = new FanoutLog();
		log.sent('k', ['a'], 0);
		log.received('k', 'a', 1);
		log.clear();
		expect(log.figures(LATE_MS * 2)).toEqual({ lastMs: [], eachMs: [], incomplete: 0 });
	});
});
