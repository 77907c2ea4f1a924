/**
 * Code systems and identifiers of the fiche RCP in FHIR: the ANS value sets' OIDs as FHIR
 * system URIs, the LOINC codes of the document, its sections and observations, the French
 * national identifier systems, and the Bundle's deterministic UUIDs.
 */
import { createHash } from 'node:crypto';
import { findConcept, type Concept, type ValueSetName } from '../../domain/value-sets.ts';
import type { CodeableConcept, Coding, Identifier } from './fhir-types.ts';

export const LOINC = 'http://loinc.org';
export const SNOMED_CT = 'http://snomed.info/sct';
export const ICD_10 = 'http://hl7.org/fhir/sid/icd-10';
export const ICD_O_3 = 'http://terminology.hl7.org/CodeSystem/icd-o-3';
export const NCI_THESAURUS = 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl';

/** FHIR system URI of the code systems the ANS value sets name by OID. */
const SYSTEM_OF_OID: Record<string, string> = {
	'2.16.840.1.113883.6.96': SNOMED_CT,
	'2.16.840.1.113883.6.1': LOINC,
	'2.16.840.1.113883.6.3': ICD_10,
	'2.16.840.1.113883.3.26.1.1': NCI_THESAURUS
};

/** The FHIR system URI of a code system OID: its canonical URI when FHIR has one, else `urn:oid:`. */
export const systemOfOid = (oid: string): string => SYSTEM_OF_OID[oid] ?? `urn:oid:${oid}`;

/** A value-set concept as a FHIR Coding. */
export const codingOf = (concept: Concept): Coding => ({
	system: systemOfOid(concept.codeSystem),
	code: concept.code,
	display: concept.displayName
});

/**
 * The concept of `code` in an ANS value set; a code the set does not hold (a set revised
 * since the fiche was signed) keeps its code as text rather than vanishing.
 */
export function conceptIn(valueSet: ValueSetName, code: string): CodeableConcept {
	const concept = findConcept(valueSet, code);
	return concept ? { coding: [codingOf(concept)] } : { text: code };
}

/** A LOINC code, with LOINC's own display name. */
export const loinc = (code: string, display?: string): CodeableConcept => ({ coding: [{ system: LOINC, code, display }] });

/** LOINC codes of the fiche: the document, its sections (as the CI-SIS "Fiche RCP" uses them) and its observations. */
export const FICHE_LOINC = {
	document: loinc('34794-8', 'Interdisciplinary tumor conference Note'),
	reasonSection: loinc('42349-1', 'Reason for referral (narrative)'),
	summarySection: loinc('10164-2', 'History of Present illness Narrative'),
	tumourSection: loinc('72135-7'),
	functionalStatusSection: loinc('47420-5', 'Functional status assessment note'),
	planSection: loinc('18776-5', 'Plan of care note'),
	clinicalT: loinc('21905-5', 'Primary tumor.clinical [Class] Cancer'),
	clinicalN: loinc('21906-3', 'Regional lymph nodes.clinical [Class] Cancer'),
	clinicalM: loinc('21907-1', 'Distant metastases.clinical [Class] Cancer'),
	ecog: loinc('89247-1', 'ECOG Performance Status score')
} as const;

/** Identifier system of the matricule INS (INS-NIR). */
export const INS_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.8';
/** Identifier system of the national professional ids (RPPS prefixed with 8, as French systems write them). */
export const NATIONAL_PROFESSIONAL_ID_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';

/** The national professional identifier of an RPPS number. */
export const rppsIdentifier = (rpps: string): Identifier => ({ system: NATIONAL_PROFESSIONAL_ID_SYSTEM, value: `8${rpps}` });

/** A UUID as an RFC 3986 identifier (Bundle, Composition and Encounter identifiers). */
export const uuidIdentifier = (uuid: string): Identifier => ({ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${uuid}` });

/**
 * A name-based UUID (version 5, RFC 9562): SHA-1 of the namespace UUID's bytes and the
 * name. The Bundle's entries take theirs from the fiche's id and their role in it, so that
 * exporting a fiche twice gives the same Bundle.
 */
export function uuidV5(namespace: string, name: string): string {
	const hex = namespace.replaceAll('-', '');
	if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${namespace}`);
	const bytes = createHash('sha1').update(Buffer.from(hex, 'hex')).update(name, 'utf8').digest().subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x50;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const digits = bytes.toString('hex');
	return [digits.slice(0, 8), digits.slice(8, 12), digits.slice(12, 16), digits.slice(16, 20), digits.slice(20)].join('-');
}
