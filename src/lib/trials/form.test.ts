import { describe, expect, it } from 'vitest';
import { TrialInput } from '../domain/trial.ts';
import { formValues, trialFieldName, trialFormValues, trialFromForm } from './form.ts';

describe('trial form', () => {
	it('reads a posted form into a TrialInput: lists split, empty site rows dropped, unchecked sites closed', () => {
		const form = new FormData();
		for (const [key, value] of [
			['title', 'Essai'],
			['nctId', 'NCT01234567'],
			['status', 'open'],
			['criteria.organs', 'MED-251'],
			['criteria.organs', 'MED-255'],
			['criteria.icd10', 'C18, c19 C20'],
			['criteria.histology', 'adénocarcinome\n\n8480/3\n'],
			['criteria.stage.t.min', 'T3'],
			['criteria.stage.t.max', ''],
			['criteria.stage.m', 'M0'],
			['criteria.age.min', '18'],
			['criteria.performanceStatusMax', '1'],
			['sites.0.site', 'CHU de Poitiers'],
			['sites.0.investigator', 'Dr Martin'],
			['sites.0.open', 'on'],
			['sites.1.site', 'CH de Niort'],
			['sites.2.site', ''],
			['sites.2.investigator', '']
		]) form.append(key, value);
		const values = formValues(form);
		expect(values['criteria.organs']).toEqual(['MED-251', 'MED-255']);
		const trial = TrialInput.parse(trialFromForm(values));
		expect(trial.criteria).toMatchObject({ organs: ['MED-251', 'MED-255'], icd10: ['C18', 'C19', 'C20'], histology: ['adénocarcinome', '8480/3'], stage: { t: { min: 'T3' }, m: ['M0'] }, age: { min: 18 }, performanceStatusMax: 1 });
		expect(trial.sites).toEqual([
			{ site: 'CHU de Poitiers', investigator: 'Dr Martin', contact: '', open: true },
			{ site: 'CH de Niort', investigator: '', contact: '', open: false }
		]);
		// The edit form shows the same trial again.
		expect(TrialInput.parse(trialFromForm(trialFormValues(trial)))).toEqual(trial);
	});

	it('names the form field of an error, a list field for an error in one of its items', () => {
		expect(trialFieldName(['criteria', 'icd10', 2])).toBe('criteria.icd10');
		expect(trialFieldName(['criteria', 'stage', 't', 'max'])).toBe('criteria.stage.t.max');
		expect(trialFieldName(['sites', 1, 'site'])).toBe('sites.1.site');
		expect(trialFieldName([])).toBe('form');
	});
});
