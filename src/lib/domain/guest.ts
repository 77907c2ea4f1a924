/**
 * A guest invitation to one meeting: who (name, optional email) and until when.
 */
import { z } from 'zod';
import { LocalDate, LocalTime, parisInstant } from './schedule.ts';

/** How long after a meeting's end an invitation may stay valid. */
export const GUEST_GRACE_AFTER_MEETING_MS = 7 * 24 * 3600_000;

export const GuestInput = z.object({
	name: z.string().trim().min(2, 'Indiquez le nom de l’invité.').max(120, '120 caractères au plus.'),
	email: z
		.string()
		.trim()
		.max(200, '200 caractères au plus.')
		.transform((v) => v.toLowerCase())
		.pipe(z.union([z.literal(''), z.email('Adresse électronique invalide.')]))
		.transform((v) => v || null),
	expiresDate: LocalDate,
	expiresTime: LocalTime
});
export type GuestInput = z.infer<typeof GuestInput>;

/** The instant an invitation ends, or why it cannot be that one. */
export function guestExpiry(
	input: Pick<GuestInput, 'expiresDate' | 'expiresTime'>,
	meeting: { startsAt: Date; durationMinutes: number },
	now: Date
): { ok: true; expiresAt: Date } | { ok: false; message: string } {
	const expiresAt = parisInstant(input.expiresDate, input.expiresTime);
	if (expiresAt.getTime() <= now.getTime()) return { ok: false, message: 'L’échéance doit être dans le futur.' };
	const meetingEnd = meeting.startsAt.getTime() + meeting.durationMinutes * 60_000;
	if (expiresAt.getTime() > meetingEnd + GUEST_GRACE_AFTER_MEETING_MS) {
		return { ok: false, message: 'L’échéance ne peut dépasser sept jours après la fin de la réunion.' };
	}
	if (expiresAt.getTime() < meetingEnd) return { ok: false, message: 'L’échéance doit suivre la fin de la réunion.' };
	return { ok: true, expiresAt };
}

/** Why a guest is refused anything but its meeting. */
export const GUEST_REFUSAL = 'Votre invitation donne accès uniquement à la réunion à laquelle vous êtes invité.';

/** Paths a guest may request besides its own meeting's page (`/verifier`: the public verification of a fiche). */
const GUEST_OPEN = ['/_app/', '/favicon', '/healthz', '/invite/', '/guest/', '/verifier'];

/** Whether a guest may request `path`: its meeting's page and video room (and their data) and the open paths. */
export function guestMayRequest(guest: { meetingId: string }, path: string): boolean {
	const own = `/meetings/${guest.meetingId}`;
	const pages = [own, `${own}/room`];
	return (
		pages.some((page) => path === page || path === `${page}/__data.json`) ||
		// Documents of the case presented in its meeting (the endpoint checks which).
		(path.startsWith(`${own}/documents/`) && /^[0-9a-f-]{36}$/i.test(path.slice(`${own}/documents/`.length))) ||
		GUEST_OPEN.some((prefix) => path.startsWith(prefix))
	);
}
