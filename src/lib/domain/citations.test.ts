import { describe, expect, it } from 'vitest';
import { guidelineCitationText, trialCitationText, trialIdentifiersText } from './citations.ts';

const trial = { trialId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e10', title: 'ADN tumoral circulant', acronym: 'CIRCULATE', euCtNumber: '2024-512345-12-00', nctId: 'NCT01234567', localNumber: 'CHU-12', sponsor: 'UNICANCER', phase: 'III' };

describe('citations on a fiche', () => {
	it('names the référentiel, its version and the situation', () => {
		expect(
			guidelineCitationText({
				situationId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e11',
				versionId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e12',
				referentielId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e13',
				title: 'Cancer du côlon',
				versionLabel: '2026',
				situationCode: 'COLON-III-R0',
				situationHeading: 'Côlon, stade III, après résection R0',
				publishedAt: null
			})
		).toBe('Cancer du côlon, version 2026 — situation COLON-III-R0 : Côlon, stade III, après résection R0');
	});

	it('lists the trial’s identifiers it has, and none when it has none', () => {
		expect(trialCitationText(trial)).toBe('CIRCULATE — ADN tumoral circulant (EU CT 2024-512345-12-00, NCT01234567, n° local CHU-12)');
		expect(trialIdentifiersText({ euCtNumber: null, nctId: 'NCT01234567', localNumber: null })).toBe('NCT01234567');
		expect(trialCitationText({ ...trial, acronym: null, euCtNumber: null, nctId: null, localNumber: null })).toBe('ADN tumoral circulant');
	});
});
