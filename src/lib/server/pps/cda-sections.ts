/**
 * The body of the PPS, in the order of the CANCER-PPS example: diagnosis; treatment and
 * follow-up programme (MED-566: the phases, side-effect management, associated
 * measures); supportive care and social support (MED-567); document status (update
 * reason, RCP date, handing over to the patient); referenced documents (the fiche RCP,
 * the replaced PPS); the information on personal data that every PPS carries.
 */
import { frenchDay, phaseDatesLabel, phaseEnd, ppsLabel, type PpsSnapshot } from '../../domain/pps.ts';
import { parisDate } from '../../domain/schedule.ts';
import { findConcept, type Concept } from '../../domain/value-sets.ts';
import { commentAct, content, lines, observation, partsOf, related, section, table, tables, type NarrativeRow } from '../fiches/cda-body.ts';
import { professional } from '../fiches/cda-header.ts';
import { OID, codedValue, ii, loinc, taAsip, templateIds, textReference, time, timestamp } from '../fiches/cda-types.ts';
import { el, type XmlChild, type XmlElement } from '../fiches/cda-xml.ts';
import { ACT_KIND, plannedAct } from './cda-entries.ts';

/** CCD Plan of care, IHE PCC Care plan, CI-SIS FR-Plan-de-soins. */
const CARE_PLAN = ['2.16.840.1.113883.10.20.1.10', '1.3.6.1.4.1.19376.1.5.3.1.3.36', '1.2.250.1.213.1.1.2.158'];
const PLAN_CODE = loinc('18776-5', 'Plan de soins');

type Parts = ReturnType<typeof partsOf>;

/** The concept of a code the draft schema accepted (it refuses codes outside the list). */
function concept(set: Parameters<typeof ppsLabel>[0], code: string): Concept {
	const found = findConcept(set, code);
	if (!found) throw new Error(`PPS: code ${code} absent de ${set}`);
	return found;
}

function diagnosis({ content: pps }: PpsSnapshot, { id }: Parts): XmlElement {
	return section({
		// IHE/CCD problems, Cancer Diagnosis, CI-SIS FR-Diagnostic-du-cancer.
		templates: ['2.16.840.1.113883.10.20.1.11', '1.3.6.1.4.1.19376.1.5.3.1.3.6', '1.3.6.1.4.1.19376.1.7.3.1.3.14.1', '1.2.250.1.213.1.1.2.27'],
		id: id('diagnostic'),
		code: loinc('72135-7', 'Diagnostic du cancer'),
		title: 'Diagnostic',
		text: el('paragraph', {}, content('diagnostic', pps.diagnosis))
	});
}

/** Planned acts of one coded list (supportive care…), the list's note as comment of the first. */
function codedActs(parts: Parts, name: string, kind: Concept, set: Parameters<typeof ppsLabel>[0], offer: { codes: string[]; note: string }) {
	const rows: NarrativeRow[] = offer.codes.map((code, index) => [content(`${name}-${index + 1}`, ppsLabel(set, code))]);
	if (offer.note) rows.push([content(`${name}-note`, offer.note)]);
	const entries = offer.codes.map((code, index) =>
		plannedAct({
			id: parts.id(`${name}-${index + 1}`),
			kind,
			value: concept(set, code),
			text: `${name}-${index + 1}`,
			comment: index === 0 && offer.note ? `${name}-note` : undefined
		})
	);
	return { rows, entries };
}

function programme(snapshot: PpsSnapshot, parts: Parts): XmlElement {
	const { phases, sideEffects, associatedMeasures } = snapshot.content;
	const name = (index: number) => `phase-${index + 1}`;
	const rows = phases.map((phase, index): NarrativeRow => [
		content(name(index), ppsLabel('JDV_TypeTraitementPPS', phase.type)),
		phase.description ? content(`${name(index)}-description`, phase.description) : '',
		content(`${name(index)}-dates`, phaseDatesLabel(phase)),
		phase.placeOfCare
	]);
	const entries = phases.map((phase, index) =>
		plannedAct({
			id: parts.id(name(index)),
			kind: ACT_KIND.treatment,
			value: concept('JDV_TypeTraitementPPS', phase.type),
			text: name(index),
			dates: { id: parts.id(`${name(index)}-dates`), start: phase.start, end: phaseEnd(phase), text: `${name(index)}-dates` },
			place: phase.placeOfCare,
			comment: phase.description ? `${name(index)}-description` : undefined
		})
	);
	const effects = codedActs(parts, 'effets-secondaires', ACT_KIND.sideEffects, 'JDV_GestionEffetsSecondaires', sideEffects);
	const measures = codedActs(parts, 'mesure', ACT_KIND.associatedMeasure, 'JDV_MesuresAssociees', associatedMeasures);
	return section({
		templates: CARE_PLAN,
		id: parts.id('programme'),
		code: PLAN_CODE,
		translation: taAsip('MED-566', 'Programme thérapeutique et de suivi'),
		title: 'Programme thérapeutique et de suivi',
		text: tables(
			table('Calendrier des traitements', rows, { columns: ['Traitement', 'Précisions', 'Dates prévues', 'Lieu de prise en charge'] }),
			table('Prévention et gestion des effets secondaires', effects.rows),
			table('Mesures associées', measures.rows)
		),
		entries: [...entries, ...effects.entries, ...measures.entries]
	});
}

function supportiveCare(snapshot: PpsSnapshot, parts: Parts): XmlElement {
	const care = codedActs(parts, 'soin-support', ACT_KIND.supportiveCare, 'JDV_SoinsOncoDeSupport', snapshot.content.supportiveCare);
	const social = codedActs(parts, 'accompagnement', ACT_KIND.socialSupport, 'JDV_TypeAccompagnementSocioPro', snapshot.content.socialSupport);
	return section({
		templates: CARE_PLAN,
		id: parts.id('soins-support'),
		code: PLAN_CODE,
		translation: taAsip('MED-567', 'Soins oncologiques de support, accompagnement social et socioprofessionnel'),
		title: 'Soins oncologiques de support, accompagnement social et socioprofessionnel',
		text: tables(table('Soins oncologiques de support proposés', care.rows), table('Accompagnement social et socioprofessionnel', social.rows)),
		entries: [...care.entries, ...social.entries]
	});
}

/** The Paris calendar day of an instant, as 'YYYY-MM-DD'. */
const calendarDay = (iso: string): string => parisDate(new Date(iso));

/** A date of the status section as an observation value (the example writes a time stamp). */
const dateValue = (iso: string): XmlElement => el('value', { 'xsi:type': 'TS', value: timestamp(iso) });

function documentStatus(snapshot: PpsSnapshot, { id }: Parts): XmlElement {
	const { updateReason } = snapshot.content;
	const handedOver = snapshot.handedOver;
	const reasonWords = updateReason ? ppsLabel('JDV_MotifMiseAJour', updateReason.code) : null;
	const rows: (NarrativeRow | false | null)[] = [
		['Statut du document', content('statut-document', 'Validé')],
		['Version', String(snapshot.version)],
		reasonWords !== null && ['Motif de mise à jour', content('motif-maj', reasonWords)],
		updateReason?.note ? ['Précision sur le motif', content('motif-maj-precision', updateReason.note)] : null,
		['Date de la RCP', content('date-rcp', frenchDay(calendarDay(snapshot.fiche.meeting.startsAt)))],
		['Remis au patient', content('remise-patient', handedOver ? `le ${frenchDay(calendarDay(handedOver.at))}` : 'Pas encore remis')]
	];
	const entries: XmlChild[] = [
		observation({
			templates: ['1.2.250.1.213.1.1.3.48.16'],
			id: id('statut-document'),
			code: taAsip('GEN-065', 'Statut du document'),
			text: 'statut-document',
			effectiveTime: time('effectiveTime', snapshot.createdAt),
			value: codedValue({ code: '9571008', displayName: 'approuvé', codeSystem: '2.16.840.1.113883.6.96' })
		}),
		updateReason &&
			observation({
				id: id('motif-maj'),
				code: taAsip('GEN-037', 'Motif de mise à jour'),
				text: 'motif-maj',
				effectiveTime: time('effectiveTime', snapshot.createdAt),
				value: codedValue(concept('JDV_MotifMiseAJour', updateReason.code)),
				related: updateReason.note ? [related('SUBJ', commentAct('motif-maj-precision'), true)] : []
			}),
		observation({
			id: id('date-rcp'),
			code: taAsip('ORG-189', 'Date de la RCP'),
			text: 'date-rcp',
			effectiveTime: time('effectiveTime', snapshot.fiche.meeting.startsAt),
			value: dateValue(snapshot.fiche.meeting.startsAt)
		}),
		observation({
			id: id('remise-patient'),
			code: taAsip('GEN-178', 'Date de remise du document au patient'),
			text: 'remise-patient',
			effectiveTime: handedOver ? time('effectiveTime', handedOver.at) : el('effectiveTime', { nullFlavor: 'NAV' }),
			value: handedOver ? dateValue(handedOver.at) : el('value', { 'xsi:type': 'TS', nullFlavor: 'NAV' }),
			qualifiers: handedOver ? [el('performer', { typeCode: 'PRF' }, professional('assignedEntity', handedOver.by))] : []
		})
	];
	return section({
		templates: ['1.2.250.1.213.1.1.2.35'],
		id: id('statut'),
		code: loinc('33557-0', "Etat d'achèvement"),
		title: 'Statut du document',
		text: table('Statut du document', rows),
		entries
	});
}

function referencedDocuments(snapshot: PpsSnapshot, { id }: Parts): XmlElement {
	const documents = [
		{ label: 'Fiche RCP', root: OID.ficheDocument, extension: snapshot.fiche.id, words: `Fiche RCP du ${frenchDay(calendarDay(snapshot.fiche.meeting.startsAt))}, ${snapshot.fiche.board.name}` },
		snapshot.supersedes && {
			label: 'PPS antérieur',
			root: OID.ppsDocument,
			extension: snapshot.supersedes.id,
			words: `PPS version ${snapshot.supersedes.version} du ${frenchDay(calendarDay(snapshot.supersedes.createdAt))}`
		}
	].filter((document): document is NonNullable<typeof document> => Boolean(document));
	const name = (index: number) => `document-ref-${index + 1}`;
	return section({
		templates: ['1.2.250.1.213.1.1.2.55'],
		id: id('documents-references'),
		code: loinc('55107-7', 'Documents référencés'),
		title: 'Documents référencés',
		text: table('Documents référencés', documents.map((document, index) => [document.label, content(name(index), document.words)]), { id: 'documents-references' }),
		entries: [
			el(
				'act',
				{ classCode: 'ACT', moodCode: 'EVN' },
				// IHE PCC External references, CI-SIS FR-References-externes.
				templateIds('1.3.6.1.4.1.19376.1.5.3.1.4.4', '1.2.250.1.213.1.1.3.35'),
				id('references-externes'),
				el('code', { nullFlavor: 'NA' }),
				textReference('documents-references'),
				documents.map((document, index) =>
					el('reference', { typeCode: 'REFR' }, el('externalDocument', { classCode: 'DOC', moodCode: 'EVN' }, ii(document.root, document.extension), textReference(name(index))))
				)
			)
		]
	});
}

/** The information every PPS gives on the patient's data: the INCa texts of the example, unchanged. */
const PERSONAL_DATA_TEXTS = [
	'Les établissements ou professionnels de santé qui mettent en œuvre votre programme thérapeutique et votre suivi, ainsi que ceux qui assurent vos soins oncologiques de support, collectent, pour accomplir leur travail, des données concernant votre santé et votre identité. Ces données sont couvertes par le secret médical et sont strictement confidentielles. Elles sont utilisées sous la responsabilité de ces établissements ou professionnels de santé que vous pouvez solliciter pour être plus informé ou pour exercer vos droits sur vos données.',
	'Des acteurs de la santé publique sont autorisés à réutiliser certaines de vos données dans le cadre de projets de recherche pour, par exemple, améliorer les connaissances sur les causes de cancer, étudier le parcours et la qualité des soins, évaluer les dispositifs de lutte contre le cancer et, plus largement, conduire des études pour améliorer la prise en charge des patients.',
	'Dans ce cadre et, sauf opposition de votre part, elles pourront être transmises à certains de ces acteurs, notamment, aux registres des cancers de votre région et à l’Institut national du cancer (INCa). Elles pourront ainsi être transférées vers la plateforme de données en cancérologie de l’INCa et, éventuellement, être reliées aux données du Système national des données de santé (SNDS) qui comporte notamment des données de l’assurance maladie et de l’activité hospitalière.',
	'Pour plus d’information sur les registres des cancers, la plateforme des données en cancérologie de l’INCa et sur l’exercice de vos droits, vous pouvez consulter son site http://lesdonnees.e-cancer.fr'
];

function personalData({ id }: Parts): XmlElement {
	return section({
		// IHE PCC / CI-SIS FR-Commentaire-non-code.
		templates: ['2.16.840.1.113883.10.12.201', '1.3.6.1.4.1.19376.1.4.1.2.16', '1.2.250.1.213.1.1.2.73'],
		id: id('donnees-personnelles'),
		code: loinc('55112-7', 'Commentaire'),
		translation: taAsip('GEN-294', 'Information pour le patient'),
		title: 'Information sur les données personnelles vous concernant',
		text: PERSONAL_DATA_TEXTS.map((text) => el('paragraph', {}, lines(text)))
	});
}

/** The sections of the PPS body, in the example's order. */
export function ppsSections(snapshot: PpsSnapshot): XmlElement[] {
	const parts = partsOf(snapshot.id);
	return [
		diagnosis(snapshot, parts),
		programme(snapshot, parts),
		supportiveCare(snapshot, parts),
		documentStatus(snapshot, parts),
		referencedDocuments(snapshot, parts),
		personalData(parts)
	];
}
