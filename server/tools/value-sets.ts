/**
 * Generates `src/lib/domain/value-sets.generated.ts` from the ANS value sets (IHE SVS
 * XML, "jeux de valeurs") used by the Fiche RCP and PPS CDA documents, so that the app never reads
 * the standards folder at run time.
 *
 *   node server/tools/value-sets.ts [sourceDir] [outFile]
 *
 * sourceDir defaults to ../shared/standards/ans-cda-frcp/jeuxDeValeurs (from the repo
 * root), outFile to src/lib/domain/value-sets.generated.ts. No dependencies: the SVS files
 * are flat and machine-written, so a small attribute extractor is enough.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The value sets written to the generated module, by file name without `_CISIS.xml`. */
export const VALUE_SET_FILES = [
	'JDV_RCP_Appareil',
	'JDV_RCP_Organe',
	'JDV_TypeTraitement_FRCP',
	'JDV_TraitementSoins_FRCP',
	'JDV_NatureDiscussion',
	'JDV_StatutQuorum',
	'JDV_OMSEchPerf',
	'JDV_OMSInterpret',
	'JDV_PhaseCancer',
	'JDV_StatutCasPresente',
	'JDV_StatutDoc',
	'JDV_Tumeur',
	// The PPS (programme personnalisé de soins), volet CANCER-PPS.
	'JDV_TypeTraitementPPS',
	'JDV_TypeDeSuivi',
	'JDV_SoinsOncoDeSupport',
	'JDV_TypeAccompagnementSocioPro',
	'JDV_MesuresAssociees',
	'JDV_GestionEffetsSecondaires',
	'JDV_MotifMiseAJour'
] as const;
// JDV_Morphologie (ICD-O-3, ~1,000 codes, 240 kB) is left out: the fiche takes histology as
// free text with an optional code whose shape alone is checked; add it here if a picker needs it.

/** One concept of a value set. */
export interface SvsConcept {
	code: string;
	codeSystem: string;
	displayName: string;
}

/** One parsed value set. */
export interface SvsValueSet {
	/** OID of the value set. */
	id: string;
	/** The SVS displayName, e.g. JDV_RCP_Organe_CISIS. */
	name: string;
	version: string;
	revisionDate: string;
	concepts: SvsConcept[];
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
		if (entity[0] === '#') {
			const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1));
			return String.fromCodePoint(code);
		}
		return XML_ENTITIES[entity] ?? whole;
	});
}

/** The attributes of one start tag (`<Concept a="…" …/>`), entities decoded. */
function attributesOf(tag: string): Record<string, string> {
	const attributes: Record<string, string> = {};
	for (const match of tag.matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
		attributes[match[1]] = decodeXml(match[3] ?? match[4]);
	}
	return attributes;
}

/** True when an SVS `dateFin` (YYYYMMDD…) is set and on or before `today`. */
export function isExpired(dateFin: string | undefined, today: Date): boolean {
	const digits = (dateFin ?? '').replace(/\D/g, '');
	if (digits.length < 8) return false;
	const end = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
	return end <= today.toISOString().slice(0, 10);
}

/** Parses one SVS file, leaving out the concepts whose `dateFin` has passed. */
export function parseSvs(xml: string, today = new Date()): SvsValueSet {
	const valueSetTag = /<ValueSet\b[^>]*>/.exec(xml);
	if (!valueSetTag) throw new Error('no <ValueSet> element');
	const attributes = attributesOf(valueSetTag[0]);
	const concepts: SvsConcept[] = [];
	for (const match of xml.matchAll(/<Concept\b[^>]*>/g)) {
		const concept = attributesOf(match[0]);
		if (!concept.code) throw new Error(`<Concept> without code in ${attributes.displayName}`);
		if (isExpired(concept.dateFin, today)) continue;
		concepts.push({
			code: concept.code,
			codeSystem: concept.codeSystem ?? '',
			displayName: concept.displayName ?? ''
		});
	}
	return {
		id: attributes.id ?? '',
		name: attributes.displayName ?? '',
		version: attributes.version ?? '',
		revisionDate: attributes.revisionDate ?? '',
		concepts
	};
}

/** The TypeScript source of the generated module. */
export function renderModule(sets: Record<string, SvsValueSet>, sourceNote: string): string {
	const lines = [
		'// GENERATED FILE: do not edit by hand.',
		'// Written by `node server/tools/value-sets.ts` from the ANS value sets (IHE SVS XML) in',
		`// ${sourceNote}.`,
		'// Concepts whose dateFin had passed on the day of generation are left out.',
		'',
		'/** The ANS value sets used by the Fiche RCP and the PPS, keyed by name without the _CISIS suffix. */',
		'export const VALUE_SETS = {'
	];
	for (const [key, set] of Object.entries(sets)) {
		lines.push(`\t${key}: {`);
		lines.push(`\t\tid: ${JSON.stringify(set.id)},`);
		lines.push(`\t\tname: ${JSON.stringify(set.name)},`);
		lines.push(`\t\tversion: ${JSON.stringify(set.version)},`);
		lines.push(`\t\trevisionDate: ${JSON.stringify(set.revisionDate)},`);
		lines.push('\t\tconcepts: [');
		for (const c of set.concepts) {
			lines.push(
				`\t\t\t{ code: ${JSON.stringify(c.code)}, codeSystem: ${JSON.stringify(c.codeSystem)}, displayName: ${JSON.stringify(c.displayName)} },`
			);
		}
		lines.push('\t\t]');
		lines.push('\t},');
	}
	lines.push('} as const;', '');
	return lines.join('\n');
}

/** Reads the value sets from `sourceDir` and writes the module to `outFile`. */
export function generate(sourceDir: string, outFile: string, today = new Date()): Record<string, SvsValueSet> {
	const sets: Record<string, SvsValueSet> = {};
	for (const name of VALUE_SET_FILES) {
		const file = join(sourceDir, `${name}_CISIS.xml`);
		sets[name] = parseSvs(readFileSync(file, 'utf8'), today);
	}
	const note = `standards/ans-cda-frcp/${basename(sourceDir)}`;
	writeFileSync(outFile, renderModule(sets, note));
	return sets;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
	const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
	const sourceDir = resolve(process.argv[2] ?? join(repoRoot, '../shared/standards/ans-cda-frcp/jeuxDeValeurs'));
	const outFile = resolve(process.argv[3] ?? join(repoRoot, 'src/lib/domain/value-sets.generated.ts'));
	let sets: Record<string, SvsValueSet>;
	try {
		sets = generate(sourceDir, outFile);
	} catch (error) {
		console.error(`value-sets: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
	for (const [name, set] of Object.entries(sets)) {
		console.log(`${name}: ${set.concepts.length} concepts`);
	}
	console.log(`wrote ${outFile}`);
}
