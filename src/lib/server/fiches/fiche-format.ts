/**
 * How a fiche RCP writes dates, times and identifiers in French, for every rendering of it
 * (PDF, CDA narrative): instants on the boards' clock (Europe/Paris), calendar dates as
 * dd/MM/yyyy, the matricule INS in its printed groups.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { fr } from 'date-fns/locale/fr';
import { BOARD_TIME_ZONE } from '../../domain/schedule.ts';

const inParis = (iso: string) => new TZDate(iso, BOARD_TIME_ZONE);

/** An instant's day as "mardi 15 décembre 2026", "vendredi 1er janvier 2027" (Paris time). */
export function formatDay(iso: string): string {
	const date = inParis(iso);
	// French writes the first of the month as an ordinal, the other days as plain numbers.
	const day = date.getDate() === 1 ? '1er' : String(date.getDate());
	return format(date, `EEEE '${day}' MMMM yyyy`, { locale: fr });
}

/** An instant as "mardi 15 décembre 2026 à 14:00" (Paris time). */
export function formatDateTime(iso: string): string {
	return `${formatDay(iso)} à ${formatTime(iso)}`;
}

/** An instant's time as "14:00" (Paris time). */
export function formatTime(iso: string): string {
	return format(inParis(iso), 'HH:mm');
}

/** A calendar date 'YYYY-MM-DD' (a birth date: no time zone) as "21/03/1957". */
export function formatCalendarDate(isoDate: string): string {
	const [year, month, day] = isoDate.split('-');
	return `${day}/${month}/${year}`;
}

/** Lengths of the printed groups of a matricule INS: sex, year, month, department, commune, order, key. */
const INS_GROUPS = [1, 2, 2, 2, 3, 3, 2];

/** A normalised 15-character matricule INS as printed on a carte Vitale: "2 57 03 75 123 456 05". */
export function formatIns(ins: string): string {
	if (ins.length !== 15) return ins;
	let at = 0;
	return INS_GROUPS.map((length) => ins.slice(at, (at += length))).join(' ');
}
