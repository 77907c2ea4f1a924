import { describe, expect, it } from 'vitest';
import { formatCalendarDate, formatDateTime, formatDay, formatIns, formatTime } from './fiche-format.ts';

describe('fiche formatting', () => {
	it('writes instants on the Paris clock, winter and summer time', () => {
		expect(formatDateTime('2026-12-15T13:00:00.000Z')).toBe('mardi 15 décembre 2026 à 14:00');
		expect(formatDateTime('2026-07-07T12:30:00.000Z')).toBe('mardi 7 juillet 2026 à 14:30');
		expect(formatTime('2026-12-15T23:30:00.000Z')).toBe('00:30');
		expect(formatDay('2026-12-15T23:30:00.000Z')).toBe('mercredi 16 décembre 2026');
	});

	it('writes the first of the month as "1er"', () => {
		expect(formatDay('2027-01-01T09:00:00.000Z')).toBe('vendredi 1er janvier 2027');
		expect(formatDay('2026-12-31T23:30:00.000Z')).toBe('vendredi 1er janvier 2027');
	});

	it('writes birth dates as dd/MM/yyyy and the matricule INS in its printed groups', () => {
		expect(formatCalendarDate('1957-03-21')).toBe('21/03/1957');
		expect(formatIns('257037512345605')).toBe('2 57 03 75 123 456 05');
		expect(formatIns('180072A12345678')).toBe('1 80 07 2A 123 456 78');
		expect(formatIns('12345')).toBe('12345');
	});
});
