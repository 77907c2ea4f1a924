import { json } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { accountKey, checkThrottle, recordFailure, recordSuccess } from '$lib/server/auth/throttle';
import { caseFor } from '$lib/server/cases';
import { confirmIdentity, signingIdentity, validateFiche } from '$lib/server/fiches/service';
import { meetingFor } from '$lib/server/meetings';
import { runtime } from '$lib/server/runtime';
import { refusalMessage, refusalStatus, ValidateRequest, type Refusal, type ValidateAnswer } from '../signing';
import type { RequestHandler } from './$types';

/** Wrong passwords count against this account name, apart from the sign-in's own counters. */
const throttleName = (userId: string) => `fiche-signing:${userId}`;

const clock = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

function refused(refusal: Refusal) {
	const answer: ValidateAnswer = { ok: false, reason: refusal.reason, message: refusalMessage(refusal), problems: refusal.problems };
	return json(answer, { status: refusalStatus(refusal.reason) });
}

/**
 * Validates and signs one case's fiche (or, with `amendment`, signs a new version that
 * cancels and replaces the current one). The page calls it once per case, in sequence:
 * each request confirms the coordinator's identity again and loads the signing identity.
 */
export const POST: RequestHandler = async (event) => {
	const user = event.locals.user;
	if (!user) return refused({ reason: 'session' });
	const parsed = ValidateRequest.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) return refused({ reason: 'invalid' });
	const { caseId, password, amendment } = parsed.data;
	const { config } = runtime();
	const { db } = runtime().database;
	const address = event.getClientAddress();

	const meeting = await meetingFor(db, user, event.params.id);
	if (!meeting.ok) return refused({ reason: meeting.reason });
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return refused({ reason: access.reason });
	if (access.row.meetingId !== meeting.meeting.id) return refused({ reason: 'not-in-meeting' });

	const keys = [accountKey(throttleName(user.id))];
	const verdict = await checkThrottle(db, keys);
	if (!verdict.ok) return refused({ reason: 'locked', until: clock.format(verdict.until) });
	if (verdict.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs));
	const identity = await confirmIdentity(db, user, { password, signedInAt: event.locals.signedInAt });
	if (!identity.ok) {
		if (identity.reason === 'wrong-password') {
			await recordFailure(db, keys);
			await audit(db, { actorUserId: user.id, action: 'fiche.identity-failed', entityType: 'case', entityId: caseId, address, details: { reason: identity.reason } });
		}
		return refused({ reason: identity.reason });
	}
	if (password) await recordSuccess(db, throttleName(user.id));

	const signer = signingIdentity(config.signing);
	if (!signer.ok) return refused({ reason: 'signing-unavailable', message: signer.message });
	const result = await validateFiche(db, { user, address, identity: signer.identity, tsaUrl: config.signing.tsaUrl }, caseId, amendment);
	if (!result.ok) {
		if (result.reason === 'incomplete') return refused({ reason: 'incomplete', problems: result.problems });
		if (result.reason === 'signing') return refused({ reason: 'signing', message: result.message });
		return refused({ reason: result.reason });
	}
	const answer: ValidateAnswer = { ok: true, ficheId: result.fiche.id, version: result.fiche.version };
	return json(answer);
};
