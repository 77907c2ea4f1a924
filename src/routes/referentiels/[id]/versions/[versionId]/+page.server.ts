import { error, fail, redirect } from '@sveltejs/kit';
import { isPublishedState, ReturnInput, SituationInput, VersionInput } from '$lib/domain/referentiel';
import { requireUser } from '$lib/server/auth/guards';
import { MAX_ATTACHMENT_BYTES } from '$lib/server/file-type';
import {
	addSituation,
	changeVersionState,
	deleteSituation,
	deleteVersion,
	getVersion,
	updateSituation,
	updateVersion,
	uploadVersionDocument,
	versionFeedback,
	type VersionStep
} from '$lib/server/referentiels';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { fieldErrors } from '$lib/validation';
import { m } from '$lib/paraglide/messages';
import { formValues, refusalMessage, refusedAction } from '../../../refusals.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const view = await getVersion(db, user, event.params.versionId);
	if (!view.ok) refuse(view);
	if (view.referentiel.id !== event.params.id) error(404, `Version introuvable : ${event.params.versionId}`);
	const { version, state, referentiel, situations, actions, actor } = view;
	const feedback = isPublishedState(state) ? await versionFeedback(db, user, version.id) : null;
	return {
		referentiel: { id: referentiel.id, title: referentiel.title, organ: referentiel.organ },
		version: {
			id: version.id,
			label: version.label,
			changeSummary: version.changeSummary,
			createdAt: version.createdAt,
			submittedAt: version.submittedAt,
			validatedAt: version.validatedAt,
			publishedAt: version.publishedAt,
			supersededAt: version.supersededAt,
			supersededById: version.supersededById,
			document: version.documentKey ? { name: version.documentName ?? '', bytes: version.documentBytes ?? 0 } : null
		},
		state,
		situations,
		actions,
		groupRole: actor.groupRole,
		feedback: feedback?.ok ? feedback : null,
		maxBytes: MAX_ATTACHMENT_BYTES
	};
};

async function read(event: RequestEvent) {
	const user = requireUser(event);
	return { requester: { user, address: event.getClientAddress() }, body: await event.request.formData() };
}

/** A lifecycle step from its button; `return` carries its reason. */
const step = (name: VersionStep) => async (event: RequestEvent) => {
	const { requester, body } = await read(event);
	const values = formValues(body);
	let reason = '';
	if (name === 'return') {
		const parsed = ReturnInput.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'return', values, errors: fieldErrors(parsed.error) });
		reason = parsed.data.reason;
	}
	const result = await changeVersionState(runtime().database.db, requester, event.params.versionId, name, reason);
	if (!result.ok) return refusedAction(result, name === 'return' ? 'return' : 'lifecycle', values);
	return { form: 'lifecycle', moved: name };
};

export const actions: Actions = {
	update: async (event) => {
		const { requester, body } = await read(event);
		const values = formValues(body);
		const parsed = VersionInput.safeParse(values);
		if (!parsed.success) return fail(400, { form: 'update', values, errors: fieldErrors(parsed.error) });
		const result = await updateVersion(runtime().database.db, requester, event.params.versionId, parsed.data);
		return result.ok ? { form: 'update', saved: true } : refusedAction(result, 'update', values);
	},
	document: async (event) => {
		const { requester, body } = await read(event);
		const file = body.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { form: 'document', errors: { file: m.ref_document_choose() } });
		if (file.size > MAX_ATTACHMENT_BYTES) return fail(413, { form: 'document', errors: { file: m.ref_document_too_large() } });
		const result = await uploadVersionDocument(runtime().database.db, runtime().storage, requester, event.params.versionId, {
			fileName: file.name,
			bytes: new Uint8Array(await file.arrayBuffer())
		});
		if (result.ok) return { form: 'document', saved: true };
		if (result.reason === 'unsupported-type' || result.reason === 'too-large') return fail(415, { form: 'document', errors: { file: refusalMessage(result.reason) } });
		return refusedAction(result, 'document');
	},
	situation: async (event) => {
		const { requester, body } = await read(event);
		const values = formValues(body);
		const parsed = SituationInput.safeParse(values);
		// The form of the situation changed (its id), or the new one ('new').
		const form = `situation:${values.situationId || 'new'}`;
		if (!parsed.success) return fail(400, { form, values, errors: fieldErrors(parsed.error) });
		const { db } = runtime().database;
		const result = values.situationId
			? await updateSituation(db, requester, values.situationId, parsed.data)
			: await addSituation(db, requester, event.params.versionId, parsed.data);
		return result.ok ? { form, saved: true } : refusedAction(result, form, values);
	},
	removeSituation: async (event) => {
		const { requester, body } = await read(event);
		const situationId = String(body.get('situationId') ?? '');
		const result = await deleteSituation(runtime().database.db, requester, situationId);
		return result.ok ? { form: 'situations', saved: true } : refusedAction(result, `situation:${situationId}`);
	},
	submit: step('submit'),
	return: step('return'),
	validate: step('validate'),
	publish: step('publish'),
	delete: async (event) => {
		const { requester } = await read(event);
		const result = await deleteVersion(runtime().database.db, runtime().storage, requester, event.params.versionId);
		if (!result.ok) return refusedAction(result, 'lifecycle');
		redirect(303, `/referentiels/${event.params.id}`);
	}
};
