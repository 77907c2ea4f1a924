import { fail } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { z } from 'zod';
import { boardFor, canManageBoard } from '$lib/server/boards';
import { addAttachment, getCase, moveCase, updateFiche } from '$lib/server/cases';
import { listMeetings } from '$lib/server/meetings';
import { MAX_ATTACHMENT_BYTES } from '$lib/server/file-type';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const view = await getCase(runtime().database.db, user, event.params.id, event.getClientAddress());
	if (!view.ok) refuse(view);
	const { case: row, fiche, missing, identityMismatches, attachments, history } = view;
	// Managers may put the case on another open meeting of the same board.
	const { db } = runtime().database;
	const board = await boardFor(db, user, row.boardId);
	const canManage = board.ok && canManageBoard(user, board.role);
	const upcoming = canManage ? await listMeetings(db, user, row.boardId, new Date()) : undefined;
	const otherMeetings =
		upcoming?.ok === true
			? upcoming.meetings.filter((m) => m.status === 'scheduled' && m.id !== row.meetingId).map((m) => ({ id: m.id, startsAt: m.startsAt }))
			: [];
	return {
		canManage,
		otherMeetings,
		caseId: row.id,
		meetingId: row.meetingId,
		status: row.status,
		version: row.version,
		fiche,
		missing,
		identityMismatches,
		attachments,
		history,
		maxBytes: MAX_ATTACHMENT_BYTES
	};
};

const timeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Paris' });

const Move = z.object({ meetingId: z.uuid(), reason: z.enum(['postponed', 'moved']) });

const MOVE_REFUSALS: Record<string, string> = {
	'meeting-not-found': 'Cette séance n’existe pas pour cette RCP.',
	'meeting-not-open': 'Cette séance n’accepte plus de dossier.',
	'same-meeting': 'Le dossier est déjà inscrit à cette séance.',
	'invalid-transition': 'Ce dossier ne peut pas être reporté à ce stade.',
	stale: 'Le dossier a changé entre-temps : rechargez la page.'
};

export const actions: Actions = {
	move: async (event) => {
		const user = requireUser(event);
		const parsed = Move.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { moveError: 'Choisissez une séance.' });
		const result = await moveCase(runtime().database.db, user, event.params.id, parsed.data.meetingId, parsed.data.reason, event.getClientAddress());
		if (result.ok) return { movedTo: parsed.data.meetingId };
		if (result.reason === 'not-found' || result.reason === 'forbidden') refuse(result);
		return fail(409, { moveError: MOVE_REFUSALS[result.reason] });
	},
	update: async (event) => {
		const user = requireUser(event);
		const form = Object.fromEntries(await event.request.formData());
		const { version, ...rest } = form;
		const values = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
		const result = await updateFiche(
			runtime().database.db,
			user,
			event.params.id,
			Number(version),
			values,
			event.getClientAddress()
		);
		if (result.ok) return { saved: true };
		switch (result.reason) {
			case 'invalid':
				return fail(400, { values, errors: result.errors });
			case 'stale':
				return fail(409, {
					values,
					errors: {
						form: `${result.current.updatedBy?.name ?? 'Quelqu’un'} a enregistré ce dossier le ${timeFormat.format(result.current.updatedAt)} : vos modifications n’ont pas été enregistrées. Rechargez la page pour voir sa version ; ce que vous avez saisi reste affiché.`
					}
				});
			case 'not-editable':
				return fail(409, { values, errors: { form: 'Ce dossier ne peut plus être modifié à ce stade.' } });
			default:
				refuse(result);
		}
	},
	attach: async (event) => {
		const user = requireUser(event);
		const file = (await event.request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { attachError: 'Choisissez un fichier PDF, JPEG ou PNG.' });
		if (file.size > MAX_ATTACHMENT_BYTES) return fail(413, { attachError: 'Fichier trop volumineux : 50 Mo au plus.' });
		const result = await addAttachment(
			runtime().database.db,
			runtime().storage,
			user,
			event.params.id,
			{ fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
			event.getClientAddress()
		);
		if (result.ok) return { attached: true };
		switch (result.reason) {
			case 'unsupported-type':
				return fail(415, { attachError: 'Ce fichier n’est ni un PDF, ni une image JPEG ou PNG : il n’a pas été enregistré.' });
			case 'too-large':
				return fail(413, { attachError: 'Fichier trop volumineux : 50 Mo au plus.' });
			case 'invalid':
				return fail(400, { attachError: Object.values(result.errors)[0] ?? 'Fichier refusé.' });
			case 'not-editable':
				return fail(409, { attachError: 'Ce dossier ne peut plus recevoir de document.' });
			default:
				refuse(result);
		}
	}
};
