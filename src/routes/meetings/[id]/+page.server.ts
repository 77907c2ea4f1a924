import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { GUEST_REFUSAL, GuestInput } from '$lib/domain/guest';
import { MeetingCopy, MeetingEdit } from '$lib/domain/meeting';
import { requireUser } from '$lib/server/auth/guards';
import { boardFor, canManageBoard } from '$lib/server/boards';
import { listAgenda, reorderAgenda } from '$lib/server/cases';
import { meetingSummary } from '$lib/server/live-meeting';
import { guestMeetingView, inviteGuest, listGuests, revokeGuest } from '$lib/server/guests';
import { duplicateMeeting, updateMeeting } from '$lib/server/meetings';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { fieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';
import { clock } from '$lib/clock';

export const load: PageServerLoad = async (event) => {
	const { db } = runtime().database;
	const guest = event.locals.guest;
	if (guest) {
		// The hook already confines a guest to its meeting; this keeps the page safe on its own.
		if (guest.meetingId !== event.params.id) error(403, GUEST_REFUSAL);
		const view = await guestMeetingView(db, guest);
		return {
			now: clock.now(),
			guestView: {
				meetingId: guest.meetingId,
				name: guest.name,
				expiresAt: guest.expiresAt,
				boardName: view.boardName,
				startsAt: view.meeting.startsAt,
				durationMinutes: view.meeting.durationMinutes,
				status: view.meeting.status,
				registrationDeadline: view.meeting.registrationDeadline,
				caseCount: view.caseCount,
				minutes: view.minutes
			}
		};
	}
	const user = requireUser(event);
	const agenda = await listAgenda(db, user, event.params.id, event.getClientAddress());
	if (!agenda.ok) refuse(agenda);
	const board = await boardFor(db, user, agenda.meeting.boardId);
	if (!board.ok) refuse(board);
	const canManage = canManageBoard(user, board.role);
	const guests = canManage ? await listGuests(db, user, event.params.id) : undefined;
	// Once a case was opened in the room (or recorded), the meeting has a summary to show.
	const lines = await meetingSummary(db, agenda.meeting.id);
	const summary = lines.some((line) => line.outcome !== 'not-discussed' || line.minutes > 0) ? lines : [];
	return {
		now: clock.now(),
		meeting: agenda.meeting,
		board: { id: board.board.id, name: board.board.name },
		items: agenda.items,
		summary,
		canManage,
		guests: guests?.ok
			? guests.guests.map((g) => ({
					id: g.id,
					name: g.name,
					email: g.email,
					expiresAt: g.expiresAt,
					claimedAt: g.claimedAt,
					revokedAt: g.revokedAt
				}))
			: []
	};
};

const Move = z.object({ caseId: z.uuid(), direction: z.enum(['up', 'down']) });
const Revoke = z.object({ guestId: z.uuid() });

const GUEST_REFUSALS: Record<string, string> = {
	'meeting-not-open': 'Cette séance est terminée ou annulée : on ne peut plus y inviter.',
	forbidden: 'Réservé au coordonnateur, au secrétariat et aux administrateurs.',
	'not-found': 'Invitation introuvable ou déjà révoquée.'
};

const MEETING_REFUSALS: Record<string, string> = {
	'already-exists': 'Une autre séance de cette RCP a lieu à cette date et heure.',
	'deadline-after-start': 'La date limite d’inscription doit précéder le début de la séance.',
	'invalid-transition': 'Seule une séance programmée peut être modifiée.',
	'no-recurrence': 'Refusé.'
};

export const actions: Actions = {
	edit: async (event) => {
		const user = requireUser(event);
		const values = Object.fromEntries(await event.request.formData()) as Record<string, string>;
		const parsed = MeetingEdit.safeParse(values);
		if (!parsed.success) return fail(400, { editErrors: fieldErrors(parsed.error), editValues: values });
		const result = await updateMeeting(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id, parsed.data);
		if (result.ok) return { edited: true };
		if (result.reason === 'forbidden' || result.reason === 'not-found') refuse(result);
		return fail(409, { editErrors: { form: MEETING_REFUSALS[result.reason] }, editValues: values });
	},
	duplicate: async (event) => {
		const user = requireUser(event);
		const values = Object.fromEntries(await event.request.formData()) as Record<string, string>;
		const parsed = MeetingCopy.safeParse(values);
		if (!parsed.success) return fail(400, { copyErrors: fieldErrors(parsed.error), copyValues: values });
		const result = await duplicateMeeting(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id, parsed.data);
		if (!result.ok) {
			if (result.reason === 'forbidden' || result.reason === 'not-found') refuse(result);
			return fail(409, { copyErrors: { form: MEETING_REFUSALS[result.reason] }, copyValues: values });
		}
		redirect(303, `/meetings/${result.meeting.id}`);
	},
	move: async (event) => {
		const user = requireUser(event);
		const parsed = Move.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { agendaError: 'Demande invalide.' });
		const { db } = runtime().database;
		const agenda = await listAgenda(db, user, event.params.id, event.getClientAddress());
		if (!agenda.ok) refuse(agenda);
		const ids = agenda.items.map((item) => item.caseId);
		const at = ids.indexOf(parsed.data.caseId);
		const to = parsed.data.direction === 'up' ? at - 1 : at + 1;
		if (at < 0 || to < 0 || to >= ids.length) return { moved: false };
		[ids[at], ids[to]] = [ids[to], ids[at]];
		const result = await reorderAgenda(db, user, event.params.id, ids, event.getClientAddress());
		if (!result.ok) {
			if (result.reason === 'not-found' || result.reason === 'forbidden') refuse(result);
			return fail(409, { agendaError: 'L’ordre du jour a changé entre-temps ou la séance est close : rechargez la page.' });
		}
		return { moved: true };
	},
	invite: async (event) => {
		const user = requireUser(event);
		const values = Object.fromEntries(await event.request.formData()) as Record<string, string>;
		const parsed = GuestInput.safeParse(values);
		if (!parsed.success) return fail(400, { guestErrors: fieldErrors(parsed.error), guestValues: values });
		const result = await inviteGuest(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id, parsed.data);
		if (!result.ok) {
			if (result.reason === 'invalid-expiry') return fail(400, { guestErrors: { expiresDate: result.message }, guestValues: values });
			if (result.reason === 'forbidden' || result.reason === 'not-found') refuse(result);
			return fail(409, { guestErrors: { form: GUEST_REFUSALS[result.reason] }, guestValues: values });
		}
		return { invited: { name: result.guest.name, link: `${event.url.origin}/invite/${result.token}` } };
	},
	revoke: async (event) => {
		const user = requireUser(event);
		const parsed = Revoke.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { revokeError: 'Demande invalide.' });
		const result = await revokeGuest(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id, parsed.data.guestId);
		// Out of the video room at once, not only at the next page.
		if (result.ok) await runtime().sfu.expel(`guest:${parsed.data.guestId}`);
		if (!result.ok) {
			if (result.reason === 'forbidden') refuse(result);
			return fail(409, { revokeError: GUEST_REFUSALS[result.reason] ?? 'Refusé.' });
		}
		return { revoked: true };
	}
};
