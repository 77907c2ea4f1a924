import { redirect } from '@sveltejs/kit';
import { claimGpLink, GP_COOKIE, peekGpLink } from '$lib/server/follow-up/gp-links';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

/**
 * The GP's link. Opening it only shows whom it is for: link previewers fetch links, so
 * the session starts on the button, a POST. Opening it again replaces the previous session.
 */
export const load: PageServerLoad = async ({ params, locals }) => {
	const link = await peekGpLink(runtime().database.db, params.token);
	if (!link) return { valid: false as const, signedIn: locals.user !== null };
	return { valid: true as const, signedIn: locals.user !== null, name: link.name, boardName: link.boardName };
};

export const actions: Actions = {
	default: async ({ params, cookies, locals, url, getClientAddress }) => {
		if (locals.user) return { signedIn: true };
		const claimed = await claimGpLink(runtime().database.db, params.token, getClientAddress());
		if (!claimed) return { invalid: true };
		cookies.set(GP_COOKIE, claimed.secret, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			expires: claimed.gp.expiresAt
		});
		redirect(303, `/suivi/${claimed.gp.planId}`);
	}
};
