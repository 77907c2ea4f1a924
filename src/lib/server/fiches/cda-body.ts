/**
 * The building blocks of the Fiche RCP body, as the CI-SIS examples write them: sections
 * (narrative + entries), FR-Simple-Observation, FR-Commentaire-ER, and the narrative's
 * tables and tagged contents that entries point to with `<reference value="#id"/>`.
 */
import type { Concept } from '../../domain/value-sets.ts';
import { coded, ii, loinc, templateIds, textReference, unknown } from './cda-types.ts';
import { el, type XmlChild, type XmlElement } from './cda-xml.ts';

/** IHE PCC Simple Observation and its CI-SIS profile FR-Simple-Observation. */
const SIMPLE_OBSERVATION = ['1.3.6.1.4.1.19376.1.5.3.1.4.13', '1.2.250.1.213.1.1.3.48'];
/** CCD comment, IHE PCC Comment and CI-SIS FR-Commentaire-ER. */
const COMMENT = ['2.16.840.1.113883.10.20.1.40', '1.3.6.1.4.1.19376.1.5.3.1.4.2', '1.2.250.1.213.1.1.3.32'];

const COMPLETED = el('statusCode', { code: 'completed' });


export interface SectionParts {
	templates: string[];
	id: XmlElement;
	code: Concept;
	/** A finer code of the section, written as the code's translation (the PPS's TA_ASIP codes). */
	translation?: Concept;
	title: string;
	/** The narrative block's content (tables, paragraphs). */
	text: XmlChild;
	/** Entries, each wrapped in `<entry>`. */
	entries?: XmlChild[];
	/** Subsections. */
	sections?: XmlElement[];
}

/** `<section>` with its templateIds, id, code, title, narrative, entries and subsections. */
export function section({ templates, id, code, translation, title, text, entries = [], sections = [] }: SectionParts): XmlElement {
	return el(
		'section',
		{},
		templateIds(...templates),
		id,
		coded('code', code, translation && coded('translation', translation)),
		el('title', title),
		el('text', {}, text),
		entries.filter(Boolean).map((entry) => el('entry', {}, entry)),
		sections.map((subsection) => el('component', {}, subsection))
	);
}

export interface ObservationParts {
	/** templateIds beyond the FR-Simple-Observation ones, or instead of them with `replaceTemplates`. */
	templates?: string[];
	replaceTemplates?: boolean;
	id?: XmlElement;
	code: Concept;
	/** ID of the narrative content the observation says in words. */
	text?: string;
	/** Not applicable when left out. */
	effectiveTime?: XmlElement;
	value: XmlElement;
	/** Elements after the value, in schema order (interpretationCode, targetSiteCode). */
	qualifiers?: XmlChild[];
	/** entryRelationship elements. */
	related?: XmlChild[];
	negationInd?: boolean;
}

/** An `<observation classCode="OBS" moodCode="EVN">`, FR-Simple-Observation unless told otherwise. */
export function observation(parts: ObservationParts): XmlElement {
	const templates = parts.replaceTemplates ? (parts.templates ?? []) : [...SIMPLE_OBSERVATION, ...(parts.templates ?? [])];
	return el(
		'observation',
		{ classCode: 'OBS', moodCode: 'EVN', negationInd: parts.negationInd === undefined ? undefined : String(parts.negationInd) },
		templateIds(...templates),
		parts.id,
		coded('code', parts.code),
		parts.text && textReference(parts.text),
		COMPLETED,
		parts.effectiveTime ?? unknown('effectiveTime', 'NA'),
		parts.value,
		parts.qualifiers,
		parts.related
	);
}

/**
 * Helpers bound to one fiche: `id(name)` names a section or entry (the fiche's id as root,
 * the name as extension); `observe(name, code, value)` is an observation said in words by
 * the narrative content of the same name.
 */
export function partsOf(ficheId: string) {
	const id = (name: string): XmlElement => ii(ficheId, name);
	const observe = (name: string, code: Concept, value: XmlElement, more: Partial<ObservationParts> = {}): XmlElement =>
		observation({ id: id(name), code, text: name, value, ...more });
	return { id, observe };
}

/** `<entryRelationship typeCode>` around an act or observation. */
export const related = (typeCode: 'SUBJ' | 'REFR' | 'COMP', child: XmlElement, inversionInd?: boolean): XmlElement =>
	el('entryRelationship', { typeCode, inversionInd: inversionInd === undefined ? undefined : String(inversionInd) }, child);

/** FR-Commentaire-ER: a comment whose words are the narrative content `textId`. */
export const commentAct = (textId: string): XmlElement =>
	el(
		'act',
		{ classCode: 'ACT', moodCode: 'EVN' },
		templateIds(...COMMENT),
		coded('code', loinc('48767-8', 'Commentaire')),
		textReference(textId),
		COMPLETED
	);

// ---------------------------------------------------------------------------------------
// Narrative

/** Free text with its line breaks kept as `<br/>`. */
export function lines(text: string): XmlChild[] {
	return text
		.trim()
		.split(/\r?\n/)
		.flatMap((line, index) => (index === 0 ? [line] : [el('br'), line]));
}

/** `<content ID>`: the words an entry points to. */
export const content = (id: string, text: string): XmlElement => el('content', { ID: id }, lines(text));

/** One table row: a cell per item (text or elements). */
export type NarrativeRow = XmlChild[];

/**
 * A narrative table: a title over all columns (with an ID when entries point to it),
 * optional column headers, then the rows, left out where false or null (a table with no
 * row says "Non renseigné", since a `<tbody>` needs one).
 */
export function table(
	title: string,
	rows: (NarrativeRow | false | null | undefined)[],
	options: { columns?: string[]; id?: string } = {}
): XmlElement {
	const columns = options.columns ?? [];
	const filled = rows.filter((row): row is NarrativeRow => Boolean(row));
	const width = Math.max(columns.length, ...filled.map((row) => row.length), 1);
	const body = filled.length > 0 ? filled : [['Non renseigné']];
	return el(
		'table',
		{ border: '0' },
		el(
			'thead',
			{},
			el('tr', {}, el('th', { colspan: width > 1 ? String(width) : undefined, ID: options.id }, title)),
			columns.length > 0 && el('tr', {}, columns.map((column) => el('th', column)))
		),
		el('tbody', {}, body.map((row) => el('tr', {}, row.map((cell) => el('td', {}, cell)))))
	);
}

/** Tables one under the other, separated as the CI-SIS examples do. */
export const tables = (...items: (XmlElement | null | undefined | false)[]): XmlChild[] =>
	items.filter((item): item is XmlElement => Boolean(item)).flatMap((item, index) => (index === 0 ? [item] : [el('br'), item]));

/** "Oui", "Non", or "Non renseigné" when the fiche does not say. */
export const yesNo = (value: boolean | null | undefined): string =>
	value === null || value === undefined ? 'Non renseigné' : value ? 'Oui' : 'Non';
