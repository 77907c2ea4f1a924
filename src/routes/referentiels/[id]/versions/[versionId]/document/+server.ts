import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { readVersionDocument } from '$lib/server/referentiels';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** A version's PDF: published ones for every member, the others for the working group and editors. */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const result = await readVersionDocument(runtime().database.db, runtime().storage, user, event.params.versionId);
	if (!result.ok) {
		if (result.reason === 'not-found') error(404, 'Cette version n’a pas de document.');
		refuse(result);
	}
	return new Response(result.stream, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(result.bytes),
			'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(result.name)}`,
			// A published version never changes; a draft's document may be replaced: revalidate.
			'cache-control': 'private, no-cache',
			etag: `"${result.sha256}"`
		}
	});
};
