import { describe, expect, it } from 'vitest';
import { calendarYear, hoursOf, mergePresence, minutesPresent, openPresenceEnd, parisDate, parisYear, parisYearOf, presenceRoleLabel, presentSpecialties, type OpenEnd } from './attendance.ts';

const at = (time: string) => new Date(`2026-12-15T${time}:00Z`);
const span = (from: string, to: string | null) => ({ joinedAt: at(from), leftAt: to ? at(to) : null });
const shown = (intervals: ReturnType<typeof mergePresence>) =>
	intervals.map((i) => [i.from.toISOString().slice(11, 16), i.to.toISOString().slice(11, 16), i.assumedEnd]);
const MEETING_END: OpenEnd = { at: at('15:00'), kind: 'meeting-end' };

describe('merging a person’s presences', () => {
	it('makes overlapping and touching presences one interval, and keeps a gap as two', () => {
		const intervals = mergePresence([span('13:40', '14:00'), span('13:00', '13:30'), span('13:20', '13:35'), span('13:35', '13:38')], MEETING_END);
		expect(shown(intervals)).toEqual([
			['13:00', '13:38', null],
			['13:40', '14:00', null]
		]);
		expect(minutesPresent(intervals)).toBe(58);
	});

	it('ends an open presence at the given end and says so, unless a recorded one goes further', () => {
		expect(shown(mergePresence([span('13:00', '13:30'), span('13:10', null)], MEETING_END))).toEqual([['13:00', '15:00', 'meeting-end']]);
		expect(shown(mergePresence([span('13:10', null), span('13:00', '15:30')], MEETING_END))).toEqual([['13:00', '15:30', null]]);
		// Joined after the scheduled end and never left: there, but for no time at all.
		expect(shown(mergePresence([span('15:10', null)], MEETING_END))).toEqual([['15:10', '15:10', 'meeting-end']]);
	});

	it('rounds the total, not each interval', () => {
		const seconds = (from: string, to: string) => ({ joinedAt: new Date(`2026-12-15T${from}Z`), leftAt: new Date(`2026-12-15T${to}Z`) });
		expect(minutesPresent(mergePresence([seconds('13:00:00', '13:00:40'), seconds('13:10:00', '13:10:40')], MEETING_END))).toBe(1);
		expect(minutesPresent([])).toBe(0);
	});
});

describe('where open presences end', () => {
	const meeting = { startsAt: at('13:00'), durationMinutes: 120 };
	it('is now while the meeting runs, its scheduled end otherwise', () => {
		expect(openPresenceEnd({ ...meeting, status: 'live' }, at('16:00'))).toEqual({ at: at('16:00'), kind: 'now' });
		expect(openPresenceEnd({ ...meeting, status: 'scheduled' }, at('14:00'))).toEqual({ at: at('14:00'), kind: 'now' });
		expect(openPresenceEnd({ ...meeting, status: 'scheduled' }, at('16:00'))).toEqual({ at: at('15:00'), kind: 'meeting-end' });
		expect(openPresenceEnd({ ...meeting, status: 'closed' }, at('14:00'))).toEqual({ at: at('15:00'), kind: 'meeting-end' });
	});
});

describe('attendance figures', () => {
	it('counts physicians and distinct specialties, not pharmacists or unknown specialties as physicians', () => {
		expect(
			presentSpecialties([
				{ specialty: 'digestive-surgery' },
				{ specialty: 'medical-oncology' },
				{ specialty: 'digestive-surgery' },
				{ specialty: 'pharmacy' },
				{ specialty: null }
			])
		).toEqual({ physicians: 3, specialties: ['digestive-surgery', 'medical-oncology', 'pharmacy'] });
	});

	it('states hours to one decimal and roles in French', () => {
		expect([hoursOf(0), hoursOf(150), hoursOf(100), hoursOf(61)]).toEqual([0, 2.5, 1.7, 1]);
		expect([presenceRoleLabel('coordinator'), presenceRoleLabel('guest'), presenceRoleLabel('admin'), presenceRoleLabel('other')]).toEqual([
			'Médecin coordonnateur',
			'Invité',
			'Administrateur',
			'other'
		]);
	});

	it('reads calendar years in Paris time', () => {
		const { from, to } = parisYear(2026);
		expect([from.toISOString(), to.toISOString()]).toEqual(['2025-12-31T23:00:00.000Z', '2026-12-31T23:00:00.000Z']);
		expect(parisYearOf(new Date('2026-12-31T22:30:00Z'))).toBe(2026);
		expect(parisYearOf(new Date('2026-12-31T23:30:00Z'))).toBe(2027);
	});

	it('reads a year from a URL, or nothing', () => {
		expect(['2026', '1999', '20266', '2026.5', ' 2026', '', null].map(calendarYear)).toEqual([2026, null, null, null, null, null, null]);
	});
});

describe('the Paris year of an instant (yearly certificates)', () => {
	const year = (instant: string) => parisYearOf(new Date(instant));
	const span = (y: number) => [parisYear(y).from.toISOString(), parisYear(y).to.toISOString()];

	it('puts 31 December 2027 at 23:30 Paris (22:30 UTC) in 2027, and Paris midnight (23:00 UTC) in 2028', () => {
		expect(year('2027-12-31T22:30:00.000Z')).toBe(2027);
		expect(year('2027-12-31T22:59:59.999Z')).toBe(2027);
		expect(year('2027-12-31T23:00:00.000Z')).toBe(2028);
		expect(parisDate(new Date('2027-12-31T23:30:00.000Z'))).toBe('2028-01-01');
		expect(span(2028)[0]).toBe('2027-12-31T23:00:00.000Z');
	});

	it('runs a leap year over 366 days, from Paris midnight to Paris midnight, with 29 February inside', () => {
		expect(span(2028)).toEqual(['2027-12-31T23:00:00.000Z', '2028-12-31T23:00:00.000Z']);
		const { from, to } = parisYear(2028);
		expect((to.getTime() - from.getTime()) / 86_400_000).toBe(366);
		expect((parisYear(2027).to.getTime() - parisYear(2027).from.getTime()) / 86_400_000).toBe(365);
		// 29 February 2028 at 23:30 Paris is 22:30 UTC; at 00:30 Paris on 1 March it is still 29 February in UTC.
		expect(parisDate(new Date('2028-02-29T22:30:00.000Z'))).toBe('2028-02-29');
		expect(parisDate(new Date('2028-02-29T23:30:00.000Z'))).toBe('2028-03-01');
		expect(year('2028-02-29T12:00:00.000Z')).toBe(2028);
	});

	it('has consecutive years meet exactly, so each instant belongs to one certificate year', () => {
		expect(parisYear(2027).to).toEqual(parisYear(2028).from);
		expect(parisYear(2028).to).toEqual(parisYear(2029).from);
	});

	it('is not moved by the daylight-saving changes: both are inside the year, which always starts at 23:00 UTC', () => {
		expect(year('2027-03-28T01:30:00.000Z')).toBe(2027);
		expect(year('2027-10-31T01:30:00.000Z')).toBe(2027);
		expect(parisDate(new Date('2027-10-30T22:30:00.000Z'))).toBe('2027-10-31');
		expect(parisDate(new Date('2027-03-27T22:30:00.000Z'))).toBe('2027-03-27');
	});
});

describe('open presences at the edges', () => {
	// A meeting on Friday 31 December 2027, 18:00–22:00 Paris (17:00–21:00 UTC).
	const meeting = { startsAt: new Date('2027-12-31T17:00:00Z'), durationMinutes: 240 };

	it('ends open presences at the scheduled end from that exact instant on, and treats a clock moved back as "running" again', () => {
		const endAt = (instant: string) => openPresenceEnd({ ...meeting, status: 'scheduled' }, new Date(instant));
		expect(endAt('2027-12-31T20:59:59.999Z')).toEqual({ at: new Date('2027-12-31T20:59:59.999Z'), kind: 'now' });
		expect(endAt('2027-12-31T21:00:00.000Z')).toEqual({ at: new Date('2027-12-31T21:00:00.000Z'), kind: 'meeting-end' });
		expect(endAt('2027-12-31T20:30:00.000Z')).toEqual({ at: new Date('2027-12-31T20:30:00.000Z'), kind: 'now' });
	});
});
