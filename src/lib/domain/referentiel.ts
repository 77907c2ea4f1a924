/**
 * The network's référentiels (dated guidelines written by working groups) as rules: the
 * life of a version, who may do what to it, and the zod inputs of the library's forms.
 * Framework-free: the service (src/lib/server/referentiels/) asks, the pages show.
 */
import { z } from 'zod';
import { codeIn } from './value-sets.ts';

/** The states of a version, in the order it goes through them. */
export const REFERENTIEL_VERSION_STATES = ['draft', 'submitted', 'validated', 'published', 'superseded'] as const;
/** A state of a référentiel version. */
export type ReferentielVersionState = (typeof REFERENTIEL_VERSION_STATES)[number];

/** What a member of a working group is in it. */
export const REFERENTIEL_GROUP_ROLES = ['coordinator', 'member'] as const;
/** A role in a référentiel's working group. */
export type ReferentielGroupRole = (typeof REFERENTIEL_GROUP_ROLES)[number];

/** What may be done to a version. */
export const VERSION_ACTIONS = ['edit', 'submit', 'return', 'validate', 'publish', 'delete'] as const;
/** An action on a version (content edits, lifecycle steps, deletion). */
export type VersionAction = (typeof VERSION_ACTIONS)[number];

/** Who asks, as far as a référentiel is concerned. */
export interface ReferentielActor {
	/** A network editor or an administrator. */
	editor: boolean;
	/** Their role in this référentiel's working group, null when outside it. */
	groupRole: ReferentielGroupRole | null;
}

/** Why an action is refused: not this person's to do, not in this state, or the version is published (make a new one). */
export type LifecycleRefusal = 'forbidden' | 'state' | 'published';

/** The answer of `versionAction`: allowed (with the state it leads to), or refused with its reason. */
export type LifecycleVerdict = { ok: true; to: ReferentielVersionState | null } | { ok: false; reason: LifecycleRefusal };

/** Whether the version's content is frozen for good (what fiches cite). */
export const isPublishedState = (state: ReferentielVersionState): boolean => state === 'published' || state === 'superseded';

interface Rule {
	/** Who may do it. */
	who: (actor: ReferentielActor) => boolean;
	/** The states it applies to, and the state it leads to (null: the state does not change, or the version goes). */
	from: readonly ReferentielVersionState[];
	to: ReferentielVersionState | null;
}

const writer = (actor: ReferentielActor) => actor.editor || actor.groupRole !== null;

const RULES: Record<VersionAction, Rule> = {
	// Drafts are written by the working group, with the network's editors.
	edit: { who: writer, from: ['draft'], to: null },
	submit: { who: writer, from: ['draft'], to: 'submitted' },
	// Back to the group for changes, with a reason: its coordinator or an editor.
	return: { who: (a) => a.editor || a.groupRole === 'coordinator', from: ['submitted', 'validated'], to: 'draft' },
	// The working group's coordinator alone validates the content (an editor does not stand in for them).
	validate: { who: (a) => a.groupRole === 'coordinator', from: ['submitted'], to: 'validated' },
	// Publication is the network's act.
	publish: { who: (a) => a.editor, from: ['validated'], to: 'published' },
	// A draft nobody cites may go; the coordinator or an editor decides.
	delete: { who: (a) => a.editor || a.groupRole === 'coordinator', from: ['draft'], to: null }
};

/**
 * May `actor` do `action` on a version in `state`? Who comes first: someone who may never
 * do it hears 'forbidden' whatever the state; then a published (or superseded) version
 * answers 'published' (a new version is made instead), any other wrong state 'state'.
 */
export function versionAction(actor: ReferentielActor, action: VersionAction, state: ReferentielVersionState): LifecycleVerdict {
	const rule = RULES[action];
	if (!rule.who(actor)) return { ok: false, reason: 'forbidden' };
	if (!rule.from.includes(state)) return { ok: false, reason: isPublishedState(state) ? 'published' : 'state' };
	return { ok: true, to: rule.to };
}

/** The actions `actor` may take on a version in `state` now (for the page's buttons). */
export const allowedActions = (actor: ReferentielActor, state: ReferentielVersionState): VersionAction[] =>
	VERSION_ACTIONS.filter((action) => versionAction(actor, action, state).ok);

/** Who may read a version: published ones every member of the network; the others the working group and editors. */
export const mayReadVersion = (actor: ReferentielActor, state: ReferentielVersionState): boolean => isPublishedState(state) || writer(actor);

/**
 * May `actor` start a new version of a référentiel whose versions are in `states`? Anyone
 * who may write drafts, while no other version is being prepared (one at a time: the
 * next revision starts from the latest version's situations).
 */
export function mayStartVersion(actor: ReferentielActor, states: readonly ReferentielVersionState[]): { ok: true } | { ok: false; reason: 'forbidden' | 'state' } {
	if (!writer(actor)) return { ok: false, reason: 'forbidden' };
	if (states.some((state) => !isPublishedState(state))) return { ok: false, reason: 'state' };
	return { ok: true };
}

/** The version whose situations a new draft starts from: the most recent one (by creation), if any. */
export function latestVersion<V extends { createdAt: Date }>(versions: readonly V[]): V | undefined {
	return versions.reduce<V | undefined>((latest, v) => (!latest || v.createdAt > latest.createdAt ? v : latest), undefined);
}

// ---------------------------------------------------------------------------------------
// Inputs

const required = (label: string, max: number) =>
	z
		.string({ error: `${label} est obligatoire.` })
		.trim()
		.min(1, `${label} est obligatoire.`)
		.max(max, `${label} : ${max} caractères au plus.`);

const optionalText = (label: string, max: number) =>
	z
		.string()
		.trim()
		.max(max, `${label} : ${max} caractères au plus.`)
		.optional()
		.transform((v) => v ?? '');

/** A référentiel as an editor creates or edits it. */
export const ReferentielInput = z.object({
	title: required('Le titre', 200),
	organ: codeIn('JDV_RCP_Organe'),
	apparatus: z
		.union([z.literal(''), codeIn('JDV_RCP_Appareil')])
		.nullish()
		.transform((v) => (v ? v : null)),
	description: optionalText('La description', 2000)
});
export type ReferentielInput = z.output<typeof ReferentielInput>;

/** A version's label and what changed (the label is unique per référentiel: the database says so). */
export const VersionInput = z.object({
	label: required('Le libellé de version', 50).regex(/^[\p{L}\p{N}][\p{L}\p{N} .\-_/]*$/u, 'Libellé de version : lettres, chiffres, espaces, points et tirets (ex. « 2026 » ou « v3.1 »).'),
	changeSummary: optionalText('Le résumé des changements', 4000)
});
export type VersionInput = z.output<typeof VersionInput>;

/** A situation of a version: a short code (unique in the version), its heading and the recommended options. */
export const SituationInput = z.object({
	code: z
		.string({ error: 'Le code est obligatoire.' })
		.trim()
		.toUpperCase()
		.min(1, 'Le code est obligatoire.')
		.max(40, 'Code : 40 caractères au plus.')
		.regex(/^[A-Z0-9]+(?:[-.][A-Z0-9]+)*$/, 'Code : lettres majuscules, chiffres et tirets (ex. « COLON-III-R0 »).'),
	heading: required('L’intitulé de la situation', 500),
	recommendation: optionalText('La recommandation', 10_000),
	position: z.coerce
		.number({ error: 'Position : un nombre entier.' })
		.int('Position : un nombre entier.')
		.min(0, 'Position : 0 ou plus.')
		.max(10_000, 'Position : 10 000 au plus.')
		.default(0)
});
export type SituationInput = z.output<typeof SituationInput>;

/** Why a submitted or validated version goes back to the working group. */
export const ReturnInput = z.object({ reason: required('Le motif du retour', 2000) });

/** A working group change: someone's role, or their removal (`role` empty). */
export const GroupMemberInput = z.object({
	userId: z.uuid('Choisissez un membre du réseau.'),
	role: z
		.union([z.literal(''), z.enum(REFERENTIEL_GROUP_ROLES, { error: 'Rôle inconnu.' })])
		.optional()
		.transform((v) => (v ? v : null))
});
export type GroupMemberInput = z.output<typeof GroupMemberInput>;
