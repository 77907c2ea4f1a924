import { error, fail, redirect } from '@sveltejs/kit';
import { ReferentielInput } from '$lib/domain/referentiel';
import { isNetworkEditor, requireUser } from '$lib/server/auth/guards';
import { createReferentiel, listReferentiels } from '$lib/server/referentiels';
import { runtime } from '$lib/server/runtime';
import { fieldErrors } from '$lib/validation';
import { formValues } from './refusals.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const organ = event.url.searchParams.get('organ') || null;
	const query = event.url.searchParams.get('q') ?? '';
	const referentiels = await listReferentiels(runtime().database.db, user, { organ, query });
	return { referentiels, organ, query, canCreate: isNetworkEditor(user) };
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireUser(event);
		if (!isNetworkEditor(user)) error(403, 'Réservé aux éditeurs du réseau.');
		const values = formValues(await event.request.formData());
		const parsed = ReferentielInput.safeParse(values);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const created = await createReferentiel(runtime().database.db, { user, address: event.getClientAddress() }, parsed.data);
		if (!created.ok) error(403, 'Réservé aux éditeurs du réseau.');
		redirect(303, `/referentiels/${created.referentiel.id}`);
	}
};
