import { describe, expect, it } from 'vitest';
import { readUploadedPdf } from './pdf-upload';

const pdf = (size: number) => {
	const bytes = new Uint8Array(size);
	bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
	return new File([bytes], 'fiche.pdf', { type: 'application/pdf' });
};

describe('readUploadedPdf', () => {
	it('reads a PDF into memory', async () => {
		const result = await readUploadedPdf(pdf(100));
		expect(result.ok).toBe(true);
		expect(result.ok && result.bytes.byteLength).toBe(100);
	});

	it('refuses a missing or empty file', async () => {
		expect(await readUploadedPdf(null)).toEqual({ ok: false, reason: 'missing' });
		expect(await readUploadedPdf('fiche.pdf')).toEqual({ ok: false, reason: 'missing' });
		expect(await readUploadedPdf(new File([], 'vide.pdf'))).toEqual({ ok: false, reason: 'missing' });
	});

	it('refuses a file above the limit before reading it', async () => {
		expect(await readUploadedPdf(pdf(101), 100)).toEqual({ ok: false, reason: 'too-large' });
		expect((await readUploadedPdf(pdf(100), 100)).ok).toBe(true);
	});

	it('judges the type by the first bytes, not by the name or the declared type', async () => {
		const disguised = new File([new TextEncoder().encode('PK\u0003\u0004 not a pdf')], 'fiche.pdf', { type: 'application/pdf' });
		expect(await readUploadedPdf(disguised)).toEqual({ ok: false, reason: 'not-pdf' });
		expect(await readUploadedPdf(new File(['%PDF'], 'court.pdf'))).toEqual({ ok: false, reason: 'not-pdf' });
	});
});
