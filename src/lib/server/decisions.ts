/**
 * A case's proposal during the meeting: autosaved versions (who, when), the quorum of the
 * case from the meeting's attendance, the move to "final" (with the quorum of that
 * moment stored), and the read-back answers of the participants.
 *
 * Who may write: the board's managers (coordinator, secretary, administrators). The live
 * meeting lets one of them hold the editor's pen at a time; the service checks the role
 * and detects a stale base version, so that no text is silently overwritten.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { DecisionDraft, decisionProblems, emptyDecision, type DecisionProblem, type ReadBackAnswer } from '../domain/decision.ts';
import { evaluateQuorum, type QuorumEvaluation } from '../domain/quorum.ts';
import { Specialty, type SpecialtyCode } from '../domain/specialties.ts';
import { fieldErrors, isUuid } from '../validation.ts';
import { audit } from './audit.ts';
import { caseFor } from './cases.ts';
import { applyCitations } from './decision-citations.ts';
import type { Database } from './db/index.ts';
import { boards, caseDecisions, caseDecisionVersions, decisionConfirmations, roomPresences, type DecisionConfirmation } from './db/schema.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

/** The quorum as stored with a decision: the evaluation and who was there, at that moment. */
export interface QuorumSnapshot {
	status: QuorumEvaluation['status'];
	met: boolean;
	distinct: number;
	/** Labels of the unmet requirements. */
	missing: string[];
	/** Specialty codes present (one per physician present). */
	present: string[];
	at: string;
}

export interface DecisionState {
	caseId: string;
	/** The meeting the proposal belongs to (null before the first save). */
	meetingId: string | null;
	content: DecisionDraft;
	/** 0 while nothing was saved. */
	version: number;
	status: 'draft' | 'final' | 'decided';
	quorum: QuorumSnapshot | null;
	updatedAt: Date | null;
}

type Refusal = { ok: false; reason: 'not-found' | 'forbidden' | 'not-in-meeting' | 'closed' };

interface Context {
	user: SessionUser;
	address: string | null;
}

/** The case (through `caseFor`: its board's access rule), which must be on a meeting's agenda. */
async function caseAccess(db: Database, user: SessionUser, caseId: string) {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return { ok: false as const, reason: access.reason };
	if (!access.row.meetingId) return { ok: false as const, reason: 'not-in-meeting' as const };
	return { ok: true as const, row: access.row, meetingId: access.row.meetingId, manager: access.manager };
}

/** The specialties of the physicians in the meeting's room now (one entry per presence). */
export async function presentSpecialties(db: Database, meetingId: string): Promise<SpecialtyCode[]> {
	const rows = await db
		.select({ specialty: roomPresences.specialty, who: roomPresences.userId })
		.from(roomPresences)
		.where(and(eq(roomPresences.meetingId, meetingId), isNull(roomPresences.leftAt)));
	// One person counts once, however many presences (a second tab, a reconnection).
	const byPerson = new Map<string, string>();
	for (const row of rows) if (row.who && row.specialty) byPerson.set(row.who, row.specialty);
	return [...byPerson.values()].filter((code): code is SpecialtyCode => Specialty.safeParse(code).success);
}

/** The quorum of a meeting now, against its board's rule. */
export async function meetingQuorum(db: Database, meetingId: string, boardId: string): Promise<QuorumSnapshot> {
	const [board] = await db.select({ rule: boards.quorumRule }).from(boards).where(eq(boards.id, boardId));
	const present = await presentSpecialties(db, meetingId);
	const evaluation = evaluateQuorum(board.rule, present);
	return {
		status: evaluation.status,
		met: evaluation.met,
		distinct: evaluation.distinct,
		missing: [
			...evaluation.missing.map((m) => m.label),
			...(evaluation.distinctShortfall > 0 ? [`${evaluation.distinctShortfall} spécialité(s) de plus`] : [])
		],
		present,
		at: clock.now().toISOString()
	};
}

/** The proposal of a case as it stands (an empty draft, version 0, before the first save). */
export async function getDecision(db: Database, user: SessionUser, caseId: string): Promise<({ ok: true } & DecisionState) | Refusal> {
	const access = await caseAccess(db, user, caseId);
	if (!access.ok) return access;
	return { ok: true, ...(await readDecision(db, caseId)) };
}

/**
 * The proposal of a case, without any access check: for callers that checked already
 * (the live meeting: a participant of the meeting, the case under discussion).
 */
export async function readDecision(db: Database, caseId: string): Promise<DecisionState> {
	const [row] = await db.select().from(caseDecisions).where(eq(caseDecisions.caseId, caseId));
	if (!row) return { caseId, meetingId: null, content: emptyDecision(), version: 0, status: 'draft', quorum: null, updatedAt: null };
	return {
		caseId,
		meetingId: row.meetingId,
		content: DecisionDraft.parse(row.content),
		version: row.version,
		status: row.status as DecisionState['status'],
		quorum: (row.quorum as QuorumSnapshot | null) ?? null,
		updatedAt: row.updatedAt
	};
}

export type SaveResult =
	| { ok: true; version: number; at: Date }
	| Refusal
	| { ok: false; reason: 'invalid'; errors: Record<string, string> }
	| { ok: false; reason: 'stale'; version: number };

/**
 * Saves a new version of the proposal, based on `baseVersion` (the one the editor had).
 * Editing a final proposal takes it back to draft: its read-back starts again. Its
 * citations of the library and the directory are checked and relabelled (applyCitations).
 */
export async function saveDecision(db: Database, ctx: Context, caseId: string, baseVersion: number, input: unknown): Promise<SaveResult> {
	const access = await caseAccess(db, ctx.user, caseId);
	if (!access.ok) return access;
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	const parsed = DecisionDraft.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const at = clock.now();
	return db.transaction(async (tx) => {
		const [current] = await tx.select().from(caseDecisions).where(eq(caseDecisions.caseId, caseId)).for('update');
		const currentVersion = current?.version ?? 0;
		if (current?.status === 'decided') return { ok: false as const, reason: 'closed' as const };
		if (baseVersion !== currentVersion) return { ok: false as const, reason: 'stale' as const, version: currentVersion };
		// Citations are checked against what the proposal cited before (kept as cited) and take the library's labels.
		const cited = await applyCitations(tx as unknown as Database, parsed.data, current ? (DecisionDraft.safeParse(current.content).data ?? null) : null);
		if (!cited.ok) return { ok: false as const, reason: 'invalid' as const, errors: cited.errors as Record<string, string> };
		const version = currentVersion + 1;
		const content = cited.content as Record<string, unknown>;
		await tx.insert(caseDecisionVersions).values({ caseId, version, content, at, by: ctx.user.id });
		await tx
			.insert(caseDecisions)
			.values({ caseId, meetingId: access.meetingId, content, version, status: 'draft', updatedAt: at, updatedBy: ctx.user.id })
			.onConflictDoUpdate({
				target: caseDecisions.caseId,
				// A postponed case's proposal is taken up at the meeting it is on now.
				set: { meetingId: access.meetingId, content, version, status: 'draft', quorum: null, finalAt: null, updatedAt: at, updatedBy: ctx.user.id }
			});
		await audit(tx as unknown as Database, {
			actorUserId: ctx.user.id,
			action: 'decision.save',
			entityType: 'case',
			entityId: caseId,
			address: ctx.address,
			details: { version }
		}, at);
		return { ok: true as const, version, at };
	});
}

export type FinalizeResult =
	| { ok: true; version: number; quorum: QuorumSnapshot }
	| Refusal
	| { ok: false; reason: 'incomplete'; problems: DecisionProblem[]; quorum: QuorumSnapshot }
	| { ok: false; reason: 'stale'; version: number };

/**
 * Makes the proposal final, ready to be read back: it must hold everything a proposal
 * needs, and, without the quorum, the explicit "quorum non atteint" mark. The quorum of
 * this moment is stored with it.
 */
export async function finalizeDecision(db: Database, ctx: Context, caseId: string, version: number): Promise<FinalizeResult> {
	const access = await caseAccess(db, ctx.user, caseId);
	if (!access.ok) return access;
	if (!access.manager) return { ok: false, reason: 'forbidden' };
	const [current] = await db.select().from(caseDecisions).where(eq(caseDecisions.caseId, caseId));
	if (!current || current.version !== version) return { ok: false, reason: 'stale', version: current?.version ?? 0 };
	if (current.status === 'decided') return { ok: false, reason: 'closed' };
	const quorum = await meetingQuorum(db, access.meetingId, access.row.boardId);
	const problems = decisionProblems(DecisionDraft.parse(current.content), quorum.met);
	if (problems.length > 0) return { ok: false, reason: 'incomplete', problems, quorum };
	const [updated] = await db
		.update(caseDecisions)
		.set({ status: 'final', quorum: quorum as unknown as Record<string, unknown>, finalAt: clock.now() })
		.where(and(eq(caseDecisions.caseId, caseId), eq(caseDecisions.version, version)))
		.returning({ version: caseDecisions.version });
	if (!updated) return { ok: false, reason: 'stale', version: current.version };
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'decision.final',
		entityType: 'case',
		entityId: caseId,
		address: ctx.address,
		details: { version, quorum: quorum.status }
	});
	return { ok: true, version, quorum };
}

/** Who answers the read-back: a participant of the meeting (account or guest). */
export interface Respondent {
	key: string;
	displayName: string;
	specialty: string | null;
	userId: string | null;
	guestId: string | null;
}

export type ConfirmResult = { ok: true; at: Date } | { ok: false; reason: 'not-found' | 'not-final' | 'stale' | 'comment-required' };

/**
 * Records a participant's answer to the read-back of the final proposal `version` (one
 * answer per participant and version; answering again replaces it). Who may answer is
 * decided by the caller: the participants present in the meeting's room.
 */
export async function answerReadBack(db: Database, respondent: Respondent, caseId: string, version: number, answer: ReadBackAnswer, address: string | null): Promise<ConfirmResult> {
	if (!isUuid(caseId)) return { ok: false, reason: 'not-found' };
	const [current] = await db.select().from(caseDecisions).where(eq(caseDecisions.caseId, caseId));
	if (!current) return { ok: false, reason: 'not-found' };
	if (current.status !== 'final') return { ok: false, reason: 'not-final' };
	if (current.version !== version) return { ok: false, reason: 'stale' };
	if (answer.answer === 'disagree' && answer.comment === '') return { ok: false, reason: 'comment-required' };
	const at = clock.now();
	const row = { caseId, version, participantKey: respondent.key, displayName: respondent.displayName, specialty: respondent.specialty, answer: answer.answer, comment: answer.comment, at };
	await db
		.insert(decisionConfirmations)
		.values(row)
		.onConflictDoUpdate({
			target: [decisionConfirmations.caseId, decisionConfirmations.version, decisionConfirmations.participantKey],
			set: { answer: row.answer, comment: row.comment, at }
		});
	await audit(db, {
		actorUserId: respondent.userId,
		actorGuestId: respondent.guestId ?? undefined,
		action: `decision.${answer.answer}`,
		entityType: 'case',
		entityId: caseId,
		address,
		details: { version }
	}, at);
	return { ok: true, at };
}

/** The read-back answers to one version of a case's proposal, in the order they came. */
export function readBackAnswers(db: Database, caseId: string, version: number): Promise<DecisionConfirmation[]> {
	return db
		.select()
		.from(decisionConfirmations)
		.where(and(eq(decisionConfirmations.caseId, caseId), eq(decisionConfirmations.version, version)))
		.orderBy(asc(decisionConfirmations.at));
}

/** Every saved version of a case's proposal, oldest first (the history the fiche can show). */
export async function decisionHistory(db: Database, user: SessionUser, caseId: string) {
	const access = await caseAccess(db, user, caseId);
	if (!access.ok) return access;
	const versions = await db.select().from(caseDecisionVersions).where(eq(caseDecisionVersions.caseId, caseId)).orderBy(asc(caseDecisionVersions.version));
	return { ok: true as const, versions };
}
