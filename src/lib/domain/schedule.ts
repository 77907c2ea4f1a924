/**
 * When a board meets and until when cases may be registered. Boards meet in Paris time
 * (métropole): a "Tuesday 14:00" board stays at 14:00 local across daylight-saving
 * changes, so occurrences are computed on the Europe/Paris calendar and returned as UTC
 * instants (`Date`).
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { addMinutes } from 'date-fns/addMinutes';
import { addMonths } from 'date-fns/addMonths';
import { addWeeks } from 'date-fns/addWeeks';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { getISODay } from 'date-fns/getISODay';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';
import { startOfMonth } from 'date-fns/startOfMonth';
import { subDays } from 'date-fns/subDays';
import { subYears } from 'date-fns/subYears';
import { z } from 'zod';

/** The time zone of every board. Overseas boards would need it stored per board. */
export const BOARD_TIME_ZONE = 'Europe/Paris';

/** French weekday names, index 1 (Monday) to 7 (Sunday) as in ISO 8601. */
export const WEEKDAY_LABELS = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;

/** A wall-clock time 'HH:MM' (24 h). */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Heure au format HH:MM (ex. 14:00)');
/** A calendar date 'YYYY-MM-DD'. */
export const LocalDate = z.iso.date({ error: 'Date au format AAAA-MM-JJ' });
/** ISO weekday, Monday = 1 … Sunday = 7. */
export const IsoWeekday = z.number().int().min(1, 'Jour de 1 (lundi) à 7 (dimanche)').max(7, 'Jour de 1 (lundi) à 7 (dimanche)');

const common = {
	weekday: IsoWeekday,
	time: LocalTime,
	durationMinutes: z.number().int().min(15, 'Durée minimale : 15 minutes').max(720, 'Durée maximale : 12 heures'),
	/** The first meeting; later ones follow from it. */
	anchorDate: LocalDate
};

/** A board's recurrence: every week, every other week, or one weekday of each month. */
export const Recurrence = z
	.discriminatedUnion('frequency', [
		z.strictObject({ frequency: z.literal('weekly'), ...common }),
		z.strictObject({ frequency: z.literal('biweekly'), ...common }),
		z.strictObject({
			frequency: z.literal('monthly'),
			...common,
			/** Which such weekday of the month: the 1st to the 4th, or the last. */
			weekOfMonth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal('last')], {
				error: 'Semaine du mois : 1 à 4, ou « last » (dernière)'
			})
		})
	])
	.superRefine((recurrence, ctx) => {
		const anchor = parisDay(recurrence.anchorDate);
		if (getISODay(anchor) !== recurrence.weekday) {
			ctx.addIssue({
				code: 'custom',
				path: ['anchorDate'],
				message: `La première séance doit tomber un ${WEEKDAY_LABELS[recurrence.weekday]}`
			});
		} else if (
			recurrence.frequency === 'monthly' &&
			!sameDay(weekdayOfMonth(anchor, recurrence.weekday, recurrence.weekOfMonth), anchor)
		) {
			ctx.addIssue({
				code: 'custom',
				path: ['anchorDate'],
				message: 'La première séance ne tombe pas la semaine du mois choisie'
			});
		}
	});
/** A board's recurrence. */
export type Recurrence = z.infer<typeof Recurrence>;

/** One meeting slot, as UTC instants. */
export interface Occurrence {
	start: Date;
	end: Date;
}

/** Midnight of a 'YYYY-MM-DD' date in Paris. */
function parisDay(isoDate: string): TZDate {
	const [year, month, day] = isoDate.split('-').map(Number);
	return new TZDate(year, month - 1, day, BOARD_TIME_ZONE);
}

/** The Paris calendar day (at midnight) an instant falls on. */
function parisDayOf(instant: Date): TZDate {
	const local = new TZDate(instant.getTime(), BOARD_TIME_ZONE);
	return new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), BOARD_TIME_ZONE);
}

/**
 * The instant of a Paris wall-clock time on a Paris day, as a plain Date, whatever the
 * machine's own zone. A time the spring change skips takes the offset from before the gap
 * (02:30 is read as 03:30 summer time); a time the autumn change repeats is its first
 * occurrence, in summer time (RFC 5545 §3.3.5, Temporal's 'compatible').
 */
function atTime(day: TZDate, time: string): Date {
	const [hours, minutes] = time.split(':').map(Number);
	const wall = Date.UTC(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes);
	const offsetMs = (at: number) => tzOffset(BOARD_TIME_ZONE, new Date(at)) * 60_000;
	const before = wall - offsetMs(wall - 86_400_000);
	const after = wall - offsetMs(wall + 86_400_000);
	const valid = [before, after].filter((at) => at + offsetMs(at) === wall);
	return new Date(valid.length > 0 ? Math.min(...valid) : before);
}

function sameDay(a: TZDate, b: TZDate): boolean {
	return differenceInCalendarDays(a, b) === 0;
}

/** The n-th (or last) given ISO weekday of the month containing `day`. */
function weekdayOfMonth(day: TZDate, weekday: number, which: 1 | 2 | 3 | 4 | 'last'): TZDate {
	if (which === 'last') {
		const last = lastDayOfMonth(day);
		return subDays(last, (getISODay(last) - weekday + 7) % 7);
	}
	const first = startOfMonth(day);
	return addDays(first, ((weekday - getISODay(first) + 7) % 7) + 7 * (which - 1));
}

/**
 * The meetings of a recurrence whose start lies in [from, to), in order. Dates are
 * stepped on the Paris calendar, so 14:00 stays 14:00 local on both sides of a DST change.
 */
export function occurrencesBetween(recurrence: Recurrence, from: Date, to: Date): Occurrence[] {
	const anchor = parisDay(recurrence.anchorDate);
	const occurrences: Occurrence[] = [];
	const push = (day: TZDate) => {
		const start = atTime(day, recurrence.time);
		if (start >= from && start < to) {
			occurrences.push({ start, end: addMinutes(start, recurrence.durationMinutes) });
		}
	};
	const lastDay = parisDayOf(to);

	if (recurrence.frequency === 'monthly') {
		let month = startOfMonth(anchor > parisDayOf(from) ? anchor : parisDayOf(from));
		while (month <= lastDay) {
			const day = weekdayOfMonth(month, recurrence.weekday, recurrence.weekOfMonth);
			if (day >= anchor) push(day);
			month = addMonths(month, 1);
		}
		return occurrences;
	}

	const stepWeeks = recurrence.frequency === 'weekly' ? 1 : 2;
	// Jump straight to the period containing `from` instead of walking from the anchor.
	const skipped = Math.max(0, Math.floor(differenceInCalendarDays(parisDayOf(from), anchor) / (7 * stepWeeks)));
	for (let k = skipped; ; k++) {
		const day = addWeeks(anchor, k * stepWeeks);
		if (day > lastDay) break;
		push(day);
	}
	return occurrences;
}

// ---------------------------------------------------------------------------------------
// Registration deadline

/** "N working days before the meeting, at HH:MM" (Paris time). */
export const DeadlineRule = z.strictObject({
	workingDaysBefore: z.number().int().min(0, 'Nombre de jours ouvrés positif').max(20, 'Au plus 20 jours ouvrés'),
	time: LocalTime,
	/** Also skip Good Friday and 26 December (Alsace-Moselle local law). */
	alsaceMoselle: z.boolean().optional()
});
/** A board's registration deadline rule. */
export type DeadlineRule = z.infer<typeof DeadlineRule>;

/** A public holiday: its date 'YYYY-MM-DD' and French name. */
export interface PublicHoliday {
	date: string;
	name: string;
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm), as 'YYYY-MM-DD'. */
export function easterSunday(year: number): string {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The French public holidays (jours fériés, Code du travail L3133-1) of a year, in date
 * order. Whit Monday is included: it is a public holiday even where it serves as the
 * "journée de solidarité".
 */
export function frenchPublicHolidays(year: number, options: { alsaceMoselle?: boolean } = {}): PublicHoliday[] {
	const easter = parisDay(easterSunday(year));
	const iso = (day: TZDate) => format(day, 'yyyy-MM-dd');
	const fixed = (mmdd: string, name: string) => ({ date: `${year}-${mmdd}`, name });
	const holidays: PublicHoliday[] = [
		fixed('01-01', "Jour de l'an"),
		{ date: iso(addDays(easter, 1)), name: 'Lundi de Pâques' },
		fixed('05-01', 'Fête du Travail'),
		fixed('05-08', 'Victoire 1945'),
		{ date: iso(addDays(easter, 39)), name: 'Ascension' },
		{ date: iso(addDays(easter, 50)), name: 'Lundi de Pentecôte' },
		fixed('07-14', 'Fête nationale'),
		fixed('08-15', 'Assomption'),
		fixed('11-01', 'Toussaint'),
		fixed('11-11', 'Armistice 1918'),
		fixed('12-25', 'Noël')
	];
	if (options.alsaceMoselle) {
		holidays.push({ date: iso(subDays(easter, 2)), name: 'Vendredi saint' }, fixed('12-26', 'Saint-Étienne'));
	}
	return holidays.sort((x, y) => x.date.localeCompare(y.date));
}

/** True for Monday–Friday dates that are not public holidays ('YYYY-MM-DD'). */
export function isWorkingDay(isoDate: string, options: { alsaceMoselle?: boolean } = {}): boolean {
	const weekday = getISODay(parisDay(isoDate));
	if (weekday > 5) return false;
	const year = Number(isoDate.slice(0, 4));
	return !frenchPublicHolidays(year, options).some((holiday) => holiday.date === isoDate);
}

/**
 * The registration deadline of a meeting: go back the given number of working days from
 * the meeting's Paris date (the meeting day itself does not count), at the rule's time.
 * "2 working days before, 12:00" for a Tuesday meeting is the Friday before at 12:00.
 */
export function deadlineFor(rule: DeadlineRule, meetingStart: Date): Date {
	let day = parisDayOf(meetingStart);
	for (let counted = 0; counted < rule.workingDaysBefore; ) {
		day = subDays(day, 1);
		if (isWorkingDay(format(day, 'yyyy-MM-dd'), rule)) counted++;
	}
	return atTime(day, rule.time);
}

/** The instant of a Paris wall-clock date and time ('YYYY-MM-DD', 'HH:MM'). */
export function parisInstant(isoDate: string, time: string): Date {
	return atTime(parisDay(isoDate), time);
}

/** Midnight in Paris of the day an instant falls on (the start of "today" for a board). */
export function startOfParisDay(instant: Date): Date {
	return new Date(parisDayOf(instant).getTime());
}

/** The Paris calendar day 'YYYY-MM-DD' an instant falls on. */
export function parisDate(instant: Date): string {
	return format(parisDayOf(instant), 'yyyy-MM-dd');
}

/**
 * The same Paris wall-clock time `months` later; a day the later month lacks becomes its
 * last day (31 January + 1 month is 28 or 29 February).
 */
export function monthsLater(instant: Date, months: number): Date {
	return new Date(addMonths(new TZDate(instant.getTime(), BOARD_TIME_ZONE), months).getTime());
}

/**
 * The twelve months ending on the Paris day of `now`: from the day after the same date a
 * year before (29 February counts back to 28 February), to that day.
 */
export function lastTwelveMonths(now: Date): { from: string; to: string } {
	const today = parisDayOf(now);
	return { from: format(addDays(subYears(today, 1), 1), 'yyyy-MM-dd'), to: format(today, 'yyyy-MM-dd') };
}
