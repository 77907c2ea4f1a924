/**
 * The PPS (programme personnalisé de soins): the patient's treatment plan written after the
 * RCP, given to the patient in plain French and shared as a CDA "CANCER-PPS" document
 * (CI-SIS, LOINC 18776-5) and a FHIR CarePlan.
 *
 * `PpsDraft` is what the physician edits; `ppsDraftSchema(version)` adds the rules that
 * depend on the version (a new plan cannot start in the past; an update says why).
 * `PpsSnapshot` is a version as issued, self-contained like the fiche's snapshot: the PDF,
 * the CDA and the FHIR Bundle are rendered from it alone.
 *
 * Dates of the calendar are calendar days 'YYYY-MM-DD' (Paris); instants are ISO strings.
 */
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { z } from 'zod';
import { clock } from '../clock.ts';
import { Email, Phone, type PatientTraits } from './case-fiche.ts';
import type { FichePerson } from './fiche.ts';
import { Rpps } from './identifiers.ts';
import { parisDate } from './schedule.ts';
import { codeIn, findConcept } from './value-sets.ts';

const text = (max: number) => z.string().trim().max(max, `${max} caractères au plus`);
const note = text(2000).default('');

/** Who a member of the care team is to the patient. */
export const CARE_TEAM_ROLES = ['referring', 'gp', 'nurse-coordinator', 'other'] as const;
/** French labels of the care-team roles. */
export const CARE_TEAM_ROLE_LABELS: Record<CareTeamRole, string> = {
	referring: 'Médecin référent',
	gp: 'Médecin traitant',
	'nurse-coordinator': 'Infirmier(ère) de coordination',
	other: 'Autre professionnel'
};
/** Zod schema of a care-team role. */
export const CareTeamRole = z.enum(CARE_TEAM_ROLES, { error: 'Rôle inconnu dans l’équipe de soins' });
/** Who a member of the care team is to the patient. */
export type CareTeamRole = z.infer<typeof CareTeamRole>;

/** Turns blank form fields into null, so that an emptied field reads as "not given". */
const optional = <S extends z.ZodType>(schema: S) =>
	z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? null : value), schema.nullable().default(null));

const CalendarDay = (label: string) => z.iso.date({ error: `${label} au format AAAA-MM-JJ` });

/** One phase of the treatment programme: a treatment type, when, and where. */
export const PpsPhase = z
	.object({
		/** JDV_TypeTraitementPPS code. */
		type: codeIn('JDV_TypeTraitementPPS'),
		description: text(1000).default(''),
		start: CalendarDay('Date de début'),
		/** Last day of the phase (inclusive), or null. */
		end: optional(CalendarDay('Date de fin')),
		/** Instead of an end date: how many weeks the phase lasts. */
		durationWeeks: optional(
			z.coerce.number({ error: 'Durée en semaines : un nombre' }).int('Durée en semaines : un nombre entier').min(1, 'Durée : une semaine au moins').max(520, 'Durée : 520 semaines au plus')
		),
		placeOfCare: text(200).min(1, 'Indiquez le lieu de prise en charge.')
	})
	.superRefine((phase, ctx) => {
		if (phase.end !== null && phase.durationWeeks !== null) {
			ctx.addIssue({ code: 'custom', path: ['durationWeeks'], message: 'Indiquez une date de fin ou une durée, pas les deux.' });
		}
		if (phase.end !== null && phase.end < phase.start) {
			ctx.addIssue({ code: 'custom', path: ['end'], message: 'La date de fin précède la date de début.' });
		}
	});
/** One phase of the treatment programme. */
export type PpsPhase = z.output<typeof PpsPhase>;

/** A member of the care team, with how to reach them. */
export const CareTeamMember = z.object({
	role: CareTeamRole,
	name: text(200).min(2, 'Indiquez le nom.'),
	phone: optional(Phone),
	email: optional(Email),
	rpps: optional(Rpps)
});
/** A member of the care team. */
export type CareTeamMember = z.output<typeof CareTeamMember>;

/** Codes of one value set, each at most once, with a free note. */
const codedOffer = <S extends z.ZodType<string>>(code: S) =>
	z.object({
		codes: z.array(code).refine((codes) => new Set(codes).size === codes.length, 'Un même élément est coché deux fois.').default([]),
		note
	});

/** What the physician edits: the PPS content, without the rules that depend on its version. */
export const PpsDraft = z
	.object({
		/** The diagnosis in words, pre-filled from the fiche. */
		diagnosis: text(2000).min(1, 'Indiquez le diagnostic.'),
		phases: z.array(PpsPhase).max(50, '50 phases au plus'),
		careTeam: z.array(CareTeamMember).max(30, '30 membres au plus'),
		supportiveCare: codedOffer(codeIn('JDV_SoinsOncoDeSupport')),
		socialSupport: codedOffer(codeIn('JDV_TypeAccompagnementSocioPro')),
		associatedMeasures: codedOffer(codeIn('JDV_MesuresAssociees')),
		sideEffects: codedOffer(codeIn('JDV_GestionEffetsSecondaires')),
		/** Why this version replaces the previous one (JDV_MotifMiseAJour); null on the first version. */
		updateReason: z.object({ code: codeIn('JDV_MotifMiseAJour'), note }).nullable().default(null)
	})
	.superRefine((draft, ctx) => {
		for (const { first, second } of overlappingPhases(draft.phases)) {
			ctx.addIssue({
				code: 'custom',
				path: ['phases', second],
				message: `Les phases ${first + 1} et ${second + 1} se chevauchent : une phase commence après la fin de la précédente.`
			});
		}
	});
/** The PPS content as edited. */
export type PpsDraft = z.output<typeof PpsDraft>;
/** The PPS content as a form sends it (defaults not yet applied). */
export type PpsDraftInput = z.input<typeof PpsDraft>;

/**
 * The draft schema for a given version. Version 1 is a new plan: no phase may start
 * before today in Paris (on `clock.now()`). Later versions keep the phases already done,
 * so past dates stay, but they must say why the plan changed.
 */
export function ppsDraftSchema(version: number) {
	return PpsDraft.superRefine((draft, ctx) => {
		if (version <= 1) {
			const today = parisDate(clock.now());
			draft.phases.forEach((phase, index) => {
				if (phase.start < today) {
					ctx.addIssue({ code: 'custom', path: ['phases', index, 'start'], message: 'Un nouveau programme ne peut pas commencer avant aujourd’hui.' });
				}
			});
		} else if (draft.updateReason === null) {
			ctx.addIssue({ code: 'custom', path: ['updateReason'], message: 'Indiquez le motif de la mise à jour.' });
		}
	});
}

/** The last day of a phase (inclusive): its end date, or the day before start + weeks; null when open. */
export function phaseEnd(phase: Pick<PpsPhase, 'start' | 'end' | 'durationWeeks'>): string | null {
	if (phase.end !== null) return phase.end;
	if (phase.durationWeeks === null) return null;
	return format(addDays(parseISO(phase.start), phase.durationWeeks * 7 - 1), 'yyyy-MM-dd');
}

/** A calendar day 'YYYY-MM-DD' in French: 17/03/2031. */
export const frenchDay = (isoDate: string): string => format(parseISO(isoDate), 'dd/MM/yyyy');

/** The phase's dates in words: "du 17/03/2031 au 22/03/2031", "à partir du 17/03/2031, pendant 24 semaines". */
export function phaseDatesLabel(phase: Pick<PpsPhase, 'start' | 'end' | 'durationWeeks'>): string {
	if (phase.end !== null) return `du ${frenchDay(phase.start)} au ${frenchDay(phase.end)}`;
	if (phase.durationWeeks !== null) return `à partir du ${frenchDay(phase.start)}, pendant ${phase.durationWeeks} semaine${phase.durationWeeks > 1 ? 's' : ''}`;
	return `à partir du ${frenchDay(phase.start)}`;
}

/** Pairs of phases (indexes, first < second) sharing at least one day; an open phase runs on forever. */
export function overlappingPhases(phases: readonly Pick<PpsPhase, 'start' | 'end' | 'durationWeeks'>[]): { first: number; second: number }[] {
	const spans = phases.map((phase) => ({ start: phase.start, end: phaseEnd(phase) ?? '9999-12-31' }));
	const pairs: { first: number; second: number }[] = [];
	spans.forEach((a, first) => {
		spans.slice(first + 1).forEach((b, offset) => {
			if (a.start <= b.end && b.start <= a.end) pairs.push({ first, second: first + 1 + offset });
		});
	});
	return pairs;
}

/** The words of a PPS code, from its value set (the code itself if it is unknown). */
export const ppsLabel = (
	set: 'JDV_TypeTraitementPPS' | 'JDV_SoinsOncoDeSupport' | 'JDV_TypeAccompagnementSocioPro' | 'JDV_MesuresAssociees' | 'JDV_GestionEffetsSecondaires' | 'JDV_MotifMiseAJour',
	code: string
): string => findConcept(set, code)?.displayName ?? code;

/** The patient's identity as the PPS names them (the fiche's INS traits). */
export type PpsPatient = PatientTraits;

/** A PPS version as issued: everything its PDF, CDA and FHIR renderings say. JSON. */
export interface PpsSnapshot {
	/** This version's id, and the id shared by all versions of the patient's PPS. */
	id: string;
	setId: string;
	version: number;
	/** The version this one replaces (its reason is `content.updateReason`). */
	supersedes: { id: string; version: number; createdAt: string } | null;

	network: { name: string; region: string };
	patient: PpsPatient;
	/** The signed fiche RCP the PPS follows. */
	fiche: {
		id: string;
		setId: string;
		caseId: string;
		meeting: { id: string; startsAt: string };
		board: { id: string; name: string; site: string };
	};
	/** Who wrote this version. */
	author: FichePerson;
	content: PpsDraft;
	/** When and by whom it was given to the patient, once it has been. */
	handedOver: { at: string; by: FichePerson } | null;
	createdAt: string;
}
