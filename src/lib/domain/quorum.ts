/**
 * The quorum of a tumour board, as data: a minimum number of distinct physician
 * specialties plus specialties (or groups of specialties) that must be present. Rules
 * differ per board, so they are stored with the board; the defaults below follow the
 * national référentiel of 2023.
 */
import { z } from 'zod';
import {
	SPECIALTY_GROUPS,
	SPECIALTY_GROUP_LABELS,
	Specialty,
	specialty,
	type SpecialtyCode,
	type SpecialtyGroup
} from './specialties.ts';

/**
 * One required presence: a specific specialty (`{ specialty: 'medical-oncology' }`) or
 * any specialty of a group (`{ group: 'surgery' }`: "a surgeon", whatever the organ).
 */
export const QuorumRequirement = z.union([
	z.strictObject({ specialty: Specialty }),
	z.strictObject({ group: z.enum(SPECIALTY_GROUPS, { error: 'Groupe de spécialités inconnu' }) })
]);
/** A required specialty or group of specialties. */
export type QuorumRequirement = z.infer<typeof QuorumRequirement>;

/** A board's quorum rule, as stored with the board. */
export const QuorumRule = z.strictObject({
	minDistinctSpecialties: z
		.number()
		.int('Nombre entier attendu')
		.min(1, 'Au moins une spécialité')
		.max(20, 'Au plus 20 spécialités'),
	requiredSpecialties: z.array(QuorumRequirement).max(20)
});
/** A board's quorum rule. */
export type QuorumRule = z.infer<typeof QuorumRule>;

/** Standard board (outside haematology), référentiel 2023: surgeon, medical and radiation oncologists. */
export const STANDARD_QUORUM: QuorumRule = {
	minDistinctSpecialties: 3,
	requiredSpecialties: [{ group: 'surgery' }, { specialty: 'medical-oncology' }, { specialty: 'radiation-oncology' }]
};

/** The legal minimum alone: three physicians of different specialties. */
export const THREE_SPECIALTIES_QUORUM: QuorumRule = {
	minDistinctSpecialties: 3,
	requiredSpecialties: []
};

/** Haematology board: three specialties including a haematologist. */
export const HAEMATOLOGY_QUORUM: QuorumRule = {
	minDistinctSpecialties: 3,
	requiredSpecialties: [{ specialty: 'haematology' }]
};

/** Traffic-light status: all conditions met, one of the two met, or neither. */
export type QuorumStatus = 'met' | 'partial' | 'not-met';

/** A requirement nobody present satisfies, with its French label for display. */
export interface MissingRequirement {
	requirement: QuorumRequirement;
	/** e.g. "Oncologie médicale", or "Chirurgie (toute spécialité chirurgicale)". */
	label: string;
}

/** What `evaluateQuorum` answers. */
export interface QuorumEvaluation {
	/** True when both the count and every requirement are satisfied. */
	met: boolean;
	/**
	 * 'met'; 'partial' when exactly one of the two conditions holds (enough specialties but
	 * a required one missing, or every required one present but too few specialties);
	 * 'not-met' otherwise.
	 */
	status: QuorumStatus;
	/** Number of distinct physician specialties present. */
	distinct: number;
	/** How many more distinct specialties are needed (0 when enough). */
	distinctShortfall: number;
	/** Requirements not satisfied, in rule order. */
	missing: MissingRequirement[];
}

/** French label of a requirement. */
export function requirementLabel(requirement: QuorumRequirement): string {
	if ('specialty' in requirement) return specialty(requirement.specialty).labelFr;
	return `${SPECIALTY_GROUP_LABELS[requirement.group]} (toute spécialité du groupe)`;
}

/**
 * Evaluates a quorum rule against the specialties of the physicians present (one entry
 * per participant; duplicates are expected). Non-physician professions (pharmacist,
 * coordinating nurse) neither count nor satisfy a requirement: the law asks for physicians.
 */
export function evaluateQuorum(rule: QuorumRule, presentSpecialties: readonly SpecialtyCode[]): QuorumEvaluation {
	const present = new Set(presentSpecialties.filter((code) => specialty(code).physician));
	const groups = new Set<SpecialtyGroup>([...present].map((code) => specialty(code).group));
	const missing = rule.requiredSpecialties
		.filter((req) => ('specialty' in req ? !present.has(req.specialty) : !groups.has(req.group)))
		.map((requirement) => ({ requirement, label: requirementLabel(requirement) }));
	const distinct = present.size;
	const enough = distinct >= rule.minDistinctSpecialties;
	const allRequired = missing.length === 0;
	return {
		met: enough && allRequired,
		status: enough && allRequired ? 'met' : enough || allRequired ? 'partial' : 'not-met',
		distinct,
		distinctShortfall: Math.max(0, rule.minDistinctSpecialties - distinct),
		missing
	};
}
