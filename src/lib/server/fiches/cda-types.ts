/**
 * The identifiers, code systems and CDA R2 data types the Fiche RCP export writes: one
 * place for every OID, and one way to write a code, a time or an identifier.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { BOARD_TIME_ZONE } from '../../domain/schedule.ts';
import type { Concept } from '../../domain/value-sets.ts';
import { el, type XmlChild, type XmlElement } from './cda-xml.ts';

/**
 * Concerto's own OID arc, under which its documents and local identifiers are named.
 * Placeholder: a deployment must replace it by an OID registered for its organisation.
 */
export const CONCERTO_OID = '1.2.250.1.999.1';

/** OIDs of the identifiers the fiche carries. */
export const OID = {
	/** A fiche document (one version): extension = the fiche's id. */
	ficheDocument: `${CONCERTO_OID}.1`,
	/** The set of versions of a fiche: extension = the fiche's setId. */
	ficheSet: `${CONCERTO_OID}.2`,
	/** A case registered to a meeting (inscription): extension = the case's id. */
	case: `${CONCERTO_OID}.3`,
	/** A meeting (séance): extension = the meeting's id. */
	meeting: `${CONCERTO_OID}.4`,
	/** A board (RCP), Concerto's local identifier: extension = the board's id. */
	board: `${CONCERTO_OID}.5`,
	/** A Concerto user without RPPS number: extension = the user's id. */
	user: `${CONCERTO_OID}.6`,
	/** The patient's IPP as written on the fiche (the issuing establishment's OID is not recorded). */
	patientId: `${CONCERTO_OID}.7`,
	/** Concerto's specialty codes (src/lib/domain/specialties.ts), a local code system. */
	specialty: `${CONCERTO_OID}.8`,
	/** A PPS document (one version): extension = the PPS version's id. */
	ppsDocument: `${CONCERTO_OID}.9`,
	/** The set of versions of a patient's PPS: extension = the PPS's setId. */
	ppsSet: `${CONCERTO_OID}.10`,
	/** The custodian: the Concerto platform that keeps the fiches. */
	custodian: CONCERTO_OID,
	/** RPPS national identifier of health professionals (extension = "8" + RPPS). */
	rpps: '1.2.250.1.71.4.2.1',
	/** INS: matricule from a NIR, or from a NIA (identifiant d'attente). */
	insNir: '1.2.250.1.213.1.4.8',
	insNia: '1.2.250.1.213.1.4.9',
	/** National identifiers of the regional network (RRC), of the board's manager (3C) and of the board. */
	nationalNetwork: '1.2.250.1.161.1.20.1.1',
	nationalManager: '1.2.250.1.161.1.20.2.1',
	nationalBoard: '1.2.250.1.161.1.20.3.1'
} as const;

/** Code systems, by OID. */
export const CODE_SYSTEM = {
	loinc: '2.16.840.1.113883.6.1',
	snomed: '2.16.840.1.113883.6.96',
	taAsip: '1.2.250.1.213.1.1.4.322',
	ncit: '2.16.840.1.113883.3.26.1.1',
	icd10: '2.16.840.1.113883.6.3',
	icdO3: '2.16.840.1.113883.6.43.1',
	tnm: '2.16.840.1.113883.15.6',
	gender: '2.16.840.1.113883.5.1',
	confidentiality: '2.16.840.1.113883.5.25',
	participationFunction: '2.16.840.1.113883.5.88',
	encounterType: '2.16.840.1.113883.5.4',
	careMode: '1.2.250.1.213.3.3.13',
	authorFunction: '1.2.250.1.213.1.6.1.107',
	participantFunction: '1.2.250.1.213.1.1.4.2.280'
} as const;

const CODE_SYSTEM_NAMES: Record<string, string> = {
	[CODE_SYSTEM.loinc]: 'LOINC',
	[CODE_SYSTEM.snomed]: 'SNOMED CT',
	[CODE_SYSTEM.taAsip]: 'TA_ASIP',
	[CODE_SYSTEM.ncit]: 'NCIT',
	[CODE_SYSTEM.icd10]: 'CIM-10',
	[CODE_SYSTEM.icdO3]: 'CIM-O-3',
	[CODE_SYSTEM.tnm]: 'TNM_UICC',
	[CODE_SYSTEM.careMode]: 'TRE_R213-ModePriseEnCharge'
};

/** A LOINC concept. */
export const loinc = (code: string, displayName: string): Concept => ({ code, displayName, codeSystem: CODE_SYSTEM.loinc });
/** A concept of the ANS terminology TA_ASIP. */
export const taAsip = (code: string, displayName: string): Concept => ({ code, displayName, codeSystem: CODE_SYSTEM.taAsip });

/** The attributes naming a concept: code, displayName, codeSystem, codeSystemName. */
const conceptAttributes = ({ code, displayName, codeSystem }: Concept) => ({
	code,
	displayName,
	codeSystem,
	codeSystemName: CODE_SYSTEM_NAMES[codeSystem]
});

/** `<tag code displayName codeSystem codeSystemName>` for a concept, with optional children (originalText…). */
export const coded = (tag: string, concept: Concept, ...children: XmlChild[]): XmlElement =>
	el(tag, conceptAttributes(concept), ...children);

/** The templateIds of a section or an entry, in the order given. */
export const templateIds = (...roots: string[]): XmlElement[] => roots.map((root) => el('templateId', { root }));

/** An instance identifier; UUID roots are written in upper case, as the CI-SIS examples do. */
export const ii = (root: string, extension?: string): XmlElement =>
	el('id', { root: /^[0-9a-f-]{36}$/i.test(root) ? root.toUpperCase() : root, extension });

/** `<text><reference value="#id"/></text>` (or another tag), pointing into the narrative. */
export const textReference = (id: string, tag = 'text'): XmlElement => el(tag, {}, el('reference', { value: `#${id}` }));

/** `<originalText><reference value="#id"/></originalText>`. */
export const originalText = (id: string): XmlElement => textReference(id, 'originalText');

/** An instant as a CDA time stamp in Paris time with its offset: 20261215140000+0100. */
export const timestamp = (iso: string): string => format(new TZDate(iso, BOARD_TIME_ZONE), 'yyyyMMddHHmmssxx');

/** A calendar date 'YYYY-MM-DD' as a CDA date: 19570321. */
export const calendarDate = (isoDate: string): string => isoDate.replaceAll('-', '');

/** `<tag value="…"/>` for an instant. */
export const time = (tag: string, iso: string): XmlElement => el(tag, { value: timestamp(iso) });

/** `<tag nullFlavor="…"/>`: a time (or any value) the fiche does not record. */
export const unknown = (tag: string, nullFlavor = 'UNK'): XmlElement => el(tag, { nullFlavor });

/** `<tag><low/><high/></tag>` for a span; without an end, only its start. */
export const interval = (tag: string, from: string, to: string | null): XmlElement =>
	el(tag, {}, time('low', from), to && time('high', to));

/** A coded observation value (`xsi:type="CD"`); unknown when there is no concept. */
export const codedValue = (concept: Concept | undefined, ...children: XmlChild[]): XmlElement =>
	el('value', { 'xsi:type': 'CD', ...(concept ? conceptAttributes(concept) : { nullFlavor: 'UNK' }) }, ...children);

/** A yes/no observation value (`xsi:type="BL"`); "no information" when the fiche does not say. */
export const booleanValue = (value: boolean | null | undefined): XmlElement =>
	el('value', { 'xsi:type': 'BL', ...(value === null || value === undefined ? { nullFlavor: 'NI' } : { value: String(value) }) });

/**
 * The version a document replaces ("annule et remplace": relatedDocument RPLC), with the
 * document and set OIDs of its kind; null for a first version.
 */
export function replacedDocument(
	oids: { document: string; set: string },
	{ supersedes, setId }: { supersedes: { id: string; version: number } | null; setId: string }
): XmlElement | null {
	if (!supersedes) return null;
	return el(
		'relatedDocument',
		{ typeCode: 'RPLC' },
		el('parentDocument', {}, ii(oids.document, supersedes.id), el('setId', { root: oids.set, extension: setId }), el('versionNumber', { value: supersedes.version }))
	);
}
