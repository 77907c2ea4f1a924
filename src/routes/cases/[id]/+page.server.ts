import { fail } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { z } from 'zod';
import { boardFor, canManageBoard } from '$lib/server/boards';
import { addAttachment, caseFor, getCase, moveCase, updateFiche } from '$lib/server/cases';
import { getDecision, saveDecision } from '$lib/server/decisions';
import { listMeetings } from '$lib/server/meetings';
import { MAX_ATTACHMENT_BYTES } from '$lib/server/file-type';
import { refuse } from '$lib/server/refusals';
import { recordTrialOutcome, trialOutcome } from '$lib/server/trial-outcomes';
import { runtime } from '$lib/server/runtime';
import { caseFollowUpSection } from '$lib/server/follow-up/case-section';
import { ppsCaseSection } from '$lib/server/pps/case-section';
import type { Database } from '$lib/server/db';
import type { SessionUser } from '$lib/server/users';
import { decisionProblems } from '$lib/domain/decision';
import { isRecordable, missingRequired, readRecordedForm, readyForBatch, recordedProposal, type RecordedCitations } from '$lib/domain/recorded-decision';
import { citationsFromIds } from '$lib/server/decision-citations';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { clock } from '$lib/clock';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const view = await getCase(runtime().database.db, user, event.params.id, event.getClientAddress());
	if (!view.ok) refuse(view);
	const { case: row, fiche, missing, identityMismatches, attachments, history } = view;
	// Managers may put the case on another open meeting of the same board.
	const { db } = runtime().database;
	const board = await boardFor(db, user, row.boardId);
	const canManage = board.ok && canManageBoard(user, board.role);
	const upcoming = canManage ? await listMeetings(db, user, row.boardId, clock.now()) : undefined;
	const otherMeetings =
		upcoming?.ok === true
			? upcoming.meetings.filter((m) => m.status === 'scheduled' && m.id !== row.meetingId).map((m) => ({ id: m.id, startsAt: m.startsAt }))
			: [];
	const organ = fiche.organ ?? null;
	const recorded = canManage && row.meetingId && isRecordable(row.status) ? await recordedPreparation(db, user, row.id, row.status, organ) : null;
	return {
		canManage,
		recorded,
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
		maxBytes: MAX_ATTACHMENT_BYTES,
		trialOutcome: await trialOutcome(db, user, row.id).then((read) => (read.ok ? read.view : null)),
		followUp: await caseFollowUpSection(db, user, row, board.ok ? board.role : null),
		pps: await ppsCaseSection(db, user, row.id)
	};
};

/** The proposal as prepared for registration without discussion, with what it still lacks. */
async function recordedPreparation(db: Database, user: SessionUser, caseId: string, caseState: string, organ: string | null) {
	const decision = await getDecision(db, user, caseId);
	if (!decision.ok) return null;
	const { content, version, status } = decision;
	// The quorum is judged at the meeting, when the chair validates the batch.
	return {
		caseId,
		/** The case's organ: the référentiel situations offered first. */
		organ,
		content,
		version,
		status,
		problems: decisionProblems(content, true),
		fileIncomplete: caseState !== 'complete',
		ready: readyForBatch(content, caseState)
	};
}

/** Why a save of the prepared proposal did not happen; the page says it in the user's language. */
type RecordedRefusal = 'invalid' | 'stale' | 'closed' | 'not-in-meeting' | 'not-recordable';

/**
 * Saves the form of the "enregistrement sans discussion" section; `recorded` marks the case
 * for registration or leaves it to be discussed. A refusal returns what was typed, and the
 * version to base the next save on, so that the form is filled again.
 */
async function saveRecorded(event: RequestEvent, recorded: boolean) {
	const user = requireUser(event);
	const body = await event.request.formData();
	const values = readRecordedForm(body);
	const baseVersion = Number(body.get('baseVersion'));
	const { db } = runtime().database;
	// The pickers' ids, read from the library (the labels shown again after a refusal are the library's too).
	const cited = await citationsFromIds(db, { situationId: values.guidelineSituationId, trialId: values.trialId });
	const citations: RecordedCitations = cited.ok ? cited : { guidelineCitation: null, trialCitation: null };
	const refused = (status: number, reason: RecordedRefusal, more: { errors?: Record<string, string>; version?: number } = {}) =>
		fail(status, { recorded: { reason, values, citations, baseVersion: more.version ?? baseVersion, errors: more.errors ?? {} } });
	const access = await caseFor(db, user, event.params.id);
	if (!access.ok) refuse(access);
	if (!access.manager) refuse({ reason: 'forbidden' });
	if (!isRecordable(access.row.status)) return refused(409, 'not-recordable');
	// saveDecision would take a final proposal back to draft: this page only prepares drafts.
	const current = await getDecision(db, user, event.params.id);
	if (!current.ok) return current.reason === 'not-in-meeting' ? refused(409, 'not-in-meeting') : refuse(current);
	if (current.status !== 'draft') return refused(409, 'closed');
	if (!cited.ok) return refused(400, 'invalid', { errors: cited.errors });
	if (recorded) {
		const missing = missingRequired(values);
		const messages = { proposal: m.case_recorded_proposal_required(), guidelineName: m.prop_recorded_guideline_required() };
		if (missing.length > 0) return refused(400, 'invalid', { errors: Object.fromEntries(missing.map((field) => [field, messages[field]])) });
	}
	const result = await saveDecision(db, { user, address: event.getClientAddress() }, event.params.id, baseVersion, recordedProposal(values, recorded, citations));
	if (result.ok) return { recorded: { saved: result.version } };
	switch (result.reason) {
		case 'invalid':
			return refused(400, 'invalid', { errors: result.errors });
		case 'stale':
			// The next save is based on the version now stored, which the page reloads and shows.
			return refused(409, 'stale', { version: result.version });
		case 'closed':
		case 'not-in-meeting':
			return refused(409, result.reason);
		default:
			refuse(result);
	}
}

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
	trialOutcome: async (event) => {
		const user = requireUser(event);
		const values = Object.fromEntries([...(await event.request.formData())].map(([k, v]) => [k, String(v)]));
		const result = await recordTrialOutcome(runtime().database.db, { user, address: event.getClientAddress() }, event.params.id, values);
		if (result.ok) return { trialOutcome: { saved: true as const } };
		if (result.reason === 'invalid') return fail(400, { trialOutcome: { values, errors: result.errors } });
		if (result.reason === 'no-trial') return fail(409, { trialOutcome: { values, errors: { outcome: m.trial_outcome_no_trial() } } });
		refuse(result);
	},
	prepareRecorded: (event) => saveRecorded(event, true),
	unmarkRecorded: (event) => saveRecorded(event, false),
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
