/**
 * A PPS version as a file to download: the patient's PDF in plain French, the CDA
 * (CANCER-PPS) or the FHIR document Bundle. Rendered from the snapshot alone.
 */
import type { PpsSnapshot } from '../../domain/pps.ts';
import { ppsCda } from './cda.ts';
import { ppsBundle } from './fhir.ts';
import { renderPatientPpsPdf } from './patient-pdf.ts';
import { patientViewOf } from './patient-view-of.ts';

/** The formats a PPS downloads in. */
export const PPS_FORMATS = ['pdf', 'cda', 'fhir'] as const;
export type PpsFormat = (typeof PPS_FORMATS)[number];

/** A rendered PPS file. */
export interface PpsFile {
	body: Uint8Array | string;
	contentType: string;
	fileName: string;
}

/** The PPS version in `format`. */
export async function ppsDocument(snapshot: PpsSnapshot, format: PpsFormat): Promise<PpsFile> {
	const base = `pps-v${snapshot.version}`;
	if (format === 'cda') return { body: ppsCda(snapshot), contentType: 'application/xml; charset=utf-8', fileName: `${base}-cda.xml` };
	if (format === 'fhir') return { body: JSON.stringify(ppsBundle(snapshot), null, 2), contentType: 'application/fhir+json; charset=utf-8', fileName: `${base}-fhir.json` };
	return { body: await renderPatientPpsPdf(patientViewOf(snapshot)), contentType: 'application/pdf', fileName: `${base}-patient.pdf` };
}
