/**
 * The forms about accounts, as zod schemas shared by the page (field errors) and the
 * server (the same rules): the first administrator, sign-in.
 */
import { z } from 'zod';
import { Rpps } from '../domain/identifiers.ts';
import { Specialty } from '../domain/specialties.ts';

export const PASSWORD_MIN_LENGTH = 12;

const name = (label: string) =>
	z.string().trim().min(1, `${label} est obligatoire.`).max(100, `${label} : 100 caractères au plus.`);

export const Email = z
	.string()
	.trim()
	.toLowerCase()
	.pipe(z.email({ error: 'Adresse électronique invalide.' }));

const Password = z
	.string()
	.min(PASSWORD_MIN_LENGTH, `Le mot de passe doit comporter au moins ${PASSWORD_MIN_LENGTH} caractères.`)
	.max(256, 'Le mot de passe doit comporter au plus 256 caractères.');

/** The first administrator, created on the onboarding page. */
export const FirstAdminInput = z
	.object({
		givenName: name('Le prénom'),
		familyName: name('Le nom'),
		email: Email,
		password: Password,
		passwordConfirm: z.string()
	})
	.refine((v) => v.password === v.passwordConfirm, {
		path: ['passwordConfirm'],
		error: 'Les deux mots de passe ne sont pas identiques.'
	});
export type FirstAdminInput = z.infer<typeof FirstAdminInput>;

export const SignInInput = z.object({
	email: Email,
	password: z.string().min(1, 'Saisissez votre mot de passe.').max(256),
	/** Where to go after signing in: a path of this site only. */
	redirectTo: z
		.string()
		.regex(/^\/(?!\/)[^\s]*$/)
		.optional()
		.catch(undefined)
});


const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, `${max} caractères au plus.`)
		.transform((v) => (v === '' ? null : v))
		.nullable()
		.optional()
		.transform((v) => v ?? null);

/** A checkbox of a form: ticked ('on'), or absent. */
const checkbox = () =>
	z
		.union([z.literal('on'), z.literal('true'), z.boolean()])
		.optional()
		.transform((v) => v === true || v === 'on' || v === 'true');

/** An account as an administrator creates or edits it. */
export const UserInput = z.object({
	givenName: name('Le prénom'),
	familyName: name('Le nom'),
	email: Email,
	specialty: z
		.union([z.literal(''), Specialty])
		.optional()
		.transform((v) => (v ? v : null)),
	rpps: z
		.union([z.literal(''), Rpps])
		.optional()
		.transform((v) => (v ? v : null)),
	phone: optionalText(30),
	isAdmin: checkbox(),
	/** Manages the network's référentiels and trials directory (administrators do anyway). */
	networkEditor: checkbox()
});
export type UserInput = z.infer<typeof UserInput>;

/** The password chosen on an invitation link. */
export const ChoosePasswordInput = z
	.object({ password: Password, passwordConfirm: z.string() })
	.refine((v) => v.password === v.passwordConfirm, {
		path: ['passwordConfirm'],
		error: 'Les deux mots de passe ne sont pas identiques.'
	});
