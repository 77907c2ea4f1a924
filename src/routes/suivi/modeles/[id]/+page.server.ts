import { error, fail, redirect } from '@sveltejs/kit';
import { requireNetworkEditor } from '$lib/server/auth/guards';
import { getTemplate, saveTemplate } from '$lib/server/follow-up/templates';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { conceptsOf } from '$lib/domain/value-sets';
import { templateFormValues, templateInput, valuesOfTemplate } from '$lib/follow-up/template-form';
import type { Actions, PageServerLoad } from './$types';

const NEW = 'nouveau';

/** Editing a template (or a new one at /suivi/modeles/nouveau): the network's editors and administrators. */
export const load: PageServerLoad = async (event) => {
	requireNetworkEditor(event);
	const id = event.params.id;
	const template = id === NEW ? undefined : await getTemplate(runtime().database.db, id);
	if (id !== NEW && !template) error(404, `Introuvable : ${id}`);
	return {
		isNew: id === NEW,
		values: valuesOfTemplate(template?.definition),
		organs: conceptsOf('JDV_RCP_Organe').map((c) => ({ code: c.code, label: c.displayName }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireNetworkEditor(event);
		const values = templateFormValues(await event.request.formData());
		const { input, rowOf } = templateInput(values);
		const id = event.params.id === NEW ? undefined : event.params.id;
		const result = await saveTemplate(runtime().database.db, { user, address: event.getClientAddress() }, id, input);
		if (result.ok) redirect(303, `/suivi/modeles/${result.template.id}?enregistre=1`);
		if (result.reason !== 'invalid') refuse(result);
		// Errors of exam rows name the row's place among the kept rows: give back its place on the form.
		const errors = Object.fromEntries(
			Object.entries(result.errors).map(([field, message]) => {
				const row = /^exams\.(\d+)\.(.+)$/.exec(field);
				return [row ? `exams.${rowOf[Number(row[1])]}.${row[2]}` : field, message];
			})
		);
		return fail(400, { values, errors });
	}
};
