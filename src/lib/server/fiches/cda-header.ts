/**
 * The CDA header of the Fiche RCP (CI-SIS volet FRCP 2022.01): the patient, the author
 * and the legal authenticator (the validating coordinator), the custodian, the
 * participants with their roles, the meeting as documented act and encounter, and the
 * version this fiche replaces.
 *
 * Participant roles follow the CI-SIS examples: RESP the coordinator, REFB the requesting
 * physician, INF + PCP the GP, PRF + 353 an attendee counted in the quorum, PRF + CORRE an
 * attendee outside the quorum (other physicians, guests, the secretary).
 */
import type { PatientTraits } from '../../domain/case-fiche.ts';
import type { FicheParticipant, FichePerson, FicheSnapshot } from '../../domain/fiche.ts';
import { SPECIALTIES } from '../../domain/specialties.ts';
import { findConcept } from '../../domain/value-sets.ts';
import { CODE_SYSTEM, OID, replacedDocument, calendarDate, coded, ii, interval, loinc, taAsip, time, unknown } from './cda-types.ts';
import { el, type XmlChild, type XmlElement } from './cda-xml.ts';

/** The document title: "FRCP <network> / <board>", as the CI-SIS examples name it. */
export const documentTitle = (snapshot: FicheSnapshot): string => `FRCP ${snapshot.network.name} / ${snapshot.board.name}`;

const upper = (name: string) => name.toLocaleUpperCase('fr-FR');

// ---------------------------------------------------------------------------------------
// Patient

/** The INS OID: a matricule starting with 7 or 8 is a NIA (identifiant d'attente), else a NIR. */
const insOid = (ins: string) => ('78'.includes(ins[0]) ? OID.insNia : OID.insNir);

const GENDERS = { M: ['M', 'Masculin'], F: ['F', 'Féminin'], I: ['UN', 'Indéterminé'] } as const;

function patientIds(fiche: PatientTraits): XmlElement[] {
	const ids = [fiche.ins && ii(insOid(fiche.ins), fiche.ins), fiche.hospitalPatientId && ii(OID.patientId, fiche.hospitalPatientId)];
	const known = ids.filter((id): id is XmlElement => Boolean(id));
	return known.length > 0 ? known : [unknown('id')];
}

/** Birth family name, all birth given names, then the first one (the INS traits). */
function patientName(fiche: PatientTraits): XmlElement {
	const firstGiven = fiche.givenNames?.split(/\s+/)[0];
	return el(
		'name',
		{},
		fiche.familyName && el('family', { qualifier: 'BR' }, upper(fiche.familyName)),
		fiche.givenNames && el('given', upper(fiche.givenNames)),
		firstGiven && el('given', { qualifier: 'BR' }, upper(firstGiven))
	);
}

/** The patient: INS and IPP, INS traits. */
export function recordTarget(fiche: PatientTraits): XmlElement {
	const gender = fiche.sex && GENDERS[fiche.sex];
	return el(
		'recordTarget',
		{},
		el(
			'patientRole',
			{},
			patientIds(fiche),
			el(
				'patient',
				{ classCode: 'PSN' },
				patientName(fiche),
				gender
					? el('administrativeGenderCode', { code: gender[0], displayName: gender[1], codeSystem: CODE_SYSTEM.gender })
					: unknown('administrativeGenderCode'),
				fiche.birthDate ? el('birthTime', { value: calendarDate(fiche.birthDate) }) : unknown('birthTime')
			)
		)
	);
}

// ---------------------------------------------------------------------------------------
// Health professionals

const PHYSICIAN_SPECIALTIES = new Set<string>(SPECIALTIES.filter((sp) => sp.physician).map((sp) => sp.code));

/** RPPS as the CI-SIS writes it ("8" + RPPS), else Concerto's user id, else unknown. */
function professionalId(person: FichePerson): XmlElement {
	if (person.rpps) return ii(OID.rpps, `8${person.rpps}`);
	return person.id ? ii(OID.user, person.id) : unknown('id');
}

/** The specialty in Concerto's local code system (no mapping to the RPPS nomenclature yet). */
const specialtyCode = (person: FichePerson): XmlElement | null =>
	person.specialty
		? el('code', { code: person.specialty, displayName: person.specialtyLabel, codeSystem: OID.specialty, codeSystemName: 'Concerto-Specialites' })
		: null;

const personName = (person: FichePerson): XmlElement =>
	el(
		'name',
		{},
		el('given', person.givenName),
		el('family', upper(person.familyName)),
		person.specialty && PHYSICIAN_SPECIALTIES.has(person.specialty) && el('suffix', 'DR')
	);

type ProfessionalRole = 'assignedAuthor' | 'assignedEntity' | 'associatedEntity';

/**
 * A professional in one of the three CDA roles. Author, authenticator and performer act
 * for the board, at its site; an attendee's own organisation is not recorded.
 */
export function professional(role: ProfessionalRole, person: FichePerson, site?: string): XmlElement {
	const associated = role === 'associatedEntity';
	return el(
		role,
		associated ? { classCode: 'PROV' } : {},
		professionalId(person),
		specialtyCode(person),
		el(associated ? 'associatedPerson' : 'assignedPerson', {}, personName(person)),
		site && el('representedOrganization', {}, el('name', site))
	);
}

const participant = (typeCode: string, functionCode: XmlElement, period: XmlElement, entity: XmlElement): XmlElement =>
	el('participant', { typeCode }, functionCode, period, entity);

/** A participant whose role is said in words (functionCode NA), as the examples write RESP and REFB. */
const described = (typeCode: string, words: string, person: FichePerson): XmlElement =>
	participant(typeCode, el('functionCode', { nullFlavor: 'NA' }, el('originalText', words)), unknown('time'), professional('associatedEntity', person));

/** The coordinator who chaired: the participant with that role, else the one who validated. */
const coordinatorOf = (snapshot: FicheSnapshot): FichePerson =>
	snapshot.participants.find((p) => p.role === 'coordinator') ?? snapshot.validation.by;

function author(snapshot: FicheSnapshot): XmlElement {
	const { by, at } = snapshot.validation;
	return el(
		'author',
		{},
		el(
			'functionCode',
			{ code: '353', displayName: "Membre de l'équipe de soins", codeSystem: CODE_SYSTEM.authorFunction },
			el('originalText', 'Médecin coordonnateur de la RCP')
		),
		time('time', at),
		professional('assignedAuthor', by, snapshot.board.site)
	);
}

function legalAuthenticator(snapshot: FicheSnapshot): XmlElement {
	const { by, at } = snapshot.validation;
	return el('legalAuthenticator', {}, time('time', at), el('signatureCode', { code: 'S' }), professional('assignedEntity', by, snapshot.board.site));
}

/** An attendee's role in the meeting, in words, when it is more than "participant". */
const ATTENDEE_ROLES: Partial<Record<string, string>> = { coordinator: 'Médecin coordonnateur', guest: 'Invité', secretary: 'Secrétaire de RCP' };

/** Who attended: in the quorum (353) or not (CORRE), from first arrival to last departure. */
function attendee(person: FicheParticipant): XmlElement {
	const [code, displayName, codeSystem] = person.quorumMember
		? ['353', "Membre de l'équipe de soins", CODE_SYSTEM.authorFunction]
		: ['CORRE', 'Correspondant', CODE_SYSTEM.participantFunction];
	const quorum = person.quorumMember ? 'participant du quorum' : 'participant hors quorum';
	const role = ATTENDEE_ROLES[person.role];
	return participant(
		'PRF',
		el('functionCode', { code, displayName, codeSystem }, el('originalText', role ? `${role}, ${quorum}` : `P${quorum.slice(1)}`)),
		interval('time', person.from, person.to),
		professional('associatedEntity', person)
	);
}

/** The GP (médecin traitant), required by the FRCP: unknown when the fiche names none. */
function generalPractitioner({ fiche }: FicheSnapshot): XmlElement {
	const telecoms = [fiche.gpPhone && `tel:${fiche.gpPhone.replace(/[\s.()-]/g, '')}`, fiche.gpEmail && `mailto:${fiche.gpEmail}`];
	const known = fiche.gpName || fiche.gpRpps || telecoms.some(Boolean);
	return participant(
		'INF',
		el(
			'functionCode',
			{ code: 'PCP', displayName: 'Médecin traitant', codeSystem: CODE_SYSTEM.participationFunction },
			el('originalText', fiche.gpName ?? 'Inconnu')
		),
		unknown('time'),
		known
			? el(
					'associatedEntity',
					{ classCode: 'PROV' },
					fiche.gpRpps && ii(OID.rpps, `8${fiche.gpRpps}`),
					telecoms.map((value) => value && el('telecom', { value, use: 'WP' })),
					// The fiche holds the GP's name as typed ("Dr Louis Petitjean"): a PN may be plain text.
					fiche.gpName && el('associatedPerson', {}, el('name', fiche.gpName))
				)
			: el('associatedEntity', { classCode: 'PROV', nullFlavor: 'UNK' })
	);
}

function participants(snapshot: FicheSnapshot): XmlChild[] {
	return [
		described('RESP', 'Médecin coordonnateur de la RCP', coordinatorOf(snapshot)),
		snapshot.requester && described('REFB', 'Médecin demandeur', snapshot.requester),
		generalPractitioner(snapshot),
		snapshot.participants.map(attendee)
	];
}

// ---------------------------------------------------------------------------------------
// The meeting, the case, the replaced version

/** The meeting's span: from its start for its planned duration. */
function meetingPeriod({ meeting }: FicheSnapshot): XmlElement {
	const end = new Date(Date.parse(meeting.startsAt) + meeting.durationMinutes * 60_000).toISOString();
	return interval('effectiveTime', meeting.startsAt, end);
}

/** The primary tumour's site as documented act: its JDV_Tumeur code, else in words. */
function tumourSite({ fiche }: FicheSnapshot): XmlElement | null {
	const concept = fiche.tumourSiteCode ? findConcept('JDV_Tumeur', fiche.tumourSiteCode) : undefined;
	const words = [fiche.tumourSiteCode, fiche.tumourSiteLabel].filter(Boolean).join(' ');
	if (!concept && !words) return null;
	const code = concept ? coded('code', concept) : coded('code', taAsip('GEN-243', 'Topographie'), el('originalText', words));
	return el('documentationOf', {}, el('serviceEvent', { classCode: 'ACT' }, code));
}

function documentationOf(snapshot: FicheSnapshot): XmlChild[] {
	const rcp = coded(
		'code',
		{ code: '39', displayName: 'Réunion de Concertation Pluridisciplinaire (RCP)', codeSystem: CODE_SYSTEM.careMode },
		el('originalText', documentTitle(snapshot).replace(/^FRCP /, ''))
	);
	const performer = el('performer', { typeCode: 'PRF' }, professional('assignedEntity', coordinatorOf(snapshot), snapshot.board.site));
	return [el('documentationOf', {}, el('serviceEvent', { classCode: 'ACT' }, rcp, meetingPeriod(snapshot), performer)), tumourSite(snapshot)];
}

/**
 * The meeting as encounter. The FRCP asks for the national ids of the network (RRC), of
 * the board's manager (3C) and of the board: the snapshot does not hold them yet, so they
 * are written as unknown, followed by Concerto's ids of the board and of the meeting.
 */
function componentOf(snapshot: FicheSnapshot): XmlElement {
	const nationalId = (root: string) => el('id', { root, nullFlavor: 'UNK' });
	return el(
		'componentOf',
		{},
		el(
			'encompassingEncounter',
			{},
			nationalId(OID.nationalNetwork),
			nationalId(OID.nationalManager),
			nationalId(OID.nationalBoard),
			ii(OID.board, snapshot.board.id),
			ii(OID.meeting, snapshot.meeting.id),
			el('code', { code: 'VR', displayName: 'Virtuelle (exemple : RCP en l’absence du patient)', codeSystem: CODE_SYSTEM.encounterType }),
			meetingPeriod(snapshot),
			el(
				'location',
				{},
				// The site's address is not recorded: the FRCP requires the element, so it says so.
				el('healthCareFacility', {}, el('location', {}, el('name', snapshot.board.site), unknown('addr')))
			)
		)
	);
}

/** Everything from realmCode to componentOf. */
export function header(snapshot: FicheSnapshot): XmlChild[] {
	return [
		el('realmCode', { code: 'FR' }),
		el('typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' }),
		// HL7 France, CI-SIS, and the FRCP model 2022.01.
		el('templateId', { root: '2.16.840.1.113883.2.8.2.1' }),
		el('templateId', { root: '1.2.250.1.213.1.1.1.1' }),
		el('templateId', { root: '1.2.250.1.213.1.1.1.8', extension: '2022.01' }),
		ii(OID.ficheDocument, snapshot.id),
		coded('code', loinc('34794-8', 'CR de réunion de concertation pluridisciplinaire')),
		el('title', documentTitle(snapshot)),
		time('effectiveTime', snapshot.validation.at),
		el('confidentialityCode', { code: 'N', displayName: 'Normal', codeSystem: CODE_SYSTEM.confidentiality }),
		el('languageCode', { code: 'fr-FR' }),
		el('setId', { root: OID.ficheSet, extension: snapshot.setId }),
		el('versionNumber', { value: snapshot.version }),
		recordTarget(snapshot.fiche),
		author(snapshot),
		el(
			'custodian',
			{},
			el('assignedCustodian', {}, el('representedCustodianOrganization', {}, el('id', { root: OID.custodian }), el('name', snapshot.network.name)))
		),
		legalAuthenticator(snapshot),
		participants(snapshot),
		el('inFulfillmentOf', {}, el('order', {}, ii(OID.case, snapshot.caseId))),
		documentationOf(snapshot),
		replacedDocument({ document: OID.ficheDocument, set: OID.ficheSet }, snapshot),
		componentOf(snapshot)
	];
}
