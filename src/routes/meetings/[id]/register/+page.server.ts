import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { createCase, listAgenda } from '$lib/server/cases';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const agenda = await listAgenda(runtime().database.db, user, event.params.id, event.getClientAddress());
	if (!agenda.ok) refuse(agenda);
	return { meeting: agenda.meeting };
};

const deadlineFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Paris' });

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = Object.fromEntries(await event.request.formData());
		const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)]));
		const { db } = runtime().database;
		const agenda = await listAgenda(db, user, event.params.id);
		if (!agenda.ok) refuse(agenda);
		const result = await createCase(
			db,
			user,
			{ boardId: agenda.meeting.boardId, meetingId: event.params.id, fiche: { ...values, requestingPhysicianId: user.id } },
			event.getClientAddress()
		);
		if (result.ok) redirect(303, `/cases/${result.case.id}`);
		switch (result.reason) {
			case 'invalid':
				return fail(400, { values, errors: result.errors });
			case 'deadline-passed':
				return fail(409, {
					values,
					errors: { form: `Les inscriptions sont closes depuis le ${deadlineFormat.format(result.deadline)} : demandez au secrétariat de la RCP.` }
				});
			case 'meeting-not-open':
				return fail(409, { values, errors: { form: 'Cette séance n’accepte plus d’inscription.' } });
			default:
				refuse(result);
		}
	}
};
