import { m } from '$lib/paraglide/messages';

/** Field errors for a refused account change. */
export function takenMessage(reason: 'email-taken' | 'rpps-taken' | 'not-found' | 'last-admin'): Record<string, string> {
	switch (reason) {
		case 'email-taken':
			return { email: m.user_email_taken() };
		case 'rpps-taken':
			return { rpps: m.user_rpps_taken() };
		case 'last-admin':
			return { form: m.user_last_admin() };
		case 'not-found':
			return { form: m.user_not_found() };
	}
}
