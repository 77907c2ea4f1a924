/**
 * The file handed to the verification page: present, not too large, and a PDF by its
 * first bytes (what a browser claims about a file's type is not trusted).
 */

/** The largest file the page reads (a signed fiche is well under 1 MB). */
export const MAX_VERIFY_BYTES = 20 * 1024 * 1024;

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

export type UploadedPdf = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'missing' | 'too-large' | 'not-pdf' };

/** Reads the form's file into memory if it is a PDF of at most `MAX_VERIFY_BYTES`. */
export async function readUploadedPdf(file: FormDataEntryValue | null, maxBytes: number = MAX_VERIFY_BYTES): Promise<UploadedPdf> {
	if (!(file instanceof File) || file.size === 0) return { ok: false, reason: 'missing' };
	if (file.size > maxBytes) return { ok: false, reason: 'too-large' };
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (!PDF_MAGIC.every((byte, index) => bytes[index] === byte)) return { ok: false, reason: 'not-pdf' };
	return { ok: true, bytes };
}
