import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTrialsCsv, readTrialsFile } from './trial-import.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const HEADER = 'titre;statut;nct;numero_local;ctnm_t;age_min;age_max;ferme_le';
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('CSV import', () => {
	it('reads the documented columns, with a BOM, lists, ranges, quoted separators and sites', () => {
		const read = readTrialsFile('essais.csv', fixture('trials.csv'));
		if (!read.ok) throw new Error(JSON.stringify(read.problems));
		expect(read.format).toBe('csv');
		expect(read.trials.map((t) => [t.acronym, t.status, t.phase])).toEqual([
			['COLOSHORT', 'open', 'III'],
			['NEOLUNG', 'open', 'II'],
			['SEINLIGHT', 'closed', 'IV']
		]);
		const [colon, lung, breast] = read.trials;
		expect(colon.criteria).toEqual({
			organs: ['MED-251'],
			icd10: ['C18', 'C19'],
			histology: ['adénocarcinome'],
			stage: { t: { min: 'T1', max: 'T4b' }, n: { min: 'N1', max: 'N2c' }, m: ['M0'] },
			age: { min: 18, max: 80 },
			performanceStatusMax: 1,
			biomarkers: '',
			lines: { min: 0, max: 0 }
		});
		expect(colon.sites).toEqual([
			{ site: 'CHU de Poitiers', investigator: 'Dr Martin', contact: '05 49 44 00 00', open: true },
			{ site: 'CH de Niort', investigator: 'Dr Durand', contact: 'secretariat.onco@ch-niort.test', open: true }
		]);
		expect(lung.title).toBe('Immunothérapie néoadjuvante des cancers bronchiques; stades II à IIIA');
		expect(lung.criteria.age).toEqual({ min: 18 });
		expect(lung.criteria.biomarkers).toBe('PD-L1 ≥ 1 %');
		expect(breast).toMatchObject({ localNumber: 'POI-2021-07', euCtNumber: null, nctId: null, closedAt: '2024-12-31', sites: [{ site: 'CHU de Poitiers', investigator: '' }] });
	});

	it('accepts commas as separators and French or English status words', () => {
		const read = readTrialsCsv('titre,statut,nct\nEssai A,Suspendu,NCT00000001\n"Essai B, bis",OPEN,NCT00000002\n');
		expect(read.ok && read.trials.map((t) => [t.title, t.status])).toEqual([
			['Essai A', 'suspended'],
			['Essai B, bis', 'open']
		]);
	});

	it('lists every bad line with its line number, column and a French reason, and imports nothing', () => {
		const csv = [
			HEADER,
			'Bon essai;ouvert;NCT00000001;;;;;',
			'Sans identifiant;ouvert;;;;;;',
			'Mauvais stade;ouvert;;LOC-1;T4-T2;;;',
			'',
			'"Titre sur',
			'deux lignes";fini;NCT123;;;80;18;',
			'Clos sans date;clos;;LOC-2;;;;'
		].join('\r\n');
		const read = readTrialsCsv(csv);
		expect(read.ok).toBe(false);
		expect(!read.ok && read.problems).toEqual([
			{ line: 3, field: 'numero_eu_ct', message: 'Donnez au moins un identifiant : numéro EU CT, NCT ou numéro local' },
			{ line: 4, field: 'ctnm_t', message: 'cT : la borne basse dépasse la borne haute' },
			{ line: 6, field: 'nct', message: 'Numéro NCT au format NCT suivi de 8 chiffres (ex. NCT01234567)' },
			{ line: 6, field: 'statut', message: 'Statut : ouvert, suspendu ou clos' },
			{ line: 6, field: 'age_max', message: 'Âge : le minimum dépasse le maximum' },
			{ line: 8, field: 'ferme_le', message: 'Un essai clos a une date de clôture' }
		]);
	});

	it('refuses a file whose lines repeat an identifier, or whose header is wrong', () => {
		const twice = readTrialsCsv('titre;statut;nct\nA;ouvert;NCT00000001\nB;ouvert;nct00000001\n');
		expect(!twice.ok && twice.problems).toEqual([{ line: 3, field: 'nct', message: 'Identifiant NCT00000001 déjà présent ligne 2' }]);
		const header = readTrialsCsv('titre;etat;nct\nA;ouvert;NCT00000001\n');
		expect(!header.ok && header.problems).toEqual([
			{ line: 1, field: 'etat', message: 'Colonne inconnue (voir la liste des colonnes attendues)' },
			{ line: 1, field: 'statut', message: 'Colonne obligatoire absente' }
		]);
	});

	it('reports a line the CSV parser cannot read', () => {
		const read = readTrialsCsv('titre;statut;nct\nA;ouvert;NCT00000001;en trop\n');
		expect(!read.ok && read.problems).toEqual([{ line: 2, field: '', message: expect.stringMatching(/Nombre de colonnes différent/) }]);
		const quote = readTrialsCsv('titre;statut;nct\n"A;ouvert;NCT00000001\n');
		expect(!quote.ok && quote.problems[0].message).toBe('Guillemet ouvert et jamais fermé');
	});

	it('refuses an empty file, a file without trials, and bytes that are not UTF-8', () => {
		expect(readTrialsFile('a.csv', new Uint8Array())).toEqual({ ok: false, problems: [{ line: 1, field: '', message: 'Le fichier est vide' }] });
		expect(readTrialsFile('a.csv', utf8(`${HEADER}\n`))).toEqual({ ok: false, problems: [{ line: 1, field: '', message: 'Le fichier ne contient aucun essai' }] });
		const latin1 = new Uint8Array([...utf8('titre;statut;nct\nEssai '), 0xe9, ...utf8(';ouvert;NCT00000001\n')]);
		expect(readTrialsFile('a.csv', latin1)).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/UTF-8/) }] });
	});
});

describe('FHIR Bundle import', () => {
	it('maps identifiers, status, phase, sponsor, sites, period, ICD-10 conditions, keywords and the enrolled age range', () => {
		const read = readTrialsFile('export.json', fixture('trials-bundle.json'));
		if (!read.ok) throw new Error(JSON.stringify(read.problems));
		expect(read.format).toBe('fhir');
		const [colon, prostate] = read.trials;
		expect(colon).toMatchObject({
			title: 'Chimiothérapie intrapéritonéale des carcinoses d’origine colique',
			nctId: 'NCT06000001',
			euCtNumber: '2023-501234-12-00',
			localNumber: 'RECF-4242',
			sponsor: 'Fédération francophone de cancérologie digestive',
			phase: 'II-III',
			status: 'open',
			openedAt: '2024-02-01',
			closedAt: null,
			sites: [{ site: 'CHU de Poitiers', investigator: 'Pr Bernard', contact: 'Attachée de recherche clinique, 05 49 00 00 01', open: true }],
			criteria: { icd10: ['C18.7'], age: { min: 18, max: 75 }, organs: [], stage: {} }
		});
		expect(colon.eligibilityText).toBe('Carcinose péritonéale résécable d’origine colique.\n\nMots-clés : carcinose péritonéale');
		expect(prostate).toMatchObject({
			nctId: 'NCT04000002',
			status: 'closed',
			phase: 'III',
			sponsor: 'UNICANCER',
			closedAt: '2023-06-30',
			sites: [
				{ site: 'CHU de Limoges', investigator: '' },
				{ site: 'CH de La Rochelle', investigator: '' }
			]
		});
	});

	it('reports each bad ResearchStudy by its entry number and element, and imports nothing', () => {
		const bundle = {
			resourceType: 'Bundle',
			entry: [
				{ resource: { resourceType: 'ResearchStudy', title: 'Bon', status: 'active', identifier: [{ value: 'NCT00000001' }] } },
				{ resource: { resourceType: 'Organization', name: 'ignorée' } },
				{ resource: { resourceType: 'ResearchStudy', title: 'Sans identifiant', status: 'active' } },
				{ resource: { resourceType: 'ResearchStudy', title: 'Clos', status: 'completed', identifier: [{ value: 'LOC-1' }], condition: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'côlon' }] }] } }
			]
		};
		const read = readTrialsFile('b.json', utf8(JSON.stringify(bundle)));
		expect(!read.ok && read.problems.map((p) => [p.line, p.field])).toEqual([
			[3, 'identifier'],
			[4, 'condition'],
			[4, 'period.end']
		]);
	});

	it('refuses what is not a Bundle of ResearchStudy', () => {
		expect(readTrialsFile('x.json', utf8('{"resourceType": "Patient"}'))).toEqual({ ok: false, problems: [{ line: 1, field: 'resourceType', message: 'Un Bundle FHIR R4 est attendu' }] });
		expect(readTrialsFile('x.json', utf8('{ pas du json'))).toEqual({ ok: false, problems: [{ line: 1, field: '', message: 'JSON illisible' }] });
		expect(readTrialsFile('x.json', utf8('{"resourceType": "Bundle", "entry": []}'))).toMatchObject({ ok: false, problems: [{ field: 'entry' }] });
	});
});
