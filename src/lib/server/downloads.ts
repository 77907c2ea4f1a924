/**
 * A file as a private download: never cached, named `fileName` (an ASCII name built by
 * the caller: no patient's name, no accents).
 */
export function attachmentResponse(bytes: Uint8Array, mediaType: string, fileName: string): Response {
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': mediaType,
			'content-length': String(bytes.byteLength),
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
}
