/**
 * The network's clinical trials directory (DOMAIN.md, "Clinical trials"): a trial, its
 * sites and its pre-screening criteria, and the pre-screening of a case against them.
 * Pre-screening helps a board think of a trial; eligibility stays the investigator's call,
 * so a criterion the case does not document is "unknown", never a refusal.
 */
import { z } from 'zod';
import type { CaseFicheDraft } from './case-fiche.ts';
import { ClinicalM, ClinicalN, ClinicalT, Icd10 } from './identifiers.ts';
import { parisDate } from './schedule.ts';
import { fitRange, fitSet, ordered, type Fit } from './tnm-scale.ts';
import { codeIn } from './value-sets.ts';

/** A trial's recruitment status. */
export const TRIAL_STATUSES = ['open', 'suspended', 'closed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/** Whether the patient of a case proposed for a trial was included (recorded after the meeting). */
export const TRIAL_OUTCOMES = ['included', 'not-included'] as const;
export type TrialOutcome = (typeof TRIAL_OUTCOMES)[number];

/** The criteria the pre-screening compares with a case. */
export const TRIAL_CRITERIA = ['organ', 'icd10', 'histology', 'stage', 'age', 'performanceStatus', 'biomarkers', 'lines'] as const;
export type TrialCriterion = (typeof TRIAL_CRITERIA)[number];

/** match: the case satisfies it; mismatch: it does not; unknown: the case does not say (or the criterion cannot be checked from a fiche). */
export type CriterionResult = 'match' | 'mismatch' | 'unknown';

/** One criterion of a trial compared with a case; `expected` and `actual` are data (codes, numbers, ranges), not sentences. */
export interface CriterionCheck {
	criterion: TrialCriterion;
	result: CriterionResult;
	/** What the trial asks, e.g. "C18, C19, C20", "T3–T4b", "18–75", "0–1". */
	expected: string;
	/** What the case says, null when it does not say. */
	actual: string | null;
}

/** A trial as shown beside a case. */
export interface TrialSummary {
	id: string;
	title: string;
	acronym: string | null;
	euCtNumber: string | null;
	nctId: string | null;
	localNumber: string | null;
	sponsor: string;
	phase: string | null;
	status: TrialStatus;
	sites: { site: string; investigator: string; contact: string; open: boolean }[];
}

/** An open trial that may fit a case: no criterion fails; what matched and what is unknown. */
export interface TrialMatch {
	trial: TrialSummary;
	/** Every constrained criterion, in TRIAL_CRITERIA order. */
	checks: CriterionCheck[];
}

// ---------------------------------------------------------------------------------------
// What a trial is: identifiers, status, sites and pre-screening criteria

/** Phases of a trial, as the directory records them. */
export const TRIAL_PHASES = ['I', 'I-II', 'II', 'II-III', 'III', 'IV'] as const;
export type TrialPhase = (typeof TRIAL_PHASES)[number];

/** An EU CT number (CTIS): year, six digits, two digits, two digits, e.g. 2023-501234-12-00. */
export const EU_CT_NUMBER = /^\d{4}-\d{6}-\d{2}-\d{2}$/;
/** A ClinicalTrials.gov identifier: NCT and eight digits. */
export const NCT_ID = /^NCT\d{8}$/;
/** An ICD-O-3 morphology code (8140/3), or its four digits alone (any behaviour). */
const MORPHOLOGY = /^\d{4}(\/\d)?$/;

/** A blank string or null means "not given". */
const blankToUndefined = (value: unknown) => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());
const orNull = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional()).transform((v) => v ?? null);
const text = (max: number) => z.string().trim().max(max, `${max} caractères au plus`);
const integer = (min: number, max: number, what: string) =>
	z.preprocess(
		(v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
		z.number({ error: `${what} : un nombre entier de ${min} à ${max}` }).int(`${what} : un nombre entier`).min(min, `${what} : ${min} au moins`).max(max, `${what} : ${max} au plus`)
	);

/** Inclusive bounds, either of which may be open; both open means "no constraint". */
const bounds = (min: number, max: number, what: string) =>
	optional(
		z
			.strictObject({ min: optional(integer(min, max, `${what} minimum`)), max: optional(integer(min, max, `${what} maximum`)) })
			.refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, { message: `${what} : le minimum dépasse le maximum`, path: ['max'] })
			.transform((b) => (b.min === undefined && b.max === undefined ? undefined : b))
	);

const onScale = <S extends z.ZodType<string>>(schema: S, unknownCategory: string, letter: string) =>
	schema.refine((c) => c !== unknownCategory, { message: `c${letter}X ne borne rien : choisissez une catégorie connue` });
const T = onScale(ClinicalT, 'TX', 'T');
const N = onScale(ClinicalN, 'NX', 'N');

const tnmRange = (component: 'n' | 't', category: typeof T | typeof N, letter: string) =>
	optional(
		z
			.strictObject({ min: optional(category), max: optional(category) })
			.refine((r) => !r.min || !r.max || ordered(component, r.min, r.max), { message: `c${letter} : la borne basse dépasse la borne haute`, path: ['max'] })
			.transform((r) => (r.min === undefined && r.max === undefined ? undefined : r))
	);

/** A histology term of a trial: a keyword of the histology text, or an ICD-O-3 morphology code. */
const HistologyTerm = z.string().trim().min(1, 'Terme d’histologie vide').max(200, '200 caractères au plus');

/**
 * What a trial asks of a patient, as far as a fiche RCP can tell. An empty list or an
 * absent bound constrains nothing; biomarkers and lines of treatment are shown to the board
 * but a fiche does not code them.
 */
export const TrialCriteria = z.strictObject({
	/** JDV_RCP_Organe codes. */
	organs: z.array(codeIn('JDV_RCP_Organe')).max(50).default([]),
	/** ICD-10 codes or categories (C18 covers C18.0–C18.9). */
	icd10: z.array(Icd10).max(100).default([]),
	/** Keywords of the histology (adénocarcinome) or ICD-O-3 morphology codes (8140/3). */
	histology: z.array(HistologyTerm).max(50).default([]),
	/** cT and cN ranges, and the accepted cM categories. */
	stage: z
		.strictObject({ t: tnmRange('t', T, 'T'), n: tnmRange('n', N, 'N'), m: optional(z.array(ClinicalM).max(10)) })
		.default({})
		.transform((s) => ({ ...(s.t && { t: s.t }), ...(s.n && { n: s.n }), ...(s.m?.length ? { m: s.m } : {}) })),
	/** Age in years on the day of the pre-screening, inclusive. */
	age: bounds(0, 120, 'Âge'),
	/** The highest WHO performance status accepted (0–4). */
	performanceStatusMax: optional(integer(0, 4, 'Indice OMS maximal')),
	/** Required biomarkers, as the protocol words them. */
	biomarkers: text(2000).default(''),
	/** Number of previous lines of treatment. */
	lines: bounds(0, 20, 'Lignes de traitement')
});
export type TrialCriteria = z.output<typeof TrialCriteria>;

/** A site of the network where the trial recruits. */
export const TrialSiteInput = z.strictObject({
	site: text(200).min(1, 'Nommez le site'),
	investigator: text(200).default(''),
	contact: text(300).default(''),
	open: z.boolean().default(true)
});
export type TrialSiteInput = z.output<typeof TrialSiteInput>;

/** A trial as an editor writes it or an import reads it. */
export const TrialInput = z
	.strictObject({
		title: text(500).min(1, 'Donnez le titre de l’essai'),
		acronym: orNull(text(100)),
		euCtNumber: orNull(z.string().trim().regex(EU_CT_NUMBER, 'Numéro EU CT au format AAAA-NNNNNN-NN-NN (ex. 2023-501234-12-00)')),
		nctId: orNull(
			z
				.string()
				.trim()
				.transform((v) => v.toUpperCase())
				.pipe(z.string().regex(NCT_ID, 'Numéro NCT au format NCT suivi de 8 chiffres (ex. NCT01234567)'))
		),
		localNumber: orNull(text(60)),
		sponsor: text(300).default(''),
		phase: orNull(z.enum(TRIAL_PHASES, { error: `Phase : ${TRIAL_PHASES.join(', ')}` })),
		status: z.enum(TRIAL_STATUSES, { error: 'Statut : ouvert, suspendu ou clos' }),
		openedAt: orNull(z.iso.date({ error: 'Date d’ouverture au format AAAA-MM-JJ' })),
		closedAt: orNull(z.iso.date({ error: 'Date de clôture au format AAAA-MM-JJ' })),
		sites: z.array(TrialSiteInput).max(100, '100 sites au plus').default([]),
		criteria: TrialCriteria.default(TrialCriteria.parse({})),
		eligibilityText: text(20_000).default('')
	})
	.superRefine((trial, ctx) => {
		if (!trial.euCtNumber && !trial.nctId && !trial.localNumber) {
			ctx.addIssue({ code: 'custom', path: ['euCtNumber'], message: 'Donnez au moins un identifiant : numéro EU CT, NCT ou numéro local' });
		}
		if (trial.status === 'closed' && !trial.closedAt) {
			ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'Un essai clos a une date de clôture' });
		}
		if (trial.openedAt && trial.closedAt && trial.closedAt < trial.openedAt) {
			ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'La clôture précède l’ouverture' });
		}
	});
export type TrialInput = z.output<typeof TrialInput>;

/** French labels of the statuses. */
export const TRIAL_STATUS_LABELS: Record<TrialStatus, string> = { open: 'Ouvert', suspended: 'Suspendu', closed: 'Clos' };

// ---------------------------------------------------------------------------------------
// Pre-screening of a case

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

const range = (r: { min?: number | string; max?: number | string }): string =>
	r.min !== undefined && r.max !== undefined ? (r.min === r.max ? `${r.min}` : `${r.min}–${r.max}`) : r.min !== undefined ? `≥ ${r.min}` : `≤ ${r.max}`;

const withinBounds = (value: number, b: { min?: number; max?: number }) => (b.min === undefined || value >= b.min) && (b.max === undefined || value <= b.max);

/** Completed years between a 'YYYY-MM-DD' birth date and a Paris calendar day (a 29 February birthday falls on 1 March). */
export function ageOn(birthDate: string, day: string): number {
	const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
	return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** The ICD-10 code of a case falls under a trial's code or category. */
const underIcd10 = (code: string, category: string) => code === category || code.startsWith(category.includes('.') ? category : `${category}.`);

function checkHistology(terms: string[], fiche: CaseFicheDraft): CriterionCheck {
	const code = fiche.histologyCode ?? null;
	const words = fiche.histology ? fold(fiche.histology) : null;
	let comparable = 0;
	let matched = false;
	for (const term of terms) {
		if (MORPHOLOGY.test(term)) {
			if (!code) continue;
			comparable++;
			matched ||= term.includes('/') ? code === term : code.startsWith(`${term}/`);
		} else {
			if (words === null) continue;
			comparable++;
			matched ||= words.includes(fold(term));
		}
	}
	const actual = [code, fiche.histology].filter(Boolean).join(' ') || null;
	// A term the case cannot be compared with might be the one it meets.
	const result = matched ? 'match' : comparable === terms.length ? 'mismatch' : 'unknown';
	return { criterion: 'histology', result, expected: terms.join(', '), actual };
}

function checkStage(stage: TrialCriteria['stage'], fiche: CaseFicheDraft): CriterionCheck {
	const fits: (Fit | null)[] = [];
	const expected: string[] = [];
	if (stage.t) {
		expected.push(range(stage.t));
		fits.push(fiche.clinicalT ? fitRange('t', fiche.clinicalT, stage.t) : null);
	}
	if (stage.n) {
		expected.push(range(stage.n));
		fits.push(fiche.clinicalN ? fitRange('n', fiche.clinicalN, stage.n) : null);
	}
	if (stage.m) {
		expected.push(stage.m.join('/'));
		fits.push(fiche.clinicalM ? fitSet('m', fiche.clinicalM, stage.m) : null);
	}
	const actual = [fiche.clinicalT, fiche.clinicalN, fiche.clinicalM].filter(Boolean).join(' ') || null;
	const result = fits.includes('outside') ? 'mismatch' : fits.every((f) => f === 'inside') ? 'match' : 'unknown';
	return { criterion: 'stage', result, expected: expected.join(' '), actual };
}

/**
 * Compares a case's fiche with a trial's criteria: one check per constrained criterion, in
 * TRIAL_CRITERIA order. Age is counted on the Paris calendar day of `asOf`.
 */
export function prescreen(criteria: TrialCriteria, fiche: CaseFicheDraft, asOf: Date): CriterionCheck[] {
	const checks: CriterionCheck[] = [];
	const compare = (criterion: TrialCriterion, expected: string, actual: string | null, fits: (actual: string) => boolean) =>
		checks.push({ criterion, expected, actual, result: actual === null ? 'unknown' : fits(actual) ? 'match' : 'mismatch' });

	if (criteria.organs.length) compare('organ', criteria.organs.join(', '), fiche.organ ?? null, (organ) => (criteria.organs as string[]).includes(organ));
	if (criteria.icd10.length) compare('icd10', criteria.icd10.join(', '), fiche.tumourSiteCode ?? null, (code) => criteria.icd10.some((c) => underIcd10(code, c)));
	if (criteria.histology.length) checks.push(checkHistology(criteria.histology, fiche));
	if (criteria.stage.t || criteria.stage.n || criteria.stage.m) checks.push(checkStage(criteria.stage, fiche));
	if (criteria.age) {
		const age = fiche.birthDate ? ageOn(fiche.birthDate, parisDate(asOf)) : null;
		const bounds = criteria.age;
		compare('age', range(bounds), age === null ? null : String(age), (a) => withinBounds(Number(a), bounds));
	}
	if (criteria.performanceStatusMax !== undefined) {
		const max = criteria.performanceStatusMax;
		const ps = fiche.performanceStatus;
		compare('performanceStatus', max === 0 ? '0' : `0–${max}`, ps === undefined ? null : String(ps), (a) => Number(a) <= max);
	}
	// A fiche codes neither biomarkers nor previous lines: the investigator checks them.
	if (criteria.biomarkers) checks.push({ criterion: 'biomarkers', result: 'unknown', expected: criteria.biomarkers, actual: null });
	if (criteria.lines) checks.push({ criterion: 'lines', result: 'unknown', expected: range(criteria.lines), actual: null });
	return checks;
}

/** A trial may fit the case when no criterion fails. */
export const mayFit = (checks: readonly CriterionCheck[]): boolean => checks.every((c) => c.result !== 'mismatch');

/** Best first: most criteria matched, then fewest unknown. */
export const byFit = (a: readonly CriterionCheck[], b: readonly CriterionCheck[]): number => {
	const count = (checks: readonly CriterionCheck[], result: CriterionResult) => checks.filter((c) => c.result === result).length;
	return count(b, 'match') - count(a, 'match') || count(a, 'unknown') - count(b, 'unknown');
};

// ---------------------------------------------------------------------------------------
// After the meeting: was the patient included?

/** French labels of the inclusion outcomes. */
export const TRIAL_OUTCOME_LABELS: Record<TrialOutcome, string> = { included: 'Inclus', 'not-included': 'Non inclus' };

/** Whether the patient proposed for a trial was included, why not, and on which day. */
export const TrialOutcomeInput = z.strictObject({
	outcome: z.enum(TRIAL_OUTCOMES, { error: 'Indiquez si le patient a été inclus' }),
	/** Why not (screen failure, refusal…), without identity. */
	reason: text(1000).default(''),
	on: orNull(z.iso.date({ error: 'Date au format AAAA-MM-JJ' }))
});
export type TrialOutcomeInput = z.output<typeof TrialOutcomeInput>;
