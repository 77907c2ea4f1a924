/**
 * Binds the meeting-room protocol (src/lib/realtime/protocol.ts) to Socket.IO.
 *
 * - Every connection is authenticated at the handshake (the page's session or guest
 *   cookie, identity.ts); every join re-checks, in the database, that this account or
 *   guest belongs to the meeting, and whether it waits in the lobby (meeting-room.ts).
 * - Every request is parsed with its zod schema, checked against the sender's role
 *   (moderator requests) and room, and answered through its acknowledgement.
 * - A participant whose connection breaks stays in the room, marked "reconnecting", for
 *   `rejoinGraceMs`; coming back with its rejoin secret resumes it as the same peer.
 *
 * Room-wide announcements go through Socket.IO rooms (`room:<id>`, `peer:<id>`,
 * `moderators:<id>`) of this node only (`io.local`): with several nodes, every connection
 * of a meeting is on the node hosting it (the join sends the others there), so a meeting
 * never waits for Redis, even while Redis restarts. What reaches a meeting from another
 * node (an HTTP action served there) comes as a server-side event (server/app.ts). What
 * lives in memory here (lobby, bindings, timers) concerns the rooms this node hosts.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors as mediasoupErrors } from 'mediasoup';
import type { DtlsParameters, RtpCapabilities, RtpParameters } from 'mediasoup/types';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import {
	failure,
	isRequestName,
	ok,
	requestSchemas,
	type ClientToServerEvents,
	type DecisionInfo,
	type JoinResponse,
	type LiveInfo,
	type LobbyEntry,
	type RequestName,
	type RequestPayload,
	type ReadBackInfo,
	type ResponseOf,
	type Result,
	type RoomClosedReason,
	type ServerToClientEvents
} from '../../src/lib/realtime/protocol.ts';
import type { Database } from '../../src/lib/server/db/index.ts';
import type { Logger } from '../../src/lib/server/logger.ts';
import {
	admitParticipant,
	chatTail,
	endMeeting,
	isRoomLocked,
	postChatMessage,
	removeParticipant,
	roomEntryFor,
	setRoomLocked,
	startMeetingIfDue,
	type RoomIdentity,
	type RoomParticipant
} from '../../src/lib/server/meeting-room.ts';
import { meetingQuorum } from '../../src/lib/server/decisions.ts';
import { liveState } from '../../src/lib/server/live-meeting.ts';
import { closeOpenPresences, recordJoin, recordLeave } from '../../src/lib/server/presence.ts';
import type { SessionUser } from '../../src/lib/server/users.ts';
import { RedisUnavailableError, type Cluster } from '../cluster/index.ts';
import { SfuError } from '../sfu/errors.ts';
import { RequestBudget } from './budget.ts';
import type { ProbeService } from '../sfu/probes.ts';
import type { Room } from '../sfu/room.ts';
import type { RoomRegistry, RoomRegistryEvents } from '../sfu/rooms.ts';
import { addressSettings, clientAddress } from './address.ts';
import { moderatorChannel, peerChannel, roomChannel } from './channels.ts';
import { identify, type IdentityOptions } from './identity.ts';
import { liveHandlers, liveInfo } from './live-handlers.ts';
import type { SignalingMonitor } from './monitor.ts';
import { clock } from '../../src/lib/clock.ts';

/** What a connection remembers between requests. */
export interface SocketData {
	identity?: RoomIdentity;
	address?: string | null;
	/** Set while in a room. */
	peerId?: string;
	roomId?: string;
	participant?: RoomParticipant;
	/** Set while waiting in a lobby. */
	waiting?: { meetingId: string; key: string };
	/** Chat messages sent recently (timestamps), for the rate limit. */
	chatTimes?: number[];
}

/** Events between nodes (several nodes): what an HTTP action on one node asks of the node hosting the meeting. */
export interface ServerSideEvents {
	'concerto:end-room': (meetingId: string) => void;
	'concerto:expel': (participantKey: string) => void;
}

export type SignalingServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
export type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;


/** At most this many chat messages per participant in CHAT_WINDOW_MS. */
const CHAT_BURST = 5;
const CHAT_WINDOW_MS = 5_000;

/** Turns what rooms announce into Socket.IO events. */
export function roomEventsFor(io: SignalingServer): RoomRegistryEvents {
	return {
		peerJoined: (roomId, peer) => io.local.to(roomChannel(roomId)).except(peerChannel(peer.peerId)).emit('peer:joined', peer),
		peerLeft: (roomId, peerId) => io.local.to(roomChannel(roomId)).emit('peer:left', { peerId }),
		peerReconnecting: (roomId, peerId, reconnecting) =>
			io.local.to(roomChannel(roomId)).except(peerChannel(peerId)).emit('peer:reconnecting', { peerId, reconnecting }),
		producerAdded: (roomId, producer) =>
			io.local.to(roomChannel(roomId)).except(peerChannel(producer.peerId)).emit('producer:added', producer),
		producerRemoved: (roomId, peerId, producerId) =>
			io.local.to(roomChannel(roomId)).except(peerChannel(peerId)).emit('producer:removed', { peerId, producerId }),
		producerPaused: (roomId, peerId, producerId, paused) => io.local.to(roomChannel(roomId)).emit('producer:paused', { peerId, producerId, paused }),
		consumerClosed: (peerId, consumerId) => io.local.to(peerChannel(peerId)).emit('consumer:closed', { consumerId }),
		activeSpeaker: (roomId, peerId) => io.local.to(roomChannel(roomId)).emit('speaker:active', { peerId }),
		handsChanged: (roomId, hands) => io.local.to(roomChannel(roomId)).emit('hands:changed', { hands }),
		mediaReset: (roomId, routerRtpCapabilities) => io.local.to(roomChannel(roomId)).emit('room:media-reset', { routerRtpCapabilities }),
		// About this node's copy of the room only: with several nodes, the channel's other
		// sockets may already be in the meeting's room on another node (a move, a takeover).
		roomClosed: (roomId, reason) => {
			io.local.to(roomChannel(roomId)).emit('room:closed', { reason });
			io.local.in(roomChannel(roomId)).socketsLeave([roomChannel(roomId), moderatorChannel(roomId)]);
		}
	};
}

interface Deps {
	rooms: RoomRegistry;
	probes: ProbeService;
	db: Database;
	logger: Logger;
	identity: IdentityOptions;
	/** How long a participant whose connection broke is kept in the room. */
	rejoinGraceMs: number;
	/** Told of every answer and refused connection (metrics). */
	monitor: SignalingMonitor;
	/** Which node hosts each meeting (server/cluster); always this one on a single node. */
	cluster: Pick<Cluster, 'where' | 'moveAway'>;
}

/** What the composition root and the cluster ask of the signaling. */
export interface RoomSignaling {
	/** Ends a meeting's room on this node for everyone in it. */
	endRoom(roomId: string, reason: RoomClosedReason): Promise<void>;
	/** Puts a participant out of every room and lobby of this node. */
	expel(participantKey: string): Promise<void>;
	/** Sends the participants of a room this node has to the node that hosts the meeting now. */
	relocate(roomId: string, node: string): Promise<void>;
	/** Moves every room of this node elsewhere (ends those no other node can take): the node stops. */
	drain(): Promise<void>;
	/**
	 * Checks every connected participant of this node's rooms and lobbies again, as at
	 * their join (their session, the meeting's status, their place in it), and puts out
	 * those no longer allowed: what another node would have announced while the link
	 * between nodes was down.
	 */
	revalidate(): Promise<void>;
}

export type Handler<E extends RequestName> = (socket: SignalingSocket, payload: RequestPayload<E>) => Promise<ResponseOf[E]>;

/** Registers the room protocol on every new connection. */
export function attachRoomSignaling(io: SignalingServer, deps: Deps): RoomSignaling {
	const { rooms, probes, db, logger, monitor } = deps;
	/** Behind a proxy, where the browser's address is (as for pages: ADDRESS_HEADER, XFF_DEPTH). */
	const proxy = addressSettings();
	/** The socket currently carrying each peer of the rooms of this node. */
	const bindings = new Map<string, SignalingSocket>();
	/** Removal timers of peers whose connection broke. */
	const graceTimers = new Map<string, NodeJS.Timeout>();
	/** Who waits in each meeting's lobby, by participant key. */
	const lobbies = new Map<string, Map<string, { socket: SignalingSocket; entry: LobbyEntry }>>();

	// Authentication: the same cookies as the pages; anonymous connections are refused.
	io.use((socket, next) => {
		identify(db, socket.handshake.headers.cookie, deps.identity)
			.then((identity) => {
				if (!identity) {
					monitor.refused('unauthorized');
					return next(new Error('unauthorized'));
				}
				socket.data.identity = identity;
				socket.data.address = clientAddress(socket.handshake, proxy);
				next();
			})
			.catch((error) => {
				logger.error({ err: error }, 'socket authentication failed');
				monitor.refused('server-error');
				next(new Error('server-error'));
			});
	});

	/** The room, peer and participant of this connection, or a `not-in-room` failure. */
	const membership = (socket: SignalingSocket) => {
		const { roomId, peerId, participant } = socket.data;
		const room = roomId ? rooms.get(roomId) : undefined;
		if (!room || !peerId || !participant || !room.has(peerId)) throw new SfuError('not-in-room', 'Join the meeting first');
		return { room, peerId, participant };
	};

	/** Like `membership`, for a moderator's request. */
	const moderation = (socket: SignalingSocket) => {
		const member = membership(socket);
		if (!member.participant.moderator) throw new SfuError('forbidden', 'Reserved to the coordinator, the secretary and administrators');
		return member;
	};

	/** Another peer of the moderator's room. */
	const target = (room: Room, peerId: string) => {
		if (!room.has(peerId)) throw new SfuError('not-found', `No participant ${peerId} in this meeting`);
		return room.peer(peerId);
	};

	const lobbyOf = (meetingId: string) => {
		let lobby = lobbies.get(meetingId);
		if (!lobby) lobbies.set(meetingId, (lobby = new Map()));
		return lobby;
	};
	const lobbyList = (meetingId: string): LobbyEntry[] => [...(lobbies.get(meetingId)?.values() ?? [])].map((w) => w.entry);
	const announceLobby = (meetingId: string) => io.local.to(moderatorChannel(meetingId)).emit('lobby:changed', { lobby: lobbyList(meetingId) });

	/** Sends someone waiting in a meeting's lobby away (`lobby:refused`) and tells its moderators; false when nobody of that key waits. */
	const turnAway = (meetingId: string, key: string): boolean => {
		const lobby = lobbies.get(meetingId);
		const waiting = lobby?.get(key);
		if (!lobby || !waiting) return false;
		lobby.delete(key);
		if (lobby.size === 0) lobbies.delete(meetingId);
		waiting.socket.data.waiting = undefined;
		waiting.socket.emit('lobby:refused');
		announceLobby(meetingId);
		return true;
	};

	const leaveLobby = (socket: SignalingSocket) => {
		const waiting = socket.data.waiting;
		if (!waiting) return;
		socket.data.waiting = undefined;
		const lobby = lobbies.get(waiting.meetingId);
		if (lobby?.get(waiting.key)?.socket === socket) {
			lobby.delete(waiting.key);
			if (lobby.size === 0) lobbies.delete(waiting.meetingId);
			announceLobby(waiting.meetingId);
		}
	};

	/** Detaches a socket from its room's channels and forgets the room. */
	const unbind = (socket: SignalingSocket) => {
		const { roomId, peerId } = socket.data;
		if (roomId) {
			void socket.leave(roomChannel(roomId));
			void socket.leave(moderatorChannel(roomId));
		}
		if (peerId) {
			void socket.leave(peerChannel(peerId));
			if (bindings.get(peerId) === socket) bindings.delete(peerId);
		}
		socket.data.roomId = socket.data.peerId = socket.data.participant = undefined;
	};

	/** Everyone in the room hears the meeting's quorum (someone came or left). */
	const announceQuorum = async (participant: RoomParticipant) => {
		const quorum = await meetingQuorum(db, participant.meetingId, participant.boardId);
		io.local.to(roomChannel(participant.meetingId)).emit('quorum:changed', { status: quorum.status, met: quorum.met, missing: quorum.missing, distinct: quorum.distinct });
	};

	/** Takes a peer out of its room for good: attendance, room, timers. */
	const removePeer = async (roomId: string, peerId: string) => {
		clearTimeout(graceTimers.get(peerId));
		graceTimers.delete(peerId);
		const socket = bindings.get(peerId);
		const leaving = rooms.get(roomId)?.has(peerId) ? rooms.get(roomId)?.peer(peerId).participant : undefined;
		if (socket) unbind(socket);
		// Attendance first, so that whoever hears `peer:left` finds the departure recorded;
		// a database failure must not keep the peer in the room.
		try {
			await recordLeave(db, peerId);
		} finally {
			await rooms.leave(roomId, peerId);
		}
		if (leaving) await announceQuorum(leaving).catch((error) => logger.error({ err: error }, 'quorum not announced'));
		logger.info({ roomId, peerId }, 'peer left');
	};


	/**
	 * Takes everyone out of a room of this node: each connected participant and each one
	 * waiting in its lobby is told (`tell`, `tellWaiting`), the room closes, departures are
	 * recorded. Returns how many participants it had.
	 */
	const emptyRoom = async (roomId: string, reason: RoomClosedReason, tell: (socket: SignalingSocket) => void, tellWaiting: (socket: SignalingSocket) => void) => {
		const room = rooms.get(roomId);
		const peerIds = room?.peers().map((p) => p.id) ?? [];
		for (const peerId of peerIds) {
			clearTimeout(graceTimers.get(peerId));
			graceTimers.delete(peerId);
			const socket = bindings.get(peerId);
			if (socket) {
				tell(socket);
				unbind(socket);
			}
		}
		for (const { socket } of lobbies.get(roomId)?.values() ?? []) {
			socket.data.waiting = undefined;
			tellWaiting(socket);
		}
		lobbies.delete(roomId);
		await rooms.close(roomId, reason);
		await Promise.all(peerIds.map((peerId) => recordLeave(db, peerId).catch((error) => logger.error({ err: error }, 'attendance not recorded'))));
		return peerIds.length;
	};

	/** Ends a room for everyone on it (a moderator's "end for all", a shutdown). */
	const endRoom = async (roomId: string, reason: RoomClosedReason) => {
		await emptyRoom(
			roomId,
			reason,
			(socket) => socket.emit('room:closed', { reason }),
			(socket) => socket.emit('lobby:refused')
		);
	};

	/** Puts the socket in the room's channels as `peerId`. */
	const bind = async (socket: SignalingSocket, room: Room, peerId: string, participant: RoomParticipant) => {
		const previous = bindings.get(peerId);
		if (previous && previous !== socket) unbind(previous);
		bindings.set(peerId, socket);
		socket.data.roomId = room.id;
		socket.data.peerId = peerId;
		socket.data.participant = participant;
		await socket.join([roomChannel(room.id), peerChannel(peerId), ...(participant.moderator ? [moderatorChannel(room.id)] : [])]);
	};

	const joinedResponse = async (room: Room, peerId: string, participant: RoomParticipant, resumed: boolean): Promise<JoinResponse> => {
		const peer = room.peer(peerId);
		const [meetingLocked, chat, live] = await Promise.all([
			isRoomLocked(db, participant.meetingId),
			chatTail(db, participant.meetingId),
			liveState(db, participant.meetingId)
		]);
		return {
			status: 'joined',
			peerId,
			rejoinSecret: peer.rejoinSecret,
			resumed,
			participantKey: participant.key,
			self: peer.info(),
			routerRtpCapabilities: room.rtpCapabilities,
			peers: room.peers().filter((p) => p.id !== peerId).map((p) => p.info()),
			state: {
				locked: meetingLocked,
				hands: room.hands,
				activeSpeaker: room.activeSpeaker,
				chat,
				lobby: participant.moderator ? lobbyList(participant.meetingId) : [],
				live: liveInfo(live)
			}
		};
	};

	const handlers: { [E in RequestName]: Handler<E> } = {
		'room:join': async (socket, { meetingId, rejoin }) => {
			if (socket.data.peerId && socket.data.roomId && rooms.get(socket.data.roomId)?.has(socket.data.peerId)) {
				throw new SfuError('already-joined', 'This connection is already in a meeting');
			}
			// Who is asking, checked again now (an account deactivated, a guest revoked since the connection opened).
			const identity = await identify(db, socket.handshake.headers.cookie, deps.identity);
			if (!identity) throw new SfuError('forbidden', 'Your session has ended: sign in again');
			socket.data.identity = identity;
			const entry = await roomEntryFor(db, identity, meetingId);
			if (!entry.ok) {
				if (entry.reason === 'not-found') throw new SfuError('not-found', `No meeting ${meetingId}`);
				if (entry.reason === 'meeting-closed') throw new SfuError('meeting-closed', 'This meeting is over or cancelled');
				throw new SfuError('forbidden', 'You are not a participant of this meeting');
			}
			const { participant } = entry;
			leaveLobby(socket);

			// The meeting lives on one node: elsewhere, the browser reconnects there.
			const existing = rooms.get(meetingId);
			if (!existing) {
				const where = await deps.cluster.where(meetingId).catch((error: unknown) => {
					if (error instanceof RedisUnavailableError) throw new SfuError('unavailable', 'The cluster registry does not answer: try again in a moment');
					throw error;
				});
				if (!where.here && where.node === null) throw new SfuError('server-full', 'Every video server is full');
				if (!where.here) return { status: 'moved', node: where.node };
				// A new room on this node: presences still open for this meeting were left by a node that stopped.
				await rooms.serially(meetingId, async () => {
					if (!rooms.get(meetingId)) await closeOpenPresences(db, meetingId);
				});
			}

			// Coming back after a broken connection: the same peer, if the room kept it.
			if (rejoin && existing?.has(rejoin.peerId)) {
				const peer = existing.peer(rejoin.peerId);
				if (peer.participant.key === participant.key && sameSecret(peer.rejoinSecret, rejoin.secret)) {
					clearTimeout(graceTimers.get(peer.id));
					graceTimers.delete(peer.id);
					await bind(socket, existing, peer.id, peer.participant);
					existing.setReconnecting(peer.id, false);
					logger.info({ roomId: meetingId, peerId: peer.id }, 'peer resumed');
					return joinedResponse(existing, peer.id, peer.participant, true);
				}
			}

			if (entry.admission === 'lobby') {
				const lobby = lobbyOf(meetingId);
				const previous = lobby.get(participant.key);
				if (previous && previous.socket !== socket) {
					previous.socket.data.waiting = undefined;
					previous.socket.emit('lobby:refused');
				}
				lobby.set(participant.key, {
					socket,
					entry: {
						participantKey: participant.key,
						displayName: participant.displayName,
						specialty: participant.specialty,
						role: participant.role,
						since: clock.now().toISOString()
					}
				});
				socket.data.waiting = { meetingId, key: participant.key };
				announceLobby(meetingId);
				return { status: 'waiting' };
			}

			// One presence per account or guest: a join from another tab or browser replaces it.
			const stale = existing?.peerOf(participant.key);
			if (stale) {
				bindings.get(stale.id)?.emit('room:closed', { reason: 'replaced' });
				await removePeer(meetingId, stale.id);
			}

			const peerId = randomUUID();
			const secret = randomBytes(24).toString('base64url');
			const { room } = await rooms.join(meetingId, peerId, participant, secret);
			try {
				await recordJoin(db, {
					roomId: meetingId,
					peerId,
					displayName: participant.displayName,
					meetingId,
					userId: participant.userId,
					guestId: participant.guestId,
					specialty: participant.specialty,
					role: participant.role
				});
			} catch (error) {
				await rooms.leave(meetingId, peerId);
				throw error;
			}
			await bind(socket, room, peerId, participant);
			// The browser may have gone while we were setting it up.
			if (socket.disconnected) {
				await removePeer(meetingId, peerId);
				throw new SfuError('unavailable', 'Disconnected while joining');
			}
			if (participant.moderator) await startMeetingIfDue(db, participant);
			await announceQuorum(participant);
			logger.info({ roomId: meetingId, peerId, role: participant.role, peers: room.peerCount }, 'peer joined');
			return joinedResponse(room, peerId, participant, false);
		},
		'room:leave': async (socket) => {
			leaveLobby(socket);
			const { roomId, peerId } = socket.data;
			if (roomId && peerId) await removePeer(roomId, peerId);
			return null;
		},
		'transport:create': async (socket, { direction }) => {
			const { room, peerId } = membership(socket);
			return room.createTransport(peerId, direction);
		},
		'transport:connect': async (socket, { transportId, dtlsParameters }) => {
			const { room, peerId } = membership(socket);
			await room.connectTransport(peerId, transportId, dtlsParameters as unknown as DtlsParameters);
			return null;
		},
		'transport:restart-ice': async (socket, { transportId }) => {
			const { room, peerId } = membership(socket);
			return { iceParameters: await room.restartIce(peerId, transportId) };
		},
		'producer:create': async (socket, { transportId, kind, rtpParameters, source }) => {
			const { room, peerId } = membership(socket);
			const producerId = await room.produce(peerId, transportId, kind, rtpParameters as unknown as RtpParameters, source);
			return { producerId };
		},
		'producer:close': async (socket, { producerId }) => {
			const { room, peerId } = membership(socket);
			room.closeProducer(peerId, producerId);
			return null;
		},
		'producer:pause': async (socket, { producerId }) => {
			const { room, peerId } = membership(socket);
			await room.setProducerPaused(peerId, producerId, true);
			return null;
		},
		'producer:resume': async (socket, { producerId }) => {
			const { room, peerId } = membership(socket);
			await room.setProducerPaused(peerId, producerId, false);
			return null;
		},
		'consumer:create': async (socket, { producerId, rtpCapabilities }) => {
			const { room, peerId } = membership(socket);
			return room.consume(peerId, producerId, rtpCapabilities as unknown as RtpCapabilities);
		},
		'consumer:resume': async (socket, { consumerId }) => {
			const { room, peerId } = membership(socket);
			await room.resumeConsumer(peerId, consumerId);
			return null;
		},
		'consumer:pause': async (socket, { consumerId }) => {
			const { room, peerId } = membership(socket);
			await room.pauseConsumer(peerId, consumerId);
			return null;
		},
		'consumer:set-layers': async (socket, { consumerId, spatialLayer }) => {
			const { room, peerId } = membership(socket);
			await room.setConsumerLayers(peerId, consumerId, spatialLayer);
			return null;
		},
		'hand:raise': async (socket) => {
			const { room, peerId } = membership(socket);
			room.raiseHand(peerId);
			return null;
		},
		'hand:lower': async (socket, { peerId: whose }) => {
			const { room, peerId, participant } = membership(socket);
			if (whose && whose !== peerId && !participant.moderator) {
				throw new SfuError('forbidden', 'Only a moderator lowers someone else’s hand');
			}
			room.lowerHand(whose ?? peerId);
			return null;
		},
		'chat:send': async (socket, { text }) => {
			const { room, participant } = membership(socket);
			const now = performance.now(); // monotonic: a clock correction neither blocks nor frees the chat
			const recent = (socket.data.chatTimes ?? []).filter((t) => now - t < CHAT_WINDOW_MS);
			if (recent.length >= CHAT_BURST) throw new SfuError('rate-limited', 'Too many messages: wait a few seconds');
			socket.data.chatTimes = [...recent, now];
			const message = await postChatMessage(db, participant, text, socket.data.address ?? null);
			io.local.to(roomChannel(room.id)).emit('chat:message', message);
			return message;
		},
		'lobby:admit': async (socket, { participantKey }) => {
			const { room, participant } = moderation(socket);
			await admitParticipant(db, participant, participantKey, socket.data.address ?? null);
			const waiting = lobbies.get(room.id)?.get(participantKey);
			if (waiting) {
				lobbies.get(room.id)?.delete(participantKey);
				waiting.socket.data.waiting = undefined;
				waiting.socket.emit('lobby:admitted');
				announceLobby(room.id);
			}
			return null;
		},
		'lobby:refuse': async (socket, { participantKey }) => {
			const { room } = moderation(socket);
			if (!turnAway(room.id, participantKey)) throw new SfuError('not-found', 'Nobody of that name waits in the lobby');
			return null;
		},
		'moderate:mute': async (socket, { peerId: whom }) => {
			const { room, participant } = moderation(socket);
			target(room, whom);
			await room.mute(whom);
			io.local.to(peerChannel(whom)).emit('moderation:muted', { by: participant.displayName });
			return null;
		},
		'moderate:stop': async (socket, { peerId: whom, source }) => {
			const { room, participant } = moderation(socket);
			target(room, whom);
			room.stopSource(whom, source);
			io.local.to(peerChannel(whom)).emit('moderation:stopped', { source, by: participant.displayName });
			return null;
		},
		'moderate:remove': async (socket, { peerId: whom }) => {
			const { room, peerId, participant } = moderation(socket);
			const removed = target(room, whom);
			if (whom === peerId) throw new SfuError('invalid-payload', 'Use “leave” to leave the meeting');
			await removeParticipant(db, participant, removed.participant.key, socket.data.address ?? null);
			bindings.get(whom)?.emit('room:closed', { reason: 'removed' });
			await removePeer(room.id, whom);
			return null;
		},
		'moderate:lock': async (socket, { locked }) => {
			const { room, participant } = moderation(socket);
			await setRoomLocked(db, participant, locked, socket.data.address ?? null);
			io.local.to(roomChannel(room.id)).emit('room:locked', { locked });
			return null;
		},
		'moderate:end': async (socket) => {
			const { room, participant } = moderation(socket);
			await endMeeting(db, participant, socket.data.address ?? null);
			await endRoom(room.id, 'ended');
			return null;
		},
		...liveHandlers({ io, db, membership }),
		'probe:create': async (socket, { protocol }) => probes.create(socket.id, protocol),
		'probe:connect': async (socket, { probeId, dtlsParameters }) => {
			await probes.connect(socket.id, probeId, dtlsParameters as unknown as DtlsParameters);
			return null;
		},
		'probe:close': async (socket, { probeId }) => {
			probes.close(socket.id, probeId);
			return null;
		}
	};

	const answer = async (socket: SignalingSocket, event: RequestName, payload: unknown): Promise<Result<unknown>> => {
		const parsed = requestSchemas[event].safeParse(payload);
		if (!parsed.success) return failure('invalid-payload', `${event}: ${z.prettifyError(parsed.error)}`);
		try {
			const handler = handlers[event] as Handler<RequestName>;
			return ok(await handler(socket, parsed.data as RequestPayload<RequestName>));
		} catch (error) {
			return failureFor(error, event, logger);
		}
	};

	/** The connection broke: keep the peer for a while, marked reconnecting. */
	const disconnected = (socket: SignalingSocket) => {
		leaveLobby(socket);
		probes.closeAll(socket.id);
		const { roomId, peerId } = socket.data;
		if (!roomId || !peerId || bindings.get(peerId) !== socket) return;
		bindings.delete(peerId);
		const room = rooms.get(roomId);
		if (!room?.has(peerId)) return;
		room.setReconnecting(peerId, true);
		graceTimers.set(
			peerId,
			setTimeout(() => {
				graceTimers.delete(peerId);
				if (bindings.has(peerId)) return;
				removePeer(roomId, peerId).catch((error) => logger.error({ err: error }, 'removal after a lost connection failed'));
			}, deps.rejoinGraceMs)
		);
	};

	io.on('connection', (socket) => {
		const budget = new RequestBudget();
		for (const event of Object.keys(requestSchemas) as RequestName[]) {
			// Socket.IO's typed `on` cannot follow a generic event name; the payload is parsed right away.
			(socket as unknown as Socket).on(event, async (payload: unknown, ack: unknown) => {
				if (typeof ack !== 'function') {
					logger.debug({ event }, 'request without acknowledgement ignored');
					return;
				}
				if (!budget.take()) {
					const limited = failure('rate-limited', 'Too many requests from this connection: slow down');
					monitor.answered(event, limited);
					ack(limited);
					return;
				}
				const result = await answer(socket, event, payload);
				monitor.answered(event, result);
				ack(result);
			});
		}
		socket.onAny((event: string, ...args: unknown[]) => {
			if (isRequestName(event)) return;
			const ack = args.at(-1);
			logger.debug({ event }, 'unknown event');
			if (typeof ack !== 'function') return;
			const result = failure('unknown-event', `Unknown event "${event.slice(0, 64)}"`);
			monitor.answered('unknown', result);
			ack(result);
		});
		socket.on('disconnect', () => disconnected(socket));
	});

	/** Takes a participant out of every room and lobby of this node, telling them why. */
	const expel = async (participantKey: string) => {
		for (const [peerId, socket] of [...bindings]) {
			if (socket.data.participant?.key !== participantKey || !socket.data.roomId) continue;
			socket.emit('room:closed', { reason: 'unauthorized' });
			await removePeer(socket.data.roomId, peerId);
		}
		for (const meetingId of [...lobbies.keys()]) turnAway(meetingId, participantKey);
		// Peers whose connection is already broken (no socket bound) go too.
		for (const roomId of rooms.ids()) {
			const stale = rooms.get(roomId)?.peerOf(participantKey);
			if (stale) await removePeer(roomId, stale.id);
		}
	};

	/** The meeting now lives on `node`: its participants here reconnect there and join afresh. */
	const relocate = async (roomId: string, node: string) => {
		const moved = (socket: SignalingSocket) => socket.emit('room:moved', { node });
		const peers = await emptyRoom(roomId, 'server-shutdown', moved, moved);
		logger.info({ roomId, node, peers }, 'meeting moved to another node');
	};

	const drain = async () => {
		await Promise.all(
			rooms.ids().map(async (roomId) => {
				const node = await deps.cluster.moveAway(roomId);
				if (node) await relocate(roomId, node);
				else await endRoom(roomId, 'server-shutdown');
			})
		);
	};

	/** Whether this connection's participant may still be in the meeting; `ended` when the meeting itself is over. */
	const stillAllowed = async (socket: SignalingSocket, meetingId: string): Promise<'yes' | 'no' | 'ended'> => {
		const identity = await identify(db, socket.handshake.headers.cookie, deps.identity);
		if (!identity) return 'no';
		const entry = await roomEntryFor(db, identity, meetingId);
		if (entry.ok) return 'yes';
		return entry.reason === 'meeting-closed' ? 'ended' : 'no';
	};

	const revalidate = async () => {
		for (const roomId of rooms.ids()) {
			for (const peer of rooms.get(roomId)?.peers() ?? []) {
				const socket = bindings.get(peer.id);
				// A participant whose connection is broken is checked when it comes back.
				if (!socket) continue;
				const verdict = await stillAllowed(socket, roomId);
				if (verdict === 'ended') {
					await endRoom(roomId, 'ended');
					break;
				}
				if (verdict === 'no') {
					socket.emit('room:closed', { reason: 'unauthorized' });
					await removePeer(roomId, peer.id);
				}
			}
		}
		for (const [meetingId, lobby] of [...lobbies]) {
			for (const [key, waiting] of [...lobby]) {
				if ((await stillAllowed(waiting.socket, meetingId)) !== 'yes') turnAway(meetingId, key);
			}
		}
	};

	return { endRoom, expel, relocate, drain, revalidate };
}


function sameSecret(expected: string, given: string): boolean {
	const a = Buffer.from(expected);
	const b = Buffer.from(given);
	return a.length === b.length && timingSafeEqual(a, b);
}

function failureFor(error: unknown, event: RequestName, logger: Logger): Result<never> {
	if (error instanceof SfuError) return failure(error.reason, error.message);
	// mediasoup rejects bad parameters with TypeError / UnsupportedError.
	if (error instanceof TypeError || error instanceof mediasoupErrors.UnsupportedError) {
		return failure('invalid-payload', `${event}: ${error.message}`);
	}
	if (error instanceof mediasoupErrors.WorkerClosedError) return failure('unavailable', `${event}: the media server is restarting`);
	// A transport, producer or consumer closed under the request (the peer left, the room was rebuilt).
	if (error instanceof Error && error.name === 'InvalidStateError') return failure('unavailable', `${event}: ${error.message}`);
	if (error instanceof mediasoupErrors.NotFoundError) return failure('not-found', `${event}: ${error.message}`);
	const errorId = randomUUID();
	logger.error({ err: error, errorId, event }, 'request failed');
	return failure('server-error', 'Unexpected server error', errorId);
}
