/**
 * The live meeting's requests (src/lib/realtime/protocol.ts): the case under discussion
 * (`case:*`), the document shown (`doc:*`) and the proposal with its read-back
 * (`decision:*`). Their state lives in the database (live-meeting.ts, decisions.ts), so
 * any node hosting the meeting, after a failover too, serves it the same way; answers
 * and announcements go to the room's Socket.IO channel.
 */
import type { DecisionInfo, LiveInfo, ReadBackInfo, RequestName } from '../../src/lib/realtime/protocol.ts';
import type { Database } from '../../src/lib/server/db/index.ts';
import { answerReadBack, finalizeDecision, readBackAnswers, readDecision, saveDecision, type DecisionState } from '../../src/lib/server/decisions.ts';
import { closeCase, liveCaseView, liveState, openCase, recordWithoutDiscussion, setEditor, setPresenter, showDocument, type LiveState } from '../../src/lib/server/live-meeting.ts';
import type { RoomParticipant } from '../../src/lib/server/meeting-room.ts';
import type { SessionUser } from '../../src/lib/server/users.ts';
import { SfuError } from '../sfu/errors.ts';
import type { Room } from '../sfu/room.ts';
import { roomChannel } from './channels.ts';
import type { Handler, SignalingServer, SignalingSocket } from './room-signaling.ts';

type LiveRequest = Extract<RequestName, `case:${string}` | `doc:${string}` | `decision:${string}`>;

export interface LiveDeps {
	io: SignalingServer;
	db: Database;
	/** The sender's room and participant, or a `not-in-room` failure. */
	membership(socket: SignalingSocket): { room: Room; peerId: string; participant: RoomParticipant };
}

export function liveInfo(state: LiveState): LiveInfo {
	return { currentCaseId: state.currentCaseId, presenterKey: state.presenterKey, editorKey: state.editorKey, document: state.document };
}

export function liveHandlers({ io, db, membership }: LiveDeps): { [E in LiveRequest]: Handler<E> } {
	const announceLive = (meetingId: string, state: LiveState): LiveInfo => {
		const info = liveInfo(state);
		io.local.to(roomChannel(meetingId)).emit('live:changed', info);
		return info;
	};

	/** The live state of the sender's meeting, with the current case (or a refusal). */
	const currentCase = async (participant: RoomParticipant, caseId: string) => {
		const state = await liveState(db, participant.meetingId);
		if (state.currentCaseId !== caseId) throw new SfuError('forbidden', 'This case is not the one under discussion');
		return state;
	};

	/** The pen's holder only writes the proposal. */
	const penHolder = async (participant: RoomParticipant, caseId: string) => {
		const state = await currentCase(participant, caseId);
		if (state.editorKey !== participant.key) throw new SfuError('forbidden', 'Another participant holds the proposal’s pen');
		return state;
	};

	const decisionInfo = (decision: DecisionState): DecisionInfo => ({
		caseId: decision.caseId,
		version: decision.version,
		status: decision.status,
		content: decision.content as unknown as Record<string, unknown>,
		quorum: decision.quorum ? { status: decision.quorum.status, met: decision.quorum.met, missing: decision.quorum.missing } : null
	});

	/** The signed-in account of this connection (as identified at its last join); guests have none. */
	const accountOf = (socket: SignalingSocket): SessionUser => {
		const identity = socket.data.identity;
		if (identity?.kind !== 'user') throw new SfuError('forbidden', 'Reserved to the board’s members');
		return identity.user;
	};

	/** The read-back answers to one version of a proposal, as broadcast. */
	const readBackInfo = async (caseId: string, version: number): Promise<ReadBackInfo[]> =>
		(await readBackAnswers(db, caseId, version)).map((a) => ({
			participantKey: a.participantKey,
			displayName: a.displayName,
			specialty: a.specialty,
			answer: a.answer as 'confirm' | 'disagree',
			comment: a.comment,
			at: a.at.toISOString()
		}));

	/** The proposal of the case under discussion (the caller checked it is that case). */
	const currentDecision = (caseId: string) => readDecision(db, caseId);

	return {
		'case:open': async (socket, { caseId }) => {
			const { participant } = membership(socket);
			const opened = await openCase(db, participant, caseId);
			if (!opened.ok) throw new SfuError(opened.reason === 'forbidden' ? 'forbidden' : 'not-found', `Cannot open case ${caseId}: ${opened.reason}`);
			return announceLive(participant.meetingId, opened.state);
		},
		'case:presenter': async (socket, { participantKey }) => {
			const { room, participant } = membership(socket);
			if (!room.peerOf(participantKey)) throw new SfuError('not-found', 'That participant is not in the meeting');
			const changed = await setPresenter(db, participant, participantKey);
			if (!changed.ok) throw new SfuError(changed.reason === 'forbidden' ? 'forbidden' : 'not-found', `Cannot change the presenter: ${changed.reason}`);
			return announceLive(participant.meetingId, changed.state);
		},
		'case:close': async (socket, { outcome }) => {
			const { participant } = membership(socket);
			const closed = await closeCase(db, participant, accountOf(socket), outcome);
			if (!closed.ok) {
				if (closed.reason === 'not-final') throw new SfuError('not-final', 'Make the proposal final (read-back) before closing the case as decided');
				if (closed.reason === 'move-refused') throw new SfuError('conflict', `The case cannot be moved to the chosen meeting: ${closed.detail}`);
				throw new SfuError(closed.reason === 'forbidden' ? 'forbidden' : 'not-found', `Cannot close the case: ${closed.reason}`);
			}
			return announceLive(participant.meetingId, closed.state);
		},
		'case:record': async (socket, { caseIds, quorumNotMetAcknowledged }) => {
			const { participant } = membership(socket);
			const done = await recordWithoutDiscussion(db, participant, caseIds ?? null, { quorumNotMetAcknowledged });
			if (!done.ok) throw new SfuError(done.reason === 'forbidden' ? 'forbidden' : 'not-found', `Cannot record these cases: ${done.reason}`);
			// The agenda's outcomes changed: everyone reads it again.
			if (done.batch.recorded.length > 0) io.local.to(roomChannel(participant.meetingId)).emit('agenda:changed');
			const { quorum } = done.batch;
			return { recorded: done.batch.recorded, refused: done.batch.refused, quorum: { status: quorum.status, met: quorum.met, missing: quorum.missing } };
		},
		'case:view': async (socket) => {
			const { participant } = membership(socket);
			const view = await liveCaseView(db, participant, socket.data.address ?? null);
			if (!view) return null;
			const decision = await currentDecision(view.caseId);
			// A late joiner, or a browser back after a lost connection, sees the answers given so far.
			const readBack = decision.status === 'final' ? await readBackInfo(view.caseId, decision.version) : [];
			return { caseId: view.caseId, fiche: view.fiche, attachments: view.attachments, decision: decisionInfo(decision), readBack };
		},
		'doc:show': async (socket, { view }) => {
			const { participant } = membership(socket);
			const shown = await showDocument(db, participant, view);
			if (!shown.ok) throw new SfuError(shown.reason === 'not-found' ? 'not-found' : 'forbidden', `Cannot show this document: ${shown.reason}`);
			announceLive(participant.meetingId, shown.state);
			return null;
		},
		'doc:pointer': async (socket, point) => {
			const { room, participant } = membership(socket);
			const state = await liveState(db, participant.meetingId);
			if (state.presenterKey !== participant.key) throw new SfuError('forbidden', 'Only the presenter points');
			socket.volatile.local.to(roomChannel(room.id)).emit('doc:pointer', point);
			return null;
		},
		'decision:pen': async (socket, { participantKey }) => {
			const { room, participant } = membership(socket);
			if (!room.peerOf(participantKey)?.participant.moderator) throw new SfuError('forbidden', 'The pen goes to the coordinator, the secretary or an administrator');
			const changed = await setEditor(db, participant, participantKey);
			if (!changed.ok) throw new SfuError(changed.reason === 'forbidden' ? 'forbidden' : 'not-found', `Cannot hand the pen: ${changed.reason}`);
			return announceLive(participant.meetingId, changed.state);
		},
		'decision:save': async (socket, { caseId, baseVersion, content }) => {
			const { participant } = membership(socket);
			await penHolder(participant, caseId);
			const saved = await saveDecision(db, { user: accountOf(socket), address: socket.data.address ?? null }, caseId, baseVersion, content);
			if (!saved.ok) {
				if (saved.reason === 'stale') throw new SfuError('conflict', `The proposal changed meanwhile (version ${saved.version})`);
				if (saved.reason === 'invalid') throw new SfuError('invalid-payload', Object.values(saved.errors)[0] ?? 'Invalid proposal');
				throw new SfuError(saved.reason === 'forbidden' ? 'forbidden' : 'not-found', `Cannot save: ${saved.reason}`);
			}
			const decision = await currentDecision(caseId);
			socket.local.to(roomChannel(participant.meetingId)).emit('decision:changed', { ...decisionInfo(decision), by: participant.displayName });
			return { version: saved.version };
		},
		'decision:finalize': async (socket, { caseId, version }) => {
			const { participant } = membership(socket);
			await penHolder(participant, caseId);
			const final = await finalizeDecision(db, { user: accountOf(socket), address: socket.data.address ?? null }, caseId, version);
			if (!final.ok) {
				if (final.reason === 'incomplete') {
					const decision = await currentDecision(caseId);
					return { ...decisionInfo(decision), problems: final.problems };
				}
				if (final.reason === 'stale') throw new SfuError('conflict', `The proposal changed meanwhile (version ${final.version})`);
				throw new SfuError(final.reason === 'forbidden' ? 'forbidden' : 'not-found', `Cannot make it final: ${final.reason}`);
			}
			const decision = await currentDecision(caseId);
			const info = decisionInfo(decision);
			io.local.to(roomChannel(participant.meetingId)).emit('decision:changed', { ...info, by: participant.displayName });
			return info;
		},
		'decision:answer': async (socket, { caseId, version, answer, comment }) => {
			const { participant } = membership(socket);
			await currentCase(participant, caseId);
			const answered = await answerReadBack(
				db,
				{ key: participant.key, displayName: participant.displayName, specialty: participant.specialty, userId: participant.userId, guestId: participant.guestId },
				caseId,
				version,
				{ answer, comment },
				socket.data.address ?? null
			);
			if (!answered.ok) {
				if (answered.reason === 'comment-required') throw new SfuError('invalid-payload', 'Say why you disagree');
				if (answered.reason === 'not-found') throw new SfuError('not-found', 'No proposal for this case');
				throw new SfuError('conflict', answered.reason === 'stale' ? 'The proposal changed: read it again' : 'The proposal is not final yet');
			}
			io.local.to(roomChannel(participant.meetingId)).emit('decision:answers', { caseId, version, answers: await readBackInfo(caseId, version) });
			return null;
		},
	};
}
