import { describe, expect, it } from 'vitest';
import {
	DeadlineRule,
	Recurrence,
	deadlineFor,
	easterSunday,
	frenchPublicHolidays,
	isWorkingDay,
	occurrencesBetween
} from './schedule.ts';

const iso = (dates: { start: Date }[]) => dates.map((o) => o.start.toISOString());

describe('occurrencesBetween', () => {
	const weeklyTuesday: Recurrence = {
		frequency: 'weekly',
		weekday: 2,
		time: '14:00',
		durationMinutes: 120,
		anchorDate: '2025-01-07'
	};

	it('gives 14:00 Paris as 13:00 UTC in winter and 12:00 UTC in summer', () => {
		const winter = occurrencesBetween(weeklyTuesday, new Date('2025-01-13T00:00Z'), new Date('2025-01-20T00:00Z'));
		expect(winter).toEqual([
			{ start: new Date('2025-01-14T13:00:00Z'), end: new Date('2025-01-14T15:00:00Z') }
		]);
		const summer = occurrencesBetween(weeklyTuesday, new Date('2025-07-14T00:00Z'), new Date('2025-07-21T00:00Z'));
		expect(iso(summer)).toEqual(['2025-07-15T12:00:00.000Z']);
	});

	it('keeps the local time across the spring DST change (30 March 2025)', () => {
		const around = occurrencesBetween(weeklyTuesday, new Date('2025-03-20T00:00Z'), new Date('2025-04-09T00:00Z'));
		expect(iso(around)).toEqual([
			'2025-03-25T13:00:00.000Z',
			'2025-04-01T12:00:00.000Z',
			'2025-04-08T12:00:00.000Z'
		]);
	});

	it('never returns meetings before the anchor, and treats `to` as exclusive', () => {
		const result = occurrencesBetween(weeklyTuesday, new Date('2024-12-01T00:00Z'), new Date('2025-01-14T13:00Z'));
		expect(iso(result)).toEqual(['2025-01-07T13:00:00.000Z']);
	});

	it('steps every other week from the anchor (autumn DST change, 26 October 2025)', () => {
		const biweekly: Recurrence = { ...weeklyTuesday, frequency: 'biweekly', anchorDate: '2025-10-14' };
		const result = occurrencesBetween(biweekly, new Date('2025-10-01T00:00Z'), new Date('2025-11-20T00:00Z'));
		expect(iso(result)).toEqual([
			'2025-10-14T12:00:00.000Z',
			'2025-10-28T13:00:00.000Z',
			'2025-11-11T13:00:00.000Z'
		]);
	});

	it('finds the n-th and the last weekday of each month', () => {
		const firstMonday: Recurrence = {
			frequency: 'monthly',
			weekOfMonth: 1,
			weekday: 1,
			time: '08:30',
			durationMinutes: 60,
			anchorDate: '2025-09-01'
		};
		expect(iso(occurrencesBetween(firstMonday, new Date('2025-08-01T00:00Z'), new Date('2025-12-01T00:00Z')))).toEqual([
			'2025-09-01T06:30:00.000Z',
			'2025-10-06T06:30:00.000Z',
			'2025-11-03T07:30:00.000Z'
		]);
		const lastThursday: Recurrence = { ...firstMonday, weekOfMonth: 'last', weekday: 4, anchorDate: '2025-01-30' };
		expect(iso(occurrencesBetween(lastThursday, new Date('2025-01-01T00:00Z'), new Date('2025-04-01T00:00Z')))).toEqual([
			'2025-01-30T07:30:00.000Z',
			'2025-02-27T07:30:00.000Z',
			'2025-03-27T07:30:00.000Z'
		]);
	});

	it('schema refuses an anchor that does not fall on the recurrence', () => {
		const wrongDay = Recurrence.safeParse({ ...weeklyTuesday, anchorDate: '2025-01-08' });
		expect(wrongDay.error?.issues[0]).toMatchObject({ path: ['anchorDate'], message: 'La première séance doit tomber un mardi' });
		const wrongWeek = Recurrence.safeParse({ ...weeklyTuesday, frequency: 'monthly', weekOfMonth: 1 });
		expect(wrongWeek.success).toBe(true);
		expect(Recurrence.safeParse({ ...weeklyTuesday, frequency: 'monthly', weekOfMonth: 2 }).success).toBe(false);
		expect(Recurrence.safeParse({ ...weeklyTuesday, time: '25:00' }).error?.issues[0].message).toBe(
			'Heure au format HH:MM (ex. 14:00)'
		);
	});
});

describe('public holidays', () => {
	it('computes Easter for known years', () => {
		expect(easterSunday(2024)).toBe('2024-03-31');
		expect(easterSunday(2025)).toBe('2025-04-20');
		expect(easterSunday(2026)).toBe('2026-04-05');
		expect(easterSunday(2038)).toBe('2038-04-25');
		expect(easterSunday(2008)).toBe('2008-03-23');
	});

	it('lists the eleven national holidays with movable feasts', () => {
		const holidays = frenchPublicHolidays(2025);
		expect(holidays.map((h) => h.date)).toEqual([
			'2025-01-01',
			'2025-04-21',
			'2025-05-01',
			'2025-05-08',
			'2025-05-29',
			'2025-06-09',
			'2025-07-14',
			'2025-08-15',
			'2025-11-01',
			'2025-11-11',
			'2025-12-25'
		]);
		expect(frenchPublicHolidays(2025, { alsaceMoselle: true })).toHaveLength(13);
	});

	it('isWorkingDay skips weekends and holidays', () => {
		expect(isWorkingDay('2025-04-18')).toBe(true); // Good Friday, national calendar
		expect(isWorkingDay('2025-04-18', { alsaceMoselle: true })).toBe(false);
		expect(isWorkingDay('2025-04-21')).toBe(false); // Easter Monday
		expect(isWorkingDay('2025-04-19')).toBe(false); // Saturday
	});
});

describe('deadlineFor', () => {
	const twoDaysNoon: DeadlineRule = { workingDaysBefore: 2, time: '12:00' };

	it('counts back over the weekend: Tuesday meeting, Friday noon', () => {
		expect(deadlineFor(twoDaysNoon, new Date('2025-01-14T13:00Z')).toISOString()).toBe('2025-01-10T11:00:00.000Z');
	});

	it('keeps Paris noon across the DST change between deadline and meeting', () => {
		// Meeting Tuesday 1 April 2025 14:00 CEST; deadline Friday 28 March 12:00 CET.
		expect(deadlineFor(twoDaysNoon, new Date('2025-04-01T12:00Z')).toISOString()).toBe('2025-03-28T11:00:00.000Z');
	});

	it('skips a public holiday: Easter Monday pushes the deadline to Thursday', () => {
		// Meeting Tuesday 22 April 2025: Monday 21 is Easter Monday, so Friday 18 and Thursday 17 count.
		expect(deadlineFor(twoDaysNoon, new Date('2025-04-22T12:00Z')).toISOString()).toBe('2025-04-17T10:00:00.000Z');
		expect(deadlineFor({ ...twoDaysNoon, alsaceMoselle: true }, new Date('2025-04-22T12:00Z')).toISOString()).toBe(
			'2025-04-16T10:00:00.000Z'
		);
	});

	it('uses the Paris date of the meeting, not the UTC one', () => {
		// 00:30 Paris on Wednesday 15 January is still Tuesday in UTC.
		const rule: DeadlineRule = { workingDaysBefore: 1, time: '18:00' };
		expect(deadlineFor(rule, new Date('2025-01-14T23:30Z')).toISOString()).toBe('2025-01-14T17:00:00.000Z');
	});

	it('with zero days, is the meeting day at the given time', () => {
		expect(deadlineFor({ workingDaysBefore: 0, time: '09:00' }, new Date('2025-01-14T13:00Z')).toISOString()).toBe(
			'2025-01-14T08:00:00.000Z'
		);
	});
});
