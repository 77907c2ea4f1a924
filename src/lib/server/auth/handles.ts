/**
 * The request-time side of sign-in, as SvelteKit handles:
 * - refuse direct posts to Auth.js's credentials callback (the /login action, which
 *   throttles, is the only way to check a password);
 * - Auth.js's own handle;
 * - `locals.user`: the signed-in, active account, reloaded on every request;
 * - `locals.guest`: a meeting's guest (see guests.ts), confined to that meeting's pages;
 * - `locals.gp`: the GP invited to one follow-up (follow-up/gp-links.ts), confined to that plan;
 * - first run: while no account exists, every page leads to /onboarding.
 */
import { error, redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { runtime } from '../runtime.ts';
import { GUEST_REFUSAL, guestMayRequest } from '../../domain/guest.ts';
import { GUEST_COOKIE, guestFromSession } from '../guests.ts';
import { GP_REFUSAL, gpMayRequest } from '../../domain/follow-up-gp.ts';
import { GP_COOKIE, gpFromSession } from '../follow-up/gp-links.ts';
import { countUsers, findUserById, toSessionUser } from '../users.ts';
import { authHandle } from './authjs.ts';

const guardCredentialsCallback: Handle = ({ event, resolve }) => {
	if (event.url.pathname.startsWith('/auth/callback/credentials')) error(403, 'Utilisez la page de connexion.');
	return resolve(event);
};

const userHandle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.signedInAt = null;
	const session = await event.locals.auth();
	const id = session?.user?.id;
	if (id) {
		const user = await findUserById(runtime().database.db, id);
		if (user?.active) {
			event.locals.user = toSessionUser(user);
			event.locals.signedInAt = (session as { signedInAt?: number | null }).signedInAt ?? null;
		}
	}
	return resolve(event);
};

const guestHandle: Handle = async ({ event, resolve }) => {
	event.locals.guest = null;
	const secret = event.cookies.get(GUEST_COOKIE);
	if (!secret || event.locals.user) return resolve(event);
	const guest = await guestFromSession(runtime().database.db, secret);
	if (!guest) {
		event.cookies.delete(GUEST_COOKIE, { path: '/' });
		return resolve(event);
	}
	event.locals.guest = guest;
	const path = event.url.pathname;
	if (path === '/' || path === '/login') redirect(303, `/meetings/${guest.meetingId}`);
	if (!guestMayRequest(guest, path)) {
		// A page a guest navigates to refuses it itself (requireUser), inside the layout, in
		// French; an error thrown here would get SvelteKit's bare fallback page. Everything
		// else (page data, endpoints, form posts) is refused here already.
		const pageNavigation = event.request.method === 'GET' && (event.request.headers.get('accept') ?? '').includes('text/html');
		if (!pageNavigation) error(403, GUEST_REFUSAL);
	}
	return resolve(event);
};

const pageNavigation = (request: Request) => request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');

const gpHandle: Handle = async ({ event, resolve }) => {
	event.locals.gp = null;
	const secret = event.cookies.get(GP_COOKIE);
	if (!secret || event.locals.user || event.locals.guest) return resolve(event);
	const gp = await gpFromSession(runtime().database.db, secret);
	if (!gp) {
		event.cookies.delete(GP_COOKIE, { path: '/' });
		return resolve(event);
	}
	event.locals.gp = gp;
	const path = event.url.pathname;
	if (path === '/' || path === '/login') redirect(303, `/suivi/${gp.planId}`);
	// As for guests: pages refuse themselves (requireUser) inside the layout, in French.
	if (!gpMayRequest(gp, path) && !pageNavigation(event.request)) error(403, GP_REFUSAL);
	return resolve(event);
};

// Once an account exists it is never removed (accounts are deactivated), so "someone
// exists" can be remembered by each process; until then every request asks the database.
let initialised = false;

const ALWAYS_OPEN = ['/healthz', '/_app/', '/favicon', '/onboarding'];

const firstRunHandle: Handle = async ({ event, resolve }) => {
	if (!initialised) initialised = (await countUsers(runtime().database.db)) > 0;
	const path = event.url.pathname;
	if (!initialised && !ALWAYS_OPEN.some((prefix) => path.startsWith(prefix))) redirect(303, '/onboarding');
	if (initialised && path === '/onboarding') redirect(303, '/login');
	return resolve(event);
};

export const authenticationHandle: Handle = sequence(guardCredentialsCallback, authHandle, userHandle, firstRunHandle, guestHandle, gpHandle);
