import { describe, expect, it } from 'vitest';
import { byteSize, contentLength, downloadPercent, fileNameFromDisposition, readWithProgress, type DownloadProgress } from './download';

describe('fileNameFromDisposition', () => {
	it('reads a quoted, a bare and an RFC 6266 extended file name, the extended one first', () => {
		expect(fileNameFromDisposition('attachment; filename="fiches-rcp_2026-03-10.zip"')).toBe('fiches-rcp_2026-03-10.zip');
		expect(fileNameFromDisposition('attachment; filename=fiche.pdf')).toBe('fiche.pdf');
		expect(fileNameFromDisposition(`attachment; filename="fiche.pdf"; filename*=UTF-8''s%C3%A9ance%20RCP.zip`)).toBe('séance RCP.zip');
		expect(fileNameFromDisposition('attachment; filename="a \\"quoted\\" name.zip"')).toBe('a "quoted" name.zip');
	});

	it('drops any directory part and gives null when there is no usable name', () => {
		expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
		expect(fileNameFromDisposition('attachment')).toBeNull();
		expect(fileNameFromDisposition(null)).toBeNull();
		expect(fileNameFromDisposition('attachment; filename=""')).toBeNull();
		expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A`)).toBeNull();
	});
});

describe('contentLength and downloadPercent', () => {
	it('reads a whole number of bytes, or nothing', () => {
		expect(contentLength('2048')).toBe(2048);
		expect(contentLength(null)).toBeNull();
		expect(contentLength('abc')).toBeNull();
		expect(contentLength('-1')).toBeNull();
	});

	it('gives the whole percentage received, or null when the total is unknown', () => {
		expect(downloadPercent({ received: 0, total: 200 })).toBe(0);
		expect(downloadPercent({ received: 199, total: 200 })).toBe(99);
		expect(downloadPercent({ received: 200, total: 200 })).toBe(100);
		expect(downloadPercent({ received: 5, total: 0 })).toBe(100);
		expect(downloadPercent({ received: 5, total: null })).toBeNull();
	});
});

describe('byteSize', () => {
	it('says kilobytes and megabytes in the reader’s language', () => {
		expect(byteSize(1_500_000, 'fr').replace(/\s/g, ' ')).toBe('1,5 Mo');
		expect(byteSize(1_500_000, 'en')).toBe('1.5 MB');
		expect(byteSize(1, 'fr').replace(/\s/g, ' ')).toBe('1 ko');
	});
});

/** A response whose body arrives in the given chunks. */
function chunkedResponse(chunks: number[], headers: Record<string, string>): Response {
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			for (const size of chunks) controller.enqueue(new Uint8Array(size).fill(7));
			controller.close();
		}
	});
	return new Response(body, { headers });
}

describe('readWithProgress', () => {
	it('reports the bytes received after each chunk, of Content-Length, and returns the whole body', async () => {
		const seen: DownloadProgress[] = [];
		const blob = await readWithProgress(chunkedResponse([3, 4, 5], { 'content-length': '12', 'content-type': 'application/zip' }), (p) => seen.push(p));
		expect(seen).toEqual([
			{ received: 0, total: 12 },
			{ received: 3, total: 12 },
			{ received: 7, total: 12 },
			{ received: 12, total: 12 }
		]);
		expect(blob.size).toBe(12);
		expect(blob.type).toBe('application/zip');
	});

	it('works without Content-Length (indeterminate) and refuses a body cut short', async () => {
		const seen: DownloadProgress[] = [];
		await readWithProgress(chunkedResponse([2, 2], {}), (p) => seen.push(p));
		expect(seen.at(-1)).toEqual({ received: 4, total: null });
		await expect(readWithProgress(chunkedResponse([2], { 'content-length': '10' }), () => {})).rejects.toThrow(/cut short/);
	});
});
