import { describe, expect, it } from 'vitest';
import { qualityOf } from './quality.ts';

describe('connection quality', () => {
	it('reads loss and round trip as a traffic light', () => {
		expect(qualityOf(0, 20)).toBe('good');
		expect(qualityOf(1.9, null)).toBe('good');
		expect(qualityOf(2, 20)).toBe('fair');
		expect(qualityOf(0, 300)).toBe('fair');
		expect(qualityOf(8, 20)).toBe('poor');
		expect(qualityOf(0.5, 650)).toBe('poor');
	});
});
