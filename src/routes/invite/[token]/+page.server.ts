import { redirect } from '@sveltejs/kit';
import { claimInvitation, GUEST_COOKIE, guestMeetingView, peekInvitation } from '$lib/server/guests';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

/**
 * A guest's link. Opening it only shows whose invitation it is: link previewers (mail
 * filters, messaging apps) fetch links, so the session starts on the button, a POST.
 */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { db } = runtime().database;
	const guest = await peekInvitation(db, params.token);
	if (!guest) return { valid: false as const, signedIn: locals.user !== null };
	const view = await guestMeetingView(db, guest);
	return { valid: true as const, signedIn: locals.user !== null, name: guest.name, boardName: view.boardName, startsAt: view.meeting.startsAt };
};

export const actions: Actions = {
	default: async ({ params, cookies, locals, getClientAddress }) => {
		if (locals.user) return { signedIn: true };
		const claimed = await claimInvitation(runtime().database.db, params.token, getClientAddress());
		if (!claimed) return { invalid: true };
		cookies.set(GUEST_COOKIE, claimed.secret, { path: '/', httpOnly: true, sameSite: 'lax', expires: claimed.guest.expiresAt });
		redirect(303, `/meetings/${claimed.guest.meetingId}`);
	}
};
