/**
 * Gathers what a fiche RCP says from the database, at validation: the case's fiche, its
 * decided proposal with the quorum it was decided with, who attended the meeting (the
 * room's recorded presence), the read-back answers, the board, the network, the
 * validating coordinator. What is still missing for a fiche to be signed is said in
 * French (`ficheProblems`).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { BOARD_TYPE_LABELS, type BoardType } from '../../domain/board.ts';
import { CaseFicheDraft, identityMismatches, missingFields } from '../../domain/case-fiche.ts';
import { decisionProblems } from '../../domain/decision.ts';
import type { FicheParticipant, FichePerson, FicheSnapshot } from '../../domain/fiche.ts';
import { specialtyLabel } from '../../domain/specialties.ts';
import { findConcept } from '../../domain/value-sets.ts';
import type { Database } from '../db/index.ts';
import { boards, cases, decisionConfirmations, meetingGuests, meetings, roomPresences, users, type Case, type User } from '../db/schema.ts';
import { readDecision, type DecisionState, type QuorumSnapshot } from '../decisions.ts';
import { getNetwork } from '../settings.ts';

export const personOf = (user: Pick<User, 'id' | 'givenName' | 'familyName' | 'rpps' | 'specialty'>): FichePerson => ({
	id: user.id,
	givenName: user.givenName,
	familyName: user.familyName,
	rpps: user.rpps,
	specialty: user.specialty,
	specialtyLabel: specialtyLabel(user.specialty)
});

/**
 * What keeps a decided case's fiche from being signed: the fiche's required fields, the
 * identity checks, the proposal's own rules (with the quorum it was decided with), the
 * requesting physician. Empty when it can be signed.
 */
export function ficheProblems(row: Case, decision: DecisionState, requesterFound: boolean): string[] {
	const fiche = CaseFicheDraft.safeParse(row.fiche);
	if (!fiche.success) return ['La fiche du dossier contient des valeurs invalides : corrigez-la avant de valider.'];
	const problems = [
		...missingFields(fiche.data).map((missing) => `${missing.label} : champ obligatoire non renseigné.`),
		...identityMismatches(fiche.data).map((mismatch) => `${mismatch.message}.`)
	];
	if (decision.status !== 'decided') problems.push('La proposition n’a pas été décidée en séance.');
	else problems.push(...decisionProblems(decision.content, decision.quorum?.met ?? false).map((problem) => problem.message));
	if (!requesterFound) problems.push('Le médecin demandeur est inconnu : indiquez-le dans la fiche du dossier.');
	return problems;
}

/** The attendance of a meeting: one line per person, from first arrival to last departure. */
async function attendance(db: Database, meetingId: string, quorum: QuorumSnapshot | null): Promise<FicheParticipant[]> {
	const presences = await db.select().from(roomPresences).where(eq(roomPresences.meetingId, meetingId)).orderBy(asc(roomPresences.joinedAt));
	const userIds = [...new Set(presences.flatMap((p) => (p.userId ? [p.userId] : [])))];
	const guestIds = [...new Set(presences.flatMap((p) => (p.guestId ? [p.guestId] : [])))];
	const people = new Map((userIds.length ? await db.select().from(users).where(inArray(users.id, userIds)) : []).map((u) => [u.id, u]));
	const guests = new Map((guestIds.length ? await db.select().from(meetingGuests).where(inArray(meetingGuests.id, guestIds)) : []).map((g) => [g.id, g]));
	const decidedAt = quorum ? new Date(quorum.at).getTime() : null;
	const present = new Set(quorum?.present ?? []);

	const lines = new Map<string, FicheParticipant & { presentAtDecision: boolean }>();
	for (const presence of presences) {
		const key = presence.userId ? `user:${presence.userId}` : `guest:${presence.guestId}`;
		const user = presence.userId ? people.get(presence.userId) : undefined;
		const overlaps =
			decidedAt !== null && presence.joinedAt.getTime() <= decidedAt && (presence.leftAt === null || presence.leftAt.getTime() >= decidedAt);
		const line = lines.get(key);
		if (line) {
			line.to = line.to === null || presence.leftAt === null ? null : presence.leftAt > new Date(line.to) ? presence.leftAt.toISOString() : line.to;
			line.presentAtDecision ||= overlaps;
			continue;
		}
		const name = (presence.guestId && guests.get(presence.guestId)?.name) || presence.displayName;
		const person: FichePerson = user ? personOf(user) : { ...splitName(name), id: null, rpps: null, specialty: null, specialtyLabel: null };
		lines.set(key, {
			...person,
			role: presence.role ?? (presence.guestId ? 'guest' : 'member'),
			quorumMember: false,
			from: presence.joinedAt.toISOString(),
			to: presence.leftAt?.toISOString() ?? null,
			presentAtDecision: overlaps
		});
	}
	return [...lines.values()].map(({ presentAtDecision, ...line }) => ({
		...line,
		// A physician whose specialty counted towards the quorum, in the room when it was decided.
		quorumMember: presentAtDecision && line.specialty !== null && present.has(line.specialty)
	}));
}

/** "Louis Petitjean" → given and family names, for a guest known by one name only. */
function splitName(name: string): { givenName: string; familyName: string } {
	const parts = name.trim().split(/\s+/);
	return parts.length > 1 ? { givenName: parts.slice(0, -1).join(' '), familyName: parts.at(-1)! } : { givenName: '', familyName: name.trim() };
}

export interface SnapshotIdentity {
	id: string;
	setId: string;
	version: number;
	supersedes: FicheSnapshot['supersedes'];
	developmentSignature: boolean;
}

export type GatheredCase =
	| { ok: true; snapshot: (identity: SnapshotIdentity) => FicheSnapshot; row: Case; decision: DecisionState }
	| { ok: false; reason: 'not-found' }
	| { ok: false; reason: 'incomplete'; problems: string[]; row: Case };

/**
 * What signing a case's fiche depends on: its decided proposal, its fiche, its requesting
 * physician, and what is still missing (empty: it can be signed).
 */
export async function signingCheck(db: Database, row: Case) {
	const decision = await readDecision(db, row.id);
	const fiche = CaseFicheDraft.safeParse(row.fiche);
	const requesterId = fiche.success ? fiche.data.requestingPhysicianId : undefined;
	const [requester] = requesterId ? await db.select().from(users).where(eq(users.id, requesterId)) : [];
	return { decision, fiche, requester: requester as User | undefined, problems: ficheProblems(row, decision, Boolean(requester)) };
}

/**
 * Reads everything the fiche of `caseId` says, as validated now by `validator`; the
 * snapshot is completed with its identity (id, version, supersedes) by the caller.
 */
export async function gatherFiche(db: Database, caseId: string, validator: FichePerson, now: Date): Promise<GatheredCase> {
	const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
	if (!row) return { ok: false, reason: 'not-found' };
	const { decision, fiche, requester, problems } = await signingCheck(db, row);
	if (problems.length > 0 || !fiche.success || !requester) return { ok: false, reason: 'incomplete', problems, row };

	// The meeting of the decision (a postponed case may have moved since).
	const meetingId = decision.meetingId ?? row.meetingId!;
	const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
	const [board] = await db.select().from(boards).where(eq(boards.id, row.boardId));
	const network = await getNetwork(db);
	const quorum = decision.quorum!;
	const participants = await attendance(db, meetingId, quorum);
	const answers = await db
		.select()
		.from(decisionConfirmations)
		.where(and(eq(decisionConfirmations.caseId, caseId), eq(decisionConfirmations.version, decision.version)))
		.orderBy(asc(decisionConfirmations.at));
	const representationId = decision.content.representationMeetingId;
	const [representation] = representationId ? await db.select().from(meetings).where(eq(meetings.id, representationId)) : [];
	const concept = (valueSet: 'JDV_RCP_Appareil' | 'JDV_RCP_Organe', code: string) => ({ code, label: findConcept(valueSet, code)?.displayName ?? code });

	const snapshot = (identity: SnapshotIdentity): FicheSnapshot => ({
		...identity,
		network: { name: network.name, region: network.region },
		board: {
			id: board.id,
			name: board.name,
			site: board.site,
			type: board.type,
			typeLabel: BOARD_TYPE_LABELS[board.type as BoardType] ?? board.type,
			apparatus: concept('JDV_RCP_Appareil', board.apparatus),
			organ: board.organ ? concept('JDV_RCP_Organe', board.organ) : null
		},
		meeting: { id: meeting.id, startsAt: meeting.startsAt.toISOString(), durationMinutes: meeting.durationMinutes },
		caseId,
		fiche: fiche.data,
		requester: personOf(requester),
		decision: decision.content,
		decisionVersion: decision.version,
		discussed: !decision.content.recordedWithoutDiscussion,
		quorum: { met: quorum.met, status: quorum.status, missing: quorum.missing, present: quorum.present, at: quorum.at },
		representation: representation ? { meetingId: representation.id, startsAt: representation.startsAt.toISOString() } : null,
		participants,
		readBack: answers.map((answer) => ({
			name: answer.displayName,
			specialtyLabel: specialtyLabel(answer.specialty),
			answer: answer.answer as 'confirm' | 'disagree',
			comment: answer.comment,
			at: answer.at.toISOString()
		})),
		validation: { by: validator, at: now.toISOString() }
	});
	return { ok: true, snapshot, row, decision };
}
