/**
 * A validated fiche RCP as a FHIR R4 document Bundle, in the spirit of mCODE: the
 * Composition first, then the patient, the request to the board (ServiceRequest), the
 * meeting (Encounter), the network, site and board (Organizations), the professionals, the tumour (Condition, cTNM and performance
 * status Observations), the proposal (CarePlan) and the trial proposed (ResearchStudy).
 *
 * Rendered from the snapshot alone, like the PDF and the CDA, and deterministic: entries
 * are named by UUIDs derived from the fiche's id, so exporting twice gives the same Bundle.
 */
import { PRESENTATION_TYPE_LABELS, type PatientTraits } from '../../domain/case-fiche.ts';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { tumourEntries } from './fhir-clinical.ts';
import { ficheComposition, meetingPeriod } from './fhir-composition.ts';
import { ficheProfessionals, roleLabel } from './fhir-professionals.ts';
import { proposalEntries } from './fhir-proposal.ts';
import { conceptIn, INS_SYSTEM, uuidIdentifier, uuidV5 } from './fhir-terms.ts';
import {
	referenceTo,
	withoutEmptyValues,
	type BundleEntry,
	type Composition,
	type Encounter,
	type FhirBundle,
	type Organization,
	type Patient,
	type Reference,
	type ServiceRequest
} from './fhir-types.ts';

export type { FhirBundle } from './fhir-types.ts';

const GENDERS = { M: 'male', F: 'female', I: 'other' } as const;

/** The fiche as a FHIR R4 document Bundle (plain JSON). */
export function ficheBundle(snapshot: FicheSnapshot): FhirBundle {
	const urlOf = (name: string) => `urn:uuid:${uuidV5(snapshot.id, name)}`;

	const organizations = ficheOrganizations(snapshot, urlOf);
	const board = referenceTo(organizations.board);
	const professionals = ficheProfessionals(snapshot, urlOf, board);
	const patient: BundleEntry<Patient> = { fullUrl: urlOf('patient'), resource: patientOf(snapshot.fiche, professionals.gp) };
	const subject = referenceTo(patient);
	const tumour = tumourEntries(snapshot, urlOf, subject);
	const condition = referenceTo(tumour.condition);
	const request: BundleEntry<ServiceRequest> = {
		fullUrl: urlOf('service-request'),
		resource: boardRequest(snapshot, { subject, condition, board, requester: professionals.requester })
	};
	const encounter: BundleEntry<Encounter> = {
		fullUrl: urlOf('encounter'),
		resource: meetingEncounter(snapshot, { subject, request: referenceTo(request), condition, board, participants: professionals.participants })
	};
	const participants = uniqueReferences(professionals.participants);
	const proposal = proposalEntries(snapshot, urlOf, {
		patient: subject,
		encounter: referenceTo(encounter),
		condition,
		coordinator: professionals.coordinator,
		participants
	});
	const composition: BundleEntry<Composition> = {
		fullUrl: urlOf('composition'),
		resource: ficheComposition(snapshot, {
			patient: subject,
			request: referenceTo(request),
			encounter: referenceTo(encounter),
			network: referenceTo(organizations.network),
			coordinator: professionals.coordinator,
			condition,
			stage: tumour.stage.map(referenceTo),
			performanceStatus: tumour.performanceStatus && referenceTo(tumour.performanceStatus),
			carePlan: referenceTo(proposal.carePlan),
			study: proposal.study && referenceTo(proposal.study),
			participants
		})
	};

	const entries: (BundleEntry | undefined)[] = [
		composition,
		patient,
		request,
		encounter,
		organizations.network,
		organizations.site,
		organizations.board,
		...professionals.entries,
		tumour.condition,
		...tumour.stage,
		tumour.performanceStatus,
		proposal.carePlan,
		proposal.study
	];
	return withoutEmptyValues({
		resourceType: 'Bundle',
		// This version's identifier; the Composition's is the one all versions share.
		identifier: uuidIdentifier(snapshot.id),
		type: 'document',
		timestamp: snapshot.validation.at,
		entry: entries.filter((item) => item !== undefined)
	});
}

/** The network (the document's custodian), the site where the board meets, and the board. */
function ficheOrganizations({ network, board }: FicheSnapshot, urlOf: (name: string) => string): Record<'network' | 'site' | 'board', BundleEntry<Organization>> {
	const organization = (name: string, type: { code: string; text: string }, fields: Omit<Organization, 'resourceType' | 'type'>): BundleEntry<Organization> => ({
		fullUrl: urlOf(`organization/${name}`),
		resource: {
			resourceType: 'Organization',
			type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: type.code }], text: type.text }],
			...fields
		}
	});
	const site = organization('site', { code: 'prov', text: 'Établissement de santé' }, { name: board.site });
	return {
		network: organization(
			'network',
			{ code: 'other', text: 'Réseau régional de cancérologie' },
			{ name: network.name, address: [{ state: network.region, country: 'FR' }] }
		),
		site,
		board: organization(
			'board',
			{ code: 'team', text: `RCP — ${board.typeLabel}` },
			{ identifier: [uuidIdentifier(board.id)], name: board.name, partOf: referenceTo(site) }
		)
	};
}

/** The patient by INS and IPP, with the INS traits; the GP's role when known. */
export function patientOf(fiche: PatientTraits, gp: Reference | undefined): Patient {
	return {
		resourceType: 'Patient',
		identifier: [
			...(fiche.ins ? [{ use: 'official' as const, system: INS_SYSTEM, value: fiche.ins }] : []),
			...(fiche.hospitalPatientId
				? [{ use: 'usual' as const, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PI' }] }, value: fiche.hospitalPatientId }]
				: [])
		],
		// The INS traits: birth name and birth given names.
		name: [{ use: 'official', family: fiche.familyName, given: fiche.givenNames?.split(/\s+/) }],
		gender: fiche.sex && GENDERS[fiche.sex],
		birthDate: fiche.birthDate,
		generalPractitioner: gp ? [gp] : undefined
	};
}

/** The requesting physician's request for the board's opinion, with the question asked. */
function boardRequest(
	{ fiche }: FicheSnapshot,
	refs: { subject: Reference; condition: Reference; board: Reference; requester: Reference | undefined }
): ServiceRequest {
	return {
		resourceType: 'ServiceRequest',
		status: 'completed',
		intent: 'order',
		code: { text: 'Avis de réunion de concertation pluridisciplinaire' },
		subject: refs.subject,
		requester: refs.requester,
		performer: [refs.board],
		reasonCode: fiche.presentationType && [{ text: PRESENTATION_TYPE_LABELS[fiche.presentationType] }],
		reasonReference: [refs.condition],
		note: fiche.question ? [{ text: `Question posée à la RCP : ${fiche.question}` }] : undefined
	};
}

/** The case's discussion at the meeting: when, by whom (with presence and quorum), on which board. */
function meetingEncounter(
	snapshot: FicheSnapshot,
	refs: { subject: Reference; request: Reference; condition: Reference; board: Reference; participants: Reference[] }
): Encounter {
	return {
		resourceType: 'Encounter',
		identifier: [uuidIdentifier(snapshot.caseId)],
		status: 'finished',
		// The board meets by video: the patient's case is discussed without the patient.
		class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
		type: [{ text: `RCP — ${snapshot.board.typeLabel}` }],
		serviceType: conceptIn('JDV_RCP_Appareil', snapshot.board.apparatus.code),
		subject: refs.subject,
		basedOn: [refs.request],
		participant: snapshot.participants.map((participant, index) => ({
			type: [{ text: roleLabel(participant.role) }, ...(participant.quorumMember ? [{ text: 'Compté dans le quorum' }] : [])],
			period: { start: participant.from, end: participant.to ?? undefined },
			individual: refs.participants[index]
		})),
		period: meetingPeriod(snapshot),
		reasonReference: [refs.condition],
		serviceProvider: refs.board
	};
}

/** References without repeats (someone attending twice is one contributor). */
function uniqueReferences(references: Reference[]): Reference[] {
	return [...new Map(references.map((reference) => [reference.reference, reference])).values()];
}
