/**
 * What a published version taught the network, for its working group's next revision
 * (issue 15, point 3): how many proposals cited it, and the proposals of its organ that
 * departed from the référentiels while it was current, with their justifications.
 */
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { isPublishedState, mayReadVersion } from '../../domain/referentiel.ts';
import type { Database } from '../db/index.ts';
import { boardMembers, boards, caseDecisions, cases, meetings } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';
import { clock } from '../../clock.ts';
import { versionFor, type LibraryRefusal } from './access.ts';

/** A "hors référentiel" proposal, without anything that names the patient. */
export interface OffGuidelineProposal {
	/** The case, only for a viewer who may open it (a member of its board, or an administrator). */
	caseId: string | null;
	boardName: string;
	meetingDate: Date;
	justification: string;
	/** The situation of this version it departs from, when the proposal cited one. */
	situationCode: string | null;
}

export interface VersionFeedback {
	/** Proposals that follow a situation of the version: decided, and still being made (draft or final). Departures are in `offGuideline`. */
	citations: { decided: number; inProgress: number };
	/** When the version was current: published → superseded (or now). */
	period: { from: Date; to: Date | null };
	offGuideline: OffGuidelineProposal[];
}

/**
 * The feedback on a published (or superseded) version; for a version never published,
 * an empty period and no proposals. The "hors référentiel" proposals are the decided
 * ones (`guidelineFollowed` = no) of cases of the référentiel's organ whose meeting fell
 * in the version's period, oldest first.
 */
export async function versionFeedback(
	db: Database,
	user: SessionUser,
	versionId: string
): Promise<({ ok: true } & VersionFeedback) | Extract<LibraryRefusal, { reason: 'not-found' | 'forbidden' }>> {
	const found = await versionFor(db, user, versionId);
	if (!found.ok) return found;
	if (!mayReadVersion(found.actor, found.state)) return { ok: false, reason: 'forbidden' };
	const { version, referentiel } = found;

	const counts = await db
		.select({ decided: sql<number>`count(*) filter (where ${caseDecisions.status} = 'decided')`.mapWith(Number), all: sql<number>`count(*)`.mapWith(Number) })
		.from(caseDecisions)
		.where(and(sql`${caseDecisions.content}->'guidelineCitation'->>'versionId' = ${versionId}`, sql`${caseDecisions.content}->>'guidelineFollowed' = 'yes'`));
	const citations = { decided: counts[0]?.decided ?? 0, inProgress: (counts[0]?.all ?? 0) - (counts[0]?.decided ?? 0) };
	if (!isPublishedState(found.state) || !version.publishedAt) {
		return { ok: true, citations, period: { from: version.createdAt, to: null }, offGuideline: [] };
	}

	const until = version.supersededAt ?? clock.now();
	const rows = await db
		.select({
			caseId: cases.id,
			boardName: boards.name,
			meetingDate: meetings.startsAt,
			justification: sql<string>`coalesce(${caseDecisions.content}->>'guidelineJustification', '')`,
			citedVersion: sql<string | null>`${caseDecisions.content}->'guidelineCitation'->>'versionId'`,
			citedCode: sql<string | null>`${caseDecisions.content}->'guidelineCitation'->>'situationCode'`,
			viewerRole: boardMembers.role
		})
		.from(caseDecisions)
		.innerJoin(cases, eq(cases.id, caseDecisions.caseId))
		.innerJoin(meetings, eq(meetings.id, caseDecisions.meetingId))
		.innerJoin(boards, eq(boards.id, cases.boardId))
		.leftJoin(boardMembers, and(eq(boardMembers.boardId, cases.boardId), eq(boardMembers.userId, user.id)))
		.where(
			and(
				eq(caseDecisions.status, 'decided'),
				sql`${caseDecisions.content}->>'guidelineFollowed' = 'no'`,
				sql`${cases.fiche}->>'organ' = ${referentiel.organ}`,
				gte(meetings.startsAt, version.publishedAt),
				lt(meetings.startsAt, until)
			)
		)
		.orderBy(asc(meetings.startsAt), asc(cases.id));
	return {
		ok: true,
		citations,
		period: { from: version.publishedAt, to: version.supersededAt },
		offGuideline: rows.map((r) => ({
			// The same rule as boardFor: members of the board, and administrators.
			caseId: r.viewerRole || user.isAdmin ? r.caseId : null,
			boardName: r.boardName,
			meetingDate: r.meetingDate,
			justification: r.justification,
			situationCode: r.citedVersion === versionId ? r.citedCode : null
		}))
	};
}
