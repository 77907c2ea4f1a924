import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { localeHandle } from '$lib/i18n/handle.server';
import { m } from '$lib/paraglide/messages';
import { authenticationHandle } from '$lib/server/auth/handles';
import { runtime } from '$lib/server/runtime';

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	// The room page needs the camera, microphone and screen capture of this site only.
	'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=()'
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	return response;
};

// The language is chosen before anything renders a message (handleError included).
export const handle: Handle = sequence(securityHeaders, localeHandle, authenticationHandle);

/** Unexpected errors: logged once with an id; the user sees only the id. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	const errorId = crypto.randomUUID();
	if (status !== 404) {
		// The route id, not the URL: URLs may carry identifiers of patients or cases.
		runtime().logger.error({ err: error, errorId, route: event.route.id, status }, 'unexpected error');
	}
	return { message: status === 404 ? m.error_not_found() : m.error_unexpected(), errorId };
};
