import { describe, expect, it } from 'vitest';
import { RequestBudget } from './budget.ts';

describe('a connection’s request budget', () => {
	it('allows a burst, then refuses until time refills it at the rate', () => {
		const budget = new RequestBudget(10, 5, 0);
		expect(Array.from({ length: 6 }, () => budget.take(0))).toEqual([true, true, true, true, true, false]);
		expect(budget.take(50)).toBe(false);
		expect(budget.take(100)).toBe(true);
		expect(budget.take(100)).toBe(false);
	});

	it('never holds more than the burst, however long the connection was quiet', () => {
		const budget = new RequestBudget(10, 3, 0);
		const taken = Array.from({ length: 5 }, () => budget.take(60_000)).filter(Boolean).length;
		expect(taken).toBe(3);
	});
});
