import { fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '$lib/server/audit';
import { signOut } from '$lib/server/auth/authjs';
import { requireUser } from '$lib/server/auth/guards';
import { boardFor } from '$lib/server/boards';
import { caseFor } from '$lib/server/cases';
import { ficheRecipients, users } from '$lib/server/db/schema';
import { RecipientInput } from '$lib/domain/fiche';
import { addRecipient, FRESH_SIGN_IN_MS, manualSender, markSent, meetingFiches } from '$lib/server/fiches/service';
import { meetingFor } from '$lib/server/meetings';
import { refuse } from '$lib/server/refusals';
import { fieldErrors } from '$lib/validation';
import { runtime } from '$lib/server/runtime';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';
import { clock } from '$lib/clock';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const access = await meetingFor(db, user, event.params.id);
	if (!access.ok) refuse(access);
	const board = await boardFor(db, user, access.meeting.boardId);
	if (!board.ok) refuse(board);
	const lines = await meetingFiches(db, access.meeting.id);
	// The lines name patients: the read is audited like the agenda's.
	await audit(db, {
		actorUserId: user.id,
		action: 'meeting.fiches-read',
		entityType: 'meeting',
		entityId: access.meeting.id,
		address: event.getClientAddress(),
		details: { cases: lines.length }
	});
	const canValidate = user.isAdmin || access.role === 'coordinator';
	// An account without password confirms its identity by a recent sign-in with its provider.
	const [account] = canValidate ? await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)) : [];
	const signedInAt = event.locals.signedInAt;
	return {
		meeting: { id: access.meeting.id, startsAt: access.meeting.startsAt },
		board: { id: board.board.id, name: board.board.name },
		lines,
		canValidate,
		canSend: access.manager,
		identity: canValidate
			? {
					hasPassword: Boolean(account?.passwordHash),
					freshMinutes: FRESH_SIGN_IN_MS / 60_000,
					/** Until when a provider sign-in still counts as recent (null: sign in again). */
					freshUntil: signedInAt != null && signedInAt + FRESH_SIGN_IN_MS > clock.now().getTime() ? new Date(signedInAt + FRESH_SIGN_IN_MS) : null
				}
			: null
	};
};

const Sent = z.object({ recipientId: z.uuid() });

export const actions: Actions = {
	/** The fiche was sent to a recipient outside Concerto (secure messaging, post): marked by hand. */
	sent: async (event) => {
		const user = requireUser(event);
		const parsed = Sent.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { sentError: m.fiches_sent_invalid(), recipientId: null });
		const { recipientId } = parsed.data;
		const { db } = runtime().database;
		// Only a recipient of one of this meeting's cases, from this page.
		const [recipient] = await db.select({ caseId: ficheRecipients.caseId }).from(ficheRecipients).where(eq(ficheRecipients.id, recipientId));
		const access = recipient ? await caseFor(db, user, recipient.caseId) : undefined;
		if (!access?.ok || access.row.meetingId !== event.params.id) return fail(404, { sentError: m.fiches_sent_not_found(), recipientId });
		const result = await markSent(db, user, recipientId, manualSender, event.getClientAddress());
		if (result.ok) return { sent: recipientId };
		const messages = { 'not-found': m.fiches_sent_not_found, forbidden: m.fiches_sent_forbidden, 'not-validated': m.fiches_sent_not_validated };
		return fail(result.reason === 'forbidden' ? 403 : 409, { sentError: messages[result.reason](), recipientId });
	},
	/** Another recipient for a validated case's fiche. */
	recipient: async (event) => {
		const user = requireUser(event);
		const form = Object.fromEntries(await event.request.formData());
		const caseId = String(form.caseId ?? '');
		const values = { name: String(form.name ?? ''), address: String(form.address ?? '') };
		const parsed = RecipientInput.safeParse(values);
		if (!parsed.success) return fail(400, { recipientCase: caseId, recipientValues: values, recipientErrors: fieldErrors(parsed.error) });
		const { db } = runtime().database;
		const refused = (status: number, message: string) => fail(status, { recipientCase: caseId, recipientValues: values, recipientErrors: { form: message } as Record<string, string> });
		const access = await caseFor(db, user, caseId);
		if (!access.ok || access.row.meetingId !== event.params.id) return refused(404, m.fiches_sent_not_found());
		const result = await addRecipient(db, user, caseId, parsed.data, event.getClientAddress());
		if (result.ok) return { recipientAdded: caseId };
		const message = result.reason === 'forbidden' ? m.fiches_sent_forbidden() : result.reason === 'not-validated' ? m.fiches_sent_not_validated() : m.fiches_sent_not_found();
		return refused(result.reason === 'forbidden' ? 403 : 409, message);
	},
	/**
	 * An account without password signs in again with its provider to sign fiches: the
	 * login page sends a signed-in account home, so the session ends first, and the login
	 * page brings the coordinator back here.
	 */
	signInAgain: async (event) => {
		const user = requireUser(event);
		await audit(runtime().database.db, { actorUserId: user.id, action: 'user.sign-out', address: event.getClientAddress(), details: { reason: 'confirm-identity' } });
		const headers = new Headers(event.request.headers);
		headers.set('content-type', 'application/x-www-form-urlencoded');
		headers.delete('content-length');
		const body = new URLSearchParams({ redirectTo: `/login?${new URLSearchParams({ redirectTo: event.url.pathname })}` });
		await signOut({ ...event, request: new Request(event.request.url, { method: 'POST', body, headers }) });
	}
};
