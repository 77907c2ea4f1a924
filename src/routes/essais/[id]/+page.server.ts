import { fail, redirect } from '@sveltejs/kit';
import { isNetworkEditor, requireNetworkEditor, requireUser } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { deleteTrial, getTrial, saveTrial } from '$lib/server/trials';
import { formValues, trialFormValues, trialFromForm } from '$lib/trials/form';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const found = await getTrial(runtime().database.db, event.params.id);
	if (!found.ok) refuse(found);
	const canEdit = isNetworkEditor(user);
	return { trial: found.trial, canEdit, values: canEdit ? trialFormValues(found.trial) : null };
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireNetworkEditor(event);
		const values = formValues(await event.request.formData());
		const result = await saveTrial(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id, trialFromForm(values));
		if (result.ok) return { saved: true };
		if (result.reason === 'invalid') return fail(400, { values, errors: result.errors });
		refuse(result);
	},
	delete: async (event) => {
		const user = requireNetworkEditor(event);
		const result = await deleteTrial(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id);
		if (result.ok) redirect(303, '/essais');
		if (result.reason === 'cited') return fail(409, { deleteError: m.trial_delete_cited() });
		refuse(result);
	}
};
