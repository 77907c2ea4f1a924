import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectMediaType } from '../../../src/lib/server/file-type.ts';
import { syntheticScanPng, textPdf } from './documents.ts';

describe('demonstration documents', () => {
	it('writes a PDF whose cross-reference table points at its objects, French text in WinAnsi', () => {
		const pdf = Buffer.from(textPdf('Compte rendu d’IRM (fictif)', ['Lésion « suspecte » — œdème']));
		const text = pdf.toString('latin1');
		const xref = Number(text.match(/startxref\n(\d+)/)![1]);
		expect(text.slice(xref, xref + 4)).toBe('xref');
		const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
		expect(offsets).toHaveLength(5);
		// Three pages: three page objects, each with its content.
		const three = Buffer.from(textPdf('Scanner', ['ligne'], 3)).toString('latin1');
		expect(three).toContain('/Count 3');
		expect(three.match(/\/Type \/Page /g)).toHaveLength(3);
		offsets.forEach((offset, i) => expect(text.slice(offset, offset + 8)).toBe(`${i + 1} 0 obj\n`));
		// ’ and — and œ are single WinAnsi bytes; parentheses are escaped.
		expect(text).toContain('(Compte rendu d\x92IRM \\(fictif\\)) Tj');
		expect(text).toContain('(L\xe9sion \xab suspecte \xbb \x97 \x9cd\xe8me) Tj');
		expect(detectMediaType(new Uint8Array(pdf))).toBe('application/pdf');
	});

	it('writes a greyscale PNG of the requested size', () => {
		const png = Buffer.from(syntheticScanPng(2, 64, 32));
		expect(detectMediaType(new Uint8Array(png))).toBe('image/png');
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 32]);
		const idatLength = png.readUInt32BE(33);
		expect(png.toString('ascii', 37, 41)).toBe('IDAT');
		expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength(32 * (1 + 64));
	});
});
