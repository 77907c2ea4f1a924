import { afterEach, describe, expect, it } from 'vitest';
import { clock, ManualClock, setClock, systemClock } from './clock.ts';

describe('the process clock', () => {
	afterEach(() => setClock(undefined));

	it('reads the system clock unless a test sets another', () => {
		const before = Date.now();
		const read = clock.now().getTime();
		expect(read).toBeGreaterThanOrEqual(before);
		expect(read).toBeLessThanOrEqual(Date.now());
		expect(systemClock.now()).toBeInstanceOf(Date);
	});

	it('reads a manual clock once set, and the system clock again once cleared', () => {
		const manual = new ManualClock('2031-02-28T23:59:59.000Z');
		setClock(manual);
		expect(clock.now().toISOString()).toBe('2031-02-28T23:59:59.000Z');
		manual.advance(1000);
		expect(clock.now().toISOString()).toBe('2031-03-01T00:00:00.000Z');
		// A correction backwards (NTP, a resumed VM) is just another instant.
		manual.set('2031-02-28T12:00:00.000Z');
		expect(clock.now().toISOString()).toBe('2031-02-28T12:00:00.000Z');
		setClock(undefined);
		expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
	});

	it('hands out copies: changing a Date it returned does not move the clock', () => {
		const manual = new ManualClock('2030-01-01T00:00:00Z');
		manual.now().setUTCFullYear(1999);
		expect(manual.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
	});

	it('refuses what is not an instant', () => {
		expect(() => new ManualClock('31/12/2030')).toThrow(/not an instant: 31\/12\/2030/);
		expect(() => new ManualClock(0).set('never')).toThrow(/not an instant: never/);
	});
});
