import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { boardErrors, boardToForm, formValues, parseBoardForm } from '$lib/boards/form';
import { BOARD_ROLES } from '$lib/domain/board';
import { requireUser } from '$lib/server/auth/guards';
import { boardFor, canManageBoard, listMembers, setMembership, updateBoard } from '$lib/server/boards';
import { runtime } from '$lib/server/runtime';
import { listUsers } from '$lib/server/user-admin';
import type { SessionUser } from '$lib/server/users';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

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
	return { board, role, canManage, values: boardToForm(board), members, candidates };
};

const Membership = z.object({ userId: z.uuid(), role: z.union([z.enum(BOARD_ROLES), z.literal('none')]) });

export const actions: Actions = {
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
