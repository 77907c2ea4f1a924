/**
 * The fields of a case's fiche RCP (the request part: patient, GP, clinical summary and
 * question), described once in `CASE_FICHE_FIELDS`: label, required-ness and zod schema.
 * The form, the server actions and the database typing all derive from this table.
 *
 * Two schemas: `CaseFicheDraft` (every field optional, but whatever is filled in must be
 * valid: a draft can be saved at any time) and `CaseFiche` (required fields present and
 * identity consistent: the "dossier complet" check). Blank strings and nulls count as
 * absent, so that an emptied form field or a NULL column reads as "not filled in".
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { subYears } from 'date-fns/subYears';
import { z } from 'zod';
import { ClinicalM, ClinicalN, ClinicalT, Icd10, Ins, PerformanceStatus, Rpps, insFacts } from './identifiers.ts';
import { codeIn } from './value-sets.ts';
import { clock } from '../clock.ts';
import { parisDate } from './schedule.ts';

/** Patient sex as the INS traits record it: masculin, féminin, indéterminé. */
export const PATIENT_SEXES = ['M', 'F', 'I'] as const;
/** French labels of the sexes. */
export const PATIENT_SEX_LABELS: Record<PatientSex, string> = { M: 'Masculin', F: 'Féminin', I: 'Indéterminé' };
/** Zod schema of the patient's sex. */
export const PatientSex = z.enum(PATIENT_SEXES, { error: 'Sexe : Masculin, Féminin ou Indéterminé' });
/** The patient's sex (INS trait). */
export type PatientSex = z.infer<typeof PatientSex>;

/** Why the case is brought to the board. */
export const PRESENTATION_TYPES = [
	'first-presentation',
	'relapse',
	'strategy-change',
	'end-of-treatment',
	'second-opinion',
	'other'
] as const;
/** French labels of the presentation types. */
export const PRESENTATION_TYPE_LABELS: Record<PresentationType, string> = {
	'first-presentation': 'Première présentation (bilan initial)',
	relapse: 'Rechute ou progression',
	'strategy-change': 'Changement de stratégie',
	'end-of-treatment': 'Fin de traitement',
	'second-opinion': 'Avis de recours (deuxième avis)',
	other: 'Autre'
};
/** Zod schema of the presentation type. */
export const PresentationType = z.enum(PRESENTATION_TYPES, { error: 'Motif de présentation inconnu' });
/** Why the case is brought to the board. */
export type PresentationType = z.infer<typeof PresentationType>;

/** Discussed at the meeting, or only registered because it follows a guideline. */
export const DISCUSSION_MODES = ['discussion', 'registration-only'] as const;
/** French labels of the discussion modes. */
export const DISCUSSION_MODE_LABELS: Record<DiscussionMode, string> = {
	discussion: 'Discussion en RCP',
	'registration-only': 'Simple enregistrement (conforme au référentiel)'
};
/** Zod schema of the discussion mode. */
export const DiscussionMode = z.enum(DISCUSSION_MODES, { error: 'Mode de présentation inconnu' });
/** Discussed, or registered only. */
export type DiscussionMode = z.infer<typeof DiscussionMode>;

const text = (max: number) => z.string().trim().max(max, `${max} caractères au plus`);
const LONG_TEXT = 10_000;

/** Today's date in Paris, 'YYYY-MM-DD' (where the boards are), on the process's clock. */
const todayInParis = (): string => parisDate(clock.now());

/** Birth date 'YYYY-MM-DD': not in the future, and at most 120 years ago. */
export const BirthDate = z.iso.date({ error: 'Date de naissance au format AAAA-MM-JJ' }).superRefine((value, ctx) => {
	const today = todayInParis();
	if (value > today) {
		ctx.addIssue({ code: 'custom', message: 'La date de naissance est dans le futur', input: value });
	} else if (value < format(subYears(new TZDate(clock.now().getTime(), 'Europe/Paris'), 120), 'yyyy-MM-dd')) {
		ctx.addIssue({ code: 'custom', message: 'Date de naissance invraisemblable (plus de 120 ans)', input: value });
	}
});

/** A telephone number as typed (digits, spaces, dots, dashes, brackets, an optional +). */
export const Phone = z.string().trim().regex(/^\+?[0-9][0-9 .()-]{5,19}$/, 'Numéro de téléphone invalide');
/** An e-mail address. */
export const Email = z.email({ error: 'Adresse de courriel invalide' });
const IcdO3Morphology = z.string().trim().regex(/^\d{4}\/\d$/, 'Code CIM-O-3 au format 0000/0 (ex. 8140/3)');

/** Where a field sits on the form. */
export type FicheSection = 'patient' | 'gp' | 'request' | 'tumour' | 'clinical' | 'results';

/** One row of the field table. */
export interface FicheField<S extends z.ZodType = z.ZodType> {
	/** French label, shown on the form and in the completeness list. */
	label: string;
	/** Required for the file to be complete ("dossier complet"). */
	required: boolean;
	section: FicheSection;
	/** Schema of a filled-in value. */
	schema: S;
}

const field = <S extends z.ZodType, R extends boolean>(section: FicheSection, label: string, required: R, schema: S) => ({
	label,
	required,
	section,
	schema
});

/** Every field of the fiche, in form order: the single source of labels and required-ness. */
export const CASE_FICHE_FIELDS = {
	familyName: field('patient', 'Nom de naissance', true, text(100)),
	givenNames: field('patient', 'Prénom(s) de naissance', true, text(200)),
	birthDate: field('patient', 'Date de naissance', true, BirthDate),
	sex: field('patient', 'Sexe', true, PatientSex),
	ins: field('patient', 'Matricule INS', false, Ins),
	hospitalPatientId: field('patient', "IPP (identifiant patient de l'établissement)", false, text(50)),

	gpName: field('gp', 'Médecin traitant', false, text(200)),
	gpRpps: field('gp', 'RPPS du médecin traitant', false, Rpps),
	gpPhone: field('gp', 'Téléphone du médecin traitant', false, Phone),
	gpEmail: field('gp', 'Courriel du médecin traitant', false, Email),

	requestingPhysicianId: field('request', 'Médecin demandeur', true, z.string().trim().max(100)),
	presentationType: field('request', 'Motif de présentation', true, PresentationType),
	discussionMode: field('request', 'Discussion ou simple enregistrement', true, DiscussionMode),
	question: field('request', 'Question posée à la RCP', true, text(4000)),

	organ: field('tumour', 'Organe', false, codeIn('JDV_RCP_Organe')),
	tumourSiteCode: field('tumour', 'Localisation tumorale (code CIM-10)', true, Icd10),
	tumourSiteLabel: field('tumour', 'Localisation tumorale (libellé)', true, text(300)),
	histology: field('tumour', 'Histologie', false, text(1000)),
	histologyCode: field('tumour', 'Code histologique (CIM-O-3)', false, IcdO3Morphology),
	clinicalT: field('tumour', 'cT', false, ClinicalT),
	clinicalN: field('tumour', 'cN', false, ClinicalN),
	clinicalM: field('tumour', 'cM', false, ClinicalM),
	performanceStatus: field('tumour', 'Indice de performance OMS', true, PerformanceStatus),

	discoveryCircumstances: field('clinical', 'Circonstances de découverte', false, text(LONG_TEXT)),
	history: field('clinical', 'Antécédents', false, text(LONG_TEXT)),
	comorbidities: field('clinical', 'Comorbidités', false, text(LONG_TEXT)),
	previousTreatments: field('clinical', 'Traitements antérieurs', false, text(LONG_TEXT)),

	imagingResults: field('results', "Résultats d'imagerie", false, text(LONG_TEXT)),
	pathologyResults: field('results', "Résultats d'anatomopathologie", false, text(LONG_TEXT)),
	molecularResults: field('results', 'Résultats de biologie moléculaire', false, text(LONG_TEXT))
} as const satisfies Record<string, FicheField>;

type Fields = typeof CASE_FICHE_FIELDS;
/** Name of a fiche field. */
export type FicheFieldName = keyof Fields;

/** Blank strings and nulls mean "not filled in". */
function blankToUndefined(value: unknown): unknown {
	if (value === null) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	return value;
}

type DraftShape = {
	[K in FicheFieldName]: z.ZodPipe<z.ZodTransform<unknown, unknown>, z.ZodOptional<Fields[K]['schema']>>;
};

const FIELD_NAMES = Object.keys(CASE_FICHE_FIELDS) as FicheFieldName[];

const draftShape = Object.fromEntries(
	FIELD_NAMES.map((name) => [name, z.preprocess(blankToUndefined, CASE_FICHE_FIELDS[name].schema.optional())])
) as DraftShape;

/** A fiche being written: every field optional, each filled-in value valid. */
export const CaseFicheDraft = z.object(draftShape);
/** A fiche being written. */
export type CaseFicheDraft = z.output<typeof CaseFicheDraft>;

type RequiredName = { [K in FicheFieldName]: Fields[K]['required'] extends true ? K : never }[FicheFieldName];

/** The patient's identity as documents name them (the INS traits and the IPP): the fiche's, and the PPS's. */
export type PatientTraits = Pick<CaseFicheDraft, 'familyName' | 'givenNames' | 'birthDate' | 'sex' | 'ins' | 'hospitalPatientId'>;

/** A complete fiche: the required fields are present. */
export type CaseFiche = {
	[K in Exclude<FicheFieldName, RequiredName>]?: CaseFicheDraft[K];
} & {
	[K in RequiredName]: NonNullable<CaseFicheDraft[K]>;
};

/** A required field that is not filled in. */
export interface MissingField {
	field: FicheFieldName;
	label: string;
}

/** The required fields a draft lacks, in form order; empty means "dossier complet". */
export function missingFields(draft: CaseFicheDraft): MissingField[] {
	return FIELD_NAMES.filter((name) => CASE_FICHE_FIELDS[name].required && draft[name] === undefined).map((name) => ({
		field: name,
		label: CASE_FICHE_FIELDS[name].label
	}));
}

/**
 * Identity checks between the INS and the other traits (identitovigilance): the sex digit
 * and the birth year and month encoded in the matricule must match the fiche.
 */
export function identityMismatches(draft: CaseFicheDraft): { field: FicheFieldName; message: string }[] {
	if (!draft.ins) return [];
	const facts = insFacts(draft.ins);
	const mismatches: { field: FicheFieldName; message: string }[] = [];
	if ((draft.sex === 'M' || draft.sex === 'F') && draft.sex !== facts.sex) {
		mismatches.push({ field: 'sex', message: 'Le sexe ne correspond pas au matricule INS' });
	}
	if (draft.birthDate) {
		const [year, month] = draft.birthDate.split('-');
		if (year.slice(2) !== facts.birthYear2 || (facts.birthMonth !== undefined && Number(month) !== facts.birthMonth)) {
			mismatches.push({ field: 'birthDate', message: 'La date de naissance ne correspond pas au matricule INS' });
		}
	}
	return mismatches;
}

/** A complete fiche: the draft schema plus required fields and INS consistency. */
export const CaseFiche = CaseFicheDraft.superRefine((draft, ctx) => {
	for (const missing of missingFields(draft)) {
		ctx.addIssue({ code: 'custom', path: [missing.field], message: `${missing.label} : champ obligatoire` });
	}
	for (const mismatch of identityMismatches(draft)) {
		ctx.addIssue({ code: 'custom', path: [mismatch.field], message: mismatch.message });
	}
}).transform((draft) => draft as CaseFiche);
