/**
 * A small XML writer for the CDA export: documents are built as a tree of elements and
 * serialised once, so that every text and attribute value goes through the same escaping
 * (patients' and physicians' names carry apostrophes, accents, and free text may hold `<`
 * or `&`). Elements holding text are written on one line, so that the narrative's mixed
 * content keeps its spacing; the others are indented.
 */

/** Attribute values; null and undefined leave the attribute out (booleans are written by the caller, as "true"/"false"). */
export type XmlAttributes = Record<string, string | number | null | undefined>;

/** What an element may contain: elements, text, and nothing (null, undefined, false, empty lists). */
export type XmlChild = XmlElement | string | null | undefined | false | readonly XmlChild[];

/** One element of the tree. */
export class XmlElement {
	readonly name: string;
	readonly attributes: XmlAttributes;
	readonly children: (XmlElement | string)[];

	constructor(name: string, attributes: XmlAttributes, children: readonly XmlChild[]) {
		this.name = name;
		this.attributes = attributes;
		this.children = flatten(children);
	}
}

function flatten(children: readonly XmlChild[]): (XmlElement | string)[] {
	return children.flatMap((child): (XmlElement | string)[] => {
		if (child === null || child === undefined || child === false) return [];
		if (Array.isArray(child)) return flatten(child);
		return [child as XmlElement | string];
	});
}

const isAttributes = (value: unknown): value is XmlAttributes =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof XmlElement);

/**
 * An element: `el('code', { code: '34794-8' })`, `el('title', 'Fiche RCP')`,
 * `el('name', {}, el('given', 'Jeanne'), el('family', 'MARTIN'))`.
 */
export function el(name: string, attributesOrChild?: XmlAttributes | XmlChild, ...children: XmlChild[]): XmlElement {
	if (isAttributes(attributesOrChild)) return new XmlElement(name, attributesOrChild, children);
	return new XmlElement(name, {}, [attributesOrChild, ...children]);
}

// Characters XML 1.0 cannot carry at all (C0 controls but tab and line breaks, lone
// surrogates, U+FFFE/U+FFFF): pasted text may hold them, the document must stay well-formed.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content, escaped. */
export function escapeText(text: string): string {
	return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value, escaped for double quotes; line breaks and tabs kept as character references. */
export function escapeAttribute(value: string): string {
	return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function openTag(element: XmlElement): string {
	const attributes = Object.entries(element.attributes)
		.filter(([, value]) => value !== null && value !== undefined)
		.map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
		.join('');
	return `<${element.name}${attributes}`;
}

function inline(node: XmlElement | string): string {
	if (typeof node === 'string') return escapeText(node);
	if (node.children.length === 0) return `${openTag(node)}/>`;
	return `${openTag(node)}>${node.children.map(inline).join('')}</${node.name}>`;
}

function indented(element: XmlElement, depth: number): string {
	const indent = '  '.repeat(depth);
	if (element.children.length === 0 || element.children.some((child) => typeof child === 'string')) {
		return indent + inline(element);
	}
	const children = element.children.map((child) => indented(child as XmlElement, depth + 1));
	return [`${indent}${openTag(element)}>`, ...children, `${indent}</${element.name}>`].join('\n');
}

/** The document: XML declaration (UTF-8), then the root element, indented. */
export function xmlDocument(root: XmlElement): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${indented(root, 0)}\n`;
}
