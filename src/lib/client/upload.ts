import { deserialize } from '$app/forms';
import type { ActionResult } from '@sveltejs/kit';

/** How far an upload is: bytes sent of the total. */
export interface UploadProgress {
	sent: number;
	total: number;
}

/**
 * Posts a form to a SvelteKit form action the way `use:enhance` does, but through
 * XMLHttpRequest, whose upload events give the bytes sent (fetch gives none). Resolves
 * with the action's result; rejects when the network fails or `signal` aborts.
 */
export function submitWithProgress(
	action: string,
	body: FormData,
	onProgress: (progress: UploadProgress) => void,
	signal?: AbortSignal
): Promise<ActionResult> {
	return new Promise((resolve, reject) => {
		const request = new XMLHttpRequest();
		request.open('POST', action);
		request.setRequestHeader('accept', 'application/json');
		request.setRequestHeader('x-sveltekit-action', 'true');
		request.upload.addEventListener('progress', (event) => {
			if (event.lengthComputable) onProgress({ sent: event.loaded, total: event.total });
		});
		request.addEventListener('load', () => {
			try {
				resolve(deserialize(request.responseText));
			} catch (cause) {
				reject(new Error(`unreadable answer (HTTP ${request.status})`, { cause }));
			}
		});
		request.addEventListener('error', () => reject(new Error('network error')));
		request.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
		signal?.addEventListener('abort', () => request.abort(), { once: true });
		request.send(body);
	});
}
