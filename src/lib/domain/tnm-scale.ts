/**
 * The order of the clinical TNM categories, for stage ranges such as "cT3 to cT4b". A
 * category with subcategories spans them (T2 covers T2a and T2b), so a range up to T2
 * includes T2b, and a case staged T2 against a range from T2b can neither pass nor fail.
 * TX and NX say the stage is unknown and have no place on the scale.
 */
import { M_CATEGORIES, N_CATEGORIES, T_CATEGORIES } from './identifiers.ts';

/** One of the three cTNM components, with its ordered categories (unknown ones left out). */
export const TNM_SCALES = {
	t: T_CATEGORIES.filter((c) => c !== 'TX'),
	n: N_CATEGORIES.filter((c) => c !== 'NX'),
	m: [...M_CATEGORIES]
} as const satisfies Record<string, readonly string[]>;
export type TnmComponent = keyof typeof TNM_SCALES;

/** Whether `sub` is a subcategory of `parent` (T1a of T1, N1mi of N1). */
const isSubcategory = (parent: string, sub: string) => sub.length > parent.length && sub.startsWith(parent) && /^[a-z]/.test(sub.slice(parent.length));

/** The positions on the scale a category covers, inclusive; null for TX, NX or a category not on the scale. */
export function span(component: TnmComponent, category: string): { lo: number; hi: number } | null {
	const scale: readonly string[] = TNM_SCALES[component];
	const lo = scale.indexOf(category);
	if (lo < 0) return null;
	let hi = lo;
	while (hi + 1 < scale.length && isSubcategory(category, scale[hi + 1])) hi++;
	return { lo, hi };
}

/** How a category compares with a set of positions: wholly inside, wholly outside, or partly (unknown). */
export type Fit = 'inside' | 'outside' | 'partly';

/** Whether `category` lies in the range from `min` to `max` (each spanning its subcategories). */
export function fitRange(component: TnmComponent, category: string, range: { min?: string; max?: string }): Fit | null {
	const value = span(component, category);
	if (!value) return null;
	const last = TNM_SCALES[component].length - 1;
	const lo = range.min ? (span(component, range.min)?.lo ?? 0) : 0;
	const hi = range.max ? (span(component, range.max)?.hi ?? last) : last;
	if (value.lo >= lo && value.hi <= hi) return 'inside';
	if (value.hi < lo || value.lo > hi) return 'outside';
	return 'partly';
}

/** Whether `category` is one of `accepted` (each spanning its subcategories). */
export function fitSet(component: TnmComponent, category: string, accepted: readonly string[]): Fit | null {
	const value = span(component, category);
	if (!value) return null;
	const covered = new Set<number>();
	for (const code of accepted) {
		const s = span(component, code);
		if (s) for (let i = s.lo; i <= s.hi; i++) covered.add(i);
	}
	let inside = 0;
	for (let i = value.lo; i <= value.hi; i++) if (covered.has(i)) inside++;
	if (inside === value.hi - value.lo + 1) return 'inside';
	return inside === 0 ? 'outside' : 'partly';
}

/** Whether `min` comes no later than `max` on the scale. */
export const ordered = (component: TnmComponent, min: string, max: string): boolean =>
	(span(component, min)?.lo ?? 0) <= (span(component, max)?.lo ?? 0);
