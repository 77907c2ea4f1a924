/**
 * After the meeting, whether the patient of a case proposed for a directory trial was
 * included: what the inclusion rate counts. The case's requesting physician (who follows
 * the patient) and the board's managers record it; the board's members read it.
 */
import { eq } from 'drizzle-orm';
import { TrialCitation, type DecisionDraft } from '../domain/decision.ts';
import { parisDate } from '../domain/schedule.ts';
import { TrialOutcomeInput, type TrialOutcome } from '../domain/trial.ts';
import { fieldErrors } from '../validation.ts';
import { audit } from './audit.ts';
import { caseFor, type AccessRefusal } from './cases.ts';
import type { Database } from './db/index.ts';
import { caseDecisions, caseTrialOutcomes, users } from './db/schema.ts';
import type { TrialActor } from './trials.ts';
import type { SessionUser } from './users.ts';
import { clock } from '../clock.ts';

/** The recorded outcome, with who recorded it. */
export interface RecordedTrialOutcome {
	outcome: TrialOutcome;
	reason: string;
	on: string | null;
	recordedAt: Date;
	recordedBy: string | null;
}

/** The trial the decided proposal proposed, its outcome if recorded, and whether this user may record it. */
export interface TrialOutcomeView {
	trial: TrialCitation;
	outcome: RecordedTrialOutcome | null;
	canRecord: boolean;
}

export type TrialOutcomeRead = { ok: true; view: TrialOutcomeView | null } | AccessRefusal;

export type RecordOutcomeResult =
	| { ok: true }
	| AccessRefusal
	| { ok: false; reason: 'no-trial' }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** The directory trial a decided proposal proposed, or null (none proposed, free text, not decided yet). */
async function proposedTrial(db: Database, caseId: string): Promise<TrialCitation | null> {
	const [decision] = await db.select().from(caseDecisions).where(eq(caseDecisions.caseId, caseId));
	if (decision?.status !== 'decided') return null;
	const content = decision.content as Partial<DecisionDraft>;
	if (content.trialProposed !== true || !content.trialCitation) return null;
	const citation = TrialCitation.safeParse(content.trialCitation);
	return citation.success ? citation.data : null;
}

/** What the case page shows of the inclusion follow-up: null when no directory trial was proposed. */
export async function trialOutcome(db: Database, user: SessionUser, caseId: string): Promise<TrialOutcomeRead> {
	const access = await caseFor(db, user, caseId);
	if (!access.ok) return access;
	const trial = await proposedTrial(db, caseId);
	if (!trial) return { ok: true, view: null };
	const [row] = await db
		.select({ outcome: caseTrialOutcomes, givenName: users.givenName, familyName: users.familyName })
		.from(caseTrialOutcomes)
		.leftJoin(users, eq(users.id, caseTrialOutcomes.recordedBy))
		.where(eq(caseTrialOutcomes.caseId, caseId));
	const outcome: RecordedTrialOutcome | null = row
		? {
				outcome: row.outcome.outcome as TrialOutcome,
				reason: row.outcome.reason,
				on: row.outcome.on,
				recordedAt: row.outcome.recordedAt,
				recordedBy: row.givenName ? `${row.givenName} ${row.familyName}` : null
			}
		: null;
	return { ok: true, view: { trial, outcome, canRecord: access.manager || access.row.requestedBy === user.id } };
}

/** Records (or corrects) whether the patient was included in the trial the decided proposal proposed. */
export async function recordTrialOutcome(db: Database, actor: TrialActor, caseId: string, input: unknown): Promise<RecordOutcomeResult> {
	const access = await caseFor(db, actor.user, caseId);
	if (!access.ok) return access;
	if (!access.manager && access.row.requestedBy !== actor.user.id) return { ok: false, reason: 'forbidden' };
	const trial = await proposedTrial(db, caseId);
	if (!trial) return { ok: false, reason: 'no-trial' };
	const parsed = TrialOutcomeInput.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error) };
	const { outcome, reason, on } = parsed.data;
	if (on && on > parisDate(clock.now())) return { ok: false, reason: 'invalid', errors: { on: 'La date est dans le futur' } };
	const values = { trialId: trial.trialId, outcome, reason, on, recordedAt: clock.now(), recordedBy: actor.user.id };
	await db
		.insert(caseTrialOutcomes)
		.values({ caseId, ...values })
		.onConflictDoUpdate({ target: caseTrialOutcomes.caseId, set: values });
	// Whether a patient entered a trial is health data: the audit names the fields, not the answer.
	await audit(db, {
		actorUserId: actor.user.id,
		action: 'trial.outcome',
		entityType: 'case',
		entityId: caseId,
		address: actor.address,
		details: { trialId: trial.trialId, fields: ['outcome', 'reason', 'on'] }
	});
	return { ok: true };
}
