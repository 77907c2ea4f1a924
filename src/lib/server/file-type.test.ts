import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, checkAttachment, detectMediaType } from './file-type.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('detectMediaType', () => {
	it('recognises PDF, JPEG and PNG from their first bytes', () => {
		expect(detectMediaType(new TextEncoder().encode('%PDF-1.7\n…'))).toBe('application/pdf');
		expect(detectMediaType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('image/jpeg');
		expect(detectMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('image/png');
	});

	it('refuses anything else, truncated signatures and empty files', () => {
		expect(detectMediaType(new TextEncoder().encode('<html><body>%PDF-</body></html>'))).toBeUndefined();
		expect(detectMediaType(new TextEncoder().encode('%PDF'))).toBeUndefined();
		expect(detectMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).toBeUndefined();
		expect(detectMediaType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeUndefined();
		expect(detectMediaType(bytes())).toBeUndefined();
	});
});

describe('checkAttachment', () => {
	it('accepts a file of an allowed type up to the limit', () => {
		const file = new Uint8Array(MAX_ATTACHMENT_BYTES);
		file.set(new TextEncoder().encode('%PDF-'));
		expect(checkAttachment(file)).toEqual({ ok: true, mediaType: 'application/pdf' });
	});

	it('refuses a file over the limit, whatever its type', () => {
		const file = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
		file.set(new TextEncoder().encode('%PDF-'));
		expect(checkAttachment(file)).toEqual({ ok: false, reason: 'too-large', maxBytes: MAX_ATTACHMENT_BYTES });
	});

	it('refuses an unsupported type', () => {
		expect(checkAttachment(new TextEncoder().encode('GIF89a'))).toEqual({ ok: false, reason: 'unsupported-type' });
	});
});
