import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { discardPpsDraft, handOverPps, issuePps, newPpsVersion, ppsOfCase, savePpsDraft, startPps, type PpsActor } from '$lib/server/pps/service';
import { compactRows, draftFromForm, editRows, formValuesOfDraft, ppsFormValues, type PpsFormValues, type PpsTable } from '$lib/pps/form';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const view = await ppsOfCase(runtime().database.db, user, event.params.id, { address: event.getClientAddress() });
	if (!view.ok) refuse(view);
	const { ok: _, draft, ...rest } = view;
	return {
		...rest,
		draft: draft && { id: draft.id, version: draft.version, updatedAt: draft.updatedAt.toISOString(), values: formValuesOfDraft(draft.content) }
	};
};

const actor = (event: RequestEvent): PpsActor => ({ user: requireUser(event), address: event.getClientAddress() });
const here = (event: RequestEvent) => `/cases/${event.params.id}/pps`;

/** The editor's post: the typed values, the draft and the save it was based on. */
async function editorPost(event: RequestEvent) {
	const body = await event.request.formData();
	const values = ppsFormValues(body);
	const versionId = String(values.versionId ?? '');
	const base = String(values.baseUpdatedAt ?? '');
	delete values.versionId;
	delete values.baseUpdatedAt;
	return { body, values, versionId, base };
}

/** A refused save gives back everything typed (blank rows dropped, so that rows and errors line up). */
const refused = (status: number, values: PpsFormValues, base: string, more: { errors?: Record<string, string>; problem?: string } = {}) =>
	fail(status, { editor: { values: compactRows(values), base, errors: more.errors ?? {}, problem: more.problem ?? null } });

/** Saves the posted draft: when it was saved, or the refusal that is the action's answer. */
async function save(event: RequestEvent, post: Awaited<ReturnType<typeof editorPost>>) {
	const { db } = runtime().database;
	const result = await savePpsDraft(db, actor(event), post.versionId, draftFromForm(post.values), post.base);
	if (result.ok) return { saved: result.updatedAt.toISOString() };
	switch (result.reason) {
		case 'invalid':
			return refused(400, post.values, post.base, { errors: result.errors, problem: m.pps_errors_summary() });
		case 'stale':
			// The next save is based on the version now stored: saving again replaces it with what is typed here.
			return refused(409, post.values, result.updatedAt.toISOString(), { problem: m.pps_stale({ time: result.updatedAt.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }) }) });
		case 'not-draft':
			return refused(409, post.values, post.base, { problem: m.pps_not_draft() });
		default:
			refuse(result);
	}
}

export const actions: Actions = {
	start: async (event) => {
		const result = await startPps(runtime().database.db, actor(event), event.params.id);
		if (result.ok) redirect(303, here(event));
		if (result.reason === 'no-signed-fiche') return fail(409, { startError: m.pps_no_signed_fiche() });
		refuse(result);
	},
	update: async (event) => {
		const result = await newPpsVersion(runtime().database.db, actor(event), event.params.id);
		if (result.ok) redirect(303, here(event));
		if (result.reason === 'not-issued') return fail(409, { startError: m.pps_not_issued() });
		refuse(result);
	},
	save: async (event) => {
		const result = await save(event, await editorPost(event));
		return 'saved' in result ? { saved: true } : result;
	},
	issue: async (event) => {
		const post = await editorPost(event);
		const saved = await save(event, post);
		if (!('saved' in saved)) return saved;
		const result = await issuePps(runtime().database.db, actor(event), post.versionId);
		if (result.ok) return { issued: result.snapshot.version };
		// The draft was saved: the form is shown again from it, with what keeps it from being issued.
		if (result.reason === 'invalid') return refused(400, post.values, saved.saved, { errors: result.errors, problem: m.pps_errors_summary() });
		if (result.reason === 'no-signed-fiche') return refused(409, post.values, saved.saved, { problem: m.pps_no_signed_fiche() });
		if (result.reason === 'not-draft') return refused(409, post.values, saved.saved, { problem: m.pps_not_draft() });
		refuse(result);
	},
	discard: async (event) => {
		const post = await editorPost(event);
		const result = await discardPpsDraft(runtime().database.db, actor(event), post.versionId);
		if (result.ok) return { discarded: true };
		if (result.reason === 'issued' || result.reason === 'first-version') return refused(409, post.values, post.base, { problem: m.pps_not_discardable() });
		refuse(result);
	},
	/** Adds or removes a row of the calendar or of the care team, without saving (the page works without JavaScript). */
	rows: async (event) => {
		const post = await editorPost(event);
		const add = post.body.get('add');
		const [table, index] = String(post.body.get('remove') ?? '').split('.');
		const tables: PpsTable[] = ['phases', 'careTeam'];
		const isTable = (value: unknown): value is PpsTable => tables.includes(value as PpsTable);
		const values = isTable(add) ? editRows(post.values, { add }) : isTable(table) ? editRows(post.values, { remove: table, index: Number(index) }) : post.values;
		return { editor: { values, base: post.base, errors: {}, problem: null } };
	},
	handover: async (event) => {
		const body = await event.request.formData();
		const versionId = String(body.get('versionId') ?? '');
		const on = String(body.get('on') ?? '');
		const result = await handOverPps(runtime().database.db, actor(event), versionId, on);
		if (result.ok) return { handedOver: versionId };
		if (result.reason === 'invalid') return fail(400, { handover: { versionId, on, error: result.errors.on } });
		if (result.reason === 'already-handed-over' || result.reason === 'not-issued') return fail(409, { handover: { versionId, on, error: m.pps_handover_refused() } });
		refuse(result);
	}
};
