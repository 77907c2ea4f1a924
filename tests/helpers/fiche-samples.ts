/**
 * Validated fiches for the renderers' tests (PDF, CDA, FHIR): a full one (every field,
 * a trial, a read-back disagreement, an amendment), a minimal one (required fields
 * only, recorded without discussion, quorum not met and acknowledged), and the full one
 * citing a situation of the network's library and a trial of its directory. All fictitious.
 */
import type { FicheSnapshot } from '../../src/lib/domain/fiche.ts';
import { emptyDecision } from '../../src/lib/domain/decision.ts';

const coordinator = {
	id: '3f1c6d0e-1111-4a8e-9d7b-0c5e2f0a0001',
	givenName: 'Paul',
	familyName: 'Durand',
	rpps: '10001234565',
	specialty: 'digestive-surgery',
	specialtyLabel: 'Chirurgie digestive'
};
const requester = {
	id: '3f1c6d0e-1111-4a8e-9d7b-0c5e2f0a0002',
	givenName: 'Claire',
	familyName: 'Dubois',
	rpps: '10002345675',
	specialty: 'gastroenterology',
	specialtyLabel: 'Gastro-entérologie'
};

export function fullFiche(): FicheSnapshot {
	return {
		id: '7a0d5b7e-2222-4c1a-8f3e-5d9e1b2c0002',
		setId: '7a0d5b7e-2222-4c1a-8f3e-5d9e1b2c0001',
		version: 2,
		supersedes: {
			id: '7a0d5b7e-2222-4c1a-8f3e-5d9e1b2c0001',
			version: 1,
			validatedAt: '2026-12-15T16:10:00.000Z',
			reason: 'Version du référentiel corrigée'
		},
		network: { name: 'Réseau régional de cancérologie Démo (fictif)', region: 'Région Démo' },
		board: {
			id: '5b2e9c1d-3333-4d2f-a1b0-7c8d9e0f0001',
			name: 'RCP digestive — CHU de Démo-sur-Loire (fictif)',
			site: 'CHU de Démo-sur-Loire (fictif)',
			type: 'standard',
			typeLabel: 'Standard',
			apparatus: { code: '86762007', label: 'système digestif' },
			organ: null
		},
		meeting: { id: '9c3f0a2b-4444-4e3a-b2c1-8d9e0f1a0001', startsAt: '2026-12-15T13:00:00.000Z', durationMinutes: 120 },
		caseId: 'e4d5c6b7-5555-4f4b-83d2-9e0f1a2b0001',
		fiche: {
			familyName: 'Démo-Martin',
			givenNames: 'Jeanne Marie',
			birthDate: '1957-03-21',
			sex: 'F',
			ins: '257037512345605',
			hospitalPatientId: 'IPP-000123',
			gpName: 'Dr Louis Petitjean',
			gpRpps: '10003456786',
			gpPhone: '05 49 00 00 00',
			gpEmail: 'l.petitjean@medecin.test',
			requestingPhysicianId: requester.id,
			presentationType: 'first-presentation',
			discussionMode: 'discussion',
			question: 'Chirurgie d’emblée ou chimiothérapie néoadjuvante ?',
			tumourSiteCode: 'C18.7',
			tumourSiteLabel: 'Côlon sigmoïde',
			histology: 'Adénocarcinome lieberkühnien moyennement différencié',
			histologyCode: '8140/3',
			clinicalT: 'T3',
			clinicalN: 'N1a',
			clinicalM: 'M0',
			performanceStatus: 1,
			discoveryCircumstances: 'Rectorragies, anémie ferriprive.',
			history: 'Hypertension artérielle.',
			comorbidities: 'Diabète de type 2 équilibré.',
			previousTreatments: 'Aucun.',
			imagingResults: 'Scanner TAP : épaississement sigmoïdien de 4 cm, pas de métastase.',
			pathologyResults: 'Biopsies : adénocarcinome lieberkühnien.',
			molecularResults: 'pMMR, RAS sauvage.'
		},
		requester,
		decision: {
			...emptyDecision(),
			treatmentTypes: ['387713003', 'C15632'],
			proposal: 'Colectomie gauche par cœlioscopie, puis chimiothérapie adjuvante selon l’histologie définitive.',
			guidelineFollowed: 'yes',
			guidelineName: 'Thésaurus national de cancérologie digestive',
			guidelineVersion: '2024',
			trialProposed: true,
			trialName: 'PRODIGE 99 (NCT01234567)',
			fileComplete: true,
			furtherTests: 'Coloscopie complète avant l’intervention.'
		},
		decisionVersion: 7,
		discussed: true,
		quorum: { met: true, status: 'met', missing: [], present: ['digestive-surgery', 'medical-oncology', 'radiation-oncology', 'radiology'], at: '2026-12-15T13:20:00.000Z' },
		representation: null,
		participants: [
			{ ...coordinator, role: 'coordinator', quorumMember: true, from: '2026-12-15T12:58:00.000Z', to: '2026-12-15T15:02:00.000Z' },
			{ ...requester, role: 'member', quorumMember: false, from: '2026-12-15T13:01:00.000Z', to: '2026-12-15T13:40:00.000Z' },
			{
				id: '3f1c6d0e-1111-4a8e-9d7b-0c5e2f0a0003',
				givenName: 'Julie',
				familyName: 'Bernard',
				rpps: '10004567896',
				specialty: 'medical-oncology',
				specialtyLabel: 'Oncologie médicale',
				role: 'member',
				quorumMember: true,
				from: '2026-12-15T13:00:00.000Z',
				to: null
			},
			{
				id: '3f1c6d0e-1111-4a8e-9d7b-0c5e2f0a0004',
				givenName: 'Marc',
				familyName: 'Petit',
				rpps: '10005678908',
				specialty: 'radiation-oncology',
				specialtyLabel: 'Oncologie radiothérapie',
				role: 'member',
				quorumMember: true,
				from: '2026-12-15T13:05:00.000Z',
				to: '2026-12-15T14:30:00.000Z'
			},
			{ id: null, givenName: 'Louis', familyName: 'Petitjean', rpps: null, specialty: null, specialtyLabel: null, role: 'guest', quorumMember: false, from: '2026-12-15T13:10:00.000Z', to: '2026-12-15T13:30:00.000Z' }
		],
		readBack: [
			{ name: 'Julie Bernard', specialtyLabel: 'Oncologie médicale', answer: 'confirm', comment: '', at: '2026-12-15T13:21:00.000Z' },
			{ name: 'Marc Petit', specialtyLabel: 'Oncologie radiothérapie', answer: 'disagree', comment: 'Je proposerais une radiothérapie préopératoire.', at: '2026-12-15T13:21:30.000Z' }
		],
		validation: { by: coordinator, at: '2026-12-16T09:00:00.000Z' },
		developmentSignature: true
	};
}

export function minimalFiche(): FicheSnapshot {
	return {
		id: '7a0d5b7e-2222-4c1a-8f3e-5d9e1b2c0101',
		setId: '7a0d5b7e-2222-4c1a-8f3e-5d9e1b2c0101',
		version: 1,
		supersedes: null,
		network: { name: 'Réseau régional de cancérologie', region: '' },
		board: {
			id: '5b2e9c1d-3333-4d2f-a1b0-7c8d9e0f0002',
			name: 'RCP thoracique',
			site: 'CH de Test',
			type: 'standard',
			typeLabel: 'Standard',
			apparatus: { code: '86762007', label: 'système digestif' },
			organ: null
		},
		meeting: { id: '9c3f0a2b-4444-4e3a-b2c1-8d9e0f1a0002', startsAt: '2026-12-17T12:00:00.000Z', durationMinutes: 60 },
		caseId: 'e4d5c6b7-5555-4f4b-83d2-9e0f1a2b0002',
		fiche: {
			familyName: 'Test',
			givenNames: 'Jean',
			birthDate: '1960-01-01',
			sex: 'M',
			ins: '160019912345604',
			requestingPhysicianId: requester.id,
			presentationType: 'first-presentation',
			discussionMode: 'registration-only',
			question: 'Validation de la proposition standard.',
			tumourSiteCode: 'C34.1',
			tumourSiteLabel: 'Lobe supérieur, bronche ou poumon',
			performanceStatus: 0
		},
		requester,
		decision: {
			...emptyDecision(),
			treatmentTypes: ['C15313'],
			proposal: 'Radiothérapie stéréotaxique.',
			guidelineFollowed: 'yes',
			guidelineName: 'Référentiel régional thoracique',
			trialProposed: false,
			fileComplete: true,
			recordedWithoutDiscussion: true,
			quorumNotMetAcknowledged: true
		},
		decisionVersion: 2,
		discussed: false,
		quorum: { met: false, status: 'partial', missing: ['Oncologie radiothérapie'], present: ['pneumology'], at: '2026-12-17T12:30:00.000Z' },
		representation: null,
		participants: [{ ...coordinator, role: 'coordinator', quorumMember: true, from: '2026-12-17T12:00:00.000Z', to: '2026-12-17T13:00:00.000Z' }],
		readBack: [],
		validation: { by: coordinator, at: '2026-12-17T13:05:00.000Z' },
		developmentSignature: false
	};
}

/** The situation of the network's library that `citedFiche` follows. */
export const CITED_SITUATION = {
	situationId: '6d1e2f3a-6666-4b5c-9d8e-0f1a2b3c0001',
	versionId: '6d1e2f3a-6666-4b5c-9d8e-0f1a2b3c0002',
	referentielId: '6d1e2f3a-6666-4b5c-9d8e-0f1a2b3c0003',
	title: 'Cancer du côlon (référentiel régional fictif)',
	versionLabel: '2026',
	situationCode: 'COLON-III-R0',
	situationHeading: 'Côlon, stade III, après résection R0',
	publishedAt: '2026-02-01T09:00:00.000Z'
};

/** The trial of the network's directory that `citedFiche` proposes. */
export const CITED_TRIAL = {
	trialId: '6d1e2f3a-6666-4b5c-9d8e-0f1a2b3c0004',
	title: 'Chimiothérapie adjuvante guidée par l’ADN tumoral circulant',
	acronym: 'CIRCULATE-DÉMO',
	euCtNumber: '2024-512345-12-00',
	nctId: 'NCT04120701',
	localNumber: 'DEMO-2024-07',
	sponsor: 'Promoteur fictif',
	phase: 'III'
};

/** The full fiche citing a library situation and a directory trial (the server set the names from them). */
export function citedFiche(): FicheSnapshot {
	const fiche = fullFiche();
	return {
		...fiche,
		decision: {
			...fiche.decision,
			guidelineCitation: CITED_SITUATION,
			guidelineName: CITED_SITUATION.title,
			guidelineVersion: CITED_SITUATION.versionLabel,
			trialCitation: CITED_TRIAL,
			trialName: `${CITED_TRIAL.acronym} — ${CITED_TRIAL.title}`
		}
	};
}
