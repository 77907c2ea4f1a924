/**
 * The lifecycle of a case (dossier) presented to a board, as data: its states and the
 * transitions allowed between them. Who may trigger a transition is decided elsewhere.
 */
import { z } from 'zod';

/** The states of a case, in their usual order. */
export const CASE_STATES = [
	/** Being written by the requesting physician; not yet on an agenda. */
	'draft',
	/** Registered on a meeting's agenda before the deadline. */
	'registered',
	/** The secretary checked that the file holds everything required. */
	'complete',
	/** Discussed during the meeting. */
	'discussed',
	/** Recorded without discussion: the case follows a national guideline (enregistré). */
	'recorded-without-discussion',
	/** The proposal has been typed and agreed. */
	'decided',
	/** The coordinator validated and signed the fiche. */
	'validated',
	/** The signed fiche was sent (patient record, GP). */
	'sent',
	/** Postponed (ajourné): to be presented again at a later meeting. */
	'postponed',
	/** Withdrawn from the board before any decision (patient died, case moved…). */
	'withdrawn'
] as const;
/** A case state. */
export type CaseState = (typeof CASE_STATES)[number];
/** Zod schema of a case state. */
export const CaseState = z.enum(CASE_STATES, { error: 'État de dossier inconnu' });

/** French labels for the UI. */
export const CASE_STATE_LABELS: Record<CaseState, string> = {
	draft: 'Brouillon',
	registered: 'Inscrit',
	complete: 'Complet',
	discussed: 'Discuté',
	'recorded-without-discussion': 'Enregistré sans discussion',
	decided: 'Proposition rédigée',
	validated: 'Validé et signé',
	sent: 'Envoyé',
	postponed: 'Ajourné',
	withdrawn: 'Retiré'
};

/**
 * Allowed transitions. A complete file may go back to `registered` when a document is
 * found missing; a registered file the board discusses all the same (the fiche then says
 * the file was incomplete) becomes `discussed`; a case is only recorded without
 * discussion when its file is complete; a discussed case may be postponed (quorum not
 * met, an exam awaited);
 * a postponed case is registered again on a later meeting. `sent` and `withdrawn` are final.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseState, readonly CaseState[]>> = {
	draft: ['registered', 'withdrawn'],
	registered: ['complete', 'discussed', 'postponed', 'withdrawn'],
	complete: ['discussed', 'recorded-without-discussion', 'registered', 'postponed', 'withdrawn'],
	discussed: ['decided', 'postponed'],
	'recorded-without-discussion': ['decided'],
	decided: ['validated'],
	validated: ['sent'],
	sent: [],
	postponed: ['registered', 'withdrawn'],
	withdrawn: []
};

/** True when the lifecycle allows going from `from` to `to`. */
export function canTransition(from: CaseState, to: CaseState): boolean {
	return CASE_TRANSITIONS[from].includes(to);
}

/** Outcome of `transition`. */
export type TransitionResult = { ok: true; state: CaseState } | { ok: false; reason: 'invalid-transition' };

/** Moves a case from `from` to `to` if the lifecycle allows it. */
export function transition(from: CaseState, to: CaseState): TransitionResult {
	return canTransition(from, to) ? { ok: true, state: to } : { ok: false, reason: 'invalid-transition' };
}
