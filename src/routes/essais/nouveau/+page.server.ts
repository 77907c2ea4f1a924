import { fail, redirect } from '@sveltejs/kit';
import { requireNetworkEditor } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { saveTrial } from '$lib/server/trials';
import { formValues, trialFromForm } from '$lib/trials/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireNetworkEditor(event);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireNetworkEditor(event);
		const values = formValues(await event.request.formData());
		const result = await saveTrial(runtime().database.db, { user, address: event.getClientAddress() }, null, trialFromForm(values));
		if (result.ok) redirect(303, `/essais/${result.id}`);
		if (result.reason === 'invalid') return fail(400, { values, errors: result.errors });
		refuse(result);
	}
};
