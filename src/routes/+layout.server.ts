import type { LayoutServerLoad } from './$types';

/** The signed-in user, the guest or the GP, for the header; pages check their own access. */
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user,
	guest: locals.guest && { name: locals.guest.name, meetingId: locals.guest.meetingId },
	gp: locals.gp && { name: locals.gp.name, planId: locals.gp.planId }
});
