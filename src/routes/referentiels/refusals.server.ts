/**
 * The library's refusals as HTTP answers: "you cannot see or do this" is an error page
 * (404, 403); a refusal about the thing's state is a form message (409) that keeps the page.
 */
import { fail } from '@sveltejs/kit';
import { refuse } from '$lib/server/refusals';
import { m } from '$lib/paraglide/messages';

type Refusal = { ok: false; reason: string; id?: string; errors?: Record<string, string> };

/** The French (or English) sentence for a state refusal. */
export function refusalMessage(reason: string): string {
	switch (reason) {
		case 'published':
			return m.ref_refused_published();
		case 'state':
			return m.ref_refused_state();
		case 'cited':
			return m.ref_refused_cited();
		case 'unsupported-type':
			return m.ref_document_not_pdf();
		case 'too-large':
			return m.ref_document_too_large();
		default:
			return m.ref_refused_other();
	}
}

/**
 * Answers a refused action: 404/403 as errors, invalid input as field errors with what
 * was typed, the rest as a form message. `form` names the form the answer is for.
 */
export function refusedAction(refusal: Refusal, form: string, values: Record<string, string> = {}) {
	if (refusal.reason === 'not-found' || refusal.reason === 'forbidden') refuse(refusal);
	if (refusal.reason === 'invalid') return fail(400, { form, values, errors: refusal.errors ?? {} });
	return fail(409, { form, values, errors: { form: refusalMessage(refusal.reason) } });
}

/** A form's fields as strings (what the page shows again after a refusal). */
export const formValues = (data: FormData): Record<string, string> =>
	Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, String(v)]));
