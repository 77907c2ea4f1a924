import { describe, expect, it } from 'vitest';
import type { CaseFicheDraft } from './case-fiche.ts';
import { ageOn, byFit, mayFit, prescreen, TrialCriteria, TrialInput, type CriterionCheck } from './trial.ts';

// A fixed instant: 2026-03-15 at 23:30 UTC is already the 16th in Paris.
const AS_OF = new Date('2026-03-15T23:30:00Z');
const COLON = 'MED-251';
const LUNG = 'MED-255';

const criteria = (input: Record<string, unknown>) => TrialCriteria.parse(input);
const fiche = (values: Partial<CaseFicheDraft>) => values as CaseFicheDraft;
const only = (checks: CriterionCheck[]) => {
	expect(checks).toHaveLength(1);
	return checks[0];
};

describe('TrialCriteria', () => {
	it('normalises codes and drops bounds that constrain nothing', () => {
		const parsed = criteria({ icd10: ['c18', 'C20'], stage: { t: { min: 'cT3' }, n: { min: '', max: '' } }, age: { min: '', max: '' }, histology: ['adénocarcinome', '8140/3'] });
		expect(parsed.icd10).toEqual(['C18', 'C20']);
		expect(parsed.stage).toEqual({ t: { min: 'T3' } });
		expect(parsed.age).toBeUndefined();
	});

	it('refuses codes outside the value sets, TX as a bound and reversed ranges, in French', () => {
		const refused = (input: Record<string, unknown>) => {
			const result = TrialCriteria.safeParse(input);
			expect(result.success).toBe(false);
			return result.error?.issues[0].message;
		};
		expect(refused({ organs: ['colon'] })).toMatch(/Code absent de la liste/);
		expect(refused({ stage: { t: { min: 'TX' } } })).toMatch(/cTX ne borne rien/);
		expect(refused({ stage: { t: { min: 'T4', max: 'T2' } } })).toMatch(/borne basse dépasse/);
		expect(refused({ age: { min: 80, max: 18 } })).toMatch(/minimum dépasse le maximum/);
		expect(refused({ performanceStatusMax: 5 })).toMatch(/4 au plus/);
	});
});

describe('TrialInput', () => {
	const base = { title: 'Essai PRODIGE 99', status: 'open', nctId: 'nct01234567' };

	it('accepts one identifier, upper-cases the NCT and leaves blank identifiers null', () => {
		const trial = TrialInput.parse({ ...base, euCtNumber: '', localNumber: '  ' });
		expect(trial).toMatchObject({ nctId: 'NCT01234567', euCtNumber: null, localNumber: null, sites: [], criteria: { organs: [] } });
	});

	it('needs an identifier, well-formed numbers, and a closing date for a closed trial', () => {
		const issues = (input: Record<string, unknown>) => TrialInput.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];
		expect(issues({ title: 'X', status: 'open' })).toEqual([['euCtNumber', 'Donnez au moins un identifiant : numéro EU CT, NCT ou numéro local']]);
		expect(issues({ ...base, euCtNumber: '2023-50123-12-00' })[0][1]).toMatch(/AAAA-NNNNNN-NN-NN/);
		expect(issues({ ...base, nctId: 'NCT123' })[0][1]).toMatch(/NCT suivi de 8 chiffres/);
		expect(issues({ ...base, status: 'closed' })).toEqual([['closedAt', 'Un essai clos a une date de clôture']]);
		expect(issues({ ...base, status: 'closed', openedAt: '2025-01-10', closedAt: '2024-12-31' })).toEqual([['closedAt', 'La clôture précède l’ouverture']]);
		expect(issues({ ...base, phase: 'V' })[0][1]).toMatch(/Phase/);
	});
});

describe('prescreen', () => {
	it('omits unconstrained criteria', () => {
		expect(prescreen(criteria({}), fiche({ organ: COLON }), AS_OF)).toEqual([]);
	});

	it('organ: match, mismatch, unknown', () => {
		const c = criteria({ organs: [COLON] });
		expect(only(prescreen(c, fiche({ organ: COLON }), AS_OF))).toEqual({ criterion: 'organ', result: 'match', expected: COLON, actual: COLON });
		expect(only(prescreen(c, fiche({ organ: LUNG }), AS_OF)).result).toBe('mismatch');
		expect(only(prescreen(c, fiche({}), AS_OF))).toMatchObject({ result: 'unknown', actual: null });
	});

	it('ICD-10: a category covers its subcodes, a subcode does not cover its siblings', () => {
		const c = criteria({ icd10: ['C18', 'C20.0'] });
		expect(only(prescreen(c, fiche({ tumourSiteCode: 'C18.7' }), AS_OF)).result).toBe('match');
		expect(only(prescreen(c, fiche({ tumourSiteCode: 'C18' }), AS_OF)).result).toBe('match');
		expect(only(prescreen(c, fiche({ tumourSiteCode: 'C20.1' }), AS_OF)).result).toBe('mismatch');
		expect(only(prescreen(c, fiche({ tumourSiteCode: 'C180' as string }), AS_OF)).result).toBe('mismatch');
		expect(only(prescreen(c, fiche({}), AS_OF)).result).toBe('unknown');
	});

	it('histology: keywords ignore case and accents, codes compare with the morphology code', () => {
		const keyword = criteria({ histology: ['Adenocarcinome'] });
		expect(only(prescreen(keyword, fiche({ histology: 'adénocarcinome lieberkühnien' }), AS_OF)).result).toBe('match');
		expect(only(prescreen(keyword, fiche({ histology: 'carcinome épidermoïde' }), AS_OF)).result).toBe('mismatch');
		const code = criteria({ histology: ['8140/3', '8480'] });
		expect(only(prescreen(code, fiche({ histologyCode: '8480/3' }), AS_OF)).result).toBe('match');
		expect(only(prescreen(code, fiche({ histologyCode: '8070/3' }), AS_OF)).result).toBe('mismatch');
		// The fiche has text but no code: the codes cannot be compared.
		expect(only(prescreen(code, fiche({ histology: 'adénocarcinome' }), AS_OF)).result).toBe('unknown');
		// A keyword fails, a code cannot be compared: it might still be the one.
		const both = criteria({ histology: ['mucineux', '8480/3'] });
		expect(only(prescreen(both, fiche({ histology: 'adénocarcinome' }), AS_OF)).result).toBe('unknown');
	});

	it('stage: ranges include their bounds and the bound’s subcategories; TX or a missing cN is unknown', () => {
		const c = criteria({ stage: { t: { min: 'T3', max: 'T4' }, n: { max: 'N1' }, m: ['M0'] } });
		const stage = (t?: string, n?: string, m?: string) =>
			only(prescreen(c, fiche({ clinicalT: t, clinicalN: n, clinicalM: m } as Partial<CaseFicheDraft>), AS_OF));
		expect(stage('T3', 'N0', 'M0')).toEqual({ criterion: 'stage', result: 'match', expected: 'T3–T4 ≤ N1 M0', actual: 'T3 N0 M0' });
		expect(stage('T4b', 'N1c', 'M0').result).toBe('match');
		expect(stage('T2b', 'N0', 'M0').result).toBe('mismatch');
		expect(stage('T3', 'N2', 'M0').result).toBe('mismatch');
		expect(stage('T3', 'N0', 'M1a').result).toBe('mismatch');
		expect(stage('TX', 'N0', 'M0').result).toBe('unknown');
		expect(stage('T3', undefined, 'M0').result).toBe('unknown');
		// Unknown does not hide a failure.
		expect(stage('T3', undefined, 'M1').result).toBe('mismatch');
		expect(stage().actual).toBeNull();
	});

	it('stage: a case staged less precisely than a bound can neither pass nor fail', () => {
		const c = criteria({ stage: { t: { min: 'T2b' } } });
		expect(only(prescreen(c, fiche({ clinicalT: 'T2' }), AS_OF)).result).toBe('unknown');
		expect(only(prescreen(c, fiche({ clinicalT: 'T1c' }), AS_OF)).result).toBe('mismatch');
		expect(only(prescreen(criteria({ stage: { m: ['M1a', 'M1b'] } }), fiche({ clinicalM: 'M1' }), AS_OF)).result).toBe('unknown');
		expect(only(prescreen(criteria({ stage: { m: ['M1'] } }), fiche({ clinicalM: 'M1c' }), AS_OF)).result).toBe('match');
	});

	it('age: counted on the Paris day, turning 18 on the day of the pre-screening counts', () => {
		const c = criteria({ age: { min: 18, max: 75 } });
		// AS_OF is 16 March 2026 in Paris (still the 15th in UTC).
		expect(only(prescreen(c, fiche({ birthDate: '2008-03-16' }), AS_OF))).toEqual({ criterion: 'age', result: 'match', expected: '18–75', actual: '18' });
		expect(only(prescreen(c, fiche({ birthDate: '2008-03-17' }), AS_OF))).toMatchObject({ result: 'mismatch', actual: '17' });
		// 75 until the eve of the 76th birthday.
		expect(only(prescreen(c, fiche({ birthDate: '1950-03-17' }), AS_OF))).toMatchObject({ result: 'match', actual: '75' });
		expect(only(prescreen(c, fiche({ birthDate: '1950-03-16' }), AS_OF))).toMatchObject({ result: 'mismatch', actual: '76' });
		expect(only(prescreen(c, fiche({}), AS_OF))).toMatchObject({ result: 'unknown', actual: null });
		expect(only(prescreen(criteria({ age: { min: 70 } }), fiche({ birthDate: '1950-01-01' }), AS_OF)).expected).toBe('≥ 70');
	});

	it('ageOn: a 29 February birthday comes on 1 March in other years', () => {
		expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
		expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
	});

	it('WHO performance status: up to the maximum, inclusive; 0 is a value, not a blank', () => {
		const c = criteria({ performanceStatusMax: 1 });
		expect(only(prescreen(c, fiche({ performanceStatus: 1 }), AS_OF))).toEqual({ criterion: 'performanceStatus', result: 'match', expected: '0–1', actual: '1' });
		expect(only(prescreen(c, fiche({ performanceStatus: 0 }), AS_OF)).result).toBe('match');
		expect(only(prescreen(c, fiche({ performanceStatus: 2 }), AS_OF)).result).toBe('mismatch');
		expect(only(prescreen(c, fiche({}), AS_OF)).result).toBe('unknown');
		expect(only(prescreen(criteria({ performanceStatusMax: 0 }), fiche({ performanceStatus: 0 }), AS_OF))).toMatchObject({ result: 'match', expected: '0' });
	});

	it('biomarkers and lines of treatment are always unknown: a fiche does not code them', () => {
		const checks = prescreen(criteria({ biomarkers: 'RAS sauvage', lines: { min: 1, max: 2 } }), fiche({ molecularResults: 'RAS sauvage' }), AS_OF);
		expect(checks).toEqual([
			{ criterion: 'biomarkers', result: 'unknown', expected: 'RAS sauvage', actual: null },
			{ criterion: 'lines', result: 'unknown', expected: '1–2', actual: null }
		]);
	});

	it('lists the checks in TRIAL_CRITERIA order; mayFit is "no mismatch"; byFit puts the most matches first, then the fewest unknowns', () => {
		const c = criteria({ performanceStatusMax: 1, organs: [COLON], age: { min: 18 }, biomarkers: 'MSI' });
		const checks = prescreen(c, fiche({ organ: COLON, birthDate: '1960-05-01', performanceStatus: 1 }), AS_OF);
		expect(checks.map((x) => x.criterion)).toEqual(['organ', 'age', 'performanceStatus', 'biomarkers']);
		expect(mayFit(checks)).toBe(true);
		expect(mayFit(prescreen(c, fiche({ organ: LUNG }), AS_OF))).toBe(false);
		const check = (result: CriterionCheck['result']): CriterionCheck => ({ criterion: 'organ', result, expected: '', actual: null });
		const sorted = [[check('unknown')], [check('match'), check('unknown')], [check('match')]].sort(byFit);
		expect(sorted).toEqual([[check('match')], [check('match'), check('unknown')], [check('unknown')]]);
	});
});
