import { describe, expect, it } from 'vitest';
import {
	DeadlineRule,
	Recurrence,
	deadlineFor,
	easterSunday,
	frenchPublicHolidays,
	isWorkingDay,
	occurrencesBetween,
	lastTwelveMonths,
	monthsLater,
	parisDate,
	parisInstant,
	startOfParisDay
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

// ---------------------------------------------------------------------------------------
// Calendar edge cases (issue 12): year end, 29 February, the two Europe/Paris daylight-saving
// changes, public holidays. Every instant is fixed and given in UTC, so these tests do not
// depend on today's date nor on the time zone of the machine.

const between = (recurrence: Recurrence, from: string, to: string) => iso(occurrencesBetween(recurrence, new Date(from), new Date(to)));
const deadline = (rule: DeadlineRule, meetingStart: string) => deadlineFor(rule, new Date(meetingStart)).toISOString();
const twoWorkingDaysNoon: DeadlineRule = { workingDaysBefore: 2, time: '12:00' };
const tuesday14: Recurrence = { frequency: 'weekly', weekday: 2, time: '14:00', durationMinutes: 120, anchorDate: '2027-01-05' };

describe('year end', () => {
	it('a weekly board meets on the last Tuesdays of December and the first of January, at 14:00 Paris (13:00 UTC)', () => {
		expect(between(tuesday14, '2027-12-20T00:00Z', '2028-01-12T00:00Z')).toEqual([
			'2027-12-21T13:00:00.000Z',
			'2027-12-28T13:00:00.000Z',
			'2028-01-04T13:00:00.000Z',
			'2028-01-11T13:00:00.000Z'
		]);
	});

	it('a biweekly board keeps its fortnight rhythm from its anchor across New Year, even when asked from a January date', () => {
		const biweekly: Recurrence = { ...tuesday14, frequency: 'biweekly', anchorDate: '2027-12-14' };
		expect(between(biweekly, '2027-12-01T00:00Z', '2028-01-31T00:00Z')).toEqual([
			'2027-12-14T13:00:00.000Z',
			'2027-12-28T13:00:00.000Z',
			'2028-01-11T13:00:00.000Z',
			'2028-01-25T13:00:00.000Z'
		]);
		// 4 January 2028 is a Tuesday but not one of the board's.
		expect(between(biweekly, '2028-01-03T00:00Z', '2028-01-31T00:00Z')).toEqual(['2028-01-11T13:00:00.000Z', '2028-01-25T13:00:00.000Z']);
	});

	it('a monthly board goes from December to January: the last Friday is 31 December 2027, the first Monday 3 January 2028', () => {
		const lastFriday: Recurrence = { frequency: 'monthly', weekOfMonth: 'last', weekday: 5, time: '08:30', durationMinutes: 60, anchorDate: '2027-11-26' };
		expect(between(lastFriday, '2027-12-01T00:00Z', '2028-02-01T00:00Z')).toEqual(['2027-12-31T07:30:00.000Z', '2028-01-28T07:30:00.000Z']);
		const firstMonday: Recurrence = { ...lastFriday, weekOfMonth: 1, weekday: 1, anchorDate: '2027-11-01' };
		expect(between(firstMonday, '2027-12-01T00:00Z', '2028-02-01T00:00Z')).toEqual(['2027-12-06T07:30:00.000Z', '2028-01-03T07:30:00.000Z']);
	});

	it('a Saturday 00:30 Paris meeting on 1 January 2028 is at 23:30 UTC on 31 December 2027, and the end of an interval is exclusive', () => {
		const saturdayNight: Recurrence = { frequency: 'weekly', weekday: 6, time: '00:30', durationMinutes: 60, anchorDate: '2027-12-25' };
		expect(parisInstant('2028-01-01', '00:30').toISOString()).toBe('2027-12-31T23:30:00.000Z');
		expect(between(saturdayNight, '2027-12-31T23:00Z', '2028-01-09T00:00Z')).toEqual(['2027-12-31T23:30:00.000Z', '2028-01-07T23:30:00.000Z']);
		expect(between(saturdayNight, '2027-12-01T00:00Z', '2027-12-31T23:30Z')).toEqual(['2027-12-24T23:30:00.000Z']);
	});

	it('does not skip public holidays: a weekly Tuesday board has a meeting on Christmas Day 2029 and on New Year’s Day 2030', () => {
		expect(between({ ...tuesday14, anchorDate: '2029-12-18' }, '2029-12-18T00:00Z', '2030-01-02T00:00Z')).toEqual([
			'2029-12-18T13:00:00.000Z',
			'2029-12-25T13:00:00.000Z',
			'2030-01-01T13:00:00.000Z'
		]);
	});

	it('a deadline counts back across New Year and skips New Year’s Day: Tuesday 5 January 2027 closes on Thursday 31 December 2026 at noon', () => {
		// Monday 4 January counts, Friday 1 January is a holiday, Thursday 31 December is the second working day.
		expect(deadline(twoWorkingDaysNoon, '2027-01-05T13:00Z')).toBe('2026-12-31T11:00:00.000Z');
	});

	it('a deadline across Christmas and New Year: four working days before Wednesday 2 January 2030 is 26 December, or 24 December in Alsace-Moselle', () => {
		const fourDays: DeadlineRule = { workingDaysBefore: 4, time: '12:00' };
		// 1 January and 25 December are holidays; 31, 28, 27 and 26 December count.
		expect(deadline(fourDays, '2030-01-02T13:00Z')).toBe('2029-12-26T11:00:00.000Z');
		// Saint-Étienne (26 December) is a holiday too in Alsace-Moselle: 31, 28, 27 and 24 December.
		expect(deadline({ ...fourDays, alsaceMoselle: true }, '2030-01-02T13:00Z')).toBe('2029-12-24T11:00:00.000Z');
	});
});

describe('29 February', () => {
	it('a weekly Tuesday board meets on Tuesday 29 February 2028, then on 7 March', () => {
		expect(between(tuesday14, '2028-02-20T00:00Z', '2028-03-08T00:00Z')).toEqual([
			'2028-02-22T13:00:00.000Z',
			'2028-02-29T13:00:00.000Z',
			'2028-03-07T13:00:00.000Z'
		]);
	});

	it('accepts 29 February 2028 as a first meeting and refuses 29 February 2027, which does not exist', () => {
		const fromLeapDay = Recurrence.parse({ ...tuesday14, anchorDate: '2028-02-29' });
		expect(between(fromLeapDay, '2028-02-01T00:00Z', '2028-03-15T00:00Z')).toEqual(['2028-02-29T13:00:00.000Z', '2028-03-07T13:00:00.000Z', '2028-03-14T13:00:00.000Z']);
		expect(Recurrence.safeParse({ ...tuesday14, weekday: 7, anchorDate: '2027-02-29' }).error?.issues[0]).toMatchObject({
			path: ['anchorDate'],
			message: 'Date au format AAAA-MM-JJ'
		});
	});

	it('the last Thursday of February is the 25th in 2027 and the 24th in 2028; the last Tuesday of February 2028 is the 29th', () => {
		const lastThursday: Recurrence = { frequency: 'monthly', weekOfMonth: 'last', weekday: 4, time: '08:30', durationMinutes: 60, anchorDate: '2027-01-28' };
		expect(between(lastThursday, '2027-02-01T00:00Z', '2027-04-01T00:00Z')).toEqual(['2027-02-25T07:30:00.000Z', '2027-03-25T07:30:00.000Z']);
		// 30 March 2028 is after the spring DST change: 08:30 Paris is 06:30 UTC.
		expect(between(lastThursday, '2028-02-01T00:00Z', '2028-04-01T00:00Z')).toEqual(['2028-02-24T07:30:00.000Z', '2028-03-30T06:30:00.000Z']);
		const lastTuesday: Recurrence = { ...lastThursday, weekday: 2, anchorDate: '2028-01-25' };
		expect(between(lastTuesday, '2028-02-01T00:00Z', '2028-04-01T00:00Z')).toEqual(['2028-02-29T07:30:00.000Z', '2028-03-28T06:30:00.000Z']);
	});

	it('a deadline counts 29 February 2028 as a working day (a Tuesday)', () => {
		// Thursday 2 March 2028: Wednesday 1 March, then Tuesday 29 February.
		expect(deadline(twoWorkingDaysNoon, '2028-03-02T13:00Z')).toBe('2028-02-29T11:00:00.000Z');
		expect(deadline({ ...twoWorkingDaysNoon, workingDaysBefore: 3 }, '2028-03-02T13:00Z')).toBe('2028-02-28T11:00:00.000Z');
		expect(isWorkingDay('2028-02-29')).toBe(true);
	});
});

describe('Europe/Paris daylight-saving changes', () => {
	// 2027: clocks go forward on Sunday 28 March at 02:00 (CET, UTC+1 → CEST, UTC+2) and back on
	// Sunday 31 October at 03:00 (CEST → CET).

	it('a weekly 14:00 board stays at 14:00 Paris: 13:00 UTC before and 12:00 UTC after the March change, the reverse in October', () => {
		expect(between(tuesday14, '2027-03-22T00:00Z', '2027-04-01T00:00Z')).toEqual(['2027-03-23T13:00:00.000Z', '2027-03-30T12:00:00.000Z']);
		expect(between(tuesday14, '2027-10-25T00:00Z', '2027-11-04T00:00Z')).toEqual(['2027-10-26T12:00:00.000Z', '2027-11-02T13:00:00.000Z']);
	});

	it('a meeting on the day of a change itself is at its Paris time: Sunday 10:00 is 08:00 UTC on 28 March 2027 and 09:00 UTC on 31 October 2027', () => {
		const sunday10: Recurrence = { frequency: 'weekly', weekday: 7, time: '10:00', durationMinutes: 60, anchorDate: '2027-03-21' };
		expect(between(sunday10, '2027-03-21T00:00Z', '2027-03-29T00:00Z')).toEqual(['2027-03-21T09:00:00.000Z', '2027-03-28T08:00:00.000Z']);
		expect(between(sunday10, '2027-10-24T00:00Z', '2027-11-01T00:00Z')).toEqual(['2027-10-24T08:00:00.000Z', '2027-10-31T09:00:00.000Z']);
	});

	it('02:30 does not exist in Paris on 28 March 2027: it is read as 03:30 summer time (01:30 UTC), pushed forward by the skipped hour', () => {
		expect(parisInstant('2027-03-28', '01:59').toISOString()).toBe('2027-03-28T00:59:00.000Z');
		expect(parisInstant('2027-03-28', '02:30').toISOString()).toBe('2027-03-28T01:30:00.000Z');
		// 02:00 (skipped) and 03:00 are the same instant.
		expect(parisInstant('2027-03-28', '02:00').toISOString()).toBe('2027-03-28T01:00:00.000Z');
		expect(parisInstant('2027-03-28', '03:00').toISOString()).toBe('2027-03-28T01:00:00.000Z');
		const sunday0230: Recurrence = { frequency: 'weekly', weekday: 7, time: '02:30', durationMinutes: 60, anchorDate: '2027-03-21' };
		expect(occurrencesBetween(sunday0230, new Date('2027-03-21T00:00Z'), new Date('2027-04-05T00:00Z'))).toEqual([
			{ start: new Date('2027-03-21T01:30:00Z'), end: new Date('2027-03-21T02:30:00Z') },
			{ start: new Date('2027-03-28T01:30:00Z'), end: new Date('2027-03-28T02:30:00Z') },
			{ start: new Date('2027-04-04T00:30:00Z'), end: new Date('2027-04-04T01:30:00Z') }
		]);
	});

	it('02:30 happens twice in Paris on 31 October 2027: it is read as its first occurrence, in summer time (00:30 UTC), the hours around it unambiguously', () => {
		expect(parisInstant('2027-10-31', '01:59').toISOString()).toBe('2027-10-30T23:59:00.000Z');
		expect(parisInstant('2027-10-31', '02:30').toISOString()).toBe('2027-10-31T00:30:00.000Z');
		expect(parisInstant('2027-10-31', '03:00').toISOString()).toBe('2027-10-31T02:00:00.000Z');
		const sunday0230: Recurrence = { frequency: 'weekly', weekday: 7, time: '02:30', durationMinutes: 60, anchorDate: '2027-10-24' };
		const [before, onTheDay, after] = between(sunday0230, '2027-10-24T00:00Z', '2027-11-08T00:00Z');
		expect([before, after]).toEqual(['2027-10-24T00:30:00.000Z', '2027-11-07T01:30:00.000Z']);
		expect(onTheDay).toBe('2027-10-31T00:30:00.000Z');
	});

	it('a deadline across the autumn change: Tuesday 2 November 2027, two working days before at noon, is Thursday 28 October at 12:00 summer time (10:00 UTC)', () => {
		// 1 November (Toussaint) is a holiday, 30–31 October a weekend (DST ends on the 31st); Friday 29 and Thursday 28 count.
		expect(deadline(twoWorkingDaysNoon, '2027-11-02T13:00Z')).toBe('2027-10-28T10:00:00.000Z');
	});

	it('a deadline across the spring change and Easter: Tuesday 30 March 2027 closes on Thursday 25 March at 12:00 winter time, Wednesday 24 in Alsace-Moselle', () => {
		// Easter Monday 29 March; Good Friday 26 March is a holiday in Alsace-Moselle only.
		expect(deadline(twoWorkingDaysNoon, '2027-03-30T12:00Z')).toBe('2027-03-25T11:00:00.000Z');
		expect(deadline({ ...twoWorkingDaysNoon, alsaceMoselle: true }, '2027-03-30T12:00Z')).toBe('2027-03-24T11:00:00.000Z');
	});
});

describe('public holidays over the years', () => {
	it('computes Easter Sunday for 2027, 2028, 2038 (the latest possible date, 25 April) and neighbouring years', () => {
		expect(['2027', '2028', '2029', '2030', '2032', '2035', '2038'].map((y) => easterSunday(Number(y)))).toEqual([
			'2027-03-28',
			'2028-04-16',
			'2029-04-01',
			'2030-04-21',
			'2032-03-28',
			'2035-03-25',
			'2038-04-25'
		]);
	});

	it('derives Easter Monday, Ascension Thursday and Whit Monday from Easter, with Good Friday and 26 December in Alsace-Moselle', () => {
		const movable = (year: number) =>
			frenchPublicHolidays(year, { alsaceMoselle: true })
				.filter((h) => ['Vendredi saint', 'Lundi de Pâques', 'Ascension', 'Lundi de Pentecôte', 'Saint-Étienne'].includes(h.name))
				.map((h) => `${h.date} ${h.name}`);
		expect(movable(2027)).toEqual(['2027-03-26 Vendredi saint', '2027-03-29 Lundi de Pâques', '2027-05-06 Ascension', '2027-05-17 Lundi de Pentecôte', '2027-12-26 Saint-Étienne']);
		expect(movable(2028)).toEqual(['2028-04-14 Vendredi saint', '2028-04-17 Lundi de Pâques', '2028-05-25 Ascension', '2028-06-05 Lundi de Pentecôte', '2028-12-26 Saint-Étienne']);
		expect(movable(2038)).toEqual(['2038-04-23 Vendredi saint', '2038-04-26 Lundi de Pâques', '2038-06-03 Ascension', '2038-06-14 Lundi de Pentecôte', '2038-12-26 Saint-Étienne']);
		expect(frenchPublicHolidays(2028)).toHaveLength(11);
		expect(frenchPublicHolidays(2028).map((h) => h.name)).not.toContain('Vendredi saint');
	});

	it('lists both holidays when Ascension falls on 1 May (2008), and a working-day count skips that day once', () => {
		expect(frenchPublicHolidays(2008).filter((h) => h.date === '2008-05-01').map((h) => h.name)).toEqual(['Fête du Travail', 'Ascension']);
		// Monday 5 May 2008: Friday 2 May, then Wednesday 30 April.
		expect(deadline(twoWorkingDaysNoon, '2008-05-05T12:00Z')).toBe('2008-04-30T10:00:00.000Z');
	});

	it('a deadline skips Ascension Thursday: Monday 10 May 2027 closes on Wednesday 5 May at 12:00 summer time (10:00 UTC)', () => {
		// Friday 7 May counts (no "pont"), Thursday 6 May is Ascension.
		expect(deadline(twoWorkingDaysNoon, '2027-05-10T12:00Z')).toBe('2027-05-05T10:00:00.000Z');
	});

	it('a deadline skips Whit Monday: Tuesday 18 May 2027 closes on Thursday 13 May at noon', () => {
		expect(deadline(twoWorkingDaysNoon, '2027-05-18T12:00Z')).toBe('2027-05-13T10:00:00.000Z');
	});

	it('Good Friday and 26 December are working days except in Alsace-Moselle', () => {
		expect([isWorkingDay('2028-04-14'), isWorkingDay('2028-04-14', { alsaceMoselle: true })]).toEqual([true, false]);
		expect([isWorkingDay('2028-12-26'), isWorkingDay('2028-12-26', { alsaceMoselle: true })]).toEqual([true, false]);
		// Thursday 27 December 2029: national calendar Wednesday 26 and Monday 24; Alsace-Moselle Monday 24 and Friday 21.
		expect(deadline(twoWorkingDaysNoon, '2029-12-27T13:00Z')).toBe('2029-12-24T11:00:00.000Z');
		expect(deadline({ ...twoWorkingDaysNoon, alsaceMoselle: true }, '2029-12-27T13:00Z')).toBe('2029-12-21T11:00:00.000Z');
	});
});

describe('Paris wall-clock times whatever the time zone of the machine', () => {
	// The server's own zone (TZ) must not change any instant: these tests read the rules
	// under several machine zones, switching process.env.TZ (Node applies it at once).
	const MACHINE_ZONES = ['UTC', 'Europe/Paris', 'Europe/London', 'Europe/Lisbon', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
	const inEveryZone = (read: () => string[]) =>
		MACHINE_ZONES.map((zone) => {
			const saved = process.env.TZ;
			process.env.TZ = zone;
			try {
				return `${zone}: ${read().join(' ')}`;
			} finally {
				if (saved === undefined) delete process.env.TZ;
				else process.env.TZ = saved;
			}
		});

	it('gives the same instants for ordinary times on and around the change days, deadlines and the Paris day', () => {
		const read = () => [
			parisInstant('2027-03-28', '10:00').toISOString(),
			parisInstant('2027-10-31', '10:00').toISOString(),
			parisInstant('2027-10-31', '01:59').toISOString(),
			parisInstant('2027-10-31', '03:00').toISOString(),
			...between(tuesday14, '2027-03-22T00:00Z', '2027-04-01T00:00Z'),
			...between(tuesday14, '2027-10-25T00:00Z', '2027-11-04T00:00Z'),
			deadline(twoWorkingDaysNoon, '2027-11-02T13:00Z'),
			deadline(twoWorkingDaysNoon, '2027-01-05T13:00Z'),
			startOfParisDay(new Date('2027-12-31T23:30:00Z')).toISOString()
		];
		const expected = [
			'2027-03-28T08:00:00.000Z',
			'2027-10-31T09:00:00.000Z',
			'2027-10-30T23:59:00.000Z',
			'2027-10-31T02:00:00.000Z',
			'2027-03-23T13:00:00.000Z',
			'2027-03-30T12:00:00.000Z',
			'2027-10-26T12:00:00.000Z',
			'2027-11-02T13:00:00.000Z',
			'2027-10-28T10:00:00.000Z',
			'2026-12-31T11:00:00.000Z',
			'2027-12-31T23:00:00.000Z'
		].join(' ');
		expect(inEveryZone(read)).toEqual(MACHINE_ZONES.map((zone) => `${zone}: ${expected}`));
	});

	// @date-fns/tz's TZDate resolves a skipped or repeated time through the machine's local zone;
	// schedule.ts reads Paris offsets itself, so every machine gives the same instants.
	it('reads a skipped time with the offset before the gap and a repeated time as its first occurrence, as RFC 5545 does, in every machine zone', () => {
		const read = () => ['2027-03-28 02:00', '2027-03-28 02:30', '2027-10-31 02:00', '2027-10-31 02:30', '2027-10-31 02:59'].map((wall) => {
			const [date, time] = wall.split(' ');
			return parisInstant(date, time).toISOString();
		});
		// Spring: 02:00 and 02:30 do not exist, read as 03:00 and 03:30 summer time. Autumn: the first
		// 02:00, 02:30 and 02:59 are summer time (UTC+2).
		const expected = ['2027-03-28T01:00:00.000Z', '2027-03-28T01:30:00.000Z', '2027-10-31T00:00:00.000Z', '2027-10-31T00:30:00.000Z', '2027-10-31T00:59:00.000Z'].join(' ');
		expect(inEveryZone(read)).toEqual(MACHINE_ZONES.map((zone) => `${zone}: ${expected}`));
	});
});

describe('startOfParisDay', () => {
	it('is Paris midnight as a UTC instant: 23:00 UTC in winter, 22:00 UTC in summer, including on New Year’s Eve and the change days', () => {
		const start = (instant: string) => startOfParisDay(new Date(instant)).toISOString();
		expect(start('2027-12-31T22:59:59.999Z')).toBe('2027-12-30T23:00:00.000Z');
		expect(start('2027-12-31T23:00:00.000Z')).toBe('2027-12-31T23:00:00.000Z');
		expect(start('2028-02-29T23:30:00.000Z')).toBe('2028-02-29T23:00:00.000Z');
		// 28 March 2027 lasts 23 hours, 31 October 2027 25 hours; both start at Paris midnight.
		expect(start('2027-03-28T21:59:00.000Z')).toBe('2027-03-27T23:00:00.000Z');
		expect(start('2027-03-28T22:00:00.000Z')).toBe('2027-03-28T22:00:00.000Z');
		expect(start('2027-10-31T22:59:00.000Z')).toBe('2027-10-30T22:00:00.000Z');
		expect(start('2027-10-31T23:00:00.000Z')).toBe('2027-10-31T23:00:00.000Z');
	});
});

describe('periods on the Paris calendar', () => {
	it('the last twelve months end on the Paris day of now and start the day after the same date a year before', () => {
		expect(lastTwelveMonths(new Date('2027-06-15T10:00:00Z'))).toEqual({ from: '2026-06-16', to: '2027-06-15' });
		// 23:30 UTC on 31 December is already 1 January in Paris.
		expect(lastTwelveMonths(new Date('2027-12-31T23:30:00Z'))).toEqual({ from: '2027-01-02', to: '2028-01-01' });
		// 29 February counts back to 28 February 2027: the period starts on 1 March, not 2 March.
		expect(lastTwelveMonths(new Date('2028-02-29T12:00:00Z'))).toEqual({ from: '2027-03-01', to: '2028-02-29' });
		expect(lastTwelveMonths(new Date('2029-03-01T12:00:00Z'))).toEqual({ from: '2028-03-02', to: '2029-03-01' });
	});

	it('three months later is the same Paris wall-clock time, clamped to the end of a shorter month, across DST', () => {
		// 30 November + 3 months: 28 February (not 2 March); 10:00 Paris both times.
		expect(monthsLater(new Date('2026-11-30T09:00:00Z'), 3).toISOString()).toBe('2027-02-28T09:00:00.000Z');
		// 31 January 2028 + 1: 29 February (leap year).
		expect(monthsLater(new Date('2028-01-31T09:00:00Z'), 1).toISOString()).toBe('2028-02-29T09:00:00.000Z');
		// 15 January 10:00 CET + 3 months: 15 April 10:00 CEST (08:00 UTC).
		expect(monthsLater(new Date('2027-01-15T09:00:00Z'), 3).toISOString()).toBe('2027-04-15T08:00:00.000Z');
	});

	it('the Paris date of an instant', () => {
		expect(parisDate(new Date('2027-12-31T22:59:59Z'))).toBe('2027-12-31');
		expect(parisDate(new Date('2027-12-31T23:00:00Z'))).toBe('2028-01-01');
	});
});
