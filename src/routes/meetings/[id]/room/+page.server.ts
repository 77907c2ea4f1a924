import { error } from '@sveltejs/kit';
import { GUEST_REFUSAL } from '$lib/domain/guest';
import { specialtyLabel } from '$lib/domain/specialties';
import { requireUser } from '$lib/server/auth/guards';
import { boardName } from '$lib/server/boards';
import { roomEntryFor, type RoomIdentity } from '$lib/server/meeting-room';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/**
 * The meeting's video room. The page says who is entering which meeting; the socket
 * checks the same rules again when it joins (server/signaling).
 */
export const load: PageServerLoad = async (event) => {
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
		meeting: { id: meeting.id, startsAt: meeting.startsAt, status: meeting.status },
		boardName: await boardName(db, meeting.boardId),
		/** Lets the browser prepare its media engine while the pre-join screen shows. */
		routerRtpCapabilities: runtime().sfu.rtpCapabilities,
		participant: {
			displayName: participant.displayName,
			specialty: specialtyLabel(participant.specialty),
			role: participant.role,
			moderator: participant.moderator,
			waitsInLobby: entry.admission === 'lobby'
		}
	};
};
