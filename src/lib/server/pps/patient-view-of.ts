/**
 * The patient's copy of a PPS in plain French, from the issued snapshot: the patient
 * addressed by name, the calendar in words, the care team with what each one is to them,
 * the supportive care and social support offered, and whom to call.
 */
import { CARE_TEAM_ROLE_LABELS, phaseEnd, ppsLabel, type CareTeamMember, type PpsSnapshot } from '../../domain/pps.ts';
import { parisDate } from '../../domain/schedule.ts';
import type { PatientPpsCall, PatientPpsOffer, PatientPpsView } from './patient-view.ts';

/** "Mme Jeanne DÉMO-MARTIN": the civility from the sex trait, the first given name, the family name. */
export function patientAddress(patient: PpsSnapshot['patient']): string {
	const civility = patient.sex === 'F' ? 'Mme' : patient.sex === 'M' ? 'M.' : null;
	const firstName = patient.givenNames?.trim().split(/\s+/)[0];
	return [civility, firstName, patient.familyName?.toLocaleUpperCase('fr-FR')].filter(Boolean).join(' ');
}

type OfferSet = 'JDV_SoinsOncoDeSupport' | 'JDV_TypeAccompagnementSocioPro' | 'JDV_GestionEffetsSecondaires' | 'JDV_MesuresAssociees';

/** The codes in words; the group's note goes with its only item, or on a line of its own. */
function offers(set: OfferSet, offer: { codes: readonly string[]; note: string }): PatientPpsOffer[] {
	const note = offer.note.trim();
	const items: PatientPpsOffer[] = offer.codes.map((code) => ({ label: ppsLabel(set, code) }));
	if (!note) return items;
	if (items.length === 1) return [{ ...items[0], note }];
	return [...items, { label: 'À savoir', note }];
}

const reach = (member: CareTeamMember) => [member.phone, member.email].filter(Boolean).join(' ou ');

/**
 * Whom to call, from the care team: the nurse coordinator and the referring physician
 * about the treatment, the GP for everyday questions, and always the 15 in a life-threatening
 * emergency. A member with neither phone nor e-mail is in the team, not in this box.
 */
export function whomToCall(careTeam: readonly CareTeamMember[]): PatientPpsCall[] {
	const calls: PatientPpsCall[] = [];
	const reachable = (role: CareTeamMember['role']) => careTeam.filter((member) => member.role === role && reach(member));
	for (const nurse of reachable('nurse-coordinator')) {
		calls.push({ situation: 'Un effet gênant du traitement, une question sur vos rendez-vous', contact: `${nurse.name}, ${CARE_TEAM_ROLE_LABELS['nurse-coordinator'].toLocaleLowerCase('fr-FR')} : ${reach(nurse)}` });
	}
	for (const doctor of reachable('referring')) {
		calls.push({ situation: 'Une question sur votre maladie ou votre traitement', contact: `${doctor.name}, votre médecin référent : ${reach(doctor)}` });
	}
	for (const gp of reachable('gp')) {
		calls.push({ situation: 'Les questions de tous les jours', contact: `${gp.name}, votre médecin traitant : ${reach(gp)}` });
	}
	calls.push({ situation: 'En cas d’urgence vitale', contact: 'le 15 (SAMU), jour et nuit' });
	return calls;
}

/** The patient's PPS, as printed. */
export function patientViewOf(snapshot: PpsSnapshot): PatientPpsView {
	const { content } = snapshot;
	return {
		patientName: patientAddress(snapshot.patient),
		diagnosis: content.diagnosis,
		phases: content.phases.map((phase) => {
			const label = ppsLabel('JDV_TypeTraitementPPS', phase.type);
			const description = phase.description.trim();
			return { what: description ? `${label} : ${description}` : label, from: phase.start, to: phaseEnd(phase), where: phase.placeOfCare };
		}),
		careTeam: content.careTeam.map((member) => ({
			roleLabel: CARE_TEAM_ROLE_LABELS[member.role],
			name: member.name,
			...(member.phone ? { phone: member.phone } : {}),
			...(member.email ? { email: member.email } : {})
		})),
		supportiveCare: offers('JDV_SoinsOncoDeSupport', content.supportiveCare),
		socialSupport: offers('JDV_TypeAccompagnementSocioPro', content.socialSupport),
		sideEffects: offers('JDV_GestionEffetsSecondaires', content.sideEffects),
		associatedMeasures: offers('JDV_MesuresAssociees', content.associatedMeasures),
		whomToCall: whomToCall(content.careTeam),
		version: snapshot.version,
		date: parisDate(new Date(snapshot.createdAt)),
		issuer: snapshot.network.name
	};
}
