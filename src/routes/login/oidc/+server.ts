/**
 * Starts a sign-in through the OpenID Connect provider: Auth.js reads the provider's
 * discovery document and answers a redirect to its authorization page, which is let
 * through. A GET (the login page links here) because the content security policy's
 * `form-action 'self'` forbids a form post that ends on another site; starting the flow
 * changes nothing until the provider calls back with a matching state, PKCE verifier and
 * nonce.
 */
import { AuthError } from '@auth/sveltekit';
import { error, redirect } from '@sveltejs/kit';
import { signIn } from '$lib/server/auth/authjs';
import { OIDC_PROVIDER_ID } from '$lib/server/auth/oidc';
import { runtime } from '$lib/server/runtime';
import { SignInInput } from '$lib/users/schemas';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { config, logger } = runtime();
	if (!config.oidc) error(404, 'OpenID Connect is not configured');
	if (event.locals.user) redirect(303, '/');
	const target = SignInInput.shape.redirectTo.parse(event.url.searchParams.get('redirectTo') ?? undefined) ?? '/';
	// Auth.js's action reads a form: hand it one.
	const body = new URLSearchParams({ providerId: OIDC_PROVIDER_ID, redirectTo: target });
	const headers = new Headers(event.request.headers);
	headers.set('content-type', 'application/x-www-form-urlencoded');
	try {
		await signIn({ ...event, request: new Request(event.request.url, { method: 'POST', body, headers }) });
	} catch (thrown) {
		// The provider's discovery document could not be read (provider down, wrong issuer).
		if (thrown instanceof AuthError) {
			logger.warn({ authError: thrown.name }, 'openid connect sign-in could not start');
			redirect(303, '/login?error=unavailable');
		}
		throw thrown; // the redirect to the provider, or an unexpected error
	}
	// Auth.js always redirects; reaching here would be a change in its contract.
	throw new Error('Auth.js did not redirect to the OpenID Connect provider');
};
