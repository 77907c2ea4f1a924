import { fail, redirect } from '@sveltejs/kit';
import { boardErrors, formValues, parseBoardForm } from '$lib/boards/form';
import { requireAdmin, requireUser } from '$lib/server/auth/guards';
import { createBoard, listBoardsFor } from '$lib/server/boards';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const boards = await listBoardsFor(runtime().database.db, user);
	return { boards: boards.map((b) => ({ id: b.id, name: b.name, site: b.site, type: b.type, role: b.role })), canCreate: user.isAdmin };
};

export const actions: Actions = {
	create: async (event) => {
		const admin = requireAdmin(event);
		const form = await event.request.formData();
		const parsed = parseBoardForm(form);
		if (!parsed.success) return fail(400, { values: formValues(form), errors: boardErrors(parsed.error) });
		const board = await createBoard(runtime().database.db, parsed.data, { userId: admin.id, address: event.getClientAddress() });
		redirect(303, `/boards/${board.id}`);
	}
};
