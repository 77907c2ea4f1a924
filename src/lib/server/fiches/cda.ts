/**
 * The validated fiche RCP as a CDA R2 level 3 document, volet "Fiche de Réunion de
 * Concertation Pluridisciplinaire" (FRCP 2022.01) of the ANS interoperability framework
 * (CI-SIS), for the patient's record (DMP), the regional cancer record (DCC) and the GP.
 *
 * Rendered from the snapshot only, like the PDF: the same snapshot gives the same bytes.
 * Codes come from the ANS value sets (value-sets.ts); the structure follows the two
 * official FRCP examples, and the tests check the result against the CDA schema and the
 * FRCP schematron.
 */
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { header } from './cda-header.ts';
import { caseSections } from './cda-sections-case.ts';
import { decisionSections } from './cda-sections-proposal.ts';
import { el, xmlDocument, type XmlChild } from './cda-xml.ts';

const NAMESPACES = {
	xmlns: 'urn:hl7-org:v3',
	'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance'
};

/** The fiche as a CDA R2 "Fiche RCP" XML document (UTF-8, with its XML declaration). */
export function ficheCda(snapshot: FicheSnapshot): string {
	const sections: XmlChild[] = [...caseSections(snapshot), ...decisionSections(snapshot)];
	const body = el('component', {}, el('structuredBody', {}, sections.flat().filter(Boolean).map((section) => el('component', {}, section))));
	return xmlDocument(el('ClinicalDocument', NAMESPACES, header(snapshot), body));
}
