import { describe, expect, it } from 'vitest';
import { balanced, spread } from './balance.ts';

describe('the balance between nodes', () => {
	it('measures the difference against the smaller node, so that each is within the tolerance of the other', () => {
		expect(spread([120, 100])).toBeCloseTo(0.2);
		expect(balanced([120, 100])).toBe(true);
		// 100 is within 20 % of 125, but 125 is 25 % above 100.
		expect(balanced([100, 125])).toBe(false);
	});

	it('takes the extremes of more than two nodes', () => {
		expect(spread([100, 110, 130])).toBeCloseTo(0.3);
		expect(balanced([100, 110, 118])).toBe(true);
	});

	it('counts equal nodes as balanced, idle ones included, and a node with nothing beside a busy one as not', () => {
		expect(spread([4, 4])).toBe(0);
		expect(balanced([0, 0])).toBe(true);
		expect(spread([0, 3])).toBe(Infinity);
		expect(balanced([0, 3])).toBe(false);
	});

	it('has nothing to compare with one node', () => {
		expect(balanced([7])).toBe(true);
	});
});
