import { redirect } from '@sveltejs/kit';
import { endGuestSession, GUEST_COOKIE } from '$lib/server/guests';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.guest) redirect(303, `/meetings/${locals.guest.meetingId}`);
	return {};
};

export const actions: Actions = {
	default: async ({ cookies, getClientAddress }) => {
		const secret = cookies.get(GUEST_COOKIE);
		if (secret) await endGuestSession(runtime().database.db, secret, getClientAddress());
		cookies.delete(GUEST_COOKIE, { path: '/' });
		redirect(303, '/guest/leave');
	}
};
