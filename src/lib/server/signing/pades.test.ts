import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { pdfsig } from '../../../../tests/helpers/poppler.ts';
import { startTestTsa } from '../../../../tests/helpers/tsa.ts';
import { readPkcs12, selfSignedPkcs12, SigningError } from './identity.ts';
import { signPdf } from './pades.ts';

const DAY = 86_400_000;
const now = new Date('2026-12-15T15:00:00Z');

const pkcs12 = (validFrom = new Date(now.getTime() - DAY), validTo = new Date(now.getTime() + 365 * DAY)) =>
	selfSignedPkcs12({ commonName: 'CHU de Test — signature des fiches', organisation: 'CHU de Test', password: 'secret', notBefore: validFrom, notAfter: validTo });

const identity = () => ({ identity: readPkcs12(pkcs12(), 'secret', now) });

function samplePdf(): Promise<Uint8Array> {
	return new Promise((resolve) => {
		const doc = new PDFDocument({ size: 'A4', info: { Title: 'Fiche RCP (test)' } });
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.fontSize(14).text('Fiche de réunion de concertation pluridisciplinaire — œdème, « test »');
		doc.end();
	});
}


describe('PAdES signature', () => {
	it('is accepted by pdfsig (poppler) as valid and covering the whole document', async () => {
		const signed = await signPdf(await samplePdf(), identity().identity, {
			signerName: 'Dr Paul DURAND (RPPS 10001234565)',
			reason: 'Validation de la fiche RCP',
			location: 'CHU de Test',
			contactInfo: 'rcp@chu.test',
			signingTime: now
		});
		const report = pdfsig(signed);
		expect(report).toContain('Signature Type: ETSI.CAdES.detached');
		expect(report).toContain('Signature Validation: Signature is Valid.');
		expect(report).toContain('Total document signed');
		expect(report).toContain('CHU de Test — signature des fiches');
	});

	it('is reported invalid by pdfsig after any single byte of the signed content changes', async () => {
		const signed = await signPdf(await samplePdf(), identity().identity, { signerName: 'Dr Test', reason: 'Validation', location: 'Test', contactInfo: '' });
		const text = Buffer.from(signed).toString('latin1');
		const contentsAt = text.indexOf('/Contents <');
		// One byte before the signature (the page content) and one after it (the trailer).
		for (const at of [Math.floor(contentsAt / 2), signed.length - 10]) {
			const tampered = Uint8Array.from(signed);
			tampered[at] ^= 0x01;
			expect(pdfsig(tampered), `byte ${at}`).not.toContain('Signature is Valid');
		}
	});

	it('stops on a wrong password or a certificate outside its validity, with a French reason', () => {
		const p12 = pkcs12();
		expect(() => readPkcs12(p12, 'wrong', now)).toThrow(SigningError);
		expect(() => readPkcs12(p12, 'wrong', now)).toThrow(/mot de passe/);
		const expired = pkcs12(new Date(now.getTime() - 400 * DAY), new Date(now.getTime() - DAY));
		expect(() => readPkcs12(expired, 'secret', now)).toThrow(/a expiré le 14 décembre 2026/);
		const early = pkcs12(new Date(now.getTime() + DAY), new Date(now.getTime() + 400 * DAY));
		expect(() => readPkcs12(early, 'secret', now)).toThrow(/n’est valide qu’à partir du/);
		expect(() => readPkcs12(new Uint8Array([1, 2, 3]), 'secret', now)).toThrow(/PKCS#12/);
	});

	it('with a time-stamp authority: PAdES B-T, a token over the signature value; without an answer, nothing is signed', async () => {
		const tsa = await startTestTsa();
		try {
			const signed = await signPdf(await samplePdf(), identity().identity, { signerName: 'Dr Test', reason: 'Validation', location: 'Test', contactInfo: '', tsaUrl: tsa.url });
			expect(pdfsig(signed)).toContain('Signature Validation: Signature is Valid.');
			// The CMS in /Contents: its signer carries the token as an unsigned attribute.
			const hex = /\/Contents\s*<([0-9a-fA-F]+)>/.exec(Buffer.from(signed).toString('latin1'))![1];
			const der = Buffer.from(hex, 'hex');
			const cms = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength)).content });
			const signer = cms.signerInfos[0];
			const attribute = signer.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
			expect(attribute).toBeDefined();
			expect(tsa.issued).toHaveLength(1);
			const imprint = Buffer.from(tsa.issued[0].messageImprint.hashedMessage.valueBlock.valueHexView);
			const signature = Buffer.from(signer.signature.valueBlock.valueHexView);
			expect(imprint.equals(createHash('sha256').update(signature).digest())).toBe(true);

			tsa.fail();
			await expect(
				signPdf(await samplePdf(), identity().identity, { signerName: 'Dr Test', reason: 'Validation', location: 'Test', contactInfo: '', tsaUrl: tsa.url })
			).rejects.toThrow(/horodatage/);
		} finally {
			await tsa.close();
		}
	});
});
