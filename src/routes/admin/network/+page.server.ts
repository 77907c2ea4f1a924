import { fail } from '@sveltejs/kit';
import { NetworkInput } from '$lib/domain/network';
import { requireAdmin } from '$lib/server/auth/guards';
import { runtime } from '$lib/server/runtime';
import { getNetwork, setNetwork } from '$lib/server/settings';
import { fieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return { network: await getNetwork(runtime().database.db) };
};

export const actions: Actions = {
	default: async (event) => {
		const admin = requireAdmin(event);
		const values = Object.fromEntries(await event.request.formData()) as Record<string, string>;
		const parsed = NetworkInput.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		await setNetwork(runtime().database.db, parsed.data, { userId: admin.id, address: event.getClientAddress() });
		return { saved: true };
	}
};
