/**
 * Validating and signing fiches from the meeting's fiches page: the wire protocol of
 * `validate/+server.ts` (one case per request, because signing takes up to a second per
 * fiche), the wording of its refusals, and the browser's sequential batch.
 *
 * No server import: the endpoint and the page share this module.
 */
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';

/** What the page posts to `validate`: one case, the identity proof, and for an amendment its reason. */
export const ValidateRequest = z.object({
	caseId: z.uuid(),
	password: z.string().max(200).optional(),
	amendment: z.object({ reason: z.string().trim().max(1000) }).optional()
});
export type ValidateRequest = z.infer<typeof ValidateRequest>;

/** Why a case was not signed. */
export type RefusalReason =
	/** The request did not parse. */
	| 'invalid'
	/** No signed-in account (the session ended). */
	| 'session'
	| 'not-found'
	/** The case is on another meeting's agenda. */
	| 'not-in-meeting'
	| 'forbidden'
	| 'not-decided'
	| 'already-validated'
	| 'incomplete'
	| 'not-validated'
	| 'reason-required'
	/** Signing the PDF failed (time-stamp authority, key). */
	| 'signing'
	/** No signing identity can be loaded (certificate missing, expired, wrong password). */
	| 'signing-unavailable'
	| 'password-required'
	| 'wrong-password'
	| 'sign-in-again'
	/** Too many wrong passwords: locked for a while. */
	| 'locked'
	/** No usable answer (network, unexpected server error). */
	| 'unavailable';

/** A refusal as the endpoint builds it, before wording. */
export interface Refusal {
	reason: RefusalReason;
	problems?: string[];
	/** The signing error's own French message (`signing`, `signing-unavailable`). */
	message?: string;
	/** When a lock ends, `HH:MM` (`locked`). */
	until?: string;
}

/** The endpoint's JSON answer. */
export type ValidateAnswer =
	| { ok: true; ficheId: string; version: number }
	| { ok: false; reason: RefusalReason; message: string; problems?: string[] };

/** The sentence shown for a refusal. */
export function refusalMessage(refusal: Refusal): string {
	switch (refusal.reason) {
		case 'invalid':
			return m.fiches_refusal_invalid();
		case 'session':
			return m.fiches_refusal_session();
		case 'not-found':
			return m.fiches_refusal_not_found();
		case 'not-in-meeting':
			return m.fiches_refusal_not_in_meeting();
		case 'forbidden':
			return m.fiches_refusal_forbidden();
		case 'not-decided':
			return m.fiches_refusal_not_decided();
		case 'already-validated':
			return m.fiches_refusal_already_validated();
		case 'incomplete':
			return m.fiches_refusal_incomplete({ problems: (refusal.problems ?? []).join(' ') });
		case 'not-validated':
			return m.fiches_refusal_not_validated();
		case 'reason-required':
			return m.fiches_refusal_reason_required();
		case 'signing':
			return m.fiches_refusal_signing({ message: refusal.message ?? '' });
		case 'signing-unavailable':
			return refusal.message ?? m.fiches_refusal_unavailable();
		case 'password-required':
			return m.fiches_refusal_password_required();
		case 'wrong-password':
			return m.fiches_refusal_wrong_password();
		case 'sign-in-again':
			return m.fiches_refusal_sign_in_again();
		case 'locked':
			return m.fiches_refusal_locked({ time: refusal.until ?? '' });
		case 'unavailable':
			return m.fiches_refusal_unavailable();
	}
}

/** The HTTP status of a refusal. */
export function refusalStatus(reason: RefusalReason): number {
	switch (reason) {
		case 'invalid':
		case 'reason-required':
			return 400;
		case 'session':
			return 401;
		case 'forbidden':
		case 'password-required':
		case 'wrong-password':
		case 'sign-in-again':
			return 403;
		case 'not-found':
		case 'not-in-meeting':
			return 404;
		case 'locked':
			return 429;
		case 'signing':
		case 'signing-unavailable':
		case 'unavailable':
			return 503;
		default:
			return 409;
	}
}

/**
 * Whether a refusal stops the batch: it would refuse every following case too (identity,
 * rights, signing, the server itself), and a wrong password must not be retried ten times.
 */
export function stopsBatch(reason: RefusalReason): boolean {
	return (
		reason === 'session' ||
		reason === 'forbidden' ||
		reason === 'password-required' ||
		reason === 'wrong-password' ||
		reason === 'sign-in-again' ||
		reason === 'locked' ||
		reason === 'signing' ||
		reason === 'signing-unavailable' ||
		reason === 'unavailable'
	);
}

/** Posts one validation and reads the answer; a network failure or an unreadable answer is `unavailable`. */
export async function requestValidation(fetchFn: typeof fetch, url: string, body: ValidateRequest): Promise<ValidateAnswer> {
	const unavailable: ValidateAnswer = { ok: false, reason: 'unavailable', message: refusalMessage({ reason: 'unavailable' }) };
	let response: Response;
	try {
		response = await fetchFn(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify(body)
		});
	} catch {
		return unavailable;
	}
	const answer = (await response.json().catch(() => null)) as ValidateAnswer | null;
	if (!answer || typeof answer !== 'object' || typeof answer.ok !== 'boolean') return unavailable;
	if (answer.ok ? !response.ok : typeof answer.message !== 'string') return unavailable;
	return answer;
}

/** One case of a batch, as the page names it. */
export interface BatchCase {
	caseId: string;
	name: string;
}

/** How a batch ended: what was signed, what was refused, and why it stopped early if it did. */
export interface BatchSummary {
	signed: (BatchCase & { version: number })[];
	refused: (BatchCase & { message: string })[];
	/** The refusal that stopped the batch (the case it happened on is in `refused`). */
	stopped: { reason: RefusalReason; message: string } | null;
	/** Cases not attempted because the batch stopped. */
	skipped: BatchCase[];
}

/**
 * Signs the cases one after the other (never two requests at once: each holds the
 * signing key for up to a second), reporting before each one; stops at the first refusal
 * that would refuse every other case too.
 */
export async function signInSequence(
	cases: BatchCase[],
	sign: (caseId: string) => Promise<ValidateAnswer>,
	onProgress: (progress: { index: number; total: number; current: BatchCase }) => void
): Promise<BatchSummary> {
	const summary: BatchSummary = { signed: [], refused: [], stopped: null, skipped: [] };
	for (const [index, current] of cases.entries()) {
		onProgress({ index, total: cases.length, current });
		const answer = await sign(current.caseId);
		if (answer.ok) {
			summary.signed.push({ ...current, version: answer.version });
			continue;
		}
		summary.refused.push({ ...current, message: answer.message });
		if (stopsBatch(answer.reason)) {
			summary.stopped = { reason: answer.reason, message: answer.message };
			summary.skipped = cases.slice(index + 1);
			break;
		}
	}
	return summary;
}
