import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { createCase } from '$lib/server/cases';
import { meetingFor } from '$lib/server/meetings';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// The meeting alone: the agenda (patients' names) is not needed to register a case.
	const access = await meetingFor(runtime().database.db, user, event.params.id);
	if (!access.ok) refuse(access);
	return { meeting: access.meeting };
};

const deadlineFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Paris' });

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = Object.fromEntries(await event.request.formData());
		const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)]));
		const { db } = runtime().database;
		const access = await meetingFor(db, user, event.params.id);
		if (!access.ok) refuse(access);
		const result = await createCase(
			db,
			user,
			{ boardId: access.meeting.boardId, meetingId: event.params.id, fiche: { ...values, requestingPhysicianId: user.id } },
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
