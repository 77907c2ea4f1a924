/**
 * The PPS as a CDA R2 document, volet "Programme personnalisé de soins" (CANCER-PPS
 * 2022.01) of the ANS interoperability framework (CI-SIS), for the patient's record (DMP),
 * the regional cancer record (DCC) and the GP.
 *
 * Rendered from the snapshot only, like the fiche's CDA: the same snapshot gives the same
 * bytes. The structure follows the official example; the tests check the result against
 * the CDA schema and the CANCER-PPS schematron.
 */
import type { PpsSnapshot } from '../../domain/pps.ts';
import { el, xmlDocument } from '../fiches/cda-xml.ts';
import { ppsHeader } from './cda-header.ts';
import { ppsSections } from './cda-sections.ts';

const NAMESPACES = {
	xmlns: 'urn:hl7-org:v3',
	'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance'
};

/** The PPS as a CDA R2 "CANCER-PPS" XML document (UTF-8, with its XML declaration). */
export function ppsCda(snapshot: PpsSnapshot): string {
	const body = el('component', {}, el('structuredBody', {}, ppsSections(snapshot).map((section) => el('component', {}, section))));
	return xmlDocument(el('ClinicalDocument', NAMESPACES, ppsHeader(snapshot), body));
}
