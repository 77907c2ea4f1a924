import { redirect } from '@sveltejs/kit';
import { endGpSession, GP_COOKIE } from '$lib/server/follow-up/gp-links';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.gp) redirect(303, `/suivi/${locals.gp.planId}`);
	return {};
};

export const actions: Actions = {
	default: async ({ cookies, getClientAddress }) => {
		const secret = cookies.get(GP_COOKIE);
		if (secret) await endGpSession(runtime().database.db, secret, getClientAddress());
		cookies.delete(GP_COOKIE, { path: '/' });
		redirect(303, '/medecin/quitter');
	}
};
