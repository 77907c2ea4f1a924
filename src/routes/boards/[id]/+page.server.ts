import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { boardErrors, boardToForm, formValues, parseBoardForm } from '$lib/boards/form';
import { BOARD_ROLES } from '$lib/domain/board';
import { MeetingInput, MeetingState } from '$lib/domain/meeting';
import { createMeeting, generateMeetings, listMeetings, listPastMeetings, setMeetingStatus } from '$lib/server/meetings';
import { requireUser } from '$lib/server/auth/guards';
import { boardFor, canManageBoard, listMembers, setMembership, updateBoard } from '$lib/server/boards';
import { runtime } from '$lib/server/runtime';
import { listUsers } from '$lib/server/user-admin';
import type { SessionUser } from '$lib/server/users';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { clock } from '$lib/clock';
import { monthsLater, startOfParisDay } from '$lib/domain/schedule';

/** The board, if this user may see it (404 for an unknown board, 403 for another board's). */
async function access(event: RequestEvent | Parameters<PageServerLoad>[0], user: SessionUser) {
	const result = await boardFor(runtime().database.db, user, event.params.id);
	if (!result.ok) error(result.reason === 'not-found' ? 404 : 403, result.reason === 'not-found' ? `RCP introuvable : ${event.params.id}` : 'Vous n’êtes pas membre de cette RCP.');
	return result;
}

async function managed(event: RequestEvent) {
	const user = requireUser(event);
	const result = await access(event, user);
	if (!canManageBoard(user, result.role)) error(403, 'Réservé au coordonnateur, au secrétariat et aux administrateurs.');
	return { user, ...result };
}

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { board, role } = await access(event, user);
	const canManage = canManageBoard(user, role);
	const { db } = runtime().database;
	const members = await listMembers(db, board.id);
	const candidates = canManage
		? (await listUsers(db)).filter((u) => u.active).map((u) => ({ id: u.id, name: `${u.familyName.toUpperCase()} ${u.givenName}` }))
		: [];
	// Meetings from the start of today (Paris) on, so that today's stays visible.
	const now = clock.now();
	const since = startOfParisDay(now);
	const listed = await listMeetings(db, user, board.id, since);
	const meetings = listed.ok ? listed.meetings : [];
	// The meetings already held: their fiches to sign and to send.
	const past = await listPastMeetings(db, user, board.id, since);
	return { board, role, canManage, values: boardToForm(board), members, candidates, meetings, pastMeetings: past.ok ? past.meetings : [], now };
};

const Membership = z.object({ userId: z.uuid(), role: z.union([z.enum(BOARD_ROLES), z.literal('none')]) });

const GENERATE_MONTHS = 3;

const MEETING_REFUSALS: Record<string, string> = {
	'no-recurrence': 'Cette RCP n’a pas de calendrier régulier : ajoutez les séances une par une.',
	'already-exists': 'Une séance existe déjà à cette date et heure.',
	'invalid-transition': 'Cette séance ne peut pas passer dans cet état.',
	forbidden: 'Réservé au coordonnateur, au secrétariat et aux administrateurs.',
	'not-found': 'Séance introuvable.'
};

export const actions: Actions = {
	generate: async (event) => {
		const { user, board } = await managed(event);
		const from = clock.now();
		const to = monthsLater(from, GENERATE_MONTHS);
		const result = await generateMeetings(runtime().database.db, { user, address: event.getClientAddress() }, board.id, from, to);
		if (!result.ok) return fail(409, { meetingError: MEETING_REFUSALS[result.reason] });
		return { generated: result.created };
	},
	meeting: async (event) => {
		const { user, board } = await managed(event);
		const form = Object.fromEntries(await event.request.formData());
		const parsed = MeetingInput.safeParse(form);
		if (!parsed.success) return fail(400, { meetingError: parsed.error.issues[0].message, meetingValues: form });
		const result = await createMeeting(runtime().database.db, { user, address: event.getClientAddress() }, board.id, parsed.data);
		if (!result.ok) return fail(409, { meetingError: MEETING_REFUSALS[result.reason], meetingValues: form });
		return { saved: true };
	},
	status: async (event) => {
		const { user } = await managed(event);
		const form = await event.request.formData();
		const to = MeetingState.safeParse(form.get('to'));
		if (!to.success) return fail(400, { meetingError: MEETING_REFUSALS['invalid-transition'] });
		const result = await setMeetingStatus(runtime().database.db, { user, address: event.getClientAddress() }, String(form.get('meetingId')), to.data);
		if (!result.ok) return fail(409, { meetingError: MEETING_REFUSALS[result.reason] });
		// A cancelled or closed meeting's room ends for whoever is in it.
		if (to.data === 'cancelled' || to.data === 'closed') await runtime().sfu.endRoom(result.meeting.id);
		return { saved: true };
	},
	update: async (event) => {
		const { user, board } = await managed(event);
		const form = await event.request.formData();
		const parsed = parseBoardForm(form);
		if (!parsed.success) return fail(400, { values: formValues(form), errors: boardErrors(parsed.error) });
		await updateBoard(runtime().database.db, board.id, parsed.data, { userId: user.id, address: event.getClientAddress() });
		return { saved: true };
	},
	member: async (event) => {
		const { user, board } = await managed(event);
		const parsed = Membership.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { memberError: 'Choisissez une personne et un rôle.' });
		const role = parsed.data.role === 'none' ? null : parsed.data.role;
		await setMembership(runtime().database.db, board.id, parsed.data.userId, role, { userId: user.id, address: event.getClientAddress() });
		return { saved: true };
	}
};
