/**
 * The template form: what was typed (kept as text to be shown again) and the object
 * `FollowUpTemplate` validates. Exam rows without a label are left out.
 */
import type { FollowUpTemplate } from '$lib/domain/follow-up';

export interface ExamRowValues {
	kind: string;
	label: string;
	everyMonths: string;
	fromMonth: string;
	untilMonth: string;
}

export interface TemplateFormValues {
	name: string;
	organ: string;
	durationYears: string;
	visitIntervalMonths: string;
	alternate: boolean;
	gpAloneAfterYear: string;
	gpAloneIntervalMonths: string;
	indicative: boolean;
	exams: ExamRowValues[];
}

/** Blank exam rows offered below the template's own. */
export const SPARE_EXAM_ROWS = 2;

const text = (body: FormData, name: string) => String(body.get(name) ?? '').trim();

export function templateFormValues(body: FormData): TemplateFormValues {
	const rows = Number(text(body, 'examRows')) || 0;
	const exams: ExamRowValues[] = [];
	for (let index = 0; index < Math.min(rows, 40); index++) {
		const field = (name: string) => text(body, `exams.${index}.${name}`);
		exams.push({ kind: field('kind'), label: field('label'), everyMonths: field('everyMonths'), fromMonth: field('fromMonth'), untilMonth: field('untilMonth') });
	}
	return {
		name: text(body, 'name'),
		organ: text(body, 'organ'),
		durationYears: text(body, 'durationYears'),
		visitIntervalMonths: text(body, 'visitIntervalMonths'),
		alternate: body.get('alternate') === 'on',
		gpAloneAfterYear: text(body, 'gpAloneAfterYear'),
		gpAloneIntervalMonths: text(body, 'gpAloneIntervalMonths'),
		indicative: body.get('indicative') === 'on',
		exams
	};
}

// A number field: empty is "not given"; anything else a number (NaN gets zod's French message).
const number = (value: string) => (value === '' ? undefined : Number(value));

/** The template to validate; its exam rows keep their place on the form so errors point at them. */
export function templateInput(values: TemplateFormValues): { input: Record<string, unknown>; rowOf: number[] } {
	const kept = values.exams.map((row, index) => ({ row, index })).filter(({ row }) => row.label !== '' || row.everyMonths !== '');
	return {
		input: {
			name: values.name,
			organ: values.organ,
			durationYears: number(values.durationYears),
			visitIntervalMonths: number(values.visitIntervalMonths),
			alternate: values.alternate,
			gpAloneAfterYear: number(values.gpAloneAfterYear) ?? null,
			...(values.gpAloneIntervalMonths !== '' ? { gpAloneIntervalMonths: number(values.gpAloneIntervalMonths) } : {}),
			indicative: values.indicative,
			exams: kept.map(({ row }) => ({
				kind: row.kind,
				label: row.label,
				everyMonths: number(row.everyMonths),
				...(row.fromMonth !== '' ? { fromMonth: number(row.fromMonth) } : {}),
				...(row.untilMonth !== '' ? { untilMonth: number(row.untilMonth) } : {})
			}))
		},
		rowOf: kept.map(({ index }) => index)
	};
}

/** The form's values of a stored template, with spare blank rows. */
export function valuesOfTemplate(template: FollowUpTemplate | undefined): TemplateFormValues {
	const blankRow = (): ExamRowValues => ({ kind: 'imaging', label: '', everyMonths: '', fromMonth: '', untilMonth: '' });
	const exams = (template?.exams ?? []).map((exam) => ({
		kind: exam.kind,
		label: exam.label,
		everyMonths: String(exam.everyMonths),
		fromMonth: exam.fromMonth === undefined ? '' : String(exam.fromMonth),
		untilMonth: exam.untilMonth === undefined ? '' : String(exam.untilMonth)
	}));
	return {
		name: template?.name ?? '',
		organ: template?.organ ?? '',
		durationYears: String(template?.durationYears ?? 5),
		visitIntervalMonths: String(template?.visitIntervalMonths ?? 6),
		alternate: template?.alternate ?? true,
		gpAloneAfterYear: template?.gpAloneAfterYear == null ? '' : String(template.gpAloneAfterYear),
		gpAloneIntervalMonths: template?.gpAloneIntervalMonths === undefined ? '' : String(template.gpAloneIntervalMonths),
		indicative: template?.indicative ?? true,
		exams: [...exams, ...Array.from({ length: SPARE_EXAM_ROWS }, blankRow)]
	};
}
