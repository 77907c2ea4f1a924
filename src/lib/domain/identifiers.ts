/**
 * National identifiers and clinical codes found on a fiche RCP: INS (patient), RPPS
 * (health professional), ICD-10 (CIM-10) tumour site, cTNM stage and WHO performance
 * status. Each has a pure validator returning a value (never throwing) and a zod schema
 * whose messages are French, because they are shown next to form fields.
 */
import { z } from 'zod';

/** Result of a validator: the normalised value, or why it was refused (in French). */
export type CheckResult = { ok: true; value: string } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------
// INS (matricule INS = NIR or NIA, 13 characters + 2-digit key)

/**
 * Sex digits a matricule INS may start with: 1/2 (NIR: man/woman), 3/4 (older numbers
 * given to people born abroad), 7/8 (temporary numbers and NIA, the "numéro
 * d'identification d'attente" given while a NIR is being assigned).
 */
const INS_SEX_DIGITS = '123478';

/**
 * Checks a matricule INS and returns it normalised to 15 characters (spaces, dots and
 * dashes removed, Corsica's 2A/2B upper-cased). The key is 97 − (13 first digits mod 97),
 * with 2A read as 19 and 2B as 18.
 */
export function checkIns(input: string): CheckResult {
	const value = input.replace(/[\s.-]/g, '').toUpperCase();
	if (value.length !== 15) {
		return { ok: false, reason: `Le matricule INS compte 15 caractères (ici ${value.length})` };
	}
	if (!/^\d{5}(\d{2}|2A|2B)\d{8}$/.test(value)) {
		return {
			ok: false,
			reason: 'Caractères invalides : seuls des chiffres sont admis (et 2A ou 2B pour la Corse)'
		};
	}
	if (!INS_SEX_DIGITS.includes(value[0])) {
		return { ok: false, reason: 'Le premier chiffre (sexe) doit être 1, 2, 3, 4, 7 ou 8' };
	}
	// 01–12 is a month; 20–42 and 50+ are used by INSEE when the civil record lacks the month.
	const month = Number(value.slice(3, 5));
	if (month === 0 || (month > 12 && month < 20)) {
		return { ok: false, reason: `Mois de naissance invalide dans le matricule INS : ${value.slice(3, 5)}` };
	}
	const digits = value.slice(0, 13).replace('2A', '19').replace('2B', '18');
	// 13 digits stay below 2^53: plain numbers are exact here.
	const expected = 97 - (Number(digits) % 97);
	const key = Number(value.slice(13));
	if (key !== expected) {
		return {
			ok: false,
			reason: `Clé de contrôle incorrecte : attendue ${String(expected).padStart(2, '0')}`
		};
	}
	return { ok: true, value };
}

/** What a matricule INS says about its holder, for identity cross-checks. */
export interface InsFacts {
	/** 'M' or 'F' when the sex digit says so (1/3/7 → M, 2/4/8 → F). */
	sex: 'M' | 'F';
	/** Two last digits of the birth year. */
	birthYear2: string;
	/** Birth month 1–12, or undefined when the number carries a conventional month. */
	birthMonth: number | undefined;
}

/** Reads sex and birth year/month out of a valid, normalised matricule INS. */
export function insFacts(ins: string): InsFacts {
	const month = Number(ins.slice(3, 5));
	return {
		sex: '137'.includes(ins[0]) ? 'M' : 'F',
		birthYear2: ins.slice(1, 3),
		birthMonth: month >= 1 && month <= 12 ? month : undefined
	};
}

/** Zod schema of a matricule INS: accepts spaces, outputs the 15-character form. */
export const Ins = z.string().transform((input, ctx) => {
	const result = checkIns(input);
	if (result.ok) return result.value;
	ctx.addIssue({ code: 'custom', message: result.reason, input });
	return z.NEVER;
});

// ---------------------------------------------------------------------------------------
// RPPS (11 digits, the last one a Luhn key)

/** True when the digit string passes the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

/** Checks an RPPS number (11 digits, Luhn key), spaces allowed in the input. */
export function checkRpps(input: string): CheckResult {
	const value = input.replace(/\s/g, '');
	if (!/^\d+$/.test(value)) {
		return { ok: false, reason: 'Le numéro RPPS ne contient que des chiffres' };
	}
	if (value.length !== 11) {
		return { ok: false, reason: `Le numéro RPPS compte 11 chiffres (ici ${value.length})` };
	}
	if (!luhnValid(value)) {
		return { ok: false, reason: 'Numéro RPPS invalide : clé de contrôle incorrecte' };
	}
	return { ok: true, value };
}

/** Zod schema of an RPPS number, normalised without spaces. */
export const Rpps = z.string().transform((input, ctx) => {
	const result = checkRpps(input);
	if (result.ok) return result.value;
	ctx.addIssue({ code: 'custom', message: result.reason, input });
	return z.NEVER;
});

// ---------------------------------------------------------------------------------------
// ICD-10 (CIM-10)

/**
 * Checks the shape of an ICD-10 code and normalises it to upper case with a dot
 * ("c187" → "C18.7"). The French PMSI writes codes without the dot; CDA and the ANS
 * value sets use it, so the dotted form is the stored one.
 */
export function checkIcd10(input: string): CheckResult {
	const raw = input.trim().toUpperCase();
	const match = /^([A-Z]\d{2})(?:\.?([0-9A-Z]{1,2}))?$/.exec(raw);
	if (!match) {
		return {
			ok: false,
			reason: 'Code CIM-10 invalide : une lettre, deux chiffres, puis éventuellement un point et 1 ou 2 caractères (ex. C18.7)'
		};
	}
	return { ok: true, value: match[2] ? `${match[1]}.${match[2]}` : match[1] };
}

/** Zod schema of an ICD-10 code, normalised (upper case, dotted). */
export const Icd10 = z.string().transform((input, ctx) => {
	const result = checkIcd10(input);
	if (result.ok) return result.value;
	ctx.addIssue({ code: 'custom', message: result.reason, input });
	return z.NEVER;
});

/**
 * True for codes of chapter II "Tumeurs" (C00–D48: malignant, in situ, benign and of
 * uncertain behaviour), the codes a tumour site takes.
 */
export function isOncologyCode(code: string): boolean {
	const checked = checkIcd10(code);
	if (!checked.ok) return false;
	const letter = checked.value[0];
	const number = Number(checked.value.slice(1, 3));
	return letter === 'C' || (letter === 'D' && number <= 48);
}

// ---------------------------------------------------------------------------------------
// cTNM (UICC 8th edition) and WHO performance status

/** T categories of the 8th UICC edition (union of all sites). */
export const T_CATEGORIES = [
	'TX', 'T0', 'Tis', 'T1', 'T1mi', 'T1a', 'T1b', 'T1c', 'T2', 'T2a', 'T2b',
	'T3', 'T3a', 'T3b', 'T4', 'T4a', 'T4b', 'T4c', 'T4d'
] as const;
/** N categories of the 8th UICC edition (union of all sites). */
export const N_CATEGORIES = [
	'NX', 'N0', 'N1', 'N1mi', 'N1a', 'N1b', 'N1c', 'N2', 'N2a', 'N2b', 'N2c',
	'N3', 'N3a', 'N3b', 'N3c'
] as const;
/** M categories of the 8th UICC edition (MX no longer exists). */
export const M_CATEGORIES = ['M0', 'M1', 'M1a', 'M1b', 'M1c', 'M1d'] as const;

/** A T category, stored without the 'c' prefix. */
export type TCategory = (typeof T_CATEGORIES)[number];
/** An N category, stored without the 'c' prefix. */
export type NCategory = (typeof N_CATEGORIES)[number];
/** An M category, stored without the 'c' prefix. */
export type MCategory = (typeof M_CATEGORIES)[number];

/**
 * Builds the schema of one TNM component. Input is case-insensitive and may carry the
 * clinical prefix ('cT2', 'T2', 't1MI'); output is the canonical category without prefix,
 * because the fiche field itself says it is clinical. Other prefixes (p, yp, r…) are
 * refused: they describe a different staging.
 */
function tnmComponent<const C extends readonly [string, ...string[]]>(letter: 'T' | 'N' | 'M', categories: C) {
	const byUpper = new Map(categories.map((c) => [c.toUpperCase(), c] as const));
	return z.string().transform((input, ctx): C[number] => {
		const raw = input.trim().toUpperCase();
		const unprefixed = raw.startsWith('C') ? raw.slice(1) : raw;
		const found = byUpper.get(unprefixed);
		if (found) return found;
		ctx.addIssue({
			code: 'custom',
			input,
			message: `Catégorie c${letter} invalide : valeurs admises ${categories.join(', ')} (préfixe « c » facultatif)`
		});
		return z.NEVER;
	});
}

/** Schema of a clinical T category ('cT2' or 'T2' in, 'T2' out). */
export const ClinicalT = tnmComponent('T', T_CATEGORIES);
/** Schema of a clinical N category ('cN1' or 'N1' in, 'N1' out). */
export const ClinicalN = tnmComponent('N', N_CATEGORIES);
/** Schema of a clinical M category ('cM0' or 'M0' in, 'M0' out). */
export const ClinicalM = tnmComponent('M', M_CATEGORIES);

/**
 * WHO/ECOG performance status, 0 (fully active) to 4 (bedridden). Accepts a number or a
 * numeric string (form data); a blank string is not read as 0.
 */
export const PerformanceStatus = z.preprocess(
	(v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
	z
		.number({ error: "L'indice de performance OMS est un nombre de 0 à 4" })
		.int("L'indice de performance OMS est un nombre entier de 0 à 4")
		.min(0, "L'indice de performance OMS va de 0 à 4")
		.max(4, "L'indice de performance OMS va de 0 à 4")
);
/** A WHO performance status value. */
export type PerformanceStatus = z.infer<typeof PerformanceStatus>;
