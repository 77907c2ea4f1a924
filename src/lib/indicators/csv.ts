/**
 * The indicators as a CSV file for a spreadsheet: the figures of the page's report (same
 * labels, same rounding), after a header block stating the filter. Written for Excel in
 * French: UTF-8 with a byte order mark, `;` between cells, decimal commas, CRLF lines.
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { NetworkReport } from './network-report.ts';
import { scopeLines, type IndicatorReport, type ReportScope } from './report.ts';

const BOM = '\uFEFF';
const SEPARATOR = ';';

/**
 * One cell: quoted when it holds the separator, a quote or a line break. Text that a
 * spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe;
 * negative numbers are left alone.
 */
export function csvCell(text: string): string {
	const safe = /^[=+\-@\t\r]/.test(text) && !/^-\d[\d\s,.]*$/.test(text) ? `'${text}` : text;
	return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (cells: string[]) => cells.map(csvCell).join(SEPARATOR);

/** The file's name for a period. */
export const csvFileName = (from: string, to: string) => `indicateurs-rcp_${from}_${to}.csv`;

/**
 * The whole file: title, filter, then one line per figure (indicators; then, with
 * `network`, conformity per organ and référentiel version, trials and inclusions; then
 * attendance per specialty).
 */
export function indicatorsCsv(report: IndicatorReport, scope: ReportScope, locale: Locale, network?: NetworkReport): string {
	const options = { locale };
	const lines = [
		csvLine([m.indicators_heading({}, options)]),
		...scopeLines(scope, locale).flatMap(({ label, values }) => values.map((value) => csvLine([label, value]))),
		'',
		csvLine([
			m.indicators_col_indicator({}, options),
			m.indicators_col_value({}, options),
			m.indicators_col_numerator({}, options),
			m.indicators_col_denominator({}, options),
			m.indicators_col_unit({}, options)
		]),
		...[
			...report.sections.flatMap((section) => section.lines.flatMap((line) => line.figures)),
			...(network?.sections.flatMap((section) => section.figures) ?? []),
			...report.attendance.flatMap((line) => line.figures)
		]
			.map((figure) => csvLine([figure.label, figure.value, figure.numerator, figure.denominator, figure.unit]))
	];
	return BOM + lines.join('\r\n') + '\r\n';
}
