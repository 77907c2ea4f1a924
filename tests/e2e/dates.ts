/**
 * The calendar days the end-to-end tests type and expect, computed from the clock of the
 * test process (`Date.now()`), never written out: the specs pass on any day of the year,
 * and under `faketime` (the CI moves the clock of the whole stack, Playwright, server and
 * Chromium, so they agree on the time).
 *
 * Days are Paris calendar days 'YYYY-MM-DD' (every board meets in Paris time); labels are
 * formatted exactly as the app's pages format them (Intl, fr-FR, Europe/Paris), and the
 * registration deadline is the app's own rule (`deadlineFor`), not a copy of it.
 */
import { deadlineFor, parisInstant, type DeadlineRule } from '../../src/lib/domain/schedule.ts';

const PARIS = 'Europe/Paris';

/** ISO weekdays, as the board form's "Jour" lists them (1 = lundi … 7 = dimanche). */
export const MONDAY = 1;
export const TUESDAY = 2;
export const WEDNESDAY = 3;

/** A meeting's Paris date and wall-clock start. */
export interface Slot {
	date: string;
	time: string;
}

const ISO_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: PARIS });
/** As the meeting pages, the home page, the board's table and the case's "Séance" list show a start. */
const FULL = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short', timeZone: PARIS });
/** As the board's table shows a registration deadline. */
const SHORT = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: PARIS });
const LONG_DAY = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: PARIS });
/** As the indicators' report shows its period (a calendar day, formatted in UTC there). */
const NUMERIC_DAY = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'UTC' });

/** The Paris calendar day an instant falls on. */
export const parisDate = (instant: Date | number): string => ISO_DAY.format(instant);

/** Today in Paris, by the test process's clock. */
export const today = (): string => parisDate(Date.now());

/** Noon UTC of a calendar day: calendar arithmetic that no time zone or DST change moves. */
const noon = (date: string): Date => new Date(`${date}T12:00:00Z`);

/** The calendar day `days` after `date` (before, when negative); months and years roll over. */
export function addDays(date: string, days: number): string {
	const day = noon(date);
	day.setUTCDate(day.getUTCDate() + days);
	return day.toISOString().slice(0, 10);
}

/** The ISO weekday of a calendar day (1 = Monday … 7 = Sunday). */
export const isoWeekday = (date: string): number => ((noon(date).getUTCDay() + 6) % 7) + 1;

/** The calendar day `days` after today (Paris). */
export const daysAhead = (days: number): string => addDays(today(), days);

/** The first `weekday` at least `atLeast` days after today (Paris), e.g. "the next Tuesday at least a week ahead". */
export function nextWeekday(weekday: number, atLeast: number): string {
	let date = daysAhead(atLeast);
	while (isoWeekday(date) !== weekday) date = addDays(date, 1);
	return date;
}

/** The first and last days of the calendar month of `date`. */
export function monthOf(date: string): { from: string; to: string } {
	const first = `${date.slice(0, 7)}-01`;
	const next = noon(first);
	next.setUTCMonth(next.getUTCMonth() + 1);
	return { from: first, to: addDays(next.toISOString().slice(0, 10), -1) };
}

/** The same calendar month `months` later (earlier, when negative), as its first day. */
export function shiftMonth(date: string, months: number): string {
	const first = noon(`${date.slice(0, 7)}-01`);
	first.setUTCMonth(first.getUTCMonth() + months);
	return first.toISOString().slice(0, 10);
}

/** The instant a slot starts. */
export const startOf = (slot: Slot): Date => parisInstant(slot.date, slot.time);

/** "mardi 15 décembre 2026 à 14:00": a meeting as its links and headings name it. */
export const meetingLabel = (slot: Slot): string => FULL.format(startOf(slot));

/** "15 décembre 2026": a day in words. */
export const dayLabel = (date: string): string => LONG_DAY.format(parisInstant(date, '12:00'));

/** "27/11/2026 12:00": an instant as the board's table shows a deadline. */
export const shortDateTime = (instant: Date): string => SHORT.format(instant);

/** "01/12/2026": a calendar day as the indicators' period shows it. */
export const numericDay = (date: string): string => NUMERIC_DAY.format(new Date(`${date}T00:00:00Z`));

/** The deadline rule a new board gets unless told otherwise: 2 working days before, at 12:00. */
export const DEFAULT_DEADLINE: DeadlineRule = { workingDaysBefore: 2, time: '12:00' };

/** A meeting's registration deadline under the board's rule, as the app computes it. */
export const registrationDeadline = (slot: Slot, rule: DeadlineRule = DEFAULT_DEADLINE): Date => deadlineFor(rule, startOf(slot));

/** Escapes text for use inside a RegExp (labels as part of a row's name). */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A RegExp that finds `text` anywhere in a name. */
export const containing = (text: string): RegExp => new RegExp(escapeRegExp(text));
