/**
 * The trial form's flat fields ⇄ a TrialInput. The form posts flat names
 * (`criteria.stage.t.min`, `sites.0.investigator`…) that are also the names of the errors
 * `saveTrial` returns; TrialInput (src/lib/domain/trial.ts) stays the one description of
 * what is valid.
 */
import type { TrialCriteria, TrialInput } from '../domain/trial.ts';

/** What the form shows: a string per field, a list for multiple choices. */
export type TrialFormValues = Record<string, string | string[]>;

/** How many empty site rows the form offers after the trial's sites. */
export const BLANK_SITE_ROWS = 2;

/** Fields that hold lists: their errors concern the whole field. */
const LIST_FIELDS = ['criteria.organs', 'criteria.icd10', 'criteria.histology', 'criteria.stage.m'];

/** The form field a TrialInput issue path concerns. */
export function trialFieldName(path: readonly PropertyKey[]): string {
	const name = path.map(String).join('.');
	const list = LIST_FIELDS.find((field) => name === field || name.startsWith(`${field}.`));
	if (list) return list;
	if (name === 'criteria.age' || name === 'criteria.lines') return `${name}.max`;
	return name || 'form';
}

/** The posted form as flat values (to fill the form again after a refusal). */
export function formValues(form: FormData): TrialFormValues {
	const values: TrialFormValues = {};
	for (const key of new Set(form.keys())) {
		const all = form.getAll(key).map(String);
		values[key] = key === 'criteria.organs' || key === 'criteria.stage.m' ? all : (all[0] ?? '');
	}
	return values;
}

const words = (value: string | string[] | undefined) => String(value ?? '').split(/[\s,;|]+/).filter(Boolean);
const lines = (value: string | string[] | undefined) => String(value ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
const many = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? [value] : []);

/** The number of site rows posted (sites.0.site, sites.1.site…). */
function siteRows(values: TrialFormValues): number {
	let count = 0;
	for (const key of Object.keys(values)) {
		const match = /^sites\.(\d+)\.site$/.exec(key);
		if (match) count = Math.max(count, Number(match[1]) + 1);
	}
	return count;
}

/** Builds the candidate TrialInput (not yet validated) from the form's values; empty site rows are dropped. */
export function trialFromForm(values: TrialFormValues): unknown {
	const one = (key: string) => String(values[key] ?? '');
	const sites = [];
	for (let i = 0; i < siteRows(values); i++) {
		const site = { site: one(`sites.${i}.site`), investigator: one(`sites.${i}.investigator`), contact: one(`sites.${i}.contact`), open: values[`sites.${i}.open`] === 'on' };
		if (site.site.trim() || site.investigator.trim() || site.contact.trim()) sites.push(site);
	}
	return {
		title: one('title'),
		acronym: one('acronym'),
		euCtNumber: one('euCtNumber'),
		nctId: one('nctId'),
		localNumber: one('localNumber'),
		sponsor: one('sponsor'),
		phase: one('phase'),
		status: one('status'),
		openedAt: one('openedAt'),
		closedAt: one('closedAt'),
		eligibilityText: one('eligibilityText'),
		sites,
		criteria: {
			organs: many(values['criteria.organs']),
			icd10: words(values['criteria.icd10']),
			histology: lines(values['criteria.histology']),
			stage: {
				t: { min: one('criteria.stage.t.min'), max: one('criteria.stage.t.max') },
				n: { min: one('criteria.stage.n.min'), max: one('criteria.stage.n.max') },
				m: many(values['criteria.stage.m'])
			},
			age: { min: one('criteria.age.min'), max: one('criteria.age.max') },
			performanceStatusMax: one('criteria.performanceStatusMax'),
			biomarkers: one('criteria.biomarkers'),
			lines: { min: one('criteria.lines.min'), max: one('criteria.lines.max') }
		}
	};
}

const str = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** A trial as the form's values, for its edit form. */
export function trialFormValues(trial: Omit<TrialInput, 'criteria' | 'phase'> & { phase: string | null; criteria: TrialCriteria }): TrialFormValues {
	const c = trial.criteria;
	const values: TrialFormValues = {
		title: trial.title,
		acronym: str(trial.acronym),
		euCtNumber: str(trial.euCtNumber),
		nctId: str(trial.nctId),
		localNumber: str(trial.localNumber),
		sponsor: trial.sponsor,
		phase: str(trial.phase),
		status: trial.status,
		openedAt: str(trial.openedAt),
		closedAt: str(trial.closedAt),
		eligibilityText: trial.eligibilityText,
		'criteria.organs': [...c.organs],
		'criteria.icd10': c.icd10.join(', '),
		'criteria.histology': c.histology.join('\n'),
		'criteria.stage.t.min': str(c.stage.t?.min),
		'criteria.stage.t.max': str(c.stage.t?.max),
		'criteria.stage.n.min': str(c.stage.n?.min),
		'criteria.stage.n.max': str(c.stage.n?.max),
		'criteria.stage.m': [...(c.stage.m ?? [])],
		'criteria.age.min': str(c.age?.min),
		'criteria.age.max': str(c.age?.max),
		'criteria.performanceStatusMax': str(c.performanceStatusMax),
		'criteria.biomarkers': c.biomarkers,
		'criteria.lines.min': str(c.lines?.min),
		'criteria.lines.max': str(c.lines?.max)
	};
	trial.sites.forEach((site, i) => {
		values[`sites.${i}.site`] = site.site;
		values[`sites.${i}.investigator`] = site.investigator;
		values[`sites.${i}.contact`] = site.contact;
		if (site.open) values[`sites.${i}.open`] = 'on';
	});
	return values;
}
