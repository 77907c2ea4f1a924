/**
 * The board form's flat fields ⇄ a BoardInput. The form posts flat names
 * (`recurrence.weekday`, `required.group`…); BoardInput (src/lib/domain/board.ts) stays
 * the one description of what is valid.
 */
import type { z } from 'zod';
import { BoardInput } from '../domain/board.ts';
import { fieldErrors } from '../validation.ts';
import type { Board } from '../server/db/schema.ts';

const int = (value: FormDataEntryValue | null) => (value === null || value === '' ? undefined : Number(value));

/** Builds the candidate BoardInput (not yet validated) from the posted form. */
export function boardFromForm(form: FormData): unknown {
	const frequency = String(form.get('recurrence.frequency') ?? '');
	const groups = form.getAll('required.group').map((group) => ({ group: String(group) }));
	const specialties = form.getAll('required.specialty').map((specialty) => ({ specialty: String(specialty) }));
	return {
		name: form.get('name'),
		apparatus: form.get('apparatus'),
		organ: form.get('organ') || null,
		site: form.get('site'),
		type: form.get('type'),
		quorumRule: {
			minDistinctSpecialties: int(form.get('quorum.min')),
			requiredSpecialties: [...groups, ...specialties]
		},
		recurrence: frequency
			? {
					frequency,
					weekday: int(form.get('recurrence.weekday')),
					time: form.get('recurrence.time'),
					durationMinutes: int(form.get('recurrence.duration')),
					anchorDate: form.get('recurrence.anchorDate'),
					...(frequency === 'monthly'
						? { weekOfMonth: form.get('recurrence.weekOfMonth') === 'last' ? 'last' : int(form.get('recurrence.weekOfMonth')) }
						: {})
				}
			: null,
		deadline: { workingDaysBefore: int(form.get('deadline.days')), time: form.get('deadline.time') }
	};
}

export function parseBoardForm(form: FormData) {
	return BoardInput.safeParse(boardFromForm(form));
}

/** Form field name of a zod issue path (`recurrence.anchorDate`, `quorum.min`…). */
export function fieldOf(path: PropertyKey[]): string {
	const [head, next] = path.map(String);
	if (head === 'quorumRule') return next === 'minDistinctSpecialties' ? 'quorum.min' : 'quorum.required';
	if (head === 'recurrence') return next ? `recurrence.${next === 'durationMinutes' ? 'duration' : next}` : 'recurrence.frequency';
	if (head === 'deadline') return next === 'workingDaysBefore' ? 'deadline.days' : 'deadline.time';
	return head ?? 'form';
}

export function boardErrors(error: z.ZodError): Record<string, string> {
	return fieldErrors(error, fieldOf);
}

/** What a form shows: posted values after a refusal, or the stored board. */
export type BoardFormValues = Partial<Record<string, string | string[]>>;

export function boardToForm(board: Pick<Board, 'name' | 'apparatus' | 'organ' | 'site' | 'type' | 'quorumRule' | 'recurrence' | 'deadline'>): BoardFormValues {
	const r = board.recurrence;
	return {
		name: board.name,
		apparatus: board.apparatus,
		organ: board.organ ?? '',
		site: board.site,
		type: board.type,
		'quorum.min': String(board.quorumRule.minDistinctSpecialties),
		'required.group': board.quorumRule.requiredSpecialties.flatMap((q) => ('group' in q ? [q.group] : [])),
		'required.specialty': board.quorumRule.requiredSpecialties.flatMap((q) => ('specialty' in q ? [q.specialty] : [])),
		'recurrence.frequency': r?.frequency ?? '',
		'recurrence.weekday': r ? String(r.weekday) : '2',
		'recurrence.time': r?.time ?? '14:00',
		'recurrence.duration': r ? String(r.durationMinutes) : '120',
		'recurrence.anchorDate': r?.anchorDate ?? '',
		'recurrence.weekOfMonth': r?.frequency === 'monthly' ? String(r.weekOfMonth) : '1',
		'deadline.days': String(board.deadline.workingDaysBefore),
		'deadline.time': board.deadline.time
	};
}

/** Posted values, kept to re-show the form after a refusal. */
export function formValues(form: FormData): BoardFormValues {
	const values: BoardFormValues = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key).map(String);
		values[key] = key.startsWith('required.') ? all : all[0];
	}
	values['required.group'] ??= [];
	values['required.specialty'] ??= [];
	return values;
}
