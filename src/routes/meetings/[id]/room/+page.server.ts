import { error } from '@sveltejs/kit';
import { GUEST_REFUSAL } from '$lib/domain/guest';
import { specialtyLabel } from '$lib/domain/specialties';
import { requireUser } from '$lib/server/auth/guards';
import { boardName } from '$lib/server/boards';
import { listAgenda } from '$lib/server/cases';
import type { Database } from '$lib/server/db';
import { meetingSummary, recordedCandidates } from '$lib/server/live-meeting';
import { roomEntryFor, type RoomIdentity } from '$lib/server/meeting-room';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { SessionUser } from '$lib/server/users';
import type { PageServerLoad } from './$types';

/**
 * The meeting's video room. The page says who is entering which meeting; the socket
 * checks the same rules again when it joins (server/signaling).
 *
 * Accounts also get the agenda with each case's outcome so far (the page reloads it,
 * `invalidate('concerto:agenda')`, when the case under discussion changes); guests see
 * only the case under discussion, through the room.
 */
export const load: PageServerLoad = async (event) => {
	event.depends('concerto:agenda');
	const { db } = runtime().database;
	const guest = event.locals.guest;
	if (guest && guest.meetingId !== event.params.id) error(403, GUEST_REFUSAL);
	const identity: RoomIdentity = guest ? { kind: 'guest', guest } : { kind: 'user', user: requireUser(event) };
	const entry = await roomEntryFor(db, identity, event.params.id);
	if (!entry.ok) {
		if (entry.reason === 'meeting-closed') error(410, 'Cette séance est terminée ou annulée : sa salle est fermée.');
		refuse({ reason: entry.reason, id: event.params.id });
	}
	const { participant, meeting } = entry;
	return {
		agenda: identity.kind === 'user' ? await agendaOf(db, identity.user, meeting.id, event.getClientAddress()) : null,
		meeting: { id: meeting.id, startsAt: meeting.startsAt, status: meeting.status },
		boardName: await boardName(db, meeting.boardId),
		/** Lets the browser prepare its media engine while the pre-join screen shows. */
		routerRtpCapabilities: runtime().sfu.rtpCapabilities,
		/** Several nodes: the node hosting this meeting, which the room's connection names (`?node=`). */
		node: await hostingNode(meeting.id),
		participant: {
			displayName: participant.displayName,
			specialty: specialtyLabel(participant.specialty),
			role: participant.role,
			moderator: participant.moderator,
			waitsInLobby: entry.admission === 'lobby'
		}
	};
};

/**
 * The meeting's cases in agenda order (then those discussed here and moved since), with
 * the outcome of their discussion so far, and whether each is prepared to be recorded
 * without discussion.
 */
async function agendaOf(db: Database, user: SessionUser, meetingId: string, address: string) {
	const agenda = await listAgenda(db, user, meetingId, address);
	if (!agenda.ok) return null;
	const outcomes = new Map((await meetingSummary(db, meetingId)).map((line) => [line.caseId, line]));
	const prepared = new Set((await recordedCandidates(db, meetingId)).map((c) => c.caseId));
	return agenda.items.map((item) => ({
		caseId: item.caseId,
		patientName: item.patientName,
		question: item.question,
		status: item.status,
		estimatedMinutes: item.estimatedMinutes,
		complete: item.complete,
		outcome: outcomes.get(item.caseId)?.outcome ?? 'not-discussed',
		minutes: outcomes.get(item.caseId)?.minutes ?? 0,
		movedTo: item.movedTo,
		toRecord: prepared.has(item.caseId)
	}));
}

/**
 * The node that hosts (or will host) the meeting, placing it now if nobody does; null on
 * a single node, or when the registry does not answer (the join then says where to go).
 */
async function hostingNode(meetingId: string): Promise<string | null> {
	const sfu = runtime().sfu;
	if (!sfu.node) return null;
	const where = await sfu.where(meetingId).catch(() => null);
	if (!where) return null;
	return where.here ? sfu.node : where.node;
}
