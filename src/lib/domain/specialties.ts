/**
 * The fixed list of medical (and a few non-medical) specialties that take part in a
 * tumour board. A specialty is referred to everywhere by its stable code; labels are for
 * display only and may be reworded without touching stored data.
 */
import { z } from 'zod';

/**
 * How the specialties are grouped for the quorum and for display. The 2023 référentiel
 * asks a standard board for "a surgeon": any specialty of the `surgery` group satisfies it.
 */
export const SPECIALTY_GROUPS = [
	/** Operating specialties, whatever the organ. */
	'surgery',
	/** Medical oncology, haematology and paediatric oncology: systemic treatments. */
	'medical-oncology',
	/** Radiotherapy (oncologie radiothérapie). */
	'radiation-oncology',
	/** Imaging, nuclear medicine, pathology and genetics: the diagnosis. */
	'diagnostics',
	/** Organ medicine (gastro-enterology, pneumology…). */
	'organ-medicine',
	/** General practice, supportive care, geriatrics, pharmacy, nursing. */
	'care'
] as const;
/** One of `SPECIALTY_GROUPS`. */
export type SpecialtyGroup = (typeof SPECIALTY_GROUPS)[number];

/** French labels of the groups, for headings in pickers. */
export const SPECIALTY_GROUP_LABELS: Record<SpecialtyGroup, string> = {
	surgery: 'Chirurgie',
	'medical-oncology': 'Oncologie médicale et hématologie',
	'radiation-oncology': 'Radiothérapie',
	diagnostics: 'Diagnostic (imagerie, anatomopathologie, génétique)',
	'organ-medicine': "Médecine d'organe",
	care: 'Soins de premier recours et de support'
};

/** One row of the specialty table. */
export interface SpecialtyInfo {
	/** Stable kebab-case English code, stored in the database. */
	code: string;
	/** French label shown in the UI. */
	labelFr: string;
	/** English label (exports, logs). */
	labelEn: string;
	group: SpecialtyGroup;
	/**
	 * False for the professions that attend a board without being physicians (pharmacist,
	 * coordinating nurse): the quorum counts "physicians of different specialties".
	 */
	physician: boolean;
}

const s = (
	code: string,
	labelFr: string,
	labelEn: string,
	group: SpecialtyGroup,
	physician = true
): SpecialtyInfo => ({ code, labelFr, labelEn, group, physician });

/** Every specialty, in the order a picker shows them (grouped). */
export const SPECIALTIES = [
	s('digestive-surgery', 'Chirurgie digestive', 'Digestive surgery', 'surgery'),
	s('thoracic-surgery', 'Chirurgie thoracique', 'Thoracic surgery', 'surgery'),
	s('general-surgery', 'Chirurgie générale', 'General surgery', 'surgery'),
	s('urology', 'Urologie', 'Urology', 'surgery'),
	s('gynaecology', 'Gynécologie', 'Gynaecology', 'surgery'),
	s('breast-surgery', 'Chirurgie sénologique', 'Breast surgery', 'surgery'),
	s('ent', 'ORL et chirurgie cervico-faciale', 'ENT, head and neck surgery', 'surgery'),
	s('maxillofacial-surgery', 'Chirurgie maxillo-faciale', 'Maxillofacial surgery', 'surgery'),
	s('neurosurgery', 'Neurochirurgie', 'Neurosurgery', 'surgery'),
	s('orthopaedic-surgery', 'Chirurgie orthopédique', 'Orthopaedic surgery', 'surgery'),
	s('plastic-surgery', 'Chirurgie plastique et reconstructrice', 'Plastic and reconstructive surgery', 'surgery'),
	s('endocrine-surgery', 'Chirurgie endocrinienne', 'Endocrine surgery', 'surgery'),
	s('paediatric-surgery', 'Chirurgie pédiatrique', 'Paediatric surgery', 'surgery'),
	s('medical-oncology', 'Oncologie médicale', 'Medical oncology', 'medical-oncology'),
	s('haematology', 'Hématologie', 'Haematology', 'medical-oncology'),
	s('paediatric-oncology', 'Oncopédiatrie', 'Paediatric oncology', 'medical-oncology'),
	s('radiation-oncology', 'Oncologie radiothérapie', 'Radiation oncology', 'radiation-oncology'),
	s('radiology', 'Radiologie', 'Radiology', 'diagnostics'),
	s('interventional-radiology', 'Radiologie interventionnelle', 'Interventional radiology', 'diagnostics'),
	s('nuclear-medicine', 'Médecine nucléaire', 'Nuclear medicine', 'diagnostics'),
	s('pathology', 'Anatomopathologie', 'Pathology', 'diagnostics'),
	s('genetics', 'Génétique', 'Genetics', 'diagnostics'),
	s('gastroenterology', 'Gastro-entérologie', 'Gastroenterology', 'organ-medicine'),
	s('pneumology', 'Pneumologie', 'Pneumology', 'organ-medicine'),
	s('dermatology', 'Dermatologie', 'Dermatology', 'organ-medicine'),
	s('endocrinology', 'Endocrinologie', 'Endocrinology', 'organ-medicine'),
	s('neurology', 'Neurologie', 'Neurology', 'organ-medicine'),
	s('nephrology', 'Néphrologie', 'Nephrology', 'organ-medicine'),
	s('hepatology', 'Hépatologie', 'Hepatology', 'organ-medicine'),
	s('general-practice', 'Médecine générale', 'General practice', 'care'),
	s('supportive-care', 'Soins de support', 'Supportive care', 'care'),
	s('palliative-care', 'Soins palliatifs', 'Palliative care', 'care'),
	s('geriatric-oncology', 'Oncogériatrie', 'Geriatric oncology', 'care'),
	s('pharmacy', 'Pharmacie', 'Pharmacy', 'care', false),
	s('coordinating-nurse', 'Infirmier(ère) de coordination', 'Coordinating nurse', 'care', false)
] as const satisfies readonly SpecialtyInfo[];

/** The stable code of a specialty. */
export type SpecialtyCode = (typeof SPECIALTIES)[number]['code'];

const CODES = SPECIALTIES.map((sp) => sp.code) as [SpecialtyCode, ...SpecialtyCode[]];

/** Zod schema of a specialty code, with a French message for unknown codes. */
export const Specialty = z.enum(CODES, { error: 'Spécialité inconnue' });

const BY_CODE = new Map<string, SpecialtyInfo>(SPECIALTIES.map((sp) => [sp.code, sp]));

/** The table row of a specialty code (every `SpecialtyCode` has one). */
export function specialty(code: SpecialtyCode): SpecialtyInfo {
	const info = BY_CODE.get(code);
	// Unreachable for typed callers; says which code when an unchecked string slips in.
	if (!info) throw new Error(`unknown specialty code: ${code}`);
	return info;
}

/** The specialties of one group, in table order. */
export function specialtiesIn(group: SpecialtyGroup): SpecialtyInfo[] {
	return SPECIALTIES.filter((sp) => sp.group === group);
}

/** The label of a stored specialty code in the UI language (`fr` by default), or null for an unknown or empty one. */
export function specialtyLabel(code: string | null | undefined, language: 'fr' | 'en' = 'fr'): string | null {
	const info = code ? BY_CODE.get(code) : undefined;
	if (!info) return null;
	return language === 'en' ? info.labelEn : info.labelFr;
}
