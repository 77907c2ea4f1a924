/**
 * What an uploaded file is, decided from its first bytes (never from its name or the
 * browser's claim): only PDF, JPEG and PNG documents are accepted on a case.
 */

/** The largest attachment accepted, in bytes (50 MB). */
export const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

/** The media types a case attachment may have. */
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
/** A media type a case attachment may have. */
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

const SIGNATURES: readonly { mediaType: AttachmentMediaType; magic: readonly number[] }[] = [
	// "%PDF-"
	{ mediaType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
	{ mediaType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
	{ mediaType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }
];

/** The media type the content starts like, or undefined when it is none of the accepted ones. */
export function detectMediaType(head: Uint8Array): AttachmentMediaType | undefined {
	return SIGNATURES.find(({ magic }) => magic.length <= head.length && magic.every((byte, i) => head[i] === byte))?.mediaType;
}

/** Outcome of `checkAttachment`. */
export type AttachmentCheck =
	| { ok: true; mediaType: AttachmentMediaType }
	| { ok: false; reason: 'too-large'; maxBytes: number }
	| { ok: false; reason: 'unsupported-type' };

/** Accepts a file of an allowed type and size; the size is checked first (cheapest). */
export function checkAttachment(bytes: Uint8Array): AttachmentCheck {
	if (bytes.byteLength > MAX_ATTACHMENT_BYTES) return { ok: false, reason: 'too-large', maxBytes: MAX_ATTACHMENT_BYTES };
	const mediaType = detectMediaType(bytes);
	return mediaType ? { ok: true, mediaType } : { ok: false, reason: 'unsupported-type' };
}
