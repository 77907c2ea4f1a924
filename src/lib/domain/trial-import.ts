/**
 * Reading a trials file for the directory (issue 15, point 4): a CSV of one trial a line
 * (columns in docs/trials-import.md) or a FHIR R4 Bundle of ResearchStudy resources (the
 * shape of the national trials base). Either every trial of the file is valid, or nothing
 * is imported and each problem says where (line, field) and why, in French.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { readFhirBundle } from './trial-import-fhir.ts';
import { checkTrial, duplicateProblems, MAX_IMPORT_BYTES, MAX_IMPORT_TRIALS, type ImportProblem, type TrialImport } from './trial-import-rows.ts';
import type { TrialInput } from './trial.ts';

export { MAX_IMPORT_BYTES, MAX_IMPORT_TRIALS, type ImportFormat, type ImportProblem, type TrialImport } from './trial-import-rows.ts';

/** The CSV columns, in their documented order, with the TrialInput field each feeds. */
export const CSV_COLUMNS = {
	titre: 'title',
	acronyme: 'acronym',
	numero_eu_ct: 'euCtNumber',
	nct: 'nctId',
	numero_local: 'localNumber',
	promoteur: 'sponsor',
	phase: 'phase',
	statut: 'status',
	ouvert_le: 'openedAt',
	ferme_le: 'closedAt',
	organes: 'criteria.organs',
	cim10: 'criteria.icd10',
	histologie: 'criteria.histology',
	ctnm_t: 'criteria.stage.t',
	ctnm_n: 'criteria.stage.n',
	ctnm_m: 'criteria.stage.m',
	age_min: 'criteria.age.min',
	age_max: 'criteria.age.max',
	oms_max: 'criteria.performanceStatusMax',
	biomarqueurs: 'criteria.biomarkers',
	lignes: 'criteria.lines',
	sites: 'sites',
	eligibilite: 'eligibilityText'
} as const;
type Column = keyof typeof CSV_COLUMNS;
const REQUIRED_COLUMNS: Column[] = ['titre', 'statut'];

const STATUS_WORDS: Record<string, string> = {
	ouvert: 'open', open: 'open', suspendu: 'suspended', suspended: 'suspended', clos: 'closed', ferme: 'closed', closed: 'closed'
};

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').trim().toLowerCase();
const list = (cell: string) => cell.split('|').map((s) => s.trim()).filter(Boolean);

/** "T3-T4b" (or with an en dash), "T3-" (from), "-T2" (up to), "T3" (exactly). */
function rangeCell(cell: string): { min?: string; max?: string } | undefined {
	const value = cell.trim();
	if (!value) return undefined;
	const parts = value.split(/\s*[-–]\s*/);
	if (parts.length === 1) return { min: parts[0], max: parts[0] };
	return { ...(parts[0] && { min: parts[0] }), ...(parts[1] && { max: parts[1] }) };
}

/** "Site: investigateur (contact)|…"; the investigator and the contact may be left out. */
function sitesCell(cell: string) {
	return list(cell).map((entry) => {
		const match = /^([^:]+?)\s*(?::\s*([^(]*?))?\s*(?:\(([^)]*)\))?$/.exec(entry);
		if (!match) return { site: entry };
		return { site: match[1], investigator: match[2] ?? '', contact: match[3] ?? '' };
	});
}

/** A CSV row as the object TrialInput reads. */
function rowToInput(row: Partial<Record<Column, string>>): unknown {
	const cell = (column: Column) => row[column]?.trim() ?? '';
	const status = cell('statut');
	return {
		title: cell('titre'),
		acronym: cell('acronyme'),
		euCtNumber: cell('numero_eu_ct'),
		nctId: cell('nct'),
		localNumber: cell('numero_local'),
		sponsor: cell('promoteur'),
		phase: cell('phase').toUpperCase().replace(/\s*\/\s*/, '-'),
		status: STATUS_WORDS[fold(status)] ?? status,
		openedAt: cell('ouvert_le'),
		closedAt: cell('ferme_le'),
		sites: sitesCell(cell('sites')),
		eligibilityText: cell('eligibilite'),
		criteria: {
			organs: list(cell('organes')),
			icd10: list(cell('cim10')),
			histology: list(cell('histologie')),
			stage: { t: rangeCell(cell('ctnm_t')), n: rangeCell(cell('ctnm_n')), m: list(cell('ctnm_m')) },
			age: { min: cell('age_min'), max: cell('age_max') },
			performanceStatusMax: cell('oms_max'),
			biomarkers: cell('biomarqueurs'),
			lines: rangeCell(cell('lignes'))
		}
	};
}

/** The column a TrialInput issue concerns. */
function columnOf(path: readonly PropertyKey[]): string {
	const dotted = path.filter((p) => typeof p === 'string').join('.');
	const entries = Object.entries(CSV_COLUMNS) as [Column, string][];
	// The longest field name the path starts with: criteria.age.min before criteria.age.
	const found = entries.filter(([, field]) => dotted === field || dotted.startsWith(`${field}.`)).sort((a, b) => b[1].length - a[1].length)[0];
	if (found) return found[0];
	if (dotted === 'criteria.age') return 'age_max';
	return dotted || 'ligne';
}

const CSV_ERRORS: Record<string, string> = {
	CSV_RECORD_INCONSISTENT_COLUMNS: 'Nombre de colonnes différent de l’en-tête (un séparateur en trop ou un champ à mettre entre guillemets ?)',
	CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'Nombre de colonnes différent de l’en-tête (un séparateur en trop ou un champ à mettre entre guillemets ?)',
	CSV_QUOTE_NOT_CLOSED: 'Guillemet ouvert et jamais fermé',
	INVALID_OPENING_QUOTE: 'Guillemet au milieu d’un champ : mettez tout le champ entre guillemets et doublez le guillemet',
	CSV_INVALID_CLOSING_QUOTE: 'Caractère après un guillemet fermant'
};

/** Reads a CSV of trials: `;` or `,` separated (the header line says which), UTF-8 with or without BOM. */
export function readTrialsCsv(input: string): TrialImport {
	// csv-parse miscounts lines after an empty CRLF line: count on LF alone.
	const text = input.replace(/\r\n?/g, '\n');
	const header = text.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
	const delimiter = (header.match(/;/g)?.length ?? 0) >= (header.match(/,/g)?.length ?? 0) ? ';' : ',';
	let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
	try {
		records = parse(text, {
			delimiter,
			bom: true,
			columns: (names: string[]) => names.map((name) => fold(name).replace(/[\s-]+/g, '_')),
			info: true,
			raw: true,
			skip_empty_lines: true,
			trim: true
		});
	} catch (error) {
		if (!(error instanceof CsvError)) throw error;
		const line = (error as CsvError & { lines?: number }).lines ?? 1;
		return { ok: false, problems: [{ line, field: '', message: CSV_ERRORS[error.code] ?? 'Ligne illisible en CSV' }] };
	}
	const problems: ImportProblem[] = [];
	const columns = Object.keys(records[0]?.record ?? {});
	const headerColumns = columns.length ? columns : header.split(delimiter).map((name) => fold(name).replace(/[\s-]+/g, '_'));
	for (const column of headerColumns) {
		if (!(column in CSV_COLUMNS)) problems.push({ line: 1, field: column, message: 'Colonne inconnue (voir la liste des colonnes attendues)' });
	}
	for (const column of REQUIRED_COLUMNS) {
		if (!headerColumns.includes(column)) problems.push({ line: 1, field: column, message: 'Colonne obligatoire absente' });
	}
	if (problems.length) return { ok: false, problems };
	if (records.length === 0) return { ok: false, problems: [{ line: 1, field: '', message: 'Le fichier ne contient aucun essai' }] };
	if (records.length > MAX_IMPORT_TRIALS) return { ok: false, problems: [{ line: 1, field: '', message: `${MAX_IMPORT_TRIALS} essais au plus par fichier` }] };

	const trials: { line: number; trial: TrialInput }[] = [];
	for (const { record, info, raw } of records) {
		// info.lines is where a record ends (its raw text holds the empty lines before it); a quoted field may span several lines.
		const line = info.lines - (raw.replace(/^\n+|\n$/g, '').match(/\n/g)?.length ?? 0);
		const checked = checkTrial(line, rowToInput(record), columnOf);
		if ('trial' in checked) trials.push({ line, trial: checked.trial });
		else problems.push(...checked.problems);
	}
	problems.push(...duplicateProblems(trials, { euCtNumber: 'numero_eu_ct', nctId: 'nct', localNumber: 'numero_local' }));
	if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
	return { ok: true, format: 'csv', trials: trials.map((t) => t.trial), lines: trials.map((t) => t.line) };
}

/**
 * Reads an import file, CSV or FHIR JSON (by its name, else by its first character).
 * The bytes are UTF-8; a byte-order mark is dropped.
 */
export function readTrialsFile(fileName: string, bytes: Uint8Array): TrialImport {
	if (bytes.byteLength === 0) return { ok: false, problems: [{ line: 1, field: '', message: 'Le fichier est vide' }] };
	if (bytes.byteLength > MAX_IMPORT_BYTES) return { ok: false, problems: [{ line: 1, field: '', message: 'Fichier trop volumineux : 5 Mo au plus' }] };
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false, problems: [{ line: 1, field: '', message: 'Le fichier n’est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »' }] };
	}
	const json = /\.json$/i.test(fileName) || (!/\.csv$/i.test(fileName) && text.trimStart().startsWith('{'));
	return json ? readFhirBundle(text) : readTrialsCsv(text);
}
