/**
 * The professionals a fiche names — the validating coordinator, the requesting physician,
 * the meeting's participants and the patient's GP — as one Practitioner and one
 * PractitionerRole each. Someone named twice (the coordinator is also a participant) is
 * one professional with several roles: the same RPPS, else the same Concerto user.
 */
import type { CaseFicheDraft } from '../../domain/case-fiche.ts';
import type { FichePerson, FicheSnapshot } from '../../domain/fiche.ts';
import { rppsIdentifier } from './fhir-terms.ts';
import type { BundleEntry, ContactPoint, HumanName, Practitioner, PractitionerRole, Reference } from './fhir-types.ts';

/** What someone is to the fiche: a participant's role in the meeting, or requester, GP. */
type FicheRole = string;

const ROLE_LABELS: Record<FicheRole, string> = {
	coordinator: 'Médecin coordonnateur',
	secretary: 'Secrétaire de RCP',
	member: 'Membre de la RCP',
	admin: 'Administrateur',
	guest: 'Invité',
	requester: 'Médecin demandeur',
	gp: 'Médecin traitant'
};

/** The French label of a role on the fiche (a role Concerto adds later shows as its code). */
export const roleLabel = (role: FicheRole): string => ROLE_LABELS[role] ?? role;

interface Professional {
	key: string;
	name: HumanName;
	rpps: string | null;
	specialtyLabel: string | null;
	telecom: ContactPoint[];
	roles: FicheRole[];
}

/** The PractitionerRoles the rest of the Bundle refers to. */
export interface FicheProfessionals {
	/** Practitioner then PractitionerRole, for each professional in order of first mention. */
	entries: BundleEntry[];
	coordinator: Reference;
	requester: Reference | undefined;
	/** In the order of `snapshot.participants`. */
	participants: Reference[];
	/** The GP's role (what Patient.generalPractitioner refers to). */
	gp: Reference | undefined;
}

const personName = (person: FichePerson): HumanName => ({ family: person.familyName, given: [person.givenName] });

function gpOf(fiche: CaseFicheDraft): Omit<Professional, 'roles'> | undefined {
	if (!fiche.gpName && !fiche.gpRpps) return undefined;
	const telecom: ContactPoint[] = [];
	if (fiche.gpPhone) telecom.push({ system: 'phone', value: fiche.gpPhone, use: 'work' });
	if (fiche.gpEmail) telecom.push({ system: 'email', value: fiche.gpEmail, use: 'work' });
	return {
		key: fiche.gpRpps ? `rpps:${fiche.gpRpps}` : 'gp',
		name: { text: fiche.gpName },
		rpps: fiche.gpRpps ?? null,
		specialtyLabel: null,
		telecom
	};
}

/**
 * The professionals of a fiche. `urlOf` gives the fullUrl of an entry from its name in
 * the Bundle; `board` is the Organization their roles in the meeting belong to.
 */
export function ficheProfessionals(snapshot: FicheSnapshot, urlOf: (name: string) => string, board: Reference): FicheProfessionals {
	const byKey = new Map<string, Professional>();
	const add = (professional: Omit<Professional, 'roles'>, role: FicheRole): Reference => {
		const known = byKey.get(professional.key);
		if (!known) byKey.set(professional.key, { ...professional, roles: [role] });
		else {
			if (!known.roles.includes(role)) known.roles.push(role);
			known.telecom.push(...professional.telecom);
		}
		return { reference: urlOf(`practitioner-role/${professional.key}`) };
	};
	const addPerson = (person: FichePerson, role: FicheRole, fallbackKey: string): Reference =>
		add(
			{
				key: person.rpps ? `rpps:${person.rpps}` : person.id ? `user:${person.id}` : fallbackKey,
				name: personName(person),
				rpps: person.rpps,
				specialtyLabel: person.specialtyLabel,
				telecom: []
			},
			role
		);

	const coordinator = addPerson(snapshot.validation.by, 'coordinator', 'coordinator');
	const requester = snapshot.requester ? addPerson(snapshot.requester, 'requester', 'requester') : undefined;
	const participants = snapshot.participants.map((participant, index) => addPerson(participant, participant.role, `participant:${index}`));
	const gpProfessional = gpOf(snapshot.fiche);
	const gp = gpProfessional ? add(gpProfessional, 'gp') : undefined;

	const entries = [...byKey.values()].flatMap((professional) => professionalEntries(professional, urlOf, board));
	return {
		entries,
		coordinator,
		requester,
		participants,
		gp
	};
}

function professionalEntries(professional: Professional, urlOf: (name: string) => string, board: Reference): BundleEntry[] {
	const practitioner: BundleEntry<Practitioner> = {
		fullUrl: urlOf(`practitioner/${professional.key}`),
		resource: {
			resourceType: 'Practitioner',
			identifier: professional.rpps ? [rppsIdentifier(professional.rpps)] : undefined,
			name: [professional.name],
			telecom: professional.telecom
		}
	};
	// The GP is named as the patient's doctor, not as a member of the board.
	const inBoard = professional.roles.some((role) => role !== 'gp');
	const role: BundleEntry<PractitionerRole> = {
		fullUrl: urlOf(`practitioner-role/${professional.key}`),
		resource: {
			resourceType: 'PractitionerRole',
			practitioner: { reference: practitioner.fullUrl },
			organization: inBoard ? board : undefined,
			code: professional.roles.map((code) => ({ text: roleLabel(code) })),
			specialty: professional.specialtyLabel ? [{ text: professional.specialtyLabel }] : undefined
		}
	};
	return [practitioner, role];
}
