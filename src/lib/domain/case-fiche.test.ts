import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { ManualClock, setClock } from '../clock.ts';
import {
	BirthDate,
	CASE_FICHE_FIELDS,
	CaseFiche,
	CaseFicheDraft,
	PRESENTATION_TYPE_LABELS,
	missingFields
} from './case-fiche.ts';

// INS of the ANS example fiches: a woman born in March 1979.
const COMPLETE = {
	familyName: 'Martin',
	givenNames: 'Claire Anne',
	birthDate: '1979-03-28',
	sex: 'F',
	ins: '2 79 03 51 215 189 89',
	requestingPhysicianId: 'user-42',
	presentationType: 'first-presentation',
	discussionMode: 'discussion',
	question: 'Chirurgie première ou traitement néoadjuvant ?',
	tumourSiteCode: 'c187',
	tumourSiteLabel: 'Côlon sigmoïde',
	clinicalT: 'cT3',
	clinicalN: 'cN1a',
	clinicalM: 'cM0',
	performanceStatus: '1',
	organ: '41216001'
};

describe('CaseFicheDraft', () => {
	it('accepts an empty draft, and blank or null values as absent', () => {
		expect(CaseFicheDraft.parse({})).toEqual({});
		const draft = CaseFicheDraft.parse({ familyName: '  ', ins: '', performanceStatus: null });
		expect(draft.familyName).toBeUndefined();
		expect(draft.ins).toBeUndefined();
		expect(draft.performanceStatus).toBeUndefined();
	});

	it('normalises filled-in values', () => {
		const draft = CaseFicheDraft.parse({ ins: '2 79 03 51 215 189 89', tumourSiteCode: 'c187', clinicalT: 'cT3', performanceStatus: '2' });
		expect(draft).toEqual({ ins: '279035121518989', tumourSiteCode: 'C18.7', clinicalT: 'T3', performanceStatus: 2 });
	});

	it('still refuses invalid values, with French messages on the right field', () => {
		const result = CaseFicheDraft.safeParse({ ins: '279035121518900', gpEmail: 'pas-un-courriel', clinicalT: 'T9', organ: 'C18' });
		expect(result.success).toBe(false);
		const byField = Object.fromEntries(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]));
		expect(byField.ins).toBe('Clé de contrôle incorrecte : attendue 89');
		expect(byField.gpEmail).toBe('Adresse de courriel invalide');
		expect(byField.clinicalT).toMatch(/^Catégorie cT invalide/);
		expect(byField.organ).toBe('Code absent de la liste JDV_RCP_Organe_CISIS');
	});
});

describe('missingFields', () => {
	it('lists the required fields with their French labels, in form order', () => {
		const missing = missingFields(CaseFicheDraft.parse({ familyName: 'Martin', question: '' }));
		expect(missing[0]).toEqual({ field: 'givenNames', label: 'Prénom(s) de naissance' });
		expect(missing.map((m) => m.field)).toEqual(
			Object.entries(CASE_FICHE_FIELDS)
				.filter(([name, f]) => f.required && name !== 'familyName')
				.map(([name]) => name)
		);
		expect(missing.map((m) => m.label)).toContain('Question posée à la RCP');
	});

	it('is empty for a complete file ("dossier complet")', () => {
		expect(missingFields(CaseFicheDraft.parse(COMPLETE))).toEqual([]);
	});

	it('counts a performance status of 0 as filled in', () => {
		const missing = missingFields(CaseFicheDraft.parse({ ...COMPLETE, performanceStatus: 0 }));
		expect(missing).toEqual([]);
	});
});

describe('CaseFiche', () => {
	it('parses a complete fiche', () => {
		const fiche = CaseFiche.parse(COMPLETE);
		expect(fiche).toMatchObject({ ins: '279035121518989', tumourSiteCode: 'C18.7', clinicalN: 'N1a', performanceStatus: 1 });
		expectTypeOf(fiche.question).toEqualTypeOf<string>();
		expectTypeOf(fiche.ins).toEqualTypeOf<string | undefined>();
	});

	it('reports each missing required field on its path', () => {
		const { question: _question, sex: _sex, ...incomplete } = COMPLETE;
		const result = CaseFiche.safeParse(incomplete);
		expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['sex', 'Sexe : champ obligatoire'],
			['question', 'Question posée à la RCP : champ obligatoire']
		]);
	});

	it('refuses an INS that contradicts the sex or the birth date', () => {
		const result = CaseFiche.safeParse({ ...COMPLETE, sex: 'M', birthDate: '1980-03-28' });
		expect(result.error?.issues.map((i) => i.path[0])).toEqual(['sex', 'birthDate']);
		expect(CaseFiche.safeParse({ ...COMPLETE, birthDate: '1979-04-28' }).success).toBe(false);
		expect(CaseFiche.safeParse({ ...COMPLETE, sex: 'I' }).success).toBe(true);
	});
});

describe('BirthDate', () => {
	it('refuses future, implausible and malformed dates', () => {
		expect(BirthDate.safeParse('2999-01-01').error?.issues[0].message).toBe('La date de naissance est dans le futur');
		expect(BirthDate.safeParse('1850-01-01').error?.issues[0].message).toMatch(/^Date de naissance invraisemblable/);
		expect(BirthDate.safeParse('28/03/1979').error?.issues[0].message).toBe('Date de naissance au format AAAA-MM-JJ');
		expect(BirthDate.safeParse('1979-02-30').success).toBe(false);
		expect(BirthDate.parse('1979-03-28')).toBe('1979-03-28');
	});
});

describe('BirthDate against today in Paris', () => {
	// BirthDate reads the process clock; here it stands on fixed instants.
	const today = (instant: string) => setClock(new ManualClock(instant));
	const message = (value: string) => BirthDate.safeParse(value).error?.issues[0].message ?? 'accepted';
	afterEach(() => setClock(undefined));

	it('takes today as the Paris date: at 23:30 Paris on 31 December 2027 (22:30 UTC), 1 January 2028 is still in the future', () => {
		today('2027-12-31T22:30:00.000Z');
		expect(message('2027-12-31')).toBe('accepted');
		expect(message('2028-01-01')).toBe('La date de naissance est dans le futur');
		today('2027-12-31T23:30:00.000Z');
		expect(message('2028-01-01')).toBe('accepted');
	});

	it('on 29 February 2028, accepts a birth on 29 February 1908 (120 years) and refuses the day before', () => {
		today('2028-02-29T11:00:00.000Z');
		expect(message('2028-02-29')).toBe('accepted');
		expect(message('2028-03-01')).toBe('La date de naissance est dans le futur');
		expect(message('1908-02-29')).toBe('accepted');
		expect(message('1908-02-28')).toMatch(/^Date de naissance invraisemblable/);
	});
});

describe('labels', () => {
	it('every field and presentation type has a French label', () => {
		for (const f of Object.values(CASE_FICHE_FIELDS)) expect(f.label.length).toBeGreaterThan(0);
		expect(PRESENTATION_TYPE_LABELS['second-opinion']).toBe('Avis de recours (deuxième avis)');
	});
});
