import { describe, expect, it } from 'vitest';
import {
	ClinicalM,
	ClinicalN,
	ClinicalT,
	Icd10,
	Ins,
	PerformanceStatus,
	Rpps,
	checkIcd10,
	checkIns,
	checkRpps,
	insFacts,
	isOncologyCode,
	luhnValid
} from './identifiers.ts';

// The test INS of the ANS example fiches RCP (examples/CANCER-FRCP_2022.01_*.xml).
const ANS_TEST_INS = '279035121518989';

describe('checkIns', () => {
	it('accepts the ANS example INS, with or without spaces', () => {
		expect(checkIns(ANS_TEST_INS)).toEqual({ ok: true, value: ANS_TEST_INS });
		expect(checkIns('2 79 03 51 215 189 89')).toEqual({ ok: true, value: ANS_TEST_INS });
	});

	it('names the expected key when the key is wrong', () => {
		expect(checkIns('279035121518988')).toEqual({
			ok: false,
			reason: 'Clé de contrôle incorrecte : attendue 89'
		});
	});

	it('detects a single mistyped digit', () => {
		const result = checkIns('279035121518889');
		expect(result.ok).toBe(false);
	});

	it('reads Corsica 2A as 19 and 2B as 18 for the key', () => {
		// 1690519123456 mod 97 gives key 41; 1690518123456 gives key 68.
		expect(checkIns('1 69 05 2a 123 456 41')).toEqual({ ok: true, value: '169052A12345641' });
		expect(checkIns('169052B12345668')).toEqual({ ok: true, value: '169052B12345668' });
		expect(checkIns('169052B12345641').ok).toBe(false);
	});

	it('explains a wrong length, bad characters, a bad sex digit and a bad month', () => {
		expect(checkIns('27903512151898')).toEqual({
			ok: false,
			reason: 'Le matricule INS compte 15 caractères (ici 14)'
		});
		expect(checkIns('27903512151898X')).toMatchObject({ ok: false, reason: expect.stringMatching(/^Caractères invalides/) });
		expect(checkIns('579035121518989')).toMatchObject({ ok: false, reason: expect.stringContaining('premier chiffre') });
		expect(checkIns('279135121518989')).toMatchObject({ ok: false, reason: expect.stringContaining('Mois de naissance') });
	});

	it('accepts the conventional months INSEE uses for incomplete civil records', () => {
		const thirteen = '1693099123456';
		const key = String(97 - (Number(thirteen) % 97)).padStart(2, '0');
		expect(checkIns(thirteen + key).ok).toBe(true);
	});

	it('reads sex and birth year/month', () => {
		expect(insFacts(ANS_TEST_INS)).toEqual({ sex: 'F', birthYear2: '79', birthMonth: 3 });
	});

	it('is a zod schema that normalises and reports in French', () => {
		expect(Ins.parse('2 79 03 51 215 189 89')).toBe(ANS_TEST_INS);
		const result = Ins.safeParse('279035121518900');
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].message).toBe('Clé de contrôle incorrecte : attendue 89');
	});
});

describe('checkRpps', () => {
	// Numbers built for this test: ten digits followed by their Luhn key (not real people).
	const VALID = ['10001234565', '10100000008'];

	it('accepts 11 digits with a correct Luhn key', () => {
		for (const rpps of VALID) expect(checkRpps(rpps)).toEqual({ ok: true, value: rpps });
		expect(Rpps.parse('100 0123 4565')).toBe('10001234565');
	});

	it('refuses a wrong key, a wrong length and letters', () => {
		expect(checkRpps('10001234566')).toEqual({
			ok: false,
			reason: 'Numéro RPPS invalide : clé de contrôle incorrecte'
		});
		expect(checkRpps('1000123456')).toMatchObject({ ok: false, reason: expect.stringContaining('11 chiffres') });
		expect(checkRpps('1000123456A')).toMatchObject({ ok: false, reason: expect.stringContaining('que des chiffres') });
	});

	it('luhnValid matches the textbook example', () => {
		expect(luhnValid('79927398713')).toBe(true);
		expect(luhnValid('79927398710')).toBe(false);
	});
});

describe('ICD-10', () => {
	it('normalises case and the dot', () => {
		expect(checkIcd10('c18')).toEqual({ ok: true, value: 'C18' });
		expect(checkIcd10('C187')).toEqual({ ok: true, value: 'C18.7' });
		expect(Icd10.parse(' d05.1 ')).toBe('D05.1');
		expect(Icd10.parse('C34.1')).toBe('C34.1');
	});

	it('refuses malformed codes with a French message', () => {
		for (const bad of ['C1', '18.7', 'C18.', 'C18.777', 'CC18']) {
			expect(checkIcd10(bad).ok, bad).toBe(false);
		}
		expect(Icd10.safeParse('C1').error?.issues[0].message).toMatch(/^Code CIM-10 invalide/);
	});

	it('recognises tumour codes C00–D48 only', () => {
		expect(isOncologyCode('C00')).toBe(true);
		expect(isOncologyCode('C18.7')).toBe(true);
		expect(isOncologyCode('D05.1')).toBe(true);
		expect(isOncologyCode('D48.9')).toBe(true);
		expect(isOncologyCode('D49')).toBe(false);
		expect(isOncologyCode('B21.0')).toBe(false);
		expect(isOncologyCode('nonsense')).toBe(false);
	});
});

describe('cTNM', () => {
	it('accepts the category with or without the c prefix, in any case, and stores it bare', () => {
		expect(ClinicalT.parse('cT2')).toBe('T2');
		expect(ClinicalT.parse('T2')).toBe('T2');
		expect(ClinicalT.parse('ctis')).toBe('Tis');
		expect(ClinicalT.parse('T1MI')).toBe('T1mi');
		expect(ClinicalN.parse('cN2b')).toBe('N2b');
		expect(ClinicalM.parse('M1c')).toBe('M1c');
	});

	it('refuses unknown categories and other prefixes', () => {
		expect(ClinicalT.safeParse('T5').success).toBe(false);
		expect(ClinicalT.safeParse('pT2').success).toBe(false);
		expect(ClinicalM.safeParse('MX').success).toBe(false);
		expect(ClinicalN.safeParse('N4').error?.issues[0].message).toMatch(/^Catégorie cN invalide/);
	});
});

describe('PerformanceStatus', () => {
	it('accepts 0–4 as numbers or numeric strings', () => {
		expect(PerformanceStatus.parse(0)).toBe(0);
		expect(PerformanceStatus.parse('3')).toBe(3);
	});

	it('refuses out-of-range, fractional and blank values', () => {
		for (const bad of [5, -1, 1.5, '', ' ', 'deux']) {
			expect(PerformanceStatus.safeParse(bad).success, String(bad)).toBe(false);
		}
	});
});
