/**
 * The live meeting's shared state, kept in the database (a refresh, a reconnection or a
 * server restart restores it): which case is under discussion, who presents it, who
 * holds the proposal's pen, the presenter's document view; and the time spent on each
 * case. The agenda drives it: closing a case opens the next one not yet discussed.
 *
 * Callers are participants of the meeting's room (server/signaling checks that); the
 * rules of who may do what are here.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { canTransition, type CaseState } from '../domain/case-lifecycle.ts';
import { DecisionDraft, decisionProblems, type DecisionProblem } from '../domain/decision.ts';
import type { DocumentView } from '../realtime/live.ts';
import { audit } from './audit.ts';
import { moveCase } from './cases.ts';
import type { Database } from './db/index.ts';
import { caseAttachments, caseDecisions, caseDecisionVersions, caseDiscussions, cases, meetingLiveState } from './db/schema.ts';
import { meetingQuorum, readDecision, type QuorumSnapshot } from './decisions.ts';
import type { RoomParticipant } from './meeting-room.ts';
import type { AttachmentStorage } from './storage.ts';
import type { SessionUser } from './users.ts';
import { isUuid } from '../validation.ts';
import { clock } from '../clock.ts';

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
		updatedAt: clock.now()
	};
	await db
		.insert(meetingLiveState)
		.values({ meetingId: state.meetingId, ...values })
		.onConflictDoUpdate({ target: meetingLiveState.meetingId, set: values });
	return state;
}

/**
 * The chair opens a case of the meeting's agenda: it becomes the case everyone sees, its
 * requesting physician presents it, the chair holds the pen, and a registered or complete
 * case is now `discussed`. The previous case's discussion ends (without outcome if none
 * was given).
 */
export async function openCase(db: Database, chair: RoomParticipant, caseId: string, now: Date = clock.now()): Promise<{ ok: true; state: LiveState } | LiveRefusal> {
	if (!chair.moderator) return { ok: false, reason: 'forbidden' };
	const [row] = await db.select().from(cases).where(and(eq(cases.id, caseId), eq(cases.meetingId, chair.meetingId)));
	if (!row) return { ok: false, reason: 'not-found' };
	await db
		.update(caseDiscussions)
		.set({ closedAt: now })
		.where(and(eq(caseDiscussions.meetingId, chair.meetingId), isNull(caseDiscussions.closedAt)));
	await db.insert(caseDiscussions).values({ caseId, meetingId: chair.meetingId, openedAt: now });
	const from = row.status as CaseState;
	if (canTransition(from, 'discussed')) {
		await db
			.update(cases)
			.set({ status: 'discussed', version: row.version + 1, updatedAt: now, updatedBy: chair.userId })
			.where(and(eq(cases.id, caseId), eq(cases.status, from)));
	}
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

export type CloseRefusal =
	| LiveRefusal
	| { ok: false; reason: 'not-final' }
	| { ok: false; reason: 'move-refused'; detail: string };

/**
 * The chair closes the current case and the next case of the agenda not yet dealt with
 * opens (none when the agenda is done).
 *
 * - `decided`: the proposal must be final (read back); it becomes `decided`, and so does
 *   the case.
 * - `postponed`: the case is `postponed`; if the proposal names the meeting where it is
 *   presented again, the case moves there at once (`moveCase`, kept in its history). The
 *   proposal goes back to draft, to be taken up at that meeting; its versions stay.
 */
export async function closeCase(
	db: Database,
	chair: RoomParticipant,
	account: SessionUser,
	outcome: 'decided' | 'postponed',
	now: Date = clock.now()
): Promise<{ ok: true; state: LiveState; next: string | null } | CloseRefusal> {
	if (!chair.moderator) return { ok: false, reason: 'forbidden' };
	const state = await liveState(db, chair.meetingId);
	const caseId = state.currentCaseId;
	if (!caseId) return { ok: false, reason: 'no-case' };
	const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
	if (!row) return { ok: false, reason: 'not-found' };
	const decision = await readDecision(db, caseId);

	if (outcome === 'decided') {
		if (decision.status === 'draft') return { ok: false, reason: 'not-final' };
		await db.transaction(async (tx) => {
			await tx.update(caseDecisions).set({ status: 'decided' }).where(eq(caseDecisions.caseId, caseId));
			await tx
				.update(cases)
				.set({ status: 'decided', version: sql`${cases.version} + 1`, updatedAt: now, updatedBy: chair.userId })
				.where(and(eq(cases.id, caseId), eq(cases.status, 'discussed')));
		});
	} else {
		const target = decision.content.representationMeetingId;
		if (target) {
			const moved = await moveCase(db, account, caseId, target, 'postponed', null);
			if (!moved.ok) return { ok: false, reason: 'move-refused', detail: moved.reason };
		} else if (canTransition(row.status as CaseState, 'postponed')) {
			await db
				.update(cases)
				.set({ status: 'postponed', version: sql`${cases.version} + 1`, updatedAt: now, updatedBy: chair.userId })
				.where(eq(cases.id, caseId));
		}
		await db.update(caseDecisions).set({ status: 'draft', quorum: null, finalAt: null }).where(eq(caseDecisions.caseId, caseId));
	}
	await db
		.update(caseDiscussions)
		.set({ closedAt: now, outcome })
		.where(and(eq(caseDiscussions.caseId, caseId), eq(caseDiscussions.meetingId, chair.meetingId), isNull(caseDiscussions.closedAt)));
	await audit(db, { actorUserId: chair.userId, action: `meeting.close-case`, entityType: 'meeting', entityId: chair.meetingId, address: null, details: { caseId, outcome } }, now);
	const next = await nextCase(db, chair.meetingId);
	if (!next) return { ok: true, state: await store(db, { ...idle(chair.meetingId) }), next: null };
	const opened = await openCase(db, chair, next, now);
	if (!opened.ok) return opened;
	return { ok: true, state: opened.state, next };
}

export interface RecordedBatch {
	/** Cases now decided, recorded without discussion. */
	recorded: string[];
	/** Cases prepared for recording that could not be, with what they lack. */
	refused: { caseId: string; problems: DecisionProblem[] }[];
	/** The quorum the batch was decided with. */
	quorum: QuorumSnapshot;
}

/**
 * The chair validates in one batch the cases of the meeting prepared as "enregistré sans
 * discussion" (their proposal follows a référentiel, the file is complete): each proposal
 * must be complete; it is decided with the quorum of this moment, and the case goes
 * `complete → recorded-without-discussion → decided`. `caseIds` narrows the batch.
 *
 * Without the quorum, the chair may record them all the same by acknowledging it: each
 * proposal then gets a new version with the "quorum non atteint" mark, which the fiche shows.
 */
export async function recordWithoutDiscussion(
	db: Database,
	chair: RoomParticipant,
	caseIds: string[] | null,
	options: { quorumNotMetAcknowledged?: boolean } = {},
	now: Date = clock.now()
): Promise<{ ok: true; batch: RecordedBatch } | LiveRefusal> {
	if (!chair.moderator) return { ok: false, reason: 'forbidden' };
	const candidates = await recordedCandidates(db, chair.meetingId);
	const chosen = caseIds ? candidates.filter((c) => caseIds.includes(c.caseId)) : candidates;
	if (caseIds && chosen.length !== new Set(caseIds).size) return { ok: false, reason: 'not-found' };
	const quorum = await meetingQuorum(db, chair.meetingId, chair.boardId);
	const batch: RecordedBatch = { recorded: [], refused: [], quorum };
	const acknowledge = !quorum.met && options.quorumNotMetAcknowledged === true;
	for (const candidate of chosen) {
		const content: DecisionDraft = acknowledge ? { ...candidate.content, quorumNotMetAcknowledged: true } : candidate.content;
		const marked = content !== candidate.content && !candidate.content.quorumNotMetAcknowledged;
		const version = marked ? candidate.version + 1 : candidate.version;
		const problems = decisionProblems(content, quorum.met);
		if (candidate.caseStatus !== 'complete') problems.push({ field: 'fileComplete', message: 'Le dossier est incomplet : il ne peut pas être enregistré sans discussion.' });
		if (problems.length > 0) {
			batch.refused.push({ caseId: candidate.caseId, problems });
			continue;
		}
		const recorded = await db.transaction(async (tx) => {
			const stored = content as Record<string, unknown>;
			const [decided] = await tx
				.update(caseDecisions)
				.set({ status: 'decided', content: stored, version, quorum: quorum as unknown as Record<string, unknown>, finalAt: now, updatedAt: now, updatedBy: chair.userId })
				.where(and(eq(caseDecisions.caseId, candidate.caseId), eq(caseDecisions.version, candidate.version), ne(caseDecisions.status, 'decided')))
				.returning({ caseId: caseDecisions.caseId });
			if (!decided) return false;
			if (marked) await tx.insert(caseDecisionVersions).values({ caseId: candidate.caseId, version, content: stored, at: now, by: chair.userId });
			// complete → recorded-without-discussion → decided, in one step: the batch is the record.
			await tx
				.update(cases)
				.set({ status: 'decided', version: sql`${cases.version} + 1`, updatedAt: now, updatedBy: chair.userId })
				.where(and(eq(cases.id, candidate.caseId), eq(cases.status, 'complete')));
			return true;
		});
		if (!recorded) {
			batch.refused.push({ caseId: candidate.caseId, problems: [{ field: 'proposal', message: 'La proposition a changé entre-temps : relancez la validation.' }] });
			continue;
		}
		batch.recorded.push(candidate.caseId);
		await audit(db, {
			actorUserId: chair.userId,
			action: 'decision.recorded',
			entityType: 'case',
			entityId: candidate.caseId,
			address: null,
			details: { meetingId: chair.meetingId, version, quorum: quorum.status }
		}, now);
	}
	return { ok: true, batch };
}

/** The meeting's cases whose proposal is prepared as "enregistré sans discussion" and not yet decided. */
export async function recordedCandidates(db: Database, meetingId: string) {
	const rows = await db
		.select({ caseId: cases.id, caseStatus: cases.status, content: caseDecisions.content, version: caseDecisions.version, status: caseDecisions.status })
		.from(caseDecisions)
		.innerJoin(cases, eq(cases.id, caseDecisions.caseId))
		.where(and(eq(cases.meetingId, meetingId), ne(caseDecisions.status, 'decided')))
		.orderBy(asc(cases.position), asc(cases.createdAt), asc(cases.id));
	return rows
		.map((row) => ({ ...row, content: DecisionDraft.parse(row.content) }))
		.filter((row) => row.content.recordedWithoutDiscussion && (row.caseStatus === 'registered' || row.caseStatus === 'complete'));
}

/** The meeting's case ids in agenda order (the order of `listAgenda`). */
function agendaOrder(db: Database, meetingId: string): Promise<{ id: string; status: string }[]> {
	return db.select({ id: cases.id, status: cases.status }).from(cases).where(eq(cases.meetingId, meetingId)).orderBy(asc(cases.position), asc(cases.createdAt), asc(cases.id));
}

/** The first case of the agenda still to be dealt with: no outcome here, not decided, postponed or withdrawn. */
async function nextCase(db: Database, meetingId: string): Promise<string | null> {
	const agenda = await agendaOrder(db, meetingId);
	if (agenda.length === 0) return null;
	const done = await db
		.select({ caseId: caseDiscussions.caseId, outcome: caseDiscussions.outcome })
		.from(caseDiscussions)
		.where(and(eq(caseDiscussions.meetingId, meetingId), inArray(caseDiscussions.caseId, agenda.map((c) => c.id))));
	const closed = new Set(done.filter((d) => d.outcome !== null).map((d) => d.caseId));
	return agenda.find((c) => !closed.has(c.id) && OPEN_TO_DISCUSSION.has(c.status as CaseState))?.id ?? null;
}

/** States of a case the agenda still has to deal with. */
const OPEN_TO_DISCUSSION = new Set<CaseState>(['registered', 'complete', 'discussed']);

export type SummaryOutcome = 'decided' | 'recorded' | 'postponed' | 'not-discussed';

export interface SummaryLine {
	caseId: string;
	/** decided after discussion, recorded without discussion, postponed, or not dealt with. */
	outcome: SummaryOutcome;
	/** Minutes the case was open, over all its openings in this meeting. */
	minutes: number;
}

/**
 * The meeting summary: each case of the agenda, and each case discussed here and since
 * moved to another meeting, with its outcome and the time spent on it.
 */
export async function meetingSummary(db: Database, meetingId: string, now: Date = clock.now()): Promise<SummaryLine[]> {
	const discussions = await db.select().from(caseDiscussions).where(eq(caseDiscussions.meetingId, meetingId));
	const agenda = await agendaOrder(db, meetingId);
	const ids = [...new Set([...agenda.map((c) => c.id), ...discussions.map((d) => d.caseId)])];
	const recorded = new Set(
		ids.length === 0
			? []
			: (
					await db
						.select({ caseId: caseDecisions.caseId, content: caseDecisions.content })
						.from(caseDecisions)
						.where(and(inArray(caseDecisions.caseId, ids), eq(caseDecisions.meetingId, meetingId), eq(caseDecisions.status, 'decided')))
				)
					.filter((row) => row.content.recordedWithoutDiscussion === true)
					.map((row) => row.caseId)
	);
	return ids.map((id) => {
		const mine = discussions.filter((d) => d.caseId === id);
		const ms = mine.reduce((sum, d) => sum + ((d.closedAt ?? now).getTime() - d.openedAt.getTime()), 0);
		const last = mine.filter((d) => d.outcome).sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime())[0];
		const outcome: SummaryOutcome = (last?.outcome as SummaryOutcome | undefined) ?? (recorded.has(id) ? 'recorded' : 'not-discussed');
		return { caseId: id, outcome, minutes: Math.round((ms / 60_000) * 10) / 10 };
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
