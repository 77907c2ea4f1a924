/**
 * Small, valid documents for the demonstration data: a one-page PDF of text lines and a
 * PNG image, both marked as fictitious. Written by hand (a few dozen lines) so that the
 * demo needs no PDF or image library.
 */
import { crc32, deflateSync } from 'node:zlib';

/** WinAnsi codes of the characters French text uses beyond Latin-1. */
const WIN_ANSI: Record<string, number> = { '€': 0x80, '…': 0x85, 'Œ': 0x8c, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, 'œ': 0x9c };

/** A PDF literal string in WinAnsi encoding, one byte per character ('?' for anything else). */
function pdfString(text: string): string {
	const bytes = [...text].map((c) => {
		const code = WIN_ANSI[c] ?? c.codePointAt(0)!;
		return code <= 0xff ? String.fromCharCode(code) : '?';
	});
	return `(${bytes.join('').replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/**
 * A PDF of A4 pages of Helvetica text: a title and lines on the first page; with
 * `pages` > 1, further pages saying "Page n sur N" (for multi-page documents in tests).
 */
export function textPdf(title: string, lines: readonly string[], pages = 1): Uint8Array {
	const pageBody = (n: number) =>
		[
			'BT',
			'/F1 9 Tf 1 0 0 rg 50 810 Td',
			`${pdfString('DOCUMENT FICTIF — DONNÉES DE DÉMONSTRATION, SANS VALEUR MÉDICALE')} Tj`,
			'0 0 0 rg /F1 16 Tf 0 -36 Td',
			`${pdfString(n === 1 ? title : `${title} — page ${n} sur ${pages}`)} Tj`,
			'/F1 11 Tf 15 TL 0 -30 Td',
			...(n === 1 ? lines : [`Page ${n} sur ${pages}.`]).map((line) => `${pdfString(line)} Tj T*`),
			'ET'
		].join('\n');
	// Objects: 1 catalog, 2 pages, 3 font, then a page and its content stream per page.
	const kids = Array.from({ length: pages }, (_, i) => `${4 + 2 * i} 0 R`).join(' ');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'
	];
	for (let n = 1; n <= pages; n++) {
		const body = pageBody(n);
		const page = 4 + 2 * (n - 1);
		objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${page + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`);
		objects.push(`<< /Length ${Buffer.byteLength(body, 'latin1')} >>\nstream\n${body}\nendstream`);
	}
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(Buffer.byteLength(pdf, 'latin1'));
		pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf, 'latin1');
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new Uint8Array(Buffer.from(pdf, 'latin1'));
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

/**
 * A greyscale "scan": a soft disc on a dark background, varied by `seed`, like an
 * anonymous imaging thumbnail. Clearly synthetic.
 */
export function syntheticScanPng(seed: number, width = 512, height = 512): Uint8Array {
	const rows: Buffer[] = [];
	const cx = width * (0.4 + 0.2 * ((seed * 37) % 10) / 10);
	const cy = height * (0.4 + 0.2 * ((seed * 53) % 10) / 10);
	const radius = Math.min(width, height) * (0.25 + 0.05 * (seed % 3));
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width);
		row[0] = 0; // no filter
		for (let x = 0; x < width; x++) {
			const d = Math.hypot(x - cx, y - cy);
			const body = d < radius ? 170 - (70 * d) / radius : 30;
			const lesion = Math.hypot(x - cx - radius / 3, y - cy + radius / 4) < radius / 6 ? 60 : 0;
			const noise = ((x * 7919 + y * 104729 + seed * 31) % 23) - 11;
			row[1 + x] = Math.max(0, Math.min(255, Math.round(body + lesion + noise)));
		}
		rows.push(row);
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // greyscale
	return new Uint8Array(
		Buffer.concat([
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			chunk('IHDR', header),
			chunk('IDAT', deflateSync(Buffer.concat(rows))),
			chunk('IEND', Buffer.alloc(0))
		])
	);
}
