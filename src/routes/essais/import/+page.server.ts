import { fail } from '@sveltejs/kit';
import { MAX_IMPORT_BYTES } from '$lib/domain/trial-import';
import { requireNetworkEditor } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { commitImport, previewImport, type ImportFile } from '$lib/server/trial-import';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	requireNetworkEditor(event);
	return { maxBytes: MAX_IMPORT_BYTES };
};

/** The uploaded file, or the French reason it cannot be read. */
async function uploaded(event: RequestEvent): Promise<ImportFile | string> {
	const file = (await event.request.formData()).get('file');
	if (!(file instanceof File) || file.size === 0) return m.trial_import_choose();
	if (file.size > MAX_IMPORT_BYTES) return m.trial_import_too_large();
	return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

export const actions: Actions = {
	// Writes nothing: what the import would create and update, or the file's problems.
	preview: async (event) => {
		const user = requireNetworkEditor(event);
		const file = await uploaded(event);
		if (typeof file === 'string') return fail(400, { fileError: file });
		const result = await previewImport(runtime().database.db, user, file);
		if (!result.ok) return result.reason === 'invalid' ? fail(400, { fileName: file.name, problems: result.problems }) : refuse(result);
		const rows = result.rows.map(({ trial, action, existing }) => ({
			action,
			title: trial.title,
			acronym: trial.acronym,
			identifiers: [trial.euCtNumber, trial.nctId, trial.localNumber].filter(Boolean).join(' · '),
			status: trial.status,
			sites: trial.sites.length,
			existingId: existing?.id ?? null
		}));
		return { preview: { fileName: file.name, format: result.format, created: result.created, updated: result.updated, rows } };
	},
	commit: async (event) => {
		const user = requireNetworkEditor(event);
		const file = await uploaded(event);
		if (typeof file === 'string') return fail(400, { fileError: file });
		const result = await commitImport(runtime().database.db, { user, address: event.getClientAddress() }, file);
		if (!result.ok) return result.reason === 'invalid' ? fail(400, { fileName: file.name, problems: result.problems }) : refuse(result);
		return { committed: { created: result.created, updated: result.updated } };
	}
};
