import { beforeAll, describe, expect, it } from 'vitest';
import { CITED_TRIAL, citedFiche, fullFiche, minimalFiche } from '../../../../tests/helpers/fiche-samples.ts';
import { only, referencesIn, resources } from '../../../../tests/helpers/fhir-bundle.ts';
import { fhirSchemaErrors } from '../../../../tests/helpers/fhir-schema.ts';
import { ficheBundle, type FhirBundle } from './fhir.ts';
import { uuidV5 } from './fhir-terms.ts';

const schemaErrors = (bundle: FhirBundle): string[] => fhirSchemaErrors(bundle);

const samples = { full: fullFiche, minimal: minimalFiche, cited: citedFiche };

describe('the fiche RCP as a FHIR R4 document Bundle', () => {
	beforeAll(() => {
		// Compiles the schema (a few seconds) before the first test's clock starts.
		fhirSchemaErrors({ entry: [] });
	});

	describe.each(Object.entries(samples))('the %s sample', (_, sample) => {
		const bundle = ficheBundle(sample());

		it('is valid against the FHIR R4 JSON schema', () => {
			expect(schemaErrors(bundle)).toEqual([]);
		});

		it('is a document whose Composition comes first and whose references all resolve', () => {
			expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document', timestamp: sample().validation.at });
			expect(bundle.identifier).toEqual({ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${sample().id}` });
			const composition = bundle.entry[0].resource;
			expect(composition).toMatchObject({ resourceType: 'Composition', status: 'final', type: { coding: [{ system: 'http://loinc.org', code: '34794-8' }] } });
			expect(resources(bundle, 'Composition')).toHaveLength(1);

			const fullUrls = bundle.entry.map((entry) => entry.fullUrl);
			for (const url of fullUrls) expect(url).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(new Set(fullUrls).size).toBe(fullUrls.length);
			const references = new Set(referencesIn(bundle.entry));
			expect([...references].filter((reference) => !fullUrls.includes(reference))).toEqual([]);
			// Nothing in the document stands alone: every entry but the Composition is referred to.
			expect(fullUrls.slice(1).filter((url) => !references.has(url))).toEqual([]);
		});

		it('names the patient by the INS, and the signing coordinator by the RPPS', () => {
			const { fiche, validation } = sample();
			expect(only(bundle, 'Patient').identifier).toContainEqual({ use: 'official', system: 'urn:oid:1.2.250.1.213.1.4.8', value: fiche.ins });
			const composition = only(bundle, 'Composition');
			const coordinatorRole = bundle.entry.find((entry) => entry.fullUrl === composition.author[0].reference)?.resource;
			expect(coordinatorRole).toMatchObject({ resourceType: 'PractitionerRole', specialty: [{ text: validation.by.specialtyLabel }] });
			const practitioner = bundle.entry.find((entry) => coordinatorRole?.resourceType === 'PractitionerRole' && entry.fullUrl === coordinatorRole.practitioner.reference);
			expect(practitioner?.resource).toMatchObject({ identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${validation.by.rpps}` }] });
			expect(composition.attester).toEqual([{ mode: 'legal', time: validation.at, party: composition.author[0] }]);
		});

		it('is the same Bundle when exported twice', () => {
			expect(JSON.stringify(ficheBundle(sample()))).toBe(JSON.stringify(bundle));
		});
	});

	describe('the schema check', () => {
		const patientOf = (bundle: FhirBundle) => bundle.entry.findIndex((entry) => entry.resource.resourceType === 'Patient');

		it('reports a value outside its value set', () => {
			const bundle = structuredClone(ficheBundle(fullFiche()));
			Object.assign(bundle.entry[patientOf(bundle)].resource, { gender: 'woman' });
			expect(schemaErrors(bundle)).toEqual([`entry[${patientOf(bundle)}] Patient/gender must be equal to one of the allowed values {"allowedValues":["male","female","other","unknown"]}`]);
		});

		it('reports a property FHIR does not define', () => {
			const bundle = structuredClone(ficheBundle(minimalFiche()));
			Object.assign(bundle.entry[patientOf(bundle)].resource, { sexe: 'M' });
			expect(schemaErrors(bundle)).toEqual([`entry[${patientOf(bundle)}] Patient must NOT have additional properties {"additionalProperty":"sexe"}`]);
		});

		it('refuses resource types that are not R4 (Medplum’s own)', () => {
			const bundle = structuredClone(ficheBundle(minimalFiche()));
			bundle.entry.push({ fullUrl: 'urn:uuid:00000000-0000-5000-8000-000000000000', resource: { resourceType: 'Bot', name: 'x' } as never });
			expect(schemaErrors(bundle)).toEqual([`entry[${bundle.entry.length - 1}]: Bot is not an R4 resource type`]);
		});
	});

	describe('content', () => {
		const full = ficheBundle(fullFiche());
		const minimal = ficheBundle(minimalFiche());

		it('lists the professionals once each, with their RPPS, and the GP', () => {
			const rppsOf = (bundle: FhirBundle) => resources(bundle, 'Practitioner').flatMap((practitioner) => practitioner.identifier ?? []);
			// Coordinator, requester, two members and the GP; the guest has no RPPS.
			expect(rppsOf(full).map((identifier) => identifier.value)).toEqual(['810001234565', '810002345675', '810004567896', '810005678908', '810003456786']);
			expect(resources(full, 'Practitioner')).toHaveLength(6);
			expect(resources(full, 'PractitionerRole')).toContainEqual(expect.objectContaining({ code: [{ text: 'Médecin demandeur' }, { text: 'Membre de la RCP' }] }));
			const gp = full.entry.find((entry) => entry.fullUrl === only(full, 'Patient').generalPractitioner?.[0].reference);
			expect(gp?.resource).toMatchObject({ resourceType: 'PractitionerRole', code: [{ text: 'Médecin traitant' }] });
			expect(only(minimal, 'Patient').generalPractitioner).toBeUndefined();
			expect(resources(minimal, 'Practitioner')).toHaveLength(2);
		});

		it('codes the tumour: ICD-10 site, ICD-O-3 morphology, cTNM and performance status', () => {
			expect(only(full, 'Condition')).toMatchObject({
				code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'C18.7' }], text: 'Côlon sigmoïde' },
				extension: [{ valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/icd-o-3', code: '8140/3' }] } }]
			});
			const observations = (bundle: FhirBundle) =>
				resources(bundle, 'Observation').map((observation) => [observation.code.coding?.[0].code, observation.valueCodeableConcept?.text ?? observation.valueInteger]);
			expect(observations(full)).toEqual([
				['21905-5', 'cT3'],
				['21906-3', 'cN1a'],
				['21907-1', 'cM0'],
				['89247-1', 1]
			]);
			expect(resources(full, 'Observation').at(-1)?.interpretation?.[0].coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: 'LA9623-5' });
			expect(observations(minimal)).toEqual([['89247-1', 0]]);
			expect(only(minimal, 'Condition').extension).toBeUndefined();
		});

		it('makes the proposal a CarePlan with one coded activity per treatment type', () => {
			const activities = (bundle: FhirBundle) => only(bundle, 'CarePlan').activity?.map((activity) => activity.detail.code.coding?.[0]);
			expect(only(full, 'CarePlan')).toMatchObject({ status: 'active', intent: 'proposal', description: fullFiche().decision.proposal });
			expect(activities(full)).toEqual([
				{ system: 'http://snomed.info/sct', code: '387713003', display: 'intervention chirurgicale' },
				{ system: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl', code: 'C15632', display: 'chimiothérapie' }
			]);
			expect(activities(minimal)).toEqual([{ system: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl', code: 'C15313', display: 'radiothérapie' }]);
			const notes = (bundle: FhirBundle) => only(bundle, 'CarePlan').note?.map((note) => note.text);
			expect(notes(full)).toEqual([
				'Proposition conforme au référentiel : Thésaurus national de cancérologie digestive, version 2024.',
				'Essai clinique proposé : PRODIGE 99 (NCT01234567).',
				'Examens complémentaires : Coloscopie complète avant l’intervention.',
				'Dossier complet.',
				'Quorum atteint.'
			]);
			expect(notes(minimal)).toContain('Quorum non atteint : la RCP a décidé en connaissance de cause. Manquant : Oncologie radiothérapie.');
			expect(notes(minimal)).toContain('Dossier enregistré sans discussion, la proposition suivant le référentiel.');
		});

		it('adds the proposed trial as a ResearchStudy the CarePlan refers to, only when there is one', () => {
			const study = full.entry.find((entry) => entry.resource.resourceType === 'ResearchStudy');
			expect(study?.resource).toMatchObject({ title: 'PRODIGE 99 (NCT01234567)', identifier: [{ system: 'http://clinicaltrials.gov', value: 'NCT01234567' }] });
			expect(only(full, 'CarePlan').supportingInfo).toEqual([{ reference: study?.fullUrl }]);
			expect(resources(minimal, 'ResearchStudy')).toEqual([]);
			expect(only(minimal, 'CarePlan').supportingInfo).toBeUndefined();
		});

		it('carries the cited référentiel situation in the notes, and the directory trial with its registries’ identifiers', () => {
			const cited = ficheBundle(citedFiche());
			expect(schemaErrors(cited)).toEqual([]);
			const notes = only(cited, 'CarePlan').note?.map((note) => note.text);
			expect(notes).toContain(
				'Proposition conforme au référentiel : Cancer du côlon (référentiel régional fictif), version 2026 — situation COLON-III-R0 : Côlon, stade III, après résection R0.'
			);
			expect(notes).toContain(
				'Essai clinique proposé : CIRCULATE-DÉMO — Chimiothérapie adjuvante guidée par l’ADN tumoral circulant (EU CT 2024-512345-12-00, NCT04120701, n° local DEMO-2024-07).'
			);
			const study = only(cited, 'ResearchStudy');
			expect(study).toMatchObject({
				title: `${CITED_TRIAL.acronym} — ${CITED_TRIAL.title}`,
				status: 'active',
				phase: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/research-study-phase', code: 'phase-3' }] },
				description: 'Promoteur : Promoteur fictif'
			});
			expect(study.identifier).toEqual([
				{ use: 'official', system: 'https://euclinicaltrials.eu', value: '2024-512345-12-00' },
				{ use: 'secondary', system: 'http://clinicaltrials.gov', value: 'NCT04120701' },
				{ use: 'secondary', type: { text: 'Numéro local (Réseau régional de cancérologie Démo (fictif))' }, value: 'DEMO-2024-07' }
			]);
			expect(only(cited, 'CarePlan').supportingInfo).toEqual([{ reference: cited.entry.find((entry) => entry.resource === study)?.fullUrl }]);

			// Hors référentiel: the situation departed from and the justification; a trial without registry numbers nor known phase.
			const sample = citedFiche();
			const departed = ficheBundle({
				...sample,
				decision: { ...sample.decision, guidelineFollowed: 'no', guidelineJustification: 'Patiente fragile.', trialCitation: { ...CITED_TRIAL, euCtNumber: null, nctId: null, localNumber: null, phase: 'pilote' } }
			});
			expect(schemaErrors(departed)).toEqual([]);
			expect(only(departed, 'CarePlan').note?.map((note) => note.text)).toContain(
				'Proposition non conforme au référentiel (situation dont elle s’écarte : Cancer du côlon (référentiel régional fictif), version 2026 — situation COLON-III-R0 : Côlon, stade III, après résection R0). Justification : Patiente fragile.'
			);
			expect(only(departed, 'ResearchStudy')).toMatchObject({ phase: { text: 'pilote' } });
			expect(only(departed, 'ResearchStudy').identifier).toBeUndefined();
		});

		it('says which version an amendment replaces, and the quorum and discussion status of the case', () => {
			const { supersedes } = fullFiche();
			expect(only(full, 'Composition').relatesTo).toEqual([{ code: 'replaces', targetIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${supersedes?.id}` } }]);
			expect(only(minimal, 'Composition').relatesTo).toBeUndefined();
			const eventCodes = (bundle: FhirBundle) => only(bundle, 'Composition').event?.[0].code?.map((code) => code.coding?.[0].display);
			expect(eventCodes(full)).toEqual(['Cas discuté', 'Quorum atteint']);
			expect(eventCodes(minimal)).toEqual(['Cas enregistré', 'Quorum non atteint']);
		});

		it('has the sections of the fiche, each with a narrative', () => {
			const sections = (bundle: FhirBundle) => only(bundle, 'Composition').section;
			expect(sections(full).map((section) => section.title)).toEqual([
				'Motif de la RCP',
				'Résumé du dossier',
				'Tumeur',
				'Indice de performance OMS',
				'Proposition thérapeutique',
				'Participants',
				'Relecture de la proposition',
				'Validation'
			]);
			expect(sections(minimal).map((section) => section.title)).not.toContain('Résumé du dossier');
			for (const section of sections(full)) expect(section.text.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.+<\/div>$/);
			const readBack = sections(full).find((section) => section.title === 'Relecture de la proposition');
			expect(readBack?.text.div).toContain('<td>En désaccord</td><td>Je proposerais une radiothérapie préopératoire.</td>');
		});

		it('escapes what the doctors typed in the narrative, and keeps it as typed in the resources', () => {
			const sample = fullFiche();
			const proposal = 'Si CEA > 5 & <b>doute</b> :\nTEP-TDM.';
			const bundle = ficheBundle({ ...sample, decision: { ...sample.decision, proposal } });
			const section = only(bundle, 'Composition').section.find((candidate) => candidate.title === 'Proposition thérapeutique');
			expect(section?.text.div).toContain('<p>Si CEA &gt; 5 &amp; &lt;b&gt;doute&lt;/b&gt; :<br/>TEP-TDM.</p>');
			expect(only(bundle, 'CarePlan').description).toBe(proposal);
			expect(schemaErrors(bundle)).toEqual([]);
		});

		it('derives entry ids from the fiche id: another version gets other ids', () => {
			expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
			const other = ficheBundle({ ...fullFiche(), id: '7a0d5b7e-2222-4c1a-8f3e-5d9e1b2c0003' });
			expect(other.entry[0].fullUrl).not.toBe(full.entry[0].fullUrl);
		});
	});
});
