import type { LayoutServerLoad } from './$types';

/** The signed-in user or the guest, for the header; pages check their own access. */
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user,
	guest: locals.guest && { name: locals.guest.name, meetingId: locals.guest.meetingId }
});
