/**
 * The PPS as a FHIR R4 document Bundle: the Composition "Programme personnalisé de
 * soins" (LOINC 18776-5) first, then the patient, the network (custodian), the author and
 * the care team (Practitioner + PractitionerRole each, gathered in a CareTeam), and the
 * plan itself: a CarePlan (intent "plan") with one activity per phase of the calendar and
 * one per supportive care, social support, associated measure and side-effect action.
 *
 * Rendered from the snapshot alone and deterministic, like the fiche's Bundle: entries are
 * named by UUIDs derived from the PPS version's id.
 */
import { CARE_TEAM_ROLE_LABELS, frenchDay, phaseDatesLabel, phaseEnd, type CareTeamMember, type PpsSnapshot } from '../../domain/pps.ts';
import { parisDate } from '../../domain/schedule.ts';
import type { FichePerson } from '../../domain/fiche.ts';
import { patientOf } from '../fiches/fhir.ts';
import { fields, list, narrative, paragraph, table } from '../fiches/fhir-narrative.ts';
import { conceptIn, loinc, rppsIdentifier, uuidIdentifier, uuidV5 } from '../fiches/fhir-terms.ts';
import {
	referenceTo,
	withoutEmptyValues,
	type BundleEntry,
	type CarePlan,
	type CareTeam,
	type Composition,
	type ContactPoint,
	type FhirBundle,
	type HumanName,
	type Organization,
	type Practitioner,
	type PractitionerRole,
	type Reference
} from '../fiches/fhir-types.ts';
import { PPS_TITLE } from './cda-header.ts';

type UrlOf = (name: string) => string;

/** A professional of the PPS: its author or a member of the care team. */
interface Professional {
	key: string;
	name: HumanName;
	rpps: string | null;
	telecom: ContactPoint[];
	roles: string[];
}

const authorProfessional = (person: FichePerson): Omit<Professional, 'roles'> => ({
	key: person.rpps ? `rpps:${person.rpps}` : `user:${person.id ?? 'unknown'}`,
	name: { family: person.familyName, given: [person.givenName] },
	rpps: person.rpps,
	telecom: []
});

const memberProfessional = (member: CareTeamMember, index: number): Omit<Professional, 'roles'> => ({
	key: member.rpps ? `rpps:${member.rpps}` : `member:${index}`,
	// The PPS holds the name as typed ("Dr Claire Dubois").
	name: { text: member.name },
	rpps: member.rpps,
	telecom: [
		...(member.phone ? [{ system: 'phone' as const, value: member.phone, use: 'work' as const }] : []),
		...(member.email ? [{ system: 'email' as const, value: member.email, use: 'work' as const }] : [])
	]
});

/** Practitioner + PractitionerRole of each professional; someone named twice (the author is also the referring physician) once. */
function professionals(snapshot: PpsSnapshot, urlOf: UrlOf) {
	const byKey = new Map<string, Professional>();
	const add = (professional: Omit<Professional, 'roles'>, role: string): Reference => {
		const known = byKey.get(professional.key);
		if (!known) byKey.set(professional.key, { ...professional, roles: [role] });
		else {
			if (!known.roles.includes(role)) known.roles.push(role);
			known.telecom.push(...professional.telecom);
			if (professional.name.text && !known.name.family) known.name = professional.name;
		}
		return { reference: urlOf(`practitioner-role/${professional.key}`) };
	};
	const author = add(authorProfessional(snapshot.author), 'Auteur du PPS');
	const members = snapshot.content.careTeam.map((member, index) => add(memberProfessional(member, index), CARE_TEAM_ROLE_LABELS[member.role]));
	const handedOverBy = snapshot.handedOver ? add(authorProfessional(snapshot.handedOver.by), 'A remis le PPS au patient') : undefined;
	const entries = [...byKey.values()].flatMap((professional): BundleEntry[] => {
		const practitioner: BundleEntry<Practitioner> = {
			fullUrl: urlOf(`practitioner/${professional.key}`),
			resource: {
				resourceType: 'Practitioner',
				identifier: professional.rpps ? [rppsIdentifier(professional.rpps)] : undefined,
				name: [professional.name],
				telecom: professional.telecom
			}
		};
		const role: BundleEntry<PractitionerRole> = {
			fullUrl: urlOf(`practitioner-role/${professional.key}`),
			resource: { resourceType: 'PractitionerRole', practitioner: referenceTo(practitioner), code: professional.roles.map((text) => ({ text })) }
		};
		return [practitioner, role];
	});
	const gpIndex = snapshot.content.careTeam.findIndex((member) => member.role === 'gp');
	return { entries, author, members, handedOverBy, gp: gpIndex >= 0 ? members[gpIndex] : undefined };
}

/** The last day of a phase, left out when it is open. */
const phaseEndOf = (phase: Parameters<typeof phaseEnd>[0]): string | undefined => phaseEnd(phase) ?? undefined;

/** The plan: one activity per phase (scheduled), then the offers of care (not started). */
function carePlan(snapshot: PpsSnapshot, refs: { subject: Reference; author: Reference; careTeam: Reference }): CarePlan {
	const { content } = snapshot;
	const offers = [
		...content.supportiveCare.codes.map((code) => conceptIn('JDV_SoinsOncoDeSupport', code)),
		...content.socialSupport.codes.map((code) => conceptIn('JDV_TypeAccompagnementSocioPro', code)),
		...content.associatedMeasures.codes.map((code) => conceptIn('JDV_MesuresAssociees', code)),
		...content.sideEffects.codes.map((code) => conceptIn('JDV_GestionEffetsSecondaires', code))
	];
	const notes = [
		['Soins de support', content.supportiveCare.note],
		['Accompagnement social et socioprofessionnel', content.socialSupport.note],
		['Mesures associées', content.associatedMeasures.note],
		['Effets secondaires', content.sideEffects.note]
	].filter(([, note]) => note);
	return {
		resourceType: 'CarePlan',
		identifier: [uuidIdentifier(snapshot.id)],
		status: 'active',
		intent: 'plan',
		title: PPS_TITLE,
		description: content.diagnosis,
		subject: refs.subject,
		created: snapshot.createdAt,
		author: refs.author,
		careTeam: [refs.careTeam],
		activity: [
			...content.phases.map((phase) => ({
				detail: {
					code: conceptIn('JDV_TypeTraitementPPS', phase.type),
					status: 'scheduled' as const,
					// FHIR's period end is the last day, included, as the PPS's.
					scheduledPeriod: { start: phase.start, end: phaseEndOf(phase) },
					location: { display: phase.placeOfCare },
					description: phase.description
				}
			})),
			...offers.map((code) => ({ detail: { code, status: 'not-started' as const } }))
		],
		note: notes.map(([label, note]) => ({ text: `${label} : ${note}` }))
	};
}

/** The words of every coded offer of one list, with its note. */
const offerWords = (set: Parameters<typeof conceptIn>[0], offer: { codes: string[]; note: string }): string[] => [
	...offer.codes.map((code) => conceptIn(set, code).coding?.[0]?.display ?? code),
	...(offer.note ? [offer.note] : [])
];

function composition(snapshot: PpsSnapshot, refs: { subject: Reference; author: Reference; custodian: Reference; carePlan: Reference; careTeam: Reference; members: Reference[] }): Composition {
	const { content } = snapshot;
	const reason = content.updateReason && conceptIn('JDV_MotifMiseAJour', content.updateReason.code).coding?.[0]?.display;
	return {
		resourceType: 'Composition',
		// The identifier every version shares; the Bundle's is this version's.
		identifier: uuidIdentifier(snapshot.setId),
		status: 'final',
		type: loinc('18776-5', 'Plan of care note'),
		subject: refs.subject,
		date: snapshot.createdAt,
		author: [refs.author],
		title: PPS_TITLE,
		attester: [{ mode: 'legal', time: snapshot.createdAt, party: refs.author }],
		custodian: refs.custodian,
		relatesTo: snapshot.supersedes ? [{ code: 'replaces', targetIdentifier: uuidIdentifier(snapshot.supersedes.id) }] : undefined,
		section: [
			{ title: 'Diagnostic', code: loinc('72135-7'), text: narrative(paragraph(content.diagnosis)) },
			{
				title: 'Programme thérapeutique et de suivi',
				code: loinc('18776-5', 'Plan of care note'),
				text: narrative(
					table(
						['Traitement', 'Précisions', 'Dates prévues', 'Lieu'],
						content.phases.map((phase) => [conceptIn('JDV_TypeTraitementPPS', phase.type).coding?.[0]?.display ?? phase.type, phase.description, phaseDatesLabel(phase), phase.placeOfCare])
					),
					list([...offerWords('JDV_GestionEffetsSecondaires', content.sideEffects), ...offerWords('JDV_MesuresAssociees', content.associatedMeasures)])
				),
				entry: [refs.carePlan]
			},
			{
				title: 'Soins oncologiques de support, accompagnement social et socioprofessionnel',
				text: narrative(
					fields([['Soins de support', offerWords('JDV_SoinsOncoDeSupport', content.supportiveCare).join(' ; ') || 'Aucun']]),
					fields([['Accompagnement social et socioprofessionnel', offerWords('JDV_TypeAccompagnementSocioPro', content.socialSupport).join(' ; ') || 'Aucun']])
				),
				entry: [refs.carePlan]
			},
			{
				title: 'Équipe de soins',
				text: narrative(
					table(
						['Rôle', 'Nom', 'Téléphone', 'Courriel'],
						content.careTeam.map((member) => [CARE_TEAM_ROLE_LABELS[member.role], member.name, member.phone, member.email])
					)
				),
				entry: [refs.careTeam, ...refs.members]
			},
			{
				title: 'Statut du document',
				text: narrative(
					fields([
						['Version', String(snapshot.version)],
						['Motif de mise à jour', reason && [reason, content.updateReason?.note].filter(Boolean).join(' — ')],
						['Remis au patient', snapshot.handedOver ? `le ${frenchDay(parisDate(new Date(snapshot.handedOver.at)))}` : 'Pas encore remis']
					])
				)
			}
		]
	};
}

/** References without repeats or gaps (the author may also be a member and the one who handed the PPS over). */
const uniqueReferences = (references: (Reference | undefined)[]): Reference[] => [
	...new Map(references.filter((ref): ref is Reference => ref !== undefined).map((ref) => [ref.reference, ref])).values()
];

/** The PPS as a FHIR R4 document Bundle (plain JSON). */
export function ppsBundle(snapshot: PpsSnapshot): FhirBundle {
	const urlOf: UrlOf = (name) => `urn:uuid:${uuidV5(snapshot.id, name)}`;
	const team = professionals(snapshot, urlOf);
	const patient = { fullUrl: urlOf('patient'), resource: patientOf(snapshot.patient, team.gp) };
	const subject = referenceTo(patient);
	const network: BundleEntry<Organization> = {
		fullUrl: urlOf('organization/network'),
		resource: {
			resourceType: 'Organization',
			type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'other' }], text: 'Réseau régional de cancérologie' }],
			name: snapshot.network.name,
			address: [{ state: snapshot.network.region, country: 'FR' }]
		}
	};
	const careTeam: BundleEntry<CareTeam> = {
		fullUrl: urlOf('care-team'),
		resource: {
			resourceType: 'CareTeam',
			status: 'active',
			name: 'Équipe de soins',
			subject,
			participant: snapshot.content.careTeam.map((member, index) => ({ role: [{ text: CARE_TEAM_ROLE_LABELS[member.role] }], member: team.members[index] }))
		}
	};
	const plan: BundleEntry<CarePlan> = { fullUrl: urlOf('care-plan'), resource: carePlan(snapshot, { subject, author: team.author, careTeam: referenceTo(careTeam) }) };
	const document: BundleEntry<Composition> = {
		fullUrl: urlOf('composition'),
		resource: composition(snapshot, {
			subject,
			author: team.author,
			custodian: referenceTo(network),
			carePlan: referenceTo(plan),
			careTeam: referenceTo(careTeam),
			members: uniqueReferences([...team.members, team.handedOverBy])
		})
	};
	return withoutEmptyValues({
		resourceType: 'Bundle',
		identifier: uuidIdentifier(snapshot.id),
		type: 'document',
		timestamp: snapshot.createdAt,
		entry: [document, patient, network, ...team.entries, careTeam, plan]
	});
}
