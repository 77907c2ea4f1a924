/**
 * Poppler's command-line tools (Debian package poppler-utils) on a PDF held in memory:
 * what an independent reader makes of the fiches Concerto signs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a poppler tool on the PDF written to a temporary file; `output` names a file the tool writes. */
export function poppler(tool: 'pdfsig' | 'pdftotext' | 'pdfinfo', pdf: Uint8Array, args: string[] = [], output?: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'concerto-poppler-'));
	const file = join(dir, 'fiche.pdf');
	writeFileSync(file, pdf);
	try {
		const stdout = execFileSync(tool, [...args, file, ...(output ? [join(dir, output)] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		return output ? readFileSync(join(dir, output), 'utf8') : stdout;
	} catch (error) {
		// pdfsig exits non-zero for an invalid signature: its report is still the answer.
		return String((error as { stdout?: string }).stdout ?? error);
	}
}

/** pdfsig's report on the PDF's signatures. */
export const pdfsig = (pdf: Uint8Array): string => poppler('pdfsig', pdf);
