import { requireUser, isNetworkEditor } from '$lib/server/auth/guards';
import { followUpDashboard } from '$lib/server/follow-up/dashboard';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** The follow-up dashboard: the boards' managers see their boards' plans, others the plans of their cases. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const dashboard = await followUpDashboard(runtime().database.db, user, event.getClientAddress());
	return { ...dashboard, editor: isNetworkEditor(user) };
};
