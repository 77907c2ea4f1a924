import type { LayoutServerLoad } from './$types';

/** The signed-in user, for the header; pages check their own access. */
export const load: LayoutServerLoad = ({ locals }) => ({ user: locals.user });
