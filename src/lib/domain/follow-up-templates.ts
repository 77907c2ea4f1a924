/**
 * The network's default follow-up templates, as a starting point for its editors. They
 * are indicative: they sketch the usual French programmes (TNCD for colorectal cancer,
 * INCa/HAS for breast cancer, thoracic oncology guidelines for lung cancer) in the shape
 * of an alternating GP / specialist follow-up, and every plan is adapted to its patient.
 */
import { FollowUpTemplate } from './follow-up.ts';

const template = (input: FollowUpTemplate): FollowUpTemplate => FollowUpTemplate.parse(input);

/** Colorectal cancer after curative treatment: a visit every 6 months for 5 years, then the GP yearly. */
export const COLORECTAL_FOLLOW_UP = template({
	organ: 'MED-251',
	name: 'Cancer colorectal — suivi après traitement curatif (indicatif)',
	durationYears: 10,
	visitIntervalMonths: 6,
	alternate: true,
	gpAloneAfterYear: 5,
	gpAloneIntervalMonths: 12,
	exams: [
		{ kind: 'imaging', label: 'Scanner thoraco-abdomino-pelvien', everyMonths: 6, untilMonth: 36 },
		{ kind: 'imaging', label: 'Scanner thoraco-abdomino-pelvien', everyMonths: 12, fromMonth: 48, untilMonth: 60 },
		{ kind: 'biology', label: 'ACE (antigène carcino-embryonnaire)', everyMonths: 6, untilMonth: 60 },
		{ kind: 'endoscopy', label: 'Coloscopie', everyMonths: 24, fromMonth: 12, untilMonth: 60 },
		{ kind: 'endoscopy', label: 'Coloscopie', everyMonths: 60, fromMonth: 120 }
	],
	indicative: true
});

/** Breast cancer after treatment: a visit every 6 months for 5 years, then the GP yearly; a yearly mammography for life. */
export const BREAST_FOLLOW_UP = template({
	organ: '76752008',
	name: 'Cancer du sein — suivi après traitement (indicatif)',
	durationYears: 10,
	visitIntervalMonths: 6,
	alternate: true,
	gpAloneAfterYear: 5,
	gpAloneIntervalMonths: 12,
	exams: [
		{ kind: 'imaging', label: 'Mammographie bilatérale (± échographie)', everyMonths: 12 },
		{ kind: 'other', label: 'Examen gynécologique (si hormonothérapie par tamoxifène)', everyMonths: 12, untilMonth: 60 }
	],
	indicative: true
});

/** Lung cancer after curative treatment: a visit and a chest CT every 6 months for 2 years, then yearly. */
export const LUNG_FOLLOW_UP = template({
	organ: 'MED-255',
	name: 'Cancer bronchique — suivi après traitement curatif (indicatif)',
	durationYears: 10,
	visitIntervalMonths: 6,
	alternate: true,
	gpAloneAfterYear: 5,
	gpAloneIntervalMonths: 12,
	exams: [
		{ kind: 'imaging', label: 'Scanner thoracique (avec coupes abdominales hautes)', everyMonths: 6, untilMonth: 24 },
		{ kind: 'imaging', label: 'Scanner thoracique (avec coupes abdominales hautes)', everyMonths: 12, fromMonth: 36, untilMonth: 60 },
		{ kind: 'imaging', label: 'Scanner thoracique faible dose', everyMonths: 12, fromMonth: 72 }
	],
	indicative: true
});

/** The default templates, one per organ. */
export const DEFAULT_FOLLOW_UP_TEMPLATES: readonly FollowUpTemplate[] = [COLORECTAL_FOLLOW_UP, BREAST_FOLLOW_UP, LUNG_FOLLOW_UP];

/** The default template of an organ (JDV_RCP_Organe code), if the network has one. */
export function defaultTemplateFor(organ: string): FollowUpTemplate | undefined {
	return DEFAULT_FOLLOW_UP_TEMPLATES.find((candidate) => candidate.organ === organ);
}
