/**
 * Expected refusals of the domain services, as HTTP errors with a French reason.
 * Pages call it when a refusal means "you cannot see this" (not a form error).
 */
import { error } from '@sveltejs/kit';

export function refuse(refusal: { reason: string; id?: string }): never {
	if (refusal.reason === 'not-found') error(404, `Introuvable : ${refusal.id ?? ''}`.trim());
	if (refusal.reason === 'forbidden') error(403, 'Vous n’avez pas accès à cette page.');
	error(409, `Refusé : ${refusal.reason}`);
}
