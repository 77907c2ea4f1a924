/**
 * The live meeting's shared state, kept in the database (a refresh, a reconnection or a
 * server restart restores it): which case is under discussion, who presents it, who
 * holds the proposal's pen, the presenter's document view; and the time spent on each
 * case. The agenda drives it: closing a case opens the next one not yet discussed.
 *
 * Callers are participants of the meeting's room (server/signaling checks that); the
 * rules of who may do what are here.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DocumentView } from '../realtime/live.ts';
import { audit } from './audit.ts';
import type { Database } from './db/index.ts';
import { caseAttachments, caseDiscussions, cases, meetingLiveState } from './db/schema.ts';
import type { RoomParticipant } from './meeting-room.ts';
import type { AttachmentStorage } from './storage.ts';
import { isUuid } from '../validation.ts';

export interface LiveState {
	meetingId: string;
	currentCaseId: string | null;
	presenterKey: string | null;
	editorKey: string | null;
	document: DocumentView | null;
}

export type LiveRefusal = { ok: false; reason: 'forbidden' | 'not-found' | 'no-case' | 'not-presenter' };

const idle = (meetingId: string): LiveState => ({ meetingId, currentCaseId: null, presenterKey: null, editorKey: null, document: null });

export async function liveState(db: Database, meetingId: string): Promise<LiveState> {
	const [row] = await db.select().from(meetingLiveState).where(eq(meetingLiveState.meetingId, meetingId));
	if (!row) return idle(meetingId);
	return {
		meetingId,
		currentCaseId: row.currentCaseId,
		presenterKey: row.presenterKey,
		editorKey: row.editorKey,
		document: (row.document as DocumentView | null) ?? null
	};
}

async function store(db: Database, state: LiveState): Promise<LiveState> {
	const values = {
		currentCaseId: state.currentCaseId,
		presenterKey: state.presenterKey,
		editorKey: state.editorKey,
		document: state.document as Record<string, unknown> | null,
		updatedAt: new Date()
	};
	await db
		.insert(meetingLiveState)
		.values({ meetingId: state.meetingId, ...values })
		.onConflictDoUpdate({ target: meetingLiveState.meetingId, set: values });
	return state;
}

/**
 * The chair opens a case of the meeting's agenda: it becomes the case everyone sees, its
 * requesting physician presents it, the chair holds the pen. The previous case's
 * discussion ends (without outcome if none was given).
 */
export async function openCase(db: Database, chair: RoomParticipant, caseId: string, now: Date = new Date()): Promise<{ ok: true; state: LiveState } | LiveRefusal> {
	if (!chair.moderator) return { ok: false, reason: 'forbidden' };
	const [row] = await db.select().from(cases).where(and(eq(cases.id, caseId), eq(cases.meetingId, chair.meetingId)));
	if (!row) return { ok: false, reason: 'not-found' };
	await db
		.update(caseDiscussions)
		.set({ closedAt: now })
		.where(and(eq(caseDiscussions.meetingId, chair.meetingId), isNull(caseDiscussions.closedAt)));
	await db.insert(caseDiscussions).values({ caseId, meetingId: chair.meetingId, openedAt: now });
	const state = await store(db, {
		meetingId: chair.meetingId,
		currentCaseId: caseId,
		presenterKey: `user:${row.requestedBy}`,
		editorKey: chair.key,
		document: null
	});
	await audit(db, { actorUserId: chair.userId, action: 'meeting.open-case', entityType: 'meeting', entityId: chair.meetingId, address: null, details: { caseId } }, now);
	return { ok: true, state };
}

/** The chair hands the presentation to someone else (a participant of the meeting). */
export async function setPresenter(db: Database, chair: RoomParticipant, presenterKey: string): Promise<{ ok: true; state: LiveState } | LiveRefusal> {
	if (!chair.moderator) return { ok: false, reason: 'forbidden' };
	const state = await liveState(db, chair.meetingId);
	if (!state.currentCaseId) return { ok: false, reason: 'no-case' };
	return { ok: true, state: await store(db, { ...state, presenterKey, document: null }) };
}

/**
 * Who holds the proposal's pen: a moderator takes it (or hands it to another moderator);
 * only the pen's holder saves the proposal, so that two people never type over each other.
 */
export async function setEditor(db: Database, chair: RoomParticipant, editorKey: string): Promise<{ ok: true; state: LiveState } | LiveRefusal> {
	if (!chair.moderator) return { ok: false, reason: 'forbidden' };
	const state = await liveState(db, chair.meetingId);
	if (!state.currentCaseId) return { ok: false, reason: 'no-case' };
	return { ok: true, state: await store(db, { ...state, editorKey }) };
}

/** The presenter shows a document of the current case, or changes its view. */
export async function showDocument(db: Database, presenter: RoomParticipant, view: DocumentView | null): Promise<{ ok: true; state: LiveState } | LiveRefusal> {
	const state = await liveState(db, presenter.meetingId);
	if (!state.currentCaseId) return { ok: false, reason: 'no-case' };
	if (state.presenterKey !== presenter.key && !presenter.moderator) return { ok: false, reason: 'not-presenter' };
	if (view) {
		const [attachment] = await db
			.select({ id: caseAttachments.id })
			.from(caseAttachments)
			.where(and(eq(caseAttachments.id, view.attachmentId), eq(caseAttachments.caseId, state.currentCaseId)));
		if (!attachment) return { ok: false, reason: 'not-found' };
	}
	return { ok: true, state: await store(db, { ...state, document: view }) };
}

/**
 * The chair closes the current case (decided or postponed) and the next case of the
 * agenda not yet discussed opens; null when the agenda is done.
 */
export async function closeCase(
	db: Database,
	chair: RoomParticipant,
	outcome: 'decided' | 'postponed',
	now: Date = new Date()
): Promise<{ ok: true; state: LiveState; next: string | null } | LiveRefusal> {
	if (!chair.moderator) return { ok: false, reason: 'forbidden' };
	const state = await liveState(db, chair.meetingId);
	if (!state.currentCaseId) return { ok: false, reason: 'no-case' };
	await db
		.update(caseDiscussions)
		.set({ closedAt: now, outcome })
		.where(and(eq(caseDiscussions.caseId, state.currentCaseId), eq(caseDiscussions.meetingId, chair.meetingId), isNull(caseDiscussions.closedAt)));
	const next = await nextCase(db, chair.meetingId);
	if (!next) return { ok: true, state: await store(db, { ...idle(chair.meetingId) }), next: null };
	const opened = await openCase(db, chair, next, now);
	if (!opened.ok) return opened;
	return { ok: true, state: opened.state, next };
}

/** The meeting's case ids in agenda order (the order of `listAgenda`). */
function agendaOrder(db: Database, meetingId: string): Promise<{ id: string }[]> {
	return db.select({ id: cases.id }).from(cases).where(eq(cases.meetingId, meetingId)).orderBy(asc(cases.position), asc(cases.createdAt), asc(cases.id));
}

/** The first case of the agenda with no outcome yet. */
async function nextCase(db: Database, meetingId: string): Promise<string | null> {
	const agenda = await agendaOrder(db, meetingId);
	if (agenda.length === 0) return null;
	const done = await db
		.select({ caseId: caseDiscussions.caseId, outcome: caseDiscussions.outcome })
		.from(caseDiscussions)
		.where(and(eq(caseDiscussions.meetingId, meetingId), inArray(caseDiscussions.caseId, agenda.map((c) => c.id))));
	const closed = new Set(done.filter((d) => d.outcome !== null).map((d) => d.caseId));
	return agenda.find((c) => !closed.has(c.id))?.id ?? null;
}

export interface SummaryLine {
	caseId: string;
	outcome: 'decided' | 'postponed' | 'not-discussed';
	/** Minutes the case was open, over all its openings. */
	minutes: number;
}

/** The meeting summary: each case of the agenda, its outcome and the time spent on it. */
export async function meetingSummary(db: Database, meetingId: string, now: Date = new Date()): Promise<SummaryLine[]> {
	const agenda = await agendaOrder(db, meetingId);
	const discussions = await db.select().from(caseDiscussions).where(eq(caseDiscussions.meetingId, meetingId));
	return agenda.map(({ id }) => {
		const mine = discussions.filter((d) => d.caseId === id);
		const ms = mine.reduce((sum, d) => sum + ((d.closedAt ?? now).getTime() - d.openedAt.getTime()), 0);
		const last = mine.filter((d) => d.outcome).sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime())[0];
		return { caseId: id, outcome: (last?.outcome as SummaryLine['outcome']) ?? 'not-discussed', minutes: Math.round((ms / 60_000) * 10) / 10 };
	});
}

/** The current case's fiche and documents for a participant's case panel; the read is audited. */
export async function liveCaseView(db: Database, participant: RoomParticipant, address: string | null) {
	const state = await liveState(db, participant.meetingId);
	if (!state.currentCaseId) return null;
	const [row] = await db.select().from(cases).where(eq(cases.id, state.currentCaseId));
	if (!row) return null;
	const attachments = await db
		.select({ id: caseAttachments.id, fileName: caseAttachments.fileName, mediaType: caseAttachments.mediaType, sizeBytes: caseAttachments.sizeBytes })
		.from(caseAttachments)
		.where(eq(caseAttachments.caseId, row.id))
		.orderBy(asc(caseAttachments.uploadedAt), asc(caseAttachments.id));
	await audit(db, {
		actorUserId: participant.userId,
		actorGuestId: participant.guestId ?? undefined,
		action: 'case.read',
		entityType: 'case',
		entityId: row.id,
		address,
		details: { in: 'meeting', meetingId: participant.meetingId }
	});
	return { caseId: row.id, fiche: row.fiche, attachments };
}

/**
 * A document of the case under discussion, for a guest of the meeting (members read
 * documents through their board, `readAttachment`); the download is audited as theirs.
 */
export async function readLiveDocument(db: Database, storage: AttachmentStorage, guest: { id: string; meetingId: string }, attachmentId: string, address: string | null) {
	if (!isUuid(attachmentId)) return undefined;
	const state = await liveState(db, guest.meetingId);
	if (!state.currentCaseId) return undefined;
	const [row] = await db
		.select()
		.from(caseAttachments)
		.where(and(eq(caseAttachments.id, attachmentId), eq(caseAttachments.caseId, state.currentCaseId)));
	if (!row) return undefined;
	const stream = await storage.get(row.storageKey);
	if (!stream) throw new Error(`Attachment ${attachmentId}: no content under storage key ${row.storageKey}`);
	await audit(db, {
		actorUserId: null,
		actorGuestId: guest.id,
		action: 'case.attachment-download',
		entityType: 'case',
		entityId: row.caseId,
		address,
		details: { attachmentId, in: 'meeting' }
	});
	return { attachment: row, stream };
}
