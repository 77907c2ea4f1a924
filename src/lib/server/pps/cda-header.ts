/**
 * The CDA header of the PPS (CI-SIS volet CANCER-PPS 2022.01, header templateId
 * 1.2.250.1.213.1.1.1.26, LOINC 18776-5), modelled on the official example
 * CANCER-PPS_2022.01_Autopresentable.xml: the patient, the author who also authenticates,
 * the custodian (the network), the care team as participants, the PPS as documented act,
 * and the version it replaces.
 *
 * Care-team roles follow the example: members of the care team (referring physician,
 * nurse coordinator, others) are PRF + 353 with the translation ORG-177; the GP is INF +
 * PCP, required, unknown when the PPS names none.
 */
import { CARE_TEAM_ROLE_LABELS, type CareTeamMember, type PpsSnapshot } from '../../domain/pps.ts';
import { professional, recordTarget } from '../fiches/cda-header.ts';
import { CODE_SYSTEM, OID, replacedDocument, coded, ii, loinc, taAsip, time, unknown } from '../fiches/cda-types.ts';
import { el, type XmlChild, type XmlElement } from '../fiches/cda-xml.ts';

/** The document title, as the example names it. */
export const PPS_TITLE = 'Programme personnalisé de soins en cancérologie';

/** The CANCER-PPS document type. */
export const PPS_DOCUMENT_CODE = loinc('18776-5', 'Plan personnalisé de soins');

const telecoms = (member: CareTeamMember): XmlElement[] =>
	[member.phone && `tel:${member.phone.replace(/[\s.()-]/g, '')}`, member.email && `mailto:${member.email}`]
		.filter((value): value is string => Boolean(value))
		.map((value) => el('telecom', { value, use: 'WP' }));

/**
 * A member of the care team as `associatedEntity`. The PPS holds the name as typed ("Dr
 * Claire Dubois"): a PN may be plain text.
 */
const memberEntity = (member: CareTeamMember): XmlElement =>
	el(
		'associatedEntity',
		{ classCode: 'PROV' },
		member.rpps ? ii(OID.rpps, `8${member.rpps}`) : null,
		telecoms(member),
		el('associatedPerson', {}, el('name', member.name))
	);

const REFERENCE_TEAM = taAsip('ORG-177', 'Etablissement de santé de référence');

/** A member of the care team other than the GP: PRF, "Membre de l'équipe de soins", their role in words. */
const teamMember = (member: CareTeamMember): XmlElement =>
	el(
		'participant',
		{ typeCode: 'PRF' },
		el(
			'functionCode',
			{ code: '353', displayName: "Membre de l'équipe de soins", codeSystem: CODE_SYSTEM.authorFunction },
			el('originalText', CARE_TEAM_ROLE_LABELS[member.role]),
			coded('translation', REFERENCE_TEAM)
		),
		el('time', { 'xsi:type': 'IVL_TS', nullFlavor: 'UNK' }),
		memberEntity(member)
	);

/** The GP (médecin traitant), required by the volet: unknown when the care team names none. */
const generalPractitioner = (gp: CareTeamMember | undefined): XmlElement =>
	el(
		'participant',
		{ typeCode: 'INF' },
		el(
			'functionCode',
			{ code: 'PCP', displayName: 'Médecin traitant', codeSystem: CODE_SYSTEM.participationFunction },
			el('originalText', gp?.name ?? 'Inconnu')
		),
		el('time', { 'xsi:type': 'IVL_TS', nullFlavor: 'UNK' }),
		gp ? memberEntity(gp) : el('associatedEntity', { classCode: 'PROV', nullFlavor: 'UNK' })
	);

function participants({ content }: PpsSnapshot): XmlChild[] {
	const gp = content.careTeam.find((member) => member.role === 'gp');
	return [content.careTeam.filter((member) => member.role !== 'gp').map(teamMember), generalPractitioner(gp)];
}

/** Everything from realmCode to componentOf. */
export function ppsHeader(snapshot: PpsSnapshot): XmlChild[] {
	const site = snapshot.fiche.board.site;
	return [
		el('realmCode', { code: 'FR' }),
		el('typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' }),
		// HL7 France, CI-SIS, and the CANCER-PPS model 2022.01.
		el('templateId', { root: '2.16.840.1.113883.2.8.2.1' }),
		el('templateId', { root: '1.2.250.1.213.1.1.1.1' }),
		el('templateId', { root: '1.2.250.1.213.1.1.1.26', extension: '2022.01' }),
		ii(OID.ppsDocument, snapshot.id),
		coded('code', PPS_DOCUMENT_CODE),
		el('title', PPS_TITLE),
		time('effectiveTime', snapshot.createdAt),
		el('confidentialityCode', { code: 'N', displayName: 'Normal', codeSystem: CODE_SYSTEM.confidentiality }),
		el('languageCode', { code: 'fr-FR' }),
		el('setId', { root: OID.ppsSet, extension: snapshot.setId }),
		el('versionNumber', { value: snapshot.version }),
		recordTarget(snapshot.patient),
		el('author', {}, time('time', snapshot.createdAt), professional('assignedAuthor', snapshot.author, site)),
		el(
			'custodian',
			{},
			el('assignedCustodian', {}, el('representedCustodianOrganization', {}, el('id', { root: OID.custodian }), el('name', snapshot.network.name)))
		),
		// The author writes the PPS with the patient and answers for it: they authenticate it.
		el('legalAuthenticator', {}, time('time', snapshot.createdAt), el('signatureCode', { code: 'S' }), professional('assignedEntity', snapshot.author, site)),
		participants(snapshot),
		el('inFulfillmentOf', {}, el('order', {}, ii(OID.case, snapshot.fiche.caseId))),
		el(
			'documentationOf',
			{},
			el(
				'serviceEvent',
				{ classCode: 'ACT' },
				// The example dates the documented act by the document itself, performed by its author.
				el('effectiveTime', {}, time('low', snapshot.createdAt)),
				el('performer', { typeCode: 'PRF' }, professional('assignedEntity', snapshot.author, site))
			)
		),
		replacedDocument({ document: OID.ppsDocument, set: OID.ppsSet }, snapshot),
		el(
			'componentOf',
			{},
			el(
				'encompassingEncounter',
				{},
				// The PPS covers the patient's care from now on, not one encounter: its time is not given, as in the example.
				unknown('effectiveTime', 'MSK'),
				el('location', {}, el('healthCareFacility', {}, el('location', {}, el('name', site), unknown('addr'))))
			)
		)
	];
}
