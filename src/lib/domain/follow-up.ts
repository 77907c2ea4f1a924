/**
 * The post-treatment follow-up plan (suivi alterné): a template per organ says how often
 * the patient is seen, by whom and which exams are due; `generateSchedule` turns it into
 * dated items from the end of treatment, and the specialist adjusts them per patient.
 *
 * Dates are calendar days 'YYYY-MM-DD' stepped in calendar months (date-fns `addMonths`):
 * a plan started on 31 August has its 6-month visit on the last day of February.
 */
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { z } from 'zod';
import { clock } from '../clock.ts';
import { BOARD_TIME_ZONE, LocalDate, parisDate } from './schedule.ts';
import { codeIn } from './value-sets.ts';

/** What kind of exam a follow-up asks for. */
export const FOLLOW_UP_EXAM_KINDS = ['imaging', 'biology', 'endoscopy', 'other'] as const;
/** French labels of the exam kinds. */
export const FOLLOW_UP_EXAM_KIND_LABELS: Record<FollowUpExamKind, string> = {
	imaging: 'Imagerie',
	biology: 'Biologie',
	endoscopy: 'Endoscopie',
	other: 'Autre examen'
};
/** Zod schema of an exam kind. */
export const FollowUpExamKind = z.enum(FOLLOW_UP_EXAM_KINDS, { error: "Type d'examen inconnu" });
/** What kind of exam a follow-up asks for. */
export type FollowUpExamKind = z.infer<typeof FollowUpExamKind>;

/** Who sees the patient at a visit: the specialist (oncologist, surgeon…) or the GP. */
export const FOLLOW_UP_ACTORS = ['specialist', 'gp'] as const;
/** French labels of who sees the patient. */
export const FOLLOW_UP_ACTOR_LABELS: Record<FollowUpActor, string> = { specialist: 'Spécialiste', gp: 'Médecin traitant' };
/** Zod schema of who sees the patient. */
export const FollowUpActor = z.enum(FOLLOW_UP_ACTORS, { error: 'Spécialiste ou médecin traitant' });
/** Who sees the patient. */
export type FollowUpActor = z.infer<typeof FollowUpActor>;

const label = z.string().trim().min(1, 'Libellé obligatoire').max(200, '200 caractères au plus');
const months = (max: number) =>
	z.number({ error: 'Nombre de mois attendu' }).int('Nombre entier de mois').min(0, 'Nombre de mois positif').max(max, `${max} mois au plus`);

/**
 * An exam of the template: the first one `fromMonth` months after the start (by default
 * after `everyMonths`), then every `everyMonths` until `untilMonth` (by default the end of
 * the follow-up). "Coloscopie à 1 an puis tous les 2 ans" is from 12, every 24.
 */
export const FollowUpExam = z
	.strictObject({
		kind: FollowUpExamKind,
		label,
		everyMonths: months(120).min(1, 'Intervalle d’au moins 1 mois'),
		fromMonth: months(240).optional(),
		untilMonth: months(240).optional()
	})
	.refine((exam) => exam.untilMonth === undefined || exam.untilMonth >= (exam.fromMonth ?? exam.everyMonths), {
		path: ['untilMonth'],
		message: 'La fin des examens précède le premier'
	});
/** An exam of a follow-up template. */
export type FollowUpExam = z.infer<typeof FollowUpExam>;

/** A follow-up programme for one organ, as the network publishes it. */
export const FollowUpTemplate = z
	.strictObject({
		organ: codeIn('JDV_RCP_Organe'),
		name: label,
		durationYears: z.number({ error: "Nombre d'années attendu" }).int('Nombre entier d’années').min(1, 'Au moins 1 an').max(20, '20 ans au plus'),
		visitIntervalMonths: months(24).min(1, 'Intervalle d’au moins 1 mois'),
		/** Visits alternate specialist / GP, the specialist first; otherwise the specialist sees every visit. */
		alternate: z.boolean(),
		/** After this year of follow-up the GP sees every visit alone; null: never within the plan. */
		gpAloneAfterYear: z.number().int('Nombre entier d’années').min(0, 'Année positive').nullable(),
		/** The visit interval once the GP is alone (often yearly); the plan's interval by default. */
		gpAloneIntervalMonths: months(24).min(1, 'Intervalle d’au moins 1 mois').optional(),
		exams: z.array(FollowUpExam).max(30, '30 examens au plus'),
		/** A network default, to be adapted to each patient and to the guidelines in force. */
		indicative: z.boolean()
	})
	.superRefine((template, ctx) => {
		if (template.gpAloneAfterYear !== null && template.gpAloneAfterYear > template.durationYears) {
			ctx.addIssue({ code: 'custom', path: ['gpAloneAfterYear'], message: 'Le relais par le médecin traitant tombe après la fin du suivi' });
		}
		template.exams.forEach((exam, index) => {
			const first = exam.fromMonth ?? exam.everyMonths;
			if (first > template.durationYears * 12) {
				ctx.addIssue({ code: 'custom', path: ['exams', index, 'fromMonth'], message: `« ${exam.label} » commence après la fin du suivi` });
			}
		});
	});
/** A follow-up programme for one organ. */
export type FollowUpTemplate = z.infer<typeof FollowUpTemplate>;

/** A dated item of a patient's plan: a visit, or an exam to be done before the visit that reads it. */
export interface ScheduleItem {
	/** Stable within a plan: "visit:M6", "exam:0:M12", "added:1". */
	id: string;
	kind: 'visit' | 'exam';
	due: string;
	who: FollowUpActor;
	label: string;
	/** For exams: imaging, biology… */
	examKind?: FollowUpExamKind;
}

/** Midnight of a calendar day in Paris, for calendar arithmetic that ignores the machine's zone. */
function calendarDay(isoDate: string): TZDate {
	const [year, month, day] = isoDate.split('-').map(Number);
	return new TZDate(year, month - 1, day, BOARD_TIME_ZONE);
}

/** The calendar day `count` months after `isoDate` (the month's last day when it lacks that day). */
export function addCalendarMonths(isoDate: string, count: number): string {
	return format(addMonths(calendarDay(isoDate), count), 'yyyy-MM-dd');
}

/** The calendar day `count` days after `isoDate` (negative: before). */
export function addCalendarDays(isoDate: string, count: number): string {
	return format(addDays(calendarDay(isoDate), count), 'yyyy-MM-dd');
}

/** Calendar days from `from` to `to` (negative when `to` comes first). */
export function calendarDaysBetween(from: string, to: string): number {
	return differenceInCalendarDays(calendarDay(to), calendarDay(from));
}

/** The months after the start on which the template's visits fall. */
function visitMonths(template: FollowUpTemplate): number[] {
	const end = template.durationYears * 12;
	const takeover = template.gpAloneAfterYear === null ? end : template.gpAloneAfterYear * 12;
	const found: number[] = [];
	let month = template.visitIntervalMonths;
	for (; month <= Math.min(takeover, end); month += template.visitIntervalMonths) found.push(month);
	// Once alone, the GP keeps the rhythm from the last shared visit.
	const step = template.gpAloneIntervalMonths ?? template.visitIntervalMonths;
	for (month = (found.at(-1) ?? 0) + step; month <= end; month += step) found.push(month);
	return found;
}

/**
 * Who holds the visit of month `month`: the GP alone after the takeover year; before,
 * the specialist, or in turn specialist then GP when the template alternates.
 */
function whoAt(template: FollowUpTemplate, month: number): FollowUpActor {
	if (template.gpAloneAfterYear !== null && month > template.gpAloneAfterYear * 12) return 'gp';
	if (!template.alternate) return 'specialist';
	const visitIndex = Math.ceil(month / template.visitIntervalMonths) - 1;
	return visitIndex % 2 === 0 ? 'specialist' : 'gp';
}

const visitLabel = (who: FollowUpActor) => (who === 'specialist' ? 'Consultation de suivi chez le spécialiste' : 'Consultation de suivi chez le médecin traitant');

/** Visits before exams on the same day, then by label: the order the plan is read in. */
export function compareItems(a: ScheduleItem, b: ScheduleItem): number {
	return a.due.localeCompare(b.due) || (a.kind === b.kind ? 0 : a.kind === 'visit' ? -1 : 1) || a.label.localeCompare(b.label, 'fr');
}

/**
 * The dated plan of a template from `start` (the end-of-treatment consultation, which is
 * not itself an item): a visit every interval, the exams on their own rhythm; an exam goes
 * to whoever holds the visit that reads it (the visit of its month or the next one).
 */
export function generateSchedule(template: FollowUpTemplate, start: string): ScheduleItem[] {
	const end = template.durationYears * 12;
	const items: ScheduleItem[] = visitMonths(template).map((month) => {
		const who = whoAt(template, month);
		return { id: `visit:M${month}`, kind: 'visit', due: addCalendarMonths(start, month), who, label: visitLabel(who) };
	});
	template.exams.forEach((exam, index) => {
		const until = Math.min(exam.untilMonth ?? end, end);
		for (let month = exam.fromMonth ?? exam.everyMonths; month <= until; month += exam.everyMonths) {
			if (month === 0) continue; // the end-of-treatment assessment is not part of the plan
			items.push({
				id: `exam:${index}:M${month}`,
				kind: 'exam',
				due: addCalendarMonths(start, month),
				who: whoAt(template, month),
				label: exam.label,
				examKind: exam.kind
			});
		}
	});
	return items.sort(compareItems);
}

/** An item added by hand to a patient's plan. */
export const AddedItem = z.strictObject({
	kind: z.enum(['visit', 'exam'], { error: 'Consultation ou examen' }),
	due: LocalDate,
	who: FollowUpActor,
	label,
	examKind: FollowUpExamKind.optional()
});
/** An item added by hand to a patient's plan. */
export type AddedItem = z.infer<typeof AddedItem>;

/** A change the specialist makes to the generated plan of one patient. */
export const PlanAdjustment = z.discriminatedUnion(
	'type',
	[
		z.strictObject({ type: z.literal('move'), itemId: z.string().min(1), due: LocalDate }),
		z.strictObject({ type: z.literal('remove'), itemId: z.string().min(1) }),
		z.strictObject({ type: z.literal('add'), item: AddedItem })
	],
	{ error: 'Modification du plan inconnue' }
);
/** A change to a patient's plan: move an item, remove one, add one. */
export type PlanAdjustment = z.infer<typeof PlanAdjustment>;

/** Why a plan or a change to it is refused. */
export type PlanRefusal = { ok: false; reason: 'start-in-past' | 'date-in-past' | 'unknown-item'; message: string };
/** A plan, or why it is refused. */
export type PlanResult = { ok: true; items: ScheduleItem[] } | PlanRefusal;

const formatFrench = (isoDate: string) => isoDate.split('-').reverse().join('/');

/**
 * The plan with the changes applied in order. No change may date an item before today
 * (Paris): a moved or added item is an appointment still to be made. Added items are
 * numbered by their place in the list ("added:0"…), so re-applying the same stored list
 * gives the same ids.
 */
export function applyAdjustments(items: readonly ScheduleItem[], adjustments: readonly PlanAdjustment[], now: Date = clock.now()): PlanResult {
	const today = parisDate(now);
	const plan = new Map(items.map((item) => [item.id, { ...item }]));
	for (const [index, adjustment] of adjustments.entries()) {
		if (adjustment.type === 'add') {
			if (adjustment.item.due < today) return pastDate(adjustment.item.due);
			plan.set(`added:${index}`, { id: `added:${index}`, ...adjustment.item });
			continue;
		}
		const item = plan.get(adjustment.itemId);
		if (!item) return { ok: false, reason: 'unknown-item', message: `Élément du plan introuvable : ${adjustment.itemId}` };
		if (adjustment.type === 'remove') {
			plan.delete(adjustment.itemId);
		} else {
			if (adjustment.due < today) return pastDate(adjustment.due);
			item.due = adjustment.due;
		}
	}
	return { ok: true, items: [...plan.values()].sort(compareItems) };
}

function pastDate(due: string): PlanRefusal {
	return { ok: false, reason: 'date-in-past', message: `La date du ${formatFrench(due)} est passée : choisissez une date à venir` };
}

/** The start of a new plan as typed on the form: a day from today on (Paris). */
export const FollowUpStart = LocalDate.refine((value) => value >= parisDate(clock.now()), 'Le suivi ne peut pas commencer dans le passé');

/**
 * A new patient's plan: the template's schedule from `start`, then the specialist's
 * changes. A plan cannot start before today (Paris): the follow-up is opened at the end
 * of treatment, not back-dated.
 */
export function openFollowUpPlan(
	template: FollowUpTemplate,
	start: string,
	adjustments: readonly PlanAdjustment[] = [],
	now: Date = clock.now()
): PlanResult {
	if (start < parisDate(now)) {
		return { ok: false, reason: 'start-in-past', message: `Le suivi ne peut pas commencer dans le passé (${formatFrench(start)})` };
	}
	return applyAdjustments(generateSchedule(template, start), adjustments, now);
}
