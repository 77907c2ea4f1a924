/**
 * Cases (dossiers) presented to a board: registration on a meeting's agenda, the fiche and
 * its stale-edit detection, the agenda's order, postponement, attachments.
 *
 * Every function decides itself who may do what: the board's members (the rule of
 * `boardFor`) and administrators may see a board's cases; the requester or a manager
 * (coordinator, secretary, administrator: `canManageBoard`) may edit one; only managers
 * arrange the agenda. Every read of patient data is audited; audit details carry ids and
 * field names, never patient data (not even an attachment's file name).
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, max, ne } from 'drizzle-orm';
import type { BoardRole } from '../domain/board.ts';
import { CaseFicheDraft, identityMismatches, missingFields, type FicheFieldName, type MissingField } from '../domain/case-fiche.ts';
import { canTransition, type CaseState } from '../domain/case-lifecycle.ts';
import { registrationOpen } from '../domain/meeting.ts';
import { fieldErrors, isUuid } from '../validation.ts';
import { audit } from './audit.ts';
import { boardFor, canManageBoard } from './boards.ts';
import type { Database } from './db/index.ts';
import { caseAttachments, caseDiscussions, caseMeetingHistory, cases, meetings, users, type Case, type Meeting } from './db/schema.ts';
import { checkAttachment, type AttachmentMediaType } from './file-type.ts';
import { meetingFor } from './meetings.ts';
import { newStorageKey, type AttachmentStorage } from './storage.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

/** Refusals shared by every function. */
export type AccessRefusal = { ok: false; reason: 'not-found'; id: string } | { ok: false; reason: 'forbidden' };

/** Field name → French message, for the form. */
export type FieldErrors = Partial<Record<string, string>>;

/** A case's attachment, without its bytes. */
export interface AttachmentInfo {
	id: string;
	fileName: string;
	mediaType: string;
	sizeBytes: number;
	sha256: string;
	uploadedBy: string;
	uploadedAt: Date;
}

/** One meeting a case was put on. */
export interface CaseMeetingEntry {
	meetingId: string;
	reason: string;
	at: Date;
	by: string | null;
}

/** A case as `getCase` shows it. */
export interface CaseView {
	case: Case;
	fiche: CaseFicheDraft;
	missing: MissingField[];
	identityMismatches: { field: FicheFieldName; message: string }[];
	attachments: AttachmentInfo[];
	history: CaseMeetingEntry[];
}

/** A line of a meeting's agenda. */
export interface AgendaItem {
	caseId: string;
	position: number;
	patientName: string;
	/** The question asked, cut to `QUESTION_PREVIEW_LENGTH` characters. */
	question: string;
	status: CaseState;
	estimatedMinutes: number;
	complete: boolean;
	/**
	 * Set when the case was discussed in this meeting and has since been put on another
	 * meeting (postponed there): it stays in this meeting's record, after its own cases.
	 */
	movedTo: { meetingId: string; startsAt: Date } | null;
}

/** Length of the question shown on the agenda. */
export const QUESTION_PREVIEW_LENGTH = 140;

/** Estimated discussion time accepted, in minutes. */
export const ESTIMATED_MINUTES_RANGE = { min: 1, max: 120 } as const;

/** States in which the request part of the fiche (and its documents) may still change. */
const EDITABLE_STATES: readonly CaseState[] = ['draft', 'registered', 'complete', 'postponed'];
/**
 * After the meeting and before the fiche is signed, the board's managers may still
 * complete it (an INS, a GP's address): the coordinator validates what they see.
 */
const COMPLETABLE_STATES: readonly CaseState[] = ['discussed', 'decided'];

// Transactions hand out a narrower handle; the services take the database type.
const asDatabase = (tx: unknown) => tx as Database;

// ---------------------------------------------------------------------------------------
// Access

type CaseAccess = { ok: true; row: Case; role: BoardRole | null; manager: boolean } | AccessRefusal;

export async function caseFor(db: Database, user: SessionUser, caseId: string): Promise<CaseAccess> {
	if (!isUuid(caseId)) return { ok: false, reason: 'not-found', id: caseId };
	const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
	if (!row) return { ok: false, reason: 'not-found', id: caseId };
	const access = await boardFor(db, user, row.boardId);
	if (!access.ok) return { ok: false, reason: 'forbidden' };
	return { ok: true, row, role: access.role, manager: canManageBoard(user, access.role) };
}


const mayEdit = (user: SessionUser, access: { row: Case; manager: boolean }) => access.manager || access.row.requestedBy === user.id;

// ---------------------------------------------------------------------------------------
// Fiche helpers

type ParsedFiche = { ok: true; fiche: CaseFicheDraft } | { ok: false; reason: 'invalid'; errors: FieldErrors };

function parseFiche(input: unknown): ParsedFiche {
	const parsed = CaseFicheDraft.safeParse(input);
	if (parsed.success) return { ok: true, fiche: parsed.data };
	return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error, (path) => String(path[0] ?? 'fiche')) };
}

/**
 * "Dossier complet": every required field filled in and the identity consistent with the
 * INS (the same rule as the `CaseFiche` schema).
 */
function isComplete(fiche: CaseFicheDraft): boolean {
	return missingFields(fiche).length === 0 && identityMismatches(fiche).length === 0;
}

// Stored fiches were parsed by CaseFicheDraft before being written.
const storedFiche = (row: Case) => row.fiche as CaseFicheDraft;

/** `registered` or `complete`, whichever the fiche deserves, if the lifecycle allows it from `from`. */
function registrationState(from: CaseState, fiche: CaseFicheDraft): CaseState {
	const target: CaseState = isComplete(fiche) ? 'complete' : 'registered';
	if (from === target || canTransition(from, target)) return target;
	// draft → complete and postponed → complete go through `registered`.
	if (target === 'complete' && canTransition(from, 'registered')) return 'complete';
	return from;
}

/** When the fiche became complete: kept while it stays complete, set when it becomes so, cleared when it is not. */
function completeAt(previous: Date | null, fiche: CaseFicheDraft, now: Date): Date | null {
	if (!isComplete(fiche)) return null;
	return previous ?? now;
}

function changedFields(before: CaseFicheDraft, after: CaseFicheDraft): string[] {
	const names = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<FicheFieldName>;
	return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

async function nextPosition(db: Database, meetingId: string): Promise<number> {
	const [{ last }] = await db.select({ last: max(cases.position) }).from(cases).where(eq(cases.meetingId, meetingId));
	return (last ?? 0) + 1;
}

// Serialises agenda changes of one meeting (positions are computed from the current agenda).
async function lockMeeting(db: Database, meetingId: string): Promise<void> {
	await db.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, meetingId)).for('update');
}

// ---------------------------------------------------------------------------------------
// Creation and reading

export interface NewCase {
	boardId: string;
	meetingId: string;
	/** The fiche as the form sent it; parsed with CaseFicheDraft. */
	fiche: unknown;
}

export type CreateCaseResult =
	| { ok: true; case: Case; missing: MissingField[] }
	| AccessRefusal
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| { ok: false; reason: 'meeting-not-found'; meetingId: string }
	| { ok: false; reason: 'meeting-not-open'; status: string }
	| { ok: false; reason: 'deadline-passed'; deadline: Date };

/**
 * Registers a case on a scheduled meeting of the board. After the deadline only managers
 * may still register (a late case the secretary accepts).
 */
export async function createCase(
	db: Database,
	user: SessionUser,
	input: NewCase,
	address: string | null = null,
	now: Date = clock.now()
): Promise<CreateCaseResult> {
	const access = await boardFor(db, user, input.boardId);
	if (!access.ok) return access.reason === 'not-found' ? { ok: false, reason: 'not-found', id: input.boardId } : { ok: false, reason: 'forbidden' };
	const manager = canManageBoard(user, access.role);

	const [meeting] = isUuid(input.meetingId)
		? await db
				.select()
				.from(meetings)
				.where(and(eq(meetings.id, input.meetingId), eq(meetings.boardId, input.boardId)))
		: [];
	if (!meeting) return { ok: false, reason: 'meeting-not-found', meetingId: input.meetingId };
	if (meeting.status !== 'scheduled') return { ok: false, reason: 'meeting-not-open', status: meeting.status };
	if (!manager && !registrationOpen(meeting, now)) {
		return { ok: false, reason: 'deadline-passed', deadline: meeting.registrationDeadline };
	}

	// The requesting physician is whoever registers the case.
	const withRequester =
		input.fiche && typeof input.fiche === 'object' ? { ...(input.fiche as Record<string, unknown>), requestingPhysicianId: user.id } : input.fiche;
	const parsed = parseFiche(withRequester);
	if (!parsed.ok) return parsed;
	const fiche = parsed.fiche;
	const status = registrationState('draft', fiche);

	const row = await db.transaction(async (t) => {
		const tx = asDatabase(t);
		await lockMeeting(tx, meeting.id);
		const [created] = await tx
			.insert(cases)
			.values({
				boardId: input.boardId,
				meetingId: meeting.id,
				position: await nextPosition(tx, meeting.id),
				status,
				requestedBy: user.id,
				fiche,
				completeAt: completeAt(null, fiche, now),
				updatedBy: user.id,
				createdAt: now,
				updatedAt: now
			})
			.returning();
		await tx.insert(caseMeetingHistory).values({ caseId: created.id, meetingId: meeting.id, reason: 'registered', at: now, by: user.id });
		await audit(
			tx,
			{
				actorUserId: user.id,
				action: 'case.create',
				entityType: 'case',
				entityId: created.id,
				address,
				details: { boardId: input.boardId, meetingId: meeting.id, status, fields: Object.keys(fiche) }
			},
			now
		);
		return created;
	});
	return { ok: true, case: row, missing: missingFields(fiche) };
}

export type GetCaseResult = ({ ok: true } & CaseView) | AccessRefusal;

/** The case with its completeness, documents and meetings; the read is audited. */
export async function getCase(db: Database, user: SessionUser, caseId: string, address: string | null): Promise<GetCaseResult> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	const attachments = await db
		.select({
			id: caseAttachments.id,
			fileName: caseAttachments.fileName,
			mediaType: caseAttachments.mediaType,
			sizeBytes: caseAttachments.sizeBytes,
			sha256: caseAttachments.sha256,
			uploadedBy: caseAttachments.uploadedBy,
			uploadedAt: caseAttachments.uploadedAt
		})
		.from(caseAttachments)
		.where(eq(caseAttachments.caseId, caseId))
		.orderBy(asc(caseAttachments.uploadedAt), asc(caseAttachments.id));
	const history = await db
		.select({ meetingId: caseMeetingHistory.meetingId, reason: caseMeetingHistory.reason, at: caseMeetingHistory.at, by: caseMeetingHistory.by })
		.from(caseMeetingHistory)
		.where(eq(caseMeetingHistory.caseId, caseId))
		.orderBy(asc(caseMeetingHistory.at), asc(caseMeetingHistory.id));
	await audit(db, { actorUserId: user.id, action: 'case.read', entityType: 'case', entityId: caseId, address });
	const fiche = storedFiche(access.row);
	return {
		ok: true,
		case: access.row,
		fiche,
		missing: missingFields(fiche),
		identityMismatches: identityMismatches(fiche),
		attachments,
		history
	};
}

// ---------------------------------------------------------------------------------------
// Editing the fiche

/** Who last changed a case, for the "someone edited this meanwhile" message. */
export interface CurrentVersion {
	version: number;
	updatedAt: Date;
	updatedBy: { id: string; name: string } | null;
}

export type UpdateFicheResult =
	| { ok: true; case: Case; missing: MissingField[]; changed: string[] }
	| AccessRefusal
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| { ok: false; reason: 'not-editable'; status: CaseState }
	| { ok: false; reason: 'stale'; current: CurrentVersion };

/**
 * Replaces the fiche if nobody changed the case since `expectedVersion` was read; the
 * status follows completeness (registered ⇄ complete). Before the meeting its requester
 * or a manager edits it; after the discussion, until the fiche is signed, managers only.
 */
export async function updateFiche(
	db: Database,
	user: SessionUser,
	caseId: string,
	expectedVersion: number,
	input: unknown,
	address: string | null = null
): Promise<UpdateFicheResult> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	if (!mayEdit(user, access)) return { ok: false, reason: 'forbidden' };
	const current = access.row;
	const currentStatus = current.status as CaseState;
	const editable = EDITABLE_STATES.includes(currentStatus) || (access.manager && COMPLETABLE_STATES.includes(currentStatus));
	if (!editable) return { ok: false, reason: 'not-editable', status: currentStatus };
	// The requesting physician is whoever registered the case, whatever the form says.
	const withRequester =
		input && typeof input === 'object' ? { ...(input as Record<string, unknown>), requestingPhysicianId: current.requestedBy } : input;
	const parsed = parseFiche(withRequester);
	if (!parsed.ok) return parsed;
	const fiche = parsed.fiche;

	// Draft and postponed cases keep their state: only a registered case follows its completeness.
	const status = currentStatus === 'registered' || currentStatus === 'complete' ? registrationState(currentStatus, fiche) : currentStatus;
	const now = clock.now();
	const [updated] = await db
		.update(cases)
		.set({ fiche, status, completeAt: completeAt(current.completeAt, fiche, now), version: expectedVersion + 1, updatedAt: now, updatedBy: user.id })
		.where(and(eq(cases.id, caseId), eq(cases.version, expectedVersion)))
		.returning();
	if (!updated) return { ok: false, reason: 'stale', current: await currentVersion(db, caseId) };

	// Compared with the row read above when it was the expected version (nobody changed it since).
	const changed = current.version === expectedVersion ? changedFields(storedFiche(current), fiche) : Object.keys(fiche);
	await audit(db, {
		actorUserId: user.id,
		action: 'case.update',
		entityType: 'case',
		entityId: caseId,
		address,
		details: { fields: changed, version: updated.version, ...(status !== currentStatus ? { status: { from: currentStatus, to: status } } : {}) }
	});
	return { ok: true, case: updated, missing: missingFields(fiche), changed };
}

async function currentVersion(db: Database, caseId: string): Promise<CurrentVersion> {
	const [row] = await db
		.select({ version: cases.version, updatedAt: cases.updatedAt, userId: users.id, givenName: users.givenName, familyName: users.familyName })
		.from(cases)
		.leftJoin(users, eq(users.id, cases.updatedBy))
		.where(eq(cases.id, caseId));
	return {
		version: row.version,
		updatedAt: row.updatedAt,
		updatedBy: row.userId ? { id: row.userId, name: `${row.givenName} ${row.familyName}` } : null
	};
}

export type SetEstimatedMinutesResult = { ok: true; case: Case } | AccessRefusal | { ok: false; reason: 'invalid'; errors: FieldErrors };

/** The time planned for the case on the agenda (managers). Not a fiche change: the version stays. */
export async function setEstimatedMinutes(
	db: Database,
	user: SessionUser,
	caseId: string,
	minutes: number,
	address: string | null = null
): Promise<SetEstimatedMinutesResult> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	const { min, max: most } = ESTIMATED_MINUTES_RANGE;
	if (!Number.isInteger(minutes) || minutes < min || minutes > most) {
		return { ok: false, reason: 'invalid', errors: { estimatedMinutes: `Durée estimée : un nombre entier de ${min} à ${most} minutes` } };
	}
	const [updated] = await db.update(cases).set({ estimatedMinutes: minutes }).where(eq(cases.id, caseId)).returning();
	await audit(db, {
		actorUserId: user.id,
		action: 'case.set-estimated-minutes',
		entityType: 'case',
		entityId: caseId,
		address,
		details: { estimatedMinutes: minutes }
	});
	return { ok: true, case: updated };
}

// ---------------------------------------------------------------------------------------
// The agenda

export type ListAgendaResult = { ok: true; meeting: Meeting; items: AgendaItem[] } | AccessRefusal;

/**
 * A meeting's cases in agenda order, then the cases discussed in it and since put on
 * another meeting (postponed). It shows patients' names, so it is audited.
 */
export async function listAgenda(
	db: Database,
	user: SessionUser,
	meetingId: string,
	address: string | null = null
): Promise<ListAgendaResult> {
	const access = await meetingFor(db, user, meetingId);
	if (!access.ok) return access;
	const rows = await db
		.select()
		.from(cases)
		.where(eq(cases.meetingId, meetingId))
		.orderBy(asc(cases.position), asc(cases.createdAt), asc(cases.id));
	const discussedHere = db.selectDistinct({ caseId: caseDiscussions.caseId }).from(caseDiscussions).where(eq(caseDiscussions.meetingId, meetingId));
	const movedAway = await db
		.select({ row: cases, startsAt: meetings.startsAt })
		.from(cases)
		.innerJoin(meetings, eq(meetings.id, cases.meetingId))
		.where(and(inArray(cases.id, discussedHere), ne(cases.meetingId, meetingId)))
		.orderBy(asc(meetings.startsAt), asc(cases.id));
	const item = (row: Case, movedTo: AgendaItem['movedTo']): AgendaItem => {
		const fiche = storedFiche(row);
		const question = fiche.question ?? '';
		return {
			caseId: row.id,
			position: row.position,
			patientName: [fiche.familyName, fiche.givenNames].filter(Boolean).join(' '),
			question: question.length > QUESTION_PREVIEW_LENGTH ? `${question.slice(0, QUESTION_PREVIEW_LENGTH - 1)}…` : question,
			status: row.status as CaseState,
			estimatedMinutes: row.estimatedMinutes,
			complete: isComplete(fiche),
			movedTo
		};
	};
	const items = [
		...rows.map((row) => item(row, null)),
		...movedAway.map(({ row, startsAt }) => item(row, { meetingId: row.meetingId as string, startsAt }))
	];
	await audit(db, {
		actorUserId: user.id,
		action: 'meeting.agenda-read',
		entityType: 'meeting',
		entityId: meetingId,
		address,
		details: { caseIds: items.map((i) => i.caseId) }
	});
	return { ok: true, meeting: access.meeting, items };
}

export type ReorderAgendaResult =
	| { ok: true }
	| AccessRefusal
	| { ok: false; reason: 'meeting-not-open'; status: string }
	| { ok: false; reason: 'agenda-mismatch' };

/** Rewrites the agenda's order (managers); `orderedCaseIds` must be exactly the meeting's cases. */
export async function reorderAgenda(
	db: Database,
	user: SessionUser,
	meetingId: string,
	orderedCaseIds: readonly string[],
	address: string | null = null
): Promise<ReorderAgendaResult> {
	const access = await meetingFor(db, user, meetingId);
	if (!access.ok) return access;
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	const status = access.meeting.status;
	if (status !== 'scheduled' && status !== 'live') return { ok: false, reason: 'meeting-not-open', status };

	return db.transaction(async (t): Promise<ReorderAgendaResult> => {
		const tx = asDatabase(t);
		await lockMeeting(tx, meetingId);
		const present = new Set((await tx.select({ id: cases.id }).from(cases).where(eq(cases.meetingId, meetingId))).map((r) => r.id));
		const wanted = new Set(orderedCaseIds);
		if (wanted.size !== orderedCaseIds.length || wanted.size !== present.size || orderedCaseIds.some((id) => !present.has(id))) {
			return { ok: false, reason: 'agenda-mismatch' };
		}
		for (const [index, id] of orderedCaseIds.entries()) {
			await tx.update(cases).set({ position: index + 1 }).where(eq(cases.id, id));
		}
		await audit(tx, {
			actorUserId: user.id,
			action: 'meeting.agenda-reorder',
			entityType: 'meeting',
			entityId: meetingId,
			address,
			details: { caseIds: [...orderedCaseIds] }
		});
		return { ok: true };
	});
}

/** Why a case goes to another meeting: postponed (ajourné) or simply moved before discussion. */
export type MoveReason = 'postponed' | 'moved';

export type MoveCaseResult =
	| { ok: true; case: Case }
	| AccessRefusal
	| { ok: false; reason: 'meeting-not-found'; meetingId: string }
	| { ok: false; reason: 'meeting-not-open'; status: string }
	| { ok: false; reason: 'same-meeting' }
	| { ok: false; reason: 'invalid-transition'; status: CaseState }
	| { ok: false; reason: 'stale' };

/**
 * Puts the case at the end of another scheduled meeting of its board (managers).
 *
 * A postponement goes through `postponed` (the lifecycle must allow it: registered,
 * complete or discussed) and, since the new meeting is already chosen, the case is at once
 * registered again there: `registered`, or `complete` if its fiche is. A case postponed
 * earlier without a meeting chosen is registered again the same way. The postponement
 * stays in the case's meeting history and in the audit trail. A plain move is only for a
 * case not yet discussed (registered or complete) and keeps that state. Either bumps the
 * version, since the status changes.
 */
export async function moveCase(
	db: Database,
	user: SessionUser,
	caseId: string,
	toMeetingId: string,
	reason: MoveReason,
	address: string | null = null
): Promise<MoveCaseResult> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	const row = access.row;

	const [target] = isUuid(toMeetingId)
		? await db
				.select()
				.from(meetings)
				.where(and(eq(meetings.id, toMeetingId), eq(meetings.boardId, row.boardId)))
		: [];
	if (!target) return { ok: false, reason: 'meeting-not-found', meetingId: toMeetingId };
	if (target.id === row.meetingId) return { ok: false, reason: 'same-meeting' };
	if (target.status !== 'scheduled') return { ok: false, reason: 'meeting-not-open', status: target.status };

	const from = row.status as CaseState;
	const fiche = storedFiche(row);
	let status: CaseState;
	if (from === 'postponed') {
		// Postponed without a meeting chosen then: registered again now, whatever the reason given.
		status = registrationState('postponed', fiche);
	} else if (reason === 'postponed') {
		if (!canTransition(from, 'postponed')) return { ok: false, reason: 'invalid-transition', status: from };
		status = registrationState('postponed', fiche);
	} else {
		if (from !== 'registered' && from !== 'complete') return { ok: false, reason: 'invalid-transition', status: from };
		status = registrationState(from, fiche);
	}

	const now = clock.now();
	return db.transaction(async (t): Promise<MoveCaseResult> => {
		const tx = asDatabase(t);
		await lockMeeting(tx, target.id);
		const [moved] = await tx
			.update(cases)
			.set({
				meetingId: target.id,
				position: await nextPosition(tx, target.id),
				status,
				completeAt: completeAt(row.completeAt, fiche, now),
				version: row.version + 1,
				updatedAt: now,
				updatedBy: user.id
			})
			.where(and(eq(cases.id, caseId), eq(cases.version, row.version)))
			.returning();
		// Changed meanwhile (another move or an edit): let the manager look again.
		if (!moved) return { ok: false, reason: 'stale' };
		await tx.insert(caseMeetingHistory).values({ caseId, meetingId: target.id, reason, at: now, by: user.id });
		await audit(
			tx,
			{
				actorUserId: user.id,
				action: reason === 'postponed' ? 'case.postpone' : 'case.move',
				entityType: 'case',
				entityId: caseId,
				address,
				details: { fromMeetingId: row.meetingId, toMeetingId: target.id, status: { from, to: status } }
			},
			now
		);
		return { ok: true, case: moved };
	});
}

// ---------------------------------------------------------------------------------------
// Attachments

export interface NewAttachment {
	/** The name shown to people; never used to store the bytes. */
	fileName: string;
	bytes: Uint8Array;
}

export type AddAttachmentResult =
	| { ok: true; attachment: AttachmentInfo }
	| AccessRefusal
	| { ok: false; reason: 'not-editable'; status: CaseState }
	| { ok: false; reason: 'invalid'; errors: FieldErrors }
	| { ok: false; reason: 'unsupported-type' }
	| { ok: false; reason: 'too-large'; maxBytes: number };

/** The displayable part of an uploaded name: no directories, no control characters. */
function cleanFileName(name: string): string {
	const base = name.split(/[/\\]/).pop() ?? '';
	return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
}

/**
 * Adds a document to the case (the requester or a manager, while the fiche may change).
 * Its type comes from its content; nothing is stored when it is refused.
 */
export async function addAttachment(
	db: Database,
	storage: AttachmentStorage,
	user: SessionUser,
	caseId: string,
	input: NewAttachment,
	address: string | null = null
): Promise<AddAttachmentResult> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	if (!mayEdit(user, access)) return { ok: false, reason: 'forbidden' };
	const status = access.row.status as CaseState;
	if (!EDITABLE_STATES.includes(status)) return { ok: false, reason: 'not-editable', status };
	const fileName = cleanFileName(input.fileName);
	if (!fileName) return { ok: false, reason: 'invalid', errors: { fileName: 'Le fichier doit avoir un nom' } };
	const check = checkAttachment(input.bytes);
	if (!check.ok) return check;

	const sha256 = createHash('sha256').update(input.bytes).digest('hex');
	const storageKey = newStorageKey();
	await storage.put(storageKey, input.bytes);
	let row: typeof caseAttachments.$inferSelect;
	try {
		[row] = await db
			.insert(caseAttachments)
			.values({ caseId, fileName, mediaType: check.mediaType, sizeBytes: input.bytes.byteLength, sha256, storageKey, uploadedBy: user.id })
			.returning();
	} catch (error) {
		await storage.delete(storageKey).catch(() => {});
		throw error;
	}
	await audit(db, {
		actorUserId: user.id,
		action: 'case.attachment-add',
		entityType: 'case',
		entityId: caseId,
		address,
		details: { attachmentId: row.id, mediaType: row.mediaType, sizeBytes: row.sizeBytes }
	});
	return { ok: true, attachment: attachmentInfo(row) };
}

function attachmentInfo(row: typeof caseAttachments.$inferSelect): AttachmentInfo {
	return {
		id: row.id,
		fileName: row.fileName,
		mediaType: row.mediaType,
		sizeBytes: row.sizeBytes,
		sha256: row.sha256,
		uploadedBy: row.uploadedBy,
		uploadedAt: row.uploadedAt
	};
}

export type ReadAttachmentResult =
	| { ok: true; attachment: AttachmentInfo & { caseId: string; mediaType: AttachmentMediaType }; stream: ReadableStream<Uint8Array> }
	| AccessRefusal;

/** A document's bytes and metadata, for anyone who may see the case; the download is audited. */
export async function readAttachment(
	db: Database,
	storage: AttachmentStorage,
	user: SessionUser,
	attachmentId: string,
	address: string | null
): Promise<ReadAttachmentResult> {
	if (!isUuid(attachmentId)) return { ok: false, reason: 'not-found', id: attachmentId };
	const [row] = await db.select().from(caseAttachments).where(eq(caseAttachments.id, attachmentId));
	if (!row) return { ok: false, reason: 'not-found', id: attachmentId };
	const access = await caseFor(db, user, row.caseId);
	if (!access.ok) return access;
	await audit(db, {
		actorUserId: user.id,
		action: 'case.attachment-download',
		entityType: 'case',
		entityId: row.caseId,
		address,
		details: { attachmentId }
	});
	const stream = await storage.get(row.storageKey);
	// The row exists but the bytes are gone: an operations problem, not the caller's.
	if (!stream) throw new Error(`Attachment ${attachmentId}: no content under storage key ${row.storageKey}`);
	return {
		ok: true,
		attachment: { ...attachmentInfo(row), caseId: row.caseId, mediaType: row.mediaType as AttachmentMediaType },
		stream
	};
}
