/**
 * Binds the room protocol (src/lib/realtime/protocol.ts) to Socket.IO: every request is
 * parsed with its zod schema, answered through its acknowledgement, and mapped onto the
 * rooms of this node. Room-wide announcements go through Socket.IO rooms (`room:<id>`,
 * `peer:<id>`), so that a Redis adapter can carry them between nodes later.
 */
import { randomUUID } from 'node:crypto';
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
	type RequestName,
	type RequestPayload,
	type ResponseOf,
	type Result,
	type ServerToClientEvents
} from '../../src/lib/realtime/protocol.ts';
import type { Database } from '../../src/lib/server/db/index.ts';
import type { Logger } from '../../src/lib/server/logger.ts';
import { recordJoin, recordLeave } from '../../src/lib/server/presence.ts';
import { SfuError } from '../sfu/errors.ts';
import type { RoomRegistry, RoomRegistryEvents } from '../sfu/rooms.ts';

/** What a connection remembers between requests. */
export interface SocketData {
	peerId?: string;
	roomId?: string;
}

export type SignalingServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type SignalingSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const roomChannel = (roomId: string) => `room:${roomId}`;
const peerChannel = (peerId: string) => `peer:${peerId}`;

/** Turns what rooms announce into Socket.IO events. */
export function roomEventsFor(io: SignalingServer): RoomRegistryEvents {
	return {
		peerJoined: (roomId, peer) => io.to(roomChannel(roomId)).emit('peer:joined', peer),
		peerLeft: (roomId, peerId) => io.to(roomChannel(roomId)).emit('peer:left', { peerId }),
		producerAdded: (roomId, producer) =>
			io.to(roomChannel(roomId)).except(peerChannel(producer.peerId)).emit('producer:added', producer),
		producerRemoved: (roomId, peerId, producerId) =>
			io.to(roomChannel(roomId)).except(peerChannel(peerId)).emit('producer:removed', { peerId, producerId }),
		consumerClosed: (peerId, consumerId) => io.to(peerChannel(peerId)).emit('consumer:closed', { consumerId }),
		roomClosed: (roomId, reason) => {
			io.to(roomChannel(roomId)).emit('room:closed', { reason });
			io.in(roomChannel(roomId)).socketsLeave(roomChannel(roomId));
		}
	};
}

interface Deps {
	rooms: RoomRegistry;
	db: Database;
	logger: Logger;
}

type Handler<E extends RequestName> = (socket: SignalingSocket, payload: RequestPayload<E>) => Promise<ResponseOf[E]>;

/** Registers the room protocol on every new connection. */
export function attachRoomSignaling(io: SignalingServer, deps: Deps): void {
	const { rooms, db, logger } = deps;

	/** The room and peer of this connection, or a `not-in-room` failure. */
	const membership = (socket: SignalingSocket) => {
		const { roomId, peerId } = socket.data;
		const room = roomId ? rooms.get(roomId) : undefined;
		if (!room || !peerId) throw new SfuError('not-in-room', 'Join a room first');
		return { room, peerId };
	};

	const leave = async (socket: SignalingSocket) => {
		const { roomId, peerId } = socket.data;
		if (!roomId || !peerId) return;
		socket.data = {};
		void socket.leave(roomChannel(roomId));
		void socket.leave(peerChannel(peerId));
		// Attendance first, so that whoever hears `peer:left` finds the departure recorded;
		// a database failure must not keep the peer in the room.
		try {
			await recordLeave(db, peerId);
		} finally {
			await rooms.leave(roomId, peerId);
		}
		logger.info({ roomId, peerId }, 'peer left');
	};

	const handlers: { [E in RequestName]: Handler<E> } = {
		'room:join': async (socket, { roomId, displayName }) => {
			const current = socket.data;
			if (current.roomId && current.peerId) {
				if (rooms.get(current.roomId)?.has(current.peerId)) {
					throw new SfuError('already-joined', 'This connection is already in a room');
				}
				// Its room ended under it (a media worker failure): close that presence first.
				await leave(socket);
			}
			const peerId = randomUUID();
			const { room, others } = await rooms.join(roomId, peerId, displayName);
			try {
				await recordJoin(db, { roomId, peerId, displayName });
			} catch (error) {
				await rooms.leave(roomId, peerId);
				throw error;
			}
			socket.data = { roomId, peerId };
			await socket.join([roomChannel(roomId), peerChannel(peerId)]);
			// The browser may have gone while we were setting it up.
			if (socket.disconnected) {
				await leave(socket);
				throw new SfuError('unavailable', 'Disconnected while joining');
			}
			logger.info({ roomId, peerId, peers: room.peerCount }, 'peer joined');
			return { peerId, routerRtpCapabilities: room.router.rtpCapabilities, peers: others };
		},
		'room:leave': async (socket) => {
			await leave(socket);
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
		'consumer:create': async (socket, { producerId, rtpCapabilities }) => {
			const { room, peerId } = membership(socket);
			return room.consume(peerId, producerId, rtpCapabilities as unknown as RtpCapabilities);
		},
		'consumer:resume': async (socket, { consumerId }) => {
			const { room, peerId } = membership(socket);
			await room.resumeConsumer(peerId, consumerId);
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

	io.on('connection', (socket) => {
		for (const event of Object.keys(requestSchemas) as RequestName[]) {
			// Socket.IO's typed `on` cannot follow a generic event name; the payload is parsed right away.
			(socket as unknown as Socket).on(event, async (payload: unknown, ack: unknown) => {
				if (typeof ack !== 'function') {
					logger.debug({ event }, 'request without acknowledgement ignored');
					return;
				}
				ack(await answer(socket, event, payload));
			});
		}
		socket.onAny((event: string, ...args: unknown[]) => {
			if (isRequestName(event)) return;
			const ack = args.at(-1);
			logger.debug({ event }, 'unknown event');
			if (typeof ack === 'function') ack(failure('unknown-event', `Unknown event "${event.slice(0, 64)}"`));
		});
		socket.on('disconnect', () => {
			leave(socket).catch((error) => logger.error({ err: error }, 'cleanup after disconnect failed'));
		});
	});
}

function failureFor(error: unknown, event: RequestName, logger: Logger): Result<never> {
	if (error instanceof SfuError) return failure(error.reason, error.message);
	// mediasoup rejects bad parameters with TypeError / UnsupportedError.
	if (error instanceof TypeError || error instanceof mediasoupErrors.UnsupportedError) {
		return failure('invalid-payload', `${event}: ${error.message}`);
	}
	if (error instanceof mediasoupErrors.WorkerClosedError) return failure('unavailable', `${event}: the media server is restarting`);
	if (error instanceof mediasoupErrors.NotFoundError) return failure('not-found', `${event}: ${error.message}`);
	const errorId = randomUUID();
	logger.error({ err: error, errorId, event }, 'request failed');
	return failure('server-error', 'Unexpected server error', errorId);
}
