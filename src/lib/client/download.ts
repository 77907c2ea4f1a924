/**
 * Downloading a file with a progress bar: `fetch` then read the body chunk by chunk
 * (bytes received of Content-Length), then save it through an object URL under the name
 * the server gave in Content-Disposition.
 */

/** How far a download is: bytes received, and the total when the server said it. */
export interface DownloadProgress {
	received: number;
	/** Content-Length, or null when the server did not send one (the bar is then indeterminate). */
	total: number | null;
}

/**
 * The file name in a Content-Disposition header: RFC 6266's `filename*` (UTF-8,
 * percent-encoded) first, then `filename` (quoted or not); null when there is none or it
 * is unusable. Any directory part is dropped.
 */
export function fileNameFromDisposition(header: string | null): string | null {
	if (!header) return null;
	let name: string | null = null;
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
	if (extended) {
		try {
			name = decodeURIComponent(extended[2].trim().replace(/^"(.*)"$/, '$1'));
		} catch {
			name = null;
		}
	}
	if (!name) {
		const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
		if (plain) name = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2].trim();
	}
	const base = name?.split(/[/\\]/).pop()?.trim();
	return base ? base : null;
}

/** Content-Length as a number of bytes, or null when absent or not a whole number. */
export function contentLength(header: string | null): number | null {
	if (header === null || !/^\s*\d+\s*$/.test(header)) return null;
	return Number(header);
}

/** The whole percentage received, or null when the total is unknown. */
export function downloadPercent(progress: DownloadProgress): number | null {
	if (progress.total === null) return null;
	if (progress.total === 0) return 100;
	return Math.min(100, Math.floor((100 * progress.received) / progress.total));
}

/** A size in kilobytes or megabytes, in the reader's language ("1,5 Mo", "1.5 MB"). */
export function byteSize(bytes: number, locale: string): string {
	const megabytes = bytes >= 1_000_000;
	return new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: megabytes ? 'megabyte' : 'kilobyte',
		maximumFractionDigits: megabytes ? 1 : 0
	}).format(megabytes ? bytes / 1_000_000 : Math.ceil(bytes / 1000));
}

/**
 * Reads a response's body to a Blob, reporting after every chunk (and once at the
 * start). Rejects if the body breaks off before Content-Length bytes arrived.
 */
export async function readWithProgress(response: Response, onProgress: (progress: DownloadProgress) => void): Promise<Blob> {
	const total = contentLength(response.headers.get('content-length'));
	const type = response.headers.get('content-type') ?? '';
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	let received = 0;
	onProgress({ received, total });
	if (response.body) {
		const reader = response.body.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
			received += value.byteLength;
			onProgress({ received, total });
		}
	}
	if (total !== null && received < total) throw new Error(`download cut short: ${received} of ${total} bytes`);
	return new Blob(chunks, { type });
}

/** Hands a Blob to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	link.style.display = 'none';
	document.body.append(link);
	link.click();
	link.remove();
	// The click starts the download synchronously; the URL may go once it has begun.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
