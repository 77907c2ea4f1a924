import { CredentialsSignin } from '@auth/sveltekit';
import { fail, isRedirect, redirect } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { signIn } from '$lib/server/auth/authjs';
import { accountKey, addressKey, checkThrottle, recordFailure, recordSuccess } from '$lib/server/auth/throttle';
import { runtime } from '$lib/server/runtime';
import { findUserByEmail, recordSignIn } from '$lib/server/users';
import { SignInInput } from '$lib/users/schemas';
import { fieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

/**
 * Why a sign-in through the OpenID Connect provider came back here: our refusals
 * (oidc.ts), `unavailable` (oidc/+server.ts) and the error types Auth.js puts in
 * `?error=`; any other is `failed`.
 */
const OIDC_ERRORS = ['no-account', 'inactive', 'rpps-mismatch', 'unavailable', 'AccessDenied', 'Configuration'] as const;
/** What the page explains after an OpenID Connect sign-in did not open a session. */
type OidcError = (typeof OIDC_ERRORS)[number] | 'failed';

function oidcError(code: string | null): OidcError | undefined {
	if (!code) return undefined;
	return (OIDC_ERRORS as readonly string[]).includes(code) ? (code as OidcError) : 'failed';
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, '/');
	const oidc = runtime().config.oidc;
	return {
		created: url.searchParams.get('created') === '1',
		email: url.searchParams.get('email') ?? '',
		oidc: oidc ? { name: oidc.name } : null,
		oidcError: oidcError(url.searchParams.get('error'))
	};
};

const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = SignInInput.safeParse(Object.fromEntries(form));
		if (!parsed.success) return fail(400, { email, errors: fieldErrors(parsed.error) });

		const { db } = runtime().database;
		const address = event.getClientAddress();
		const keys = [accountKey(parsed.data.email), addressKey(address)];
		const verdict = await checkThrottle(db, keys);
		if (!verdict.ok) {
			await audit(db, { actorUserId: null, action: 'user.sign-in-locked', address, details: { key: 'account-or-address' } });
			return fail(429, {
				email,
				errors: { form: `Trop de tentatives échouées. Réessayez après ${timeFormat.format(verdict.until)}.` }
			});
		}
		if (verdict.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));

		// Auth.js's action reads the form itself; it answers a redirect to the target on
		// success, and throws CredentialsSignin (or redirects elsewhere) otherwise.
		const target = parsed.data.redirectTo ?? '/';
		const body = new URLSearchParams({
			providerId: 'credentials',
			email: parsed.data.email,
			password: parsed.data.password,
			redirectTo: target
		});
		const headers = new Headers(event.request.headers);
		headers.set('content-type', 'application/x-www-form-urlencoded');
		headers.delete('content-length');
		let location = '';
		try {
			await signIn({ ...event, request: new Request(event.request.url, { method: 'POST', body, headers }) });
		} catch (thrown) {
			// A refused password surfaces as CredentialsSignin; anything else is unexpected.
			if (isRedirect(thrown)) location = thrown.location;
			else if (!(thrown instanceof CredentialsSignin)) throw thrown;
		}
		const landed = location ? new URL(location, event.url) : undefined;
		const succeeded =
			landed !== undefined && landed.origin === event.url.origin && landed.pathname === target.split('?')[0] && !landed.searchParams.has('error');
		const user = await findUserByEmail(db, parsed.data.email);
		if (!succeeded) {
			await recordFailure(db, keys);
			await audit(db, { actorUserId: user?.id ?? null, action: 'user.sign-in-failed', address });
			return fail(400, { email, errors: { form: 'Adresse électronique ou mot de passe incorrect.' } });
		}
		await recordSuccess(db, parsed.data.email);
		if (user) {
			await recordSignIn(db, user.id);
			await audit(db, { actorUserId: user.id, action: 'user.sign-in', entityType: 'user', entityId: user.id, address });
		}
		redirect(303, parsed.data.redirectTo ?? '/');
	}
};
