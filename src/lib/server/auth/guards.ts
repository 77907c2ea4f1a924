import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { GP_REFUSAL } from '../../domain/follow-up-gp.ts';
import { GUEST_REFUSAL } from '../../domain/guest.ts';
import type { SessionUser } from '../users.ts';

/** The signed-in user, or a redirect to /login that comes back here afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const user = event.locals.user;
	if (!user && event.locals.guest) error(403, GUEST_REFUSAL);
	if (!user && event.locals.gp) error(403, GP_REFUSAL);
	if (!user) redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	return user;
}

/** An administrator, or 403 for anyone else signed in. */
export function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const user = requireUser(event);
	if (!user.isAdmin) error(403, 'Réservé aux administrateurs.');
	return user;
}

/** Whether this user manages the network's référentiels and trials: its editors and administrators. */
export const isNetworkEditor = (user: Pick<SessionUser, 'isAdmin' | 'networkEditor'>): boolean => user.isAdmin || user.networkEditor;

/** A network editor (or administrator), or 403 for anyone else signed in. */
export function requireNetworkEditor(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	const user = requireUser(event);
	if (!isNetworkEditor(user)) error(403, 'Réservé aux éditeurs du réseau.');
	return user;
}
