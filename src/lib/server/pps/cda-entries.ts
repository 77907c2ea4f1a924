/**
 * The entries of the PPS body as the CANCER-PPS example writes them: a planned act
 * (FR-Acte, `procedure moodCode="INT"`) whose code says what kind of act it is (MED-568
 * treatment, MED-569 side-effect management, MED-570 associated measure, MED-572
 * supportive care, MED-573 social support) with the value-set concept as qualifier — the
 * place the CANCER-PPS schematron checks the value sets — its planned dates
 * (FR-Simple-Observation GEN-177), its place of care and a comment.
 */
import type { Concept } from '../../domain/value-sets.ts';
import { commentAct, observation, related } from '../fiches/cda-body.ts';
import { calendarDate, coded, taAsip, templateIds, textReference, unknown } from '../fiches/cda-types.ts';
import { el, type XmlElement } from '../fiches/cda-xml.ts';

/** IHE PCC Procedure, CCD planned act, CI-SIS FR-Acte. */
const PLANNED_ACT = ['1.3.6.1.4.1.19376.1.5.3.1.4.19', '2.16.840.1.113883.10.20.1.25', '1.2.250.1.213.1.1.3.62'];

/** The kinds of planned act of the PPS, each checked against its value set by the schematron. */
export const ACT_KIND = {
	treatment: taAsip('MED-568', 'Traitement'),
	sideEffects: taAsip('MED-569', 'Action de prévention et de gestion médicamenteuse des effets secondaires'),
	associatedMeasure: taAsip('MED-570', 'Mesure associée'),
	supportiveCare: taAsip('MED-572', 'Soin oncologique de support'),
	socialSupport: taAsip('MED-573', 'Accompagnement social et socioprofessionnel')
} as const;

const PLANNED_DATES = taAsip('GEN-177', 'Date(s) prévisionnelle(s)');

export interface PlannedActParts {
	id: XmlElement;
	kind: Concept;
	/** The value-set concept: what is planned. */
	value: Concept;
	/** ID of the narrative content naming the act. */
	text: string;
	/** Planned days (inclusive), with the narrative content saying them; an open end leaves `high` out. */
	dates?: { id: XmlElement; start: string; end: string | null; text: string };
	/** Where it takes place, in words. */
	place?: string;
	/** ID of the narrative content commenting it. */
	comment?: string;
}

/** One planned act. Its confirmed dates are unknown when the PPS is written: the planned ones go in GEN-177. */
export function plannedAct({ id, kind, value, text, dates, place, comment }: PlannedActParts): XmlElement {
	return el(
		'procedure',
		{ classCode: 'PROC', moodCode: 'INT', negationInd: 'false' },
		templateIds(...PLANNED_ACT),
		id,
		coded('code', kind, el('qualifier', {}, coded('value', value))),
		textReference(text),
		// Planned, not done: "active" where the example, written after the facts, says "completed".
		el('statusCode', { code: 'active' }),
		unknown('effectiveTime'),
		place &&
			el(
				'performer',
				{ typeCode: 'PRF' },
				el('assignedEntity', { classCode: 'ASSIGNED' }, unknown('id'), el('representedOrganization', {}, el('name', place)))
			),
		dates &&
			related(
				'COMP',
				observation({
					id: dates.id,
					code: PLANNED_DATES,
					text: dates.text,
					effectiveTime: el(
						'effectiveTime',
						{},
						el('low', { value: calendarDate(dates.start) }),
						dates.end && el('high', { value: calendarDate(dates.end) })
					),
					value: el('value', { 'xsi:type': 'CD', nullFlavor: 'NA' })
				}),
				false
			),
		comment && related('SUBJ', commentAct(comment), true)
	);
}
