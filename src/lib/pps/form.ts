/**
 * The PPS editor's flat fields ⇄ a PpsDraft. The form posts flat, indexed names
 * (`phases.0.start`, `careTeam.1.phone`, `supportiveCare.codes`…) that are also the names
 * of the errors the service returns (`ppsFieldName`), so that a page without JavaScript
 * shows each error next to its field and fills everything typed in again after a refusal.
 * `ppsDraftSchema` (src/lib/domain/pps.ts) stays the one description of what is valid.
 */
import type { PpsDraft } from '../domain/pps.ts';

/** What the form shows: a string per field, a list for the checkboxes of a value set. */
export type PpsFormValues = Record<string, string | string[]>;

/** The value sets offered as checkboxes, each with its note. */
export const PPS_OFFER_GROUPS = [
	{ key: 'supportiveCare', valueSet: 'JDV_SoinsOncoDeSupport' },
	{ key: 'socialSupport', valueSet: 'JDV_TypeAccompagnementSocioPro' },
	{ key: 'associatedMeasures', valueSet: 'JDV_MesuresAssociees' },
	{ key: 'sideEffects', valueSet: 'JDV_GestionEffetsSecondaires' }
] as const;
/** One of the checkbox groups. */
export type PpsOfferKey = (typeof PPS_OFFER_GROUPS)[number]['key'];

/** The fields of a row of the calendar and of the care team. */
export const PHASE_FIELDS = ['type', 'description', 'start', 'end', 'durationWeeks', 'placeOfCare'] as const;
export const MEMBER_FIELDS = ['role', 'name', 'phone', 'email', 'rpps'] as const;
/** The two tables of the form. */
export type PpsTable = 'phases' | 'careTeam';
const FIELDS_OF: Record<PpsTable, readonly string[]> = { phases: PHASE_FIELDS, careTeam: MEMBER_FIELDS };
// The fields that say a row holds something (a care-team row always has a role, from its select).
const TYPED_FIELDS: Record<PpsTable, readonly string[]> = { phases: PHASE_FIELDS, careTeam: ['name', 'phone', 'email', 'rpps'] };

/** The form field a zod issue path of a PpsDraft concerns. */
export function ppsFieldName(path: readonly PropertyKey[]): string {
	const [head, second, third] = path.map(String);
	if (head === 'phases' || head === 'careTeam') {
		if (second === undefined) return head;
		// An issue about a whole phase (it overlaps another) is shown by its start date.
		return `${head}.${second}.${third ?? (head === 'phases' ? 'start' : 'name')}`;
	}
	if (PPS_OFFER_GROUPS.some((group) => group.key === head)) return `${head}.${second === 'note' ? 'note' : 'codes'}`;
	if (head === 'updateReason') return `updateReason.${second === 'note' ? 'note' : 'code'}`;
	return head || 'form';
}

/** The posted form as flat values (to fill the form again after a refusal). */
export function ppsFormValues(form: FormData): PpsFormValues {
	const values: PpsFormValues = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key).filter((value) => typeof value === 'string');
		values[key] = key.endsWith('.codes') ? all : (all[0] ?? '');
	}
	return values;
}

/** How many rows of a table the values hold (blank ones included). */
export function rowCount(values: PpsFormValues, table: PpsTable): number {
	let count = 0;
	const pattern = new RegExp(`^${table}\\.(\\d+)\\.`);
	for (const key of Object.keys(values)) {
		const match = pattern.exec(key);
		if (match) count = Math.max(count, Number(match[1]) + 1);
	}
	return count;
}

const one = (values: PpsFormValues, key: string) => {
	const value = values[key];
	return typeof value === 'string' ? value : '';
};
const many = (values: PpsFormValues, key: string) => {
	const value = values[key];
	return Array.isArray(value) ? value : value ? [value] : [];
};

function rows(values: PpsFormValues, table: PpsTable): Record<string, string>[] {
	const found: Record<string, string>[] = [];
	for (let i = 0; i < rowCount(values, table); i++) {
		const row = Object.fromEntries(FIELDS_OF[table].map((field) => [field, one(values, `${table}.${i}.${field}`)]));
		if (TYPED_FIELDS[table].some((field) => row[field].trim() !== '')) found.push(row);
	}
	return found;
}

/**
 * The candidate draft (not yet validated) from the form's values. Blank rows are left out,
 * but the others keep their place: a row's index in the errors is its index among the
 * filled rows, which is also its index once the form is shown again from these values.
 */
export function draftFromForm(values: PpsFormValues): unknown {
	const reason = one(values, 'updateReason.code');
	return {
		diagnosis: one(values, 'diagnosis'),
		phases: rows(values, 'phases'),
		careTeam: rows(values, 'careTeam'),
		...Object.fromEntries(PPS_OFFER_GROUPS.map(({ key }) => [key, { codes: many(values, `${key}.codes`), note: one(values, `${key}.note`) }])),
		updateReason: reason ? { code: reason, note: one(values, 'updateReason.note') } : null
	};
}

/** The values without their blank rows, renumbered: the form shown again lines up with the errors' indexes. */
export function compactRows(values: PpsFormValues): PpsFormValues {
	const compact: PpsFormValues = Object.fromEntries(Object.entries(values).filter(([key]) => !/^(phases|careTeam)\.\d+\./.test(key)));
	for (const table of ['phases', 'careTeam'] as const) {
		rows(values, table).forEach((row, i) => {
			for (const [field, value] of Object.entries(row)) compact[`${table}.${i}.${field}`] = value;
		});
	}
	return compact;
}

const str = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** A stored draft as the form's values. */
export function formValuesOfDraft(draft: PpsDraft): PpsFormValues {
	const values: PpsFormValues = { diagnosis: draft.diagnosis };
	draft.phases.forEach((phase, i) => {
		for (const field of PHASE_FIELDS) values[`phases.${i}.${field}`] = str(phase[field]);
	});
	draft.careTeam.forEach((member, i) => {
		for (const field of MEMBER_FIELDS) values[`careTeam.${i}.${field}`] = str(member[field]);
	});
	for (const { key } of PPS_OFFER_GROUPS) {
		values[`${key}.codes`] = [...(draft[key]?.codes ?? [])];
		values[`${key}.note`] = draft[key]?.note ?? '';
	}
	values['updateReason.code'] = draft.updateReason?.code ?? '';
	values['updateReason.note'] = draft.updateReason?.note ?? '';
	return values;
}

/** The values with a blank row added to `table`, or its row `index` removed (the rows after it move up). */
export function editRows(values: PpsFormValues, change: { add: PpsTable } | { remove: PpsTable; index: number }): PpsFormValues {
	const table = 'add' in change ? change.add : change.remove;
	const count = rowCount(values, table);
	const next: PpsFormValues = Object.fromEntries(Object.entries(values).filter(([key]) => !key.startsWith(`${table}.`)));
	let target = 0;
	for (let i = 0; i < count; i++) {
		if ('remove' in change && i === change.index) continue;
		for (const field of FIELDS_OF[table]) next[`${table}.${target}.${field}`] = one(values, `${table}.${i}.${field}`);
		target++;
	}
	if ('add' in change) for (const field of FIELDS_OF[table]) next[`${table}.${target}.${field}`] = field === 'role' ? 'other' : '';
	return next;
}
