import { beforeAll, describe, expect, it } from 'vitest';
import { only, referencesIn, resources } from '../../../../tests/helpers/fhir-bundle.ts';
import { fhirSchemaErrors } from '../../../../tests/helpers/fhir-schema.ts';
import { fullPps, minimalPps } from '../../../../tests/helpers/pps-samples.ts';
import type { FhirBundle } from '../fiches/fhir-types.ts';
import { ppsBundle } from './fhir.ts';

const samples = { full: fullPps, minimal: minimalPps };

describe('the PPS as a FHIR R4 document Bundle', () => {
	beforeAll(() => {
		// Compiles the schema (a few seconds) before the first test's clock starts.
		fhirSchemaErrors({ entry: [] });
	});

	describe.each(Object.entries(samples))('the %s sample', (_, sample) => {
		const bundle = ppsBundle(sample());

		it('is valid against the FHIR R4 JSON schema', () => {
			expect(fhirSchemaErrors(bundle)).toEqual([]);
		});

		it('is a document: the Composition (LOINC 18776-5) first, every reference resolving, nothing left alone', () => {
			expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document', timestamp: sample().createdAt });
			expect(bundle.entry[0].resource).toMatchObject({
				resourceType: 'Composition',
				title: 'Programme personnalisé de soins en cancérologie',
				type: { coding: [{ system: 'http://loinc.org', code: '18776-5' }] },
				identifier: { value: `urn:uuid:${sample().setId}` }
			});
			const fullUrls = bundle.entry.map((entry) => entry.fullUrl);
			expect(new Set(fullUrls).size).toBe(fullUrls.length);
			const references = new Set(referencesIn(bundle.entry));
			expect([...references].filter((reference) => !fullUrls.includes(reference))).toEqual([]);
			expect(fullUrls.slice(1).filter((url) => !references.has(url))).toEqual([]);
			expect(ppsBundle(sample())).toEqual(bundle);
		});
	});

	const full = ppsBundle(fullPps());

	it('is refused by the schema when an activity is malformed (the check can fail)', () => {
		const broken = structuredClone(full);
		const plan = broken.entry.find((entry) => entry.resource.resourceType === 'CarePlan')?.resource as unknown as { activity: { detail: Record<string, unknown> }[] };
		plan.activity[0].detail.scheduledPeriod = { start: '31/01/2027' };
		expect(fhirSchemaErrors(broken).join('\n')).toMatch(/CarePlan\/activity\/0\/detail\/scheduledPeriod\/start/);
	});

	it('plans each phase as a scheduled activity with its JDV_TypeTraitementPPS code, days and place', () => {
		const plan = only(full, 'CarePlan');
		expect(plan).toMatchObject({ status: 'active', intent: 'plan', description: fullPps().content.diagnosis });
		const phases = plan.activity?.filter((activity) => activity.detail.status === 'scheduled').map((activity) => activity.detail);
		expect(phases?.map((detail) => detail.code.coding?.[0].code)).toEqual(['387713003', 'C15632', 'MED-226']);
		expect(phases?.[0].code.coding?.[0]).toEqual({ system: 'http://snomed.info/sct', code: '387713003', display: 'intervention chirurgicale' });
		expect(phases?.[1].scheduledPeriod).toEqual({ start: '2027-01-31', end: '2027-07-17' });
		expect(phases?.[2].scheduledPeriod).toEqual({ start: fullPps().content.phases[2].start });
		expect(phases?.[0].location).toEqual({ display: 'CHU de Démo-sur-Loire (fictif)' });
		const offers = plan.activity?.filter((activity) => activity.detail.status === 'not-started').map((activity) => activity.detail.code.coding?.[0].code);
		expect(offers).toEqual(['ORG-036', 'ORG-175', 'MED-562', 'PAT-024', 'ORG-001', 'C20427']);
		expect(plan.note?.map((note) => note.text)).toContain('Soins de support : Consultation diététique avant la chirurgie.');
	});

	it('names the care team, the GP as the patient’s, the author once though also the referring physician', () => {
		const team = only(full, 'CareTeam');
		expect(team.participant.map((participant) => participant.role?.[0].text)).toEqual([
			'Médecin référent',
			'Médecin traitant',
			'Infirmier(ère) de coordination',
			'Autre professionnel'
		]);
		const practitioners = resources(full, 'Practitioner');
		expect(practitioners).toHaveLength(4);
		expect(practitioners.map((p) => p.identifier?.[0]?.value ?? null)).toEqual(['810002345675', '810003456786', null, null]);
		const patient = only(full, 'Patient');
		expect(patient.generalPractitioner).toEqual([team.participant[1].member]);
		expect(patient.identifier?.[0]).toMatchObject({ value: fullPps().patient.ins });
		const author = resources(full, 'PractitionerRole')[0];
		expect(author.code?.map((code) => code.text)).toEqual(['Auteur du PPS', 'Médecin référent', 'A remis le PPS au patient']);
	});

	it('says which version it replaces and why, and when it was handed over', () => {
		const composition = only(full, 'Composition');
		expect(composition.relatesTo).toEqual([{ code: 'replaces', targetIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${fullPps().supersedes?.id}` } }]);
		const status = composition.section.find((section) => section.title === 'Statut du document')?.text.div;
		expect(status).toContain('rechute — Récidive ganglionnaire : nouveau programme.');
		expect(status).toContain('le 22/12/2026');
		const minimal = only(ppsBundle(minimalPps()), 'Composition');
		expect(minimal.relatesTo).toBeUndefined();
		expect(minimal.section.find((section) => section.title === 'Statut du document')?.text.div).toContain('Pas encore remis');
	});
});
