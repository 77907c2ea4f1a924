/**
 * The Socket.IO wire protocol of a video room, declared once for the server and the
 * browser: the typed event maps, the zod schema of every request payload, and the
 * shape of every acknowledgement.
 *
 * Every client request carries an acknowledgement callback; the server answers it with a
 * `Result`, never by throwing. mediasoup's own parameter objects (RTP parameters, DTLS
 * parameters, capabilities) are checked here for shape only: mediasoup validates their
 * content and its errors come back as `invalid-payload`.
 */
import { z } from 'zod';

/** Why a request failed; clients branch on this, never on the message text. */
export const ERROR_REASONS = [
	/** The payload did not match the event's schema. */
	'invalid-payload',
	/** The event name is not part of this protocol. */
	'unknown-event',
	/** The request needs a joined room and this connection has none. */
	'not-in-room',
	/** This connection already joined a room. */
	'already-joined',
	/** The room holds its maximum number of participants. */
	'room-full',
	/** A transport, producer or consumer id that this peer does not own. */
	'not-found',
	/** The request cannot be served now (the room is closing, say). */
	'unavailable',
	/** An unexpected failure; the server logged it with `errorId`. */
	'server-error'
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export interface RequestError {
	reason: ErrorReason;
	message: string;
	/** Present for `server-error`: quote it to find the server's log line. */
	errorId?: string;
}

/** What every acknowledgement carries. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: RequestError };

export type Ack<T> = (result: Result<T>) => void;

/** A room id as it appears in `/rooms/[id]`: letters, digits, dashes and underscores. */
export const RoomId = z
	.string()
	.regex(/^[A-Za-z0-9_-]{1,64}$/, 'room id: 1 to 64 letters, digits, "-" or "_"');

const Id = z.string().min(1).max(100);

/** What a participant is called in the room (shown on their tile). */
export const DisplayName = z.string().trim().min(1, 'name is required').max(80, 'name is at most 80 characters');

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

/** What a producer carries, so that the other side can lay it out. */
export const MediaSource = z.enum(['microphone', 'camera', 'screen', 'screen-audio']);
export type MediaSource = z.infer<typeof MediaSource>;

const RtpCodec = z.looseObject({
	mimeType: z.string().regex(/^(audio|video)\/[\w.-]+$/i),
	clockRate: z.number().int().positive()
});

const RtpCapabilities = z.looseObject({
	codecs: z.array(RtpCodec).max(200).optional(),
	headerExtensions: z.array(z.looseObject({ uri: z.string() })).max(200).optional()
});

const RtpParameters = z.looseObject({
	mid: z.string().max(32).optional(),
	codecs: z.array(RtpCodec.extend({ payloadType: z.number().int().min(0).max(127) })).min(1).max(50),
	headerExtensions: z.array(z.looseObject({ uri: z.string(), id: z.number().int() })).max(50).optional(),
	encodings: z.array(z.looseObject({})).max(10).optional(),
	rtcp: z.looseObject({}).optional()
});

const DtlsParameters = z.looseObject({
	role: z.enum(['auto', 'client', 'server']).optional(),
	fingerprints: z
		.array(z.object({ algorithm: z.string().max(20), value: z.string().max(200) }))
		.min(1)
		.max(10)
});

/** The zod schema of each client request, by event name. */
export const requestSchemas = {
	'room:join': z.object({ roomId: RoomId, displayName: DisplayName }),
	'room:leave': z.object({}),
	'transport:create': z.object({ direction: z.enum(['send', 'recv']) }),
	'transport:connect': z.object({ transportId: Id, dtlsParameters: DtlsParameters }),
	'producer:create': z.object({
		transportId: Id,
		kind: MediaKind,
		rtpParameters: RtpParameters,
		source: MediaSource
	}),
	'producer:close': z.object({ producerId: Id }),
	'consumer:create': z.object({ producerId: Id, rtpCapabilities: RtpCapabilities }),
	'consumer:resume': z.object({ consumerId: Id })
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestPayload<E extends RequestName> = z.infer<(typeof requestSchemas)[E]>;

export function isRequestName(name: string): name is RequestName {
	return Object.hasOwn(requestSchemas, name);
}

/** A producer as announced to the other participants. */
export interface ProducerInfo {
	producerId: string;
	peerId: string;
	kind: MediaKind;
	source: MediaSource;
}

/** Another participant of the room. */
export interface PeerInfo {
	peerId: string;
	displayName: string;
	producers: ProducerInfo[];
}

/** What the browser needs to build a mediasoup-client transport. */
export interface TransportOptions {
	id: string;
	iceParameters: unknown;
	iceCandidates: unknown[];
	dtlsParameters: unknown;
}

export interface ConsumerOptions {
	consumerId: string;
	producerId: string;
	peerId: string;
	kind: MediaKind;
	source: MediaSource;
	rtpParameters: unknown;
}

export interface JoinResponse {
	peerId: string;
	routerRtpCapabilities: unknown;
	/** Everyone already in the room, with what they publish. */
	peers: PeerInfo[];
}

/** The response type of each request, by event name. */
export interface ResponseOf {
	'room:join': JoinResponse;
	'room:leave': null;
	'transport:create': TransportOptions;
	'transport:connect': null;
	'producer:create': { producerId: string };
	'producer:close': null;
	'consumer:create': ConsumerOptions;
	'consumer:resume': null;
}

/** Events the browser sends; each one is a request with an acknowledgement. */
export type ClientToServerEvents = {
	[E in RequestName]: (payload: RequestPayload<E>, ack: Ack<ResponseOf[E]>) => void;
};

/** Why a room ended for a participant. */
export type RoomClosedReason = 'sfu-failure' | 'server-shutdown';

/** Events the server pushes to the browser. */
export interface ServerToClientEvents {
	/** Someone entered the room. */
	'peer:joined': (peer: PeerInfo) => void;
	/** Someone left or was disconnected: drop their tiles. */
	'peer:left': (event: { peerId: string }) => void;
	/** Someone started publishing a track: consume it. */
	'producer:added': (producer: ProducerInfo) => void;
	/** A published track ended. */
	'producer:removed': (event: { peerId: string; producerId: string }) => void;
	/** One of this browser's consumers was closed by the server. */
	'consumer:closed': (event: { consumerId: string }) => void;
	/** The room ended for everyone in it. */
	'room:closed': (event: { reason: RoomClosedReason }) => void;
}

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });

export const failure = (reason: ErrorReason, message: string, errorId?: string): Result<never> => ({
	ok: false,
	error: errorId ? { reason, message, errorId } : { reason, message }
});
