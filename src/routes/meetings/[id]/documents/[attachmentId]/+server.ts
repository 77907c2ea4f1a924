import { error } from '@sveltejs/kit';
import { GUEST_REFUSAL } from '$lib/domain/guest';
import { requireUser } from '$lib/server/auth/guards';
import { readAttachment } from '$lib/server/cases';
import { readLiveDocument } from '$lib/server/live-meeting';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * A document as the meeting's case panel loads it (once per browser: cacheable by the
 * browser, never by a shared cache). Members of the board read any document of its
 * cases; a guest only the documents of the case under discussion in its meeting.
 */
export const GET: RequestHandler = async (event) => {
	const { db } = runtime().database;
	const guest = event.locals.guest;
	let document: { mediaType: string; sizeBytes: number; fileName: string; sha256: string; stream: ReadableStream<Uint8Array> };
	if (guest) {
		if (guest.meetingId !== event.params.id) error(403, GUEST_REFUSAL);
		const found = await readLiveDocument(db, runtime().storage, guest, event.params.attachmentId, event.getClientAddress());
		if (!found) error(404, 'Ce document n’est pas celui du dossier présenté.');
		document = { ...found.attachment, stream: found.stream };
	} else {
		const result = await readAttachment(db, runtime().storage, requireUser(event), event.params.attachmentId, event.getClientAddress());
		if (!result.ok) refuse(result);
		document = { ...result.attachment, stream: result.stream };
	}
	return new Response(document.stream, {
		headers: {
			'content-type': document.mediaType,
			'content-length': String(document.sizeBytes),
			'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
			// Patient documents: never in a shared cache; the browser keeps its copy for the meeting.
			'cache-control': 'private, max-age=86400, immutable',
			etag: `"${document.sha256}"`
		}
	});
};
