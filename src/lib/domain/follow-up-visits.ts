/**
 * What happened at a follow-up visit, and where each planned item stands: done, due, or
 * overdue once its date and a grace period have passed. Whoever saw the patient (the
 * specialist or the GP) records the visit.
 */
import { z } from 'zod';
import { clock } from '../clock.ts';
import { addCalendarDays, calendarDaysBetween, FollowUpActor, type ScheduleItem } from './follow-up.ts';
import { LocalDate, parisDate } from './schedule.ts';

/**
 * Days after its due date before an item is flagged overdue. An exam gets longer: imaging
 * appointments are often weeks away, and its result is read at the visit after it.
 */
export const OVERDUE_GRACE_DAYS: Record<ScheduleItem['kind'], number> = { visit: 30, exam: 60 };

/**
 * How far from its due date an exam recorded at a visit still counts for it. Half the
 * usual 6-month rhythm: a recorded scanner is matched to one planned scanner only.
 */
export const EXAM_MATCH_DAYS = 90;

const text = (max: number) => z.string().trim().max(max, `${max} caractères au plus`);

/** A visit as recorded by whoever saw the patient. */
export const VisitRecord = z
	.strictObject({
		/** The planned visit it is, when it is one (an unplanned visit has none). */
		itemId: z.string().min(1).optional(),
		doneOn: LocalDate.refine((value) => value <= parisDate(clock.now()), 'La date de la consultation est dans le futur'),
		by: FollowUpActor,
		findings: text(10_000),
		/** Labels of the exams whose results were read at this visit. */
		examsDone: z.array(text(200).min(1, 'Libellé d’examen vide')).max(30, '30 examens au plus'),
		relapseSuspected: z.boolean(),
		relapseNote: text(2000).optional()
	})
	.refine((record) => !record.relapseSuspected || (record.relapseNote ?? '') !== '', {
		path: ['relapseNote'],
		message: 'Décrivez ce qui fait suspecter une récidive'
	});
/** A visit as recorded. */
export type VisitRecord = z.infer<typeof VisitRecord>;

/** Where a planned item stands on a given day. */
export type ItemStatus = 'done' | 'due' | 'overdue';

const sameLabel = (a: string, b: string) => a.trim().localeCompare(b.trim(), 'fr', { sensitivity: 'base' }) === 0;

/**
 * Whether the item is done, still due, or overdue on `today` ('YYYY-MM-DD'). A visit is
 * done by the record that names it; an exam by a record listing its label within
 * `EXAM_MATCH_DAYS` of its due date.
 */
export function itemStatus(item: ScheduleItem, records: readonly VisitRecord[], today: string): ItemStatus {
	const done =
		item.kind === 'visit'
			? records.some((record) => record.itemId === item.id)
			: records.some(
					(record) =>
						Math.abs(calendarDaysBetween(item.due, record.doneOn)) <= EXAM_MATCH_DAYS && record.examsDone.some((exam) => sameLabel(exam, item.label))
				);
	if (done) return 'done';
	return today > addCalendarDays(item.due, OVERDUE_GRACE_DAYS[item.kind]) ? 'overdue' : 'due';
}

/** The overdue items of a plan on `today`, in plan order: what the follow-up dashboard flags. */
export function overdueItems(plan: readonly ScheduleItem[], records: readonly VisitRecord[], today: string): ScheduleItem[] {
	return plan.filter((item) => itemStatus(item, records, today) === 'overdue');
}

/** The items still to do that `who` holds, from `today` on, in plan order: the GP's upcoming visits. */
export function upcomingItems(plan: readonly ScheduleItem[], records: readonly VisitRecord[], today: string, who: FollowUpActor): ScheduleItem[] {
	return plan.filter((item) => item.who === who && item.due >= today && itemStatus(item, records, today) !== 'done');
}
