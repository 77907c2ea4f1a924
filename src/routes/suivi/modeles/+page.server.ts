import { isNetworkEditor, requireNetworkEditor, requireUser } from '$lib/server/auth/guards';
import { listTemplates, setTemplateActive } from '$lib/server/follow-up/templates';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { findConcept } from '$lib/domain/value-sets';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The network's follow-up templates: every member reads them; editors also see withdrawn ones. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const editor = isNetworkEditor(user);
	const templates = await listTemplates(runtime().database.db, { withdrawn: editor });
	return {
		editor,
		templates: templates.map((t) => ({
			id: t.id,
			active: t.active,
			name: t.definition.name,
			organ: findConcept('JDV_RCP_Organe', t.definition.organ)?.displayName ?? t.definition.organ,
			years: t.definition.durationYears,
			months: t.definition.visitIntervalMonths
		}))
	};
};

async function setActive(event: RequestEvent, active: boolean) {
	const user = requireNetworkEditor(event);
	const id = String((await event.request.formData()).get('id') ?? '');
	const result = await setTemplateActive(runtime().database.db, { user, address: event.getClientAddress() }, id, active);
	if (!result.ok) refuse(result);
	return { changed: true };
}

export const actions: Actions = {
	withdraw: (event) => setActive(event, false),
	restore: (event) => setActive(event, true)
};
