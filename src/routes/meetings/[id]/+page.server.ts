import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guards';
import { boardFor, canManageBoard } from '$lib/server/boards';
import { listAgenda, reorderAgenda } from '$lib/server/cases';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const agenda = await listAgenda(db, user, event.params.id, event.getClientAddress());
	if (!agenda.ok) refuse(agenda);
	const board = await boardFor(db, user, agenda.meeting.boardId);
	if (!board.ok) refuse(board);
	return {
		meeting: agenda.meeting,
		board: { id: board.board.id, name: board.board.name },
		items: agenda.items,
		canManage: canManageBoard(user, board.role)
	};
};

const Move = z.object({ caseId: z.uuid(), direction: z.enum(['up', 'down']) });

export const actions: Actions = {
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
	}
};
