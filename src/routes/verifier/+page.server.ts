import { fail } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { verifyFiche } from '$lib/server/fiches/service';
import { runtime } from '$lib/server/runtime';
import { m } from '$lib/paraglide/messages';
import { MAX_VERIFY_BYTES, readUploadedPdf } from './pdf-upload';
import type { Actions, PageServerLoad } from './$types';

/** Open to anyone holding a fiche (a GP, a patient): no sign-in, and nothing about the patient is shown. */
export const load: PageServerLoad = () => ({ maxBytes: MAX_VERIFY_BYTES });

const UPLOAD_REFUSALS = {
	missing: { status: 400, message: () => m.verify_choose() },
	'too-large': { status: 413, message: () => m.verify_too_large() },
	'not-pdf': { status: 415, message: () => m.verify_not_pdf() }
} as const;

export const actions: Actions = {
	default: async (event) => {
		const upload = await readUploadedPdf((await event.request.formData()).get('file'));
		if (!upload.ok) {
			const refusal = UPLOAD_REFUSALS[upload.reason];
			return fail(refusal.status, { error: refusal.message() });
		}
		const { db } = runtime().database;
		const verification = await verifyFiche(db, upload.bytes);
		await audit(db, {
			actorUserId: event.locals.user?.id ?? null,
			action: 'fiche.verify',
			address: event.getClientAddress(),
			details: verification.authentic ? { authentic: true, version: verification.version } : { authentic: false }
		});
		return { verification };
	}
};
