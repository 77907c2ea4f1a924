import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { FollowUpStart, FollowUpTemplate, openFollowUpPlan } from '$lib/domain/follow-up';
import { parisDate } from '$lib/domain/schedule';
import { openingFor, openPlan } from '$lib/server/follow-up/plans';
import { getTemplate } from '$lib/server/follow-up/templates';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { clock } from '$lib/clock';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The opening form of a case's follow-up, for its writers once the fiche is signed. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const opening = await openingFor(runtime().database.db, user, event.params.id);
	if (!opening.ok && opening.reason === 'no-signed-fiche') return { caseId: event.params.id, signed: false as const };
	if (!opening.ok) refuse(opening);
	if (opening.existingPlanId) redirect(303, `/suivi/${opening.existingPlanId}`);
	return {
		caseId: event.params.id,
		signed: true as const,
		today: parisDate(clock.now()),
		templates: opening.templates.map((t) => ({ id: t.id, name: t.definition.name, indicative: t.definition.indicative }))
	};
};

async function typed(event: RequestEvent) {
	const body = await event.request.formData();
	return { templateId: String(body.get('templateId') ?? ''), startOn: String(body.get('startOn') ?? '') };
}

export const actions: Actions = {
	/** The schedule the chosen template would give from that day, before anything is stored. */
	preview: async (event) => {
		const user = requireUser(event);
		const values = await typed(event);
		const { db } = runtime().database;
		const opening = await openingFor(db, user, event.params.id);
		if (!opening.ok) return opening.reason === 'no-signed-fiche' ? fail(409, { values, errors: {} }) : refuse(opening);
		const template = await getTemplate(db, values.templateId);
		const start = FollowUpStart.safeParse(values.startOn);
		const errors: Record<string, string> = {};
		if (!template?.active) errors.templateId = 'Choisissez un modèle de suivi.';
		if (!start.success) errors.startOn = start.error.issues[0].message;
		if (!template || !start.success || Object.keys(errors).length > 0) return fail(400, { values, errors });
		const schedule = openFollowUpPlan(FollowUpTemplate.parse(template.definition), start.data);
		if (!schedule.ok) return fail(400, { values, errors: { startOn: schedule.message } });
		return { values, errors: {}, preview: schedule.items };
	},
	open: async (event) => {
		const user = requireUser(event);
		const values = await typed(event);
		const result = await openPlan(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id, values);
		if (result.ok) redirect(303, `/suivi/${result.plan.id}`);
		if (result.reason === 'invalid') return fail(400, { values, errors: result.errors });
		if (result.reason === 'no-signed-fiche') return fail(409, { values, errors: {} });
		refuse(result);
	}
};
