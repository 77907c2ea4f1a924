/**
 * A signed fiche's files: the signed PDF, the CDA R2 "Fiche RCP", the FHIR R4 Bundle, one
 * at a time or a meeting's as a zip. File names carry the meeting's date, a short case
 * reference and the version, never the patient's name (downloads folders and mail
 * attachments are not the place for it).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { zipSync } from 'fflate';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import type { Database } from '../db/index.ts';
import { cases, type Fiche } from '../db/schema.ts';
import { ficheCda } from './cda.ts';
import { ficheBundle } from './fhir.ts';
import { currentFiche } from './service.ts';

export const FICHE_FORMATS = ['pdf', 'cda', 'fhir'] as const;
export type FicheFormat = (typeof FICHE_FORMATS)[number];

export const isFicheFormat = (value: string): value is FicheFormat => (FICHE_FORMATS as readonly string[]).includes(value);

export interface FicheFile {
	bytes: Uint8Array;
	mediaType: string;
	fileName: string;
}

const DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' });

/** "fiche-rcp_2026-12-15_e4d5c6b7_v2": the meeting's day, the case's short reference, the version. */
function baseName(fiche: Fiche): string {
	const snapshot = fiche.content as unknown as FicheSnapshot;
	return `fiche-rcp_${DAY.format(new Date(snapshot.meeting.startsAt))}_${fiche.caseId.slice(0, 8)}_v${fiche.version}`;
}

export function ficheFile(fiche: Fiche, format: FicheFormat): FicheFile {
	const snapshot = fiche.content as unknown as FicheSnapshot;
	const name = baseName(fiche);
	if (format === 'pdf') return { bytes: fiche.pdf, mediaType: 'application/pdf', fileName: `${name}.pdf` };
	if (format === 'cda') return { bytes: new TextEncoder().encode(ficheCda(snapshot)), mediaType: 'application/xml; charset=utf-8', fileName: `${name}.cda.xml` };
	return { bytes: new TextEncoder().encode(JSON.stringify(ficheBundle(snapshot), null, 2)), mediaType: 'application/fhir+json; charset=utf-8', fileName: `${name}.fhir.json` };
}

/** The current fiche of each case of the meeting, in agenda order. */
export async function meetingCurrentFiches(db: Database, meetingId: string): Promise<Fiche[]> {
	const rows = await db
		.select({ id: cases.id })
		.from(cases)
		.where(and(eq(cases.meetingId, meetingId), inArray(cases.status, ['validated', 'sent'])))
		.orderBy(asc(cases.position), asc(cases.createdAt));
	const found: Fiche[] = [];
	for (const row of rows) {
		const fiche = await currentFiche(db, row.id);
		if (fiche) found.push(fiche);
	}
	return found;
}

/** A zip of PDF + CDA + FHIR per case, one folder per case. */
export function fichesZip(fiches: Fiche[]): Uint8Array {
	const entries: Record<string, Uint8Array> = {};
	for (const [index, fiche] of fiches.entries()) {
		const folder = `${String(index + 1).padStart(2, '0')}_${baseName(fiche)}`;
		for (const format of FICHE_FORMATS) {
			const file = ficheFile(fiche, format);
			entries[`${folder}/${file.fileName}`] = file.bytes;
		}
	}
	// The PDFs are compressed already; level 6 still shrinks the XML and JSON well.
	return zipSync(entries, { level: 6 });
}
