/**
 * The patient's GP invited to one follow-up by a personal link (no account): who, until
 * when, and which paths such a session may request — that plan's pages and nothing else.
 */
import { z } from 'zod';
import { addCalendarMonths } from './follow-up.ts';
import { Rpps } from './identifiers.ts';
import { LocalDate } from './schedule.ts';

/** Why a GP session is refused anything but its patient's follow-up. */
export const GP_REFUSAL = 'Votre lien donne accès uniquement au suivi de votre patient.';

/** How long a GP link lasts unless the inviter says otherwise: one year. */
export const GP_LINK_DEFAULT_MONTHS = 12;

/** The default expiry day of a link made on `today`. */
export const defaultGpExpiry = (today: string): string => addCalendarMonths(today, GP_LINK_DEFAULT_MONTHS);

/** The invitation form: the GP's name, optional email and RPPS, the last day the link works (Paris). */
export const GpInvite = z.object({
	name: z.string().trim().min(2, 'Indiquez le nom du médecin traitant.').max(200, '200 caractères au plus.'),
	email: z
		.string()
		.trim()
		.max(200, '200 caractères au plus.')
		.transform((v) => v.toLowerCase())
		.pipe(z.union([z.literal(''), z.email('Adresse électronique invalide.')]))
		.transform((v) => v || null),
	rpps: z.union([z.literal('').transform(() => null), Rpps]),
	expiresOn: LocalDate
});
/** The invitation form, parsed. */
export type GpInvite = z.infer<typeof GpInvite>;

/** Paths open to anyone, a GP session included (static files, the link page, fiche verification). */
const GP_OPEN = ['/_app/', '/favicon', '/healthz', '/medecin/', '/verifier'];

/** Whether a GP session may request `path`: its plan's page and what lies under it, and the open paths. */
export function gpMayRequest(gp: { planId: string }, path: string): boolean {
	const own = `/suivi/${gp.planId}`;
	return path === own || path.startsWith(`${own}/`) || GP_OPEN.some((prefix) => path.startsWith(prefix));
}
