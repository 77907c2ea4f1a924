import { requireUser } from '$lib/server/auth/guards';
import { readAttachment } from '$lib/server/cases';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** A case document, for whoever may see the case; each download is audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const result = await readAttachment(runtime().database.db, runtime().storage, user, event.params.id, event.getClientAddress());
	if (!result.ok) refuse(result);
	const { attachment, stream } = result;
	return new Response(stream, {
		headers: {
			'content-type': attachment.mediaType,
			'content-length': String(attachment.sizeBytes),
			'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
			// Patient documents: never in a shared cache; the browser may keep its own copy.
			'cache-control': 'private, max-age=3600',
			etag: `"${attachment.sha256}"`
		}
	});
};
