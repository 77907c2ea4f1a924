import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.ts';

describe('the bots’ frame pacing', () => {
	it('sends one frame per interval, catches up to three missed ones, and gives up beyond', () => {
		const pace = new Pacer(33);
		expect(pace.due(1000)).toBe(1);
		expect(pace.due(1010)).toBe(0);
		expect(pace.due(1033)).toBe(1);
		expect(pace.due(1033 + 66)).toBe(2);
		expect(pace.due(1033 + 66 + 330)).toBe(3);
		expect(pace.due(1033 + 66 + 330 + 33)).toBe(1);
	});
});
