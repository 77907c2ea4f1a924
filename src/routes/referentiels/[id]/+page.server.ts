import { fail, redirect } from '@sveltejs/kit';
import { GroupMemberInput, ReferentielInput, VersionInput } from '$lib/domain/referentiel';
import { requireUser } from '$lib/server/auth/guards';
import { createVersion, deleteReferentiel, getReferentiel, networkMembers, setGroupMember, updateReferentiel } from '$lib/server/referentiels';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { fieldErrors } from '$lib/validation';
import { formValues, refusedAction } from '../refusals.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const view = await getReferentiel(db, user, event.params.id);
	if (!view.ok) refuse(view);
	const { referentiel, actor, group, versions, history, canStartVersion } = view;
	return {
		referentiel,
		group,
		versions,
		history,
		canStartVersion,
		editor: actor.editor,
		groupRole: actor.groupRole,
		// The picker of the working group, for editors only.
		candidates: actor.editor ? await networkMembers(db) : []
	};
};

/** The signed-in user, the request's address and the form's fields. */
async function read(event: RequestEvent) {
	const user = requireUser(event);
	return { requester: { user, address: event.getClientAddress() }, values: formValues(await event.request.formData()) };
}

export const actions: Actions = {
	update: async (event) => {
		const { requester, values } = await read(event);
		const parsed = ReferentielInput.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'update', values, errors: fieldErrors(parsed.error) });
		const result = await updateReferentiel(runtime().database.db, requester, event.params.id, parsed.data);
		return result.ok ? { form: 'update', saved: true } : refusedAction(result, 'update', values);
	},
	member: async (event) => {
		const { requester, values } = await read(event);
		const parsed = GroupMemberInput.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'member', values, errors: fieldErrors(parsed.error) });
		const result = await setGroupMember(runtime().database.db, requester, event.params.id, parsed.data);
		return result.ok ? { form: 'member', saved: true } : refusedAction(result, 'member', values);
	},
	version: async (event) => {
		const { requester, values } = await read(event);
		const parsed = VersionInput.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'version', values, errors: fieldErrors(parsed.error) });
		const result = await createVersion(runtime().database.db, requester, event.params.id, parsed.data);
		if (!result.ok) return refusedAction(result, 'version', values);
		redirect(303, `/referentiels/${event.params.id}/versions/${result.version.id}`);
	},
	delete: async (event) => {
		const { requester } = await read(event);
		const result = await deleteReferentiel(runtime().database.db, runtime().storage, requester, event.params.id);
		if (!result.ok) return refusedAction(result, 'delete');
		redirect(303, '/referentiels');
	}
};
