/**
 * Meeting attendance from the room's recorded presence. The room writes one row per join
 * (a person who reconnects has several), so a person's rows are merged into the intervals
 * they were actually there; a row whose departure was never recorded (a crash, a closed
 * tab before the leave reached the server) is ended at a stated instant, never guessed
 * silently. Calendar years are Paris years, as every board meets in Paris time.
 */
import { BOARD_ROLE_LABELS } from './board.ts';
import { BOARD_TIME_ZONE, parisInstant } from './schedule.ts';
import { SPECIALTIES } from './specialties.ts';

/** One recorded presence: when the person joined, and left when that was recorded. */
export interface PresenceSpan {
	joinedAt: Date;
	leftAt: Date | null;
}

/**
 * How a presence without a recorded departure was ended: at the meeting's scheduled end
 * (`meeting-end`), or at the time of the reading because the meeting is still running (`now`).
 */
export type AssumedEnd = 'meeting-end' | 'now';

/** Where presences without a recorded departure end, and why there. */
export interface OpenEnd {
	at: Date;
	kind: AssumedEnd;
}

/** A stretch of time a person was in the meeting, merged from one or several presences. */
export interface PresenceInterval {
	from: Date;
	to: Date;
	/** Null when the departure was recorded; otherwise how `to` was chosen. */
	assumedEnd: AssumedEnd | null;
}

const MINUTE = 60_000;

/**
 * The end given to presences still open: now while the meeting runs (live, or scheduled and
 * not yet past its planned end), otherwise the meeting's scheduled end.
 */
export function openPresenceEnd(meeting: { startsAt: Date; durationMinutes: number; status: string }, now: Date): OpenEnd {
	const scheduledEnd = new Date(meeting.startsAt.getTime() + meeting.durationMinutes * MINUTE);
	const running = meeting.status === 'live' || (meeting.status === 'scheduled' && now.getTime() < scheduledEnd.getTime());
	return running ? { at: now, kind: 'now' } : { at: scheduledEnd, kind: 'meeting-end' };
}

const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/**
 * One person's presences as the intervals they were there, in order: overlapping or
 * touching presences become one interval. An open presence ends at `openEnd` (never
 * before it began).
 */
export function mergePresence(spans: readonly PresenceSpan[], openEnd: OpenEnd): PresenceInterval[] {
	const intervals = spans
		.map((span): PresenceInterval => ({
			from: span.joinedAt,
			to: later(span.leftAt ?? openEnd.at, span.joinedAt),
			assumedEnd: span.leftAt ? null : openEnd.kind
		}))
		.sort((a, b) => a.from.getTime() - b.from.getTime());
	const merged: PresenceInterval[] = [];
	for (const interval of intervals) {
		const last = merged.at(-1);
		if (!last || interval.from.getTime() > last.to.getTime()) merged.push({ ...interval });
		else if (interval.to.getTime() > last.to.getTime()) Object.assign(last, { to: interval.to, assumedEnd: interval.assumedEnd });
	}
	return merged;
}

/** Whole minutes covered by `intervals` (the sum is rounded, not each interval). */
export function minutesPresent(intervals: readonly PresenceInterval[]): number {
	return Math.round(intervals.reduce((sum, interval) => sum + interval.to.getTime() - interval.from.getTime(), 0) / MINUTE);
}

/** Hours to one decimal, as a certificate states them. */
export const hoursOf = (minutes: number): number => Math.round(minutes / 6) / 10;

const PHYSICIAN_SPECIALTIES = new Set<string>(SPECIALTIES.filter((sp) => sp.physician).map((sp) => sp.code));

/** Who was there by specialty: the physicians (a physician specialty is known) and the distinct specialties, in order of appearance. */
export function presentSpecialties(lines: readonly { specialty: string | null }[]): { physicians: number; specialties: string[] } {
	const codes = lines.flatMap((line) => (line.specialty ? [line.specialty] : []));
	return { physicians: codes.filter((code) => PHYSICIAN_SPECIALTIES.has(code)).length, specialties: [...new Set(codes)] };
}

/** Whether a specialty code is that of a physician (not a pharmacist or a nurse). */
export const isPhysicianSpecialty = (code: string | null): boolean => code !== null && PHYSICIAN_SPECIALTIES.has(code);

/** French labels of the roles a presence records (a board role, or admin or guest). */
const PRESENCE_ROLE_LABELS: Record<string, string> = { ...BOARD_ROLE_LABELS, admin: 'Administrateur', guest: 'Invité' };

/** The French label of a recorded role; an unknown one as it was recorded. */
export const presenceRoleLabel = (role: string): string => PRESENCE_ROLE_LABELS[role] ?? role;

const PARIS_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: BOARD_TIME_ZONE });

/** An instant's Paris calendar date 'YYYY-MM-DD'. */
export const parisDate = (at: Date): string => PARIS_DAY.format(at);

/** The Paris calendar year an instant falls in. */
export const parisYearOf = (at: Date): number => Number(parisDate(at).slice(0, 4));

/** The instants a Paris calendar year runs over: [from, to). */
export function parisYear(year: number): { from: Date; to: Date } {
	return { from: parisInstant(`${year}-01-01`, '00:00'), to: parisInstant(`${year + 1}-01-01`, '00:00') };
}

/** A calendar year asked for in a URL ('2026'), or null when it is not one (years 2000 to 2999). */
export function calendarYear(text: string | null | undefined): number | null {
	return text && /^2\d{3}$/.test(text) ? Number(text) : null;
}
