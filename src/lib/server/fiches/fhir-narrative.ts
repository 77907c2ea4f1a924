/**
 * The XHTML narrative of the Composition's sections: what a reader without a FHIR viewer
 * sees. Only the elements FHIR narratives allow (p, b, ul, li, table, br), every text escaped.
 */
import type { Narrative } from './fhir-types.ts';

/** A label and its value; a row without a value is left out. */
export type Row = readonly [label: string, value: string | null | undefined];

const escapeXhtml = (text: string): string =>
	text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Escaped text, its line breaks kept. */
const multiline = (text: string): string => escapeXhtml(text.trim()).replace(/\r?\n/g, '<br/>');

const hasValue = (value: string | null | undefined): value is string => value != null && value.trim() !== '';

/** "Label : value" paragraphs. */
export function fields(rows: readonly Row[]): string {
	return rows
		.filter((row): row is readonly [string, string] => hasValue(row[1]))
		.map(([label, value]) => `<p><b>${escapeXhtml(label)}</b> : ${multiline(value)}</p>`)
		.join('');
}

/** A bulleted list (nothing when empty). */
export function list(items: readonly string[]): string {
	return items.length === 0 ? '' : `<ul>${items.map((item) => `<li>${multiline(item)}</li>`).join('')}</ul>`;
}

/** A table with a header row; an empty cell stays empty. */
export function table(headers: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
	const head = `<tr>${headers.map((header) => `<th>${escapeXhtml(header)}</th>`).join('')}</tr>`;
	const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${hasValue(cell) ? multiline(cell) : ''}</td>`).join('')}</tr>`).join('');
	return `<table>${head}${body}</table>`;
}

/** A paragraph of plain text. */
export const paragraph = (text: string): string => `<p>${multiline(text)}</p>`;

/** A generated narrative made of the given blocks. */
export const narrative = (...blocks: string[]): Narrative => ({
	status: 'generated',
	div: `<div xmlns="http://www.w3.org/1999/xhtml">${blocks.join('')}</div>`
});
