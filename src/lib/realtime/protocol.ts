/**
 * The Socket.IO wire protocol of a meeting's video room, declared once for the server and
 * the browser: the typed event maps, the zod schema of every request payload, and the
 * shape of every acknowledgement.
 *
 * Every client request carries an acknowledgement callback; the server answers it with a
 * `Result`, never by throwing. mediasoup's own parameter objects (RTP parameters, DTLS
 * parameters, capabilities) are checked here for shape only: mediasoup validates their
 * content and its errors come back as `invalid-payload`.
 *
 * The connection itself is authenticated (the session or guest cookie of the handshake);
 * a room is a meeting, and every request is checked against the sender's role in it.
 */
import { z } from 'zod';
import { DocumentView } from './live.ts';

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
	/**
	 * This server cannot take one more participant at good quality (its capacity, in
	 * forwarded tracks, would be passed): try again later, or another server.
	 */
	'server-full',
	/** A meeting, transport, producer, consumer or participant that is not there (or not the sender's). */
	'not-found',
	/** The sender may not do this (another board's meeting, a member using a moderator's control…). */
	'forbidden',
	/** The meeting is closed or cancelled: its room does not open. */
	'meeting-closed',
	/** The request cannot be served now (the room is closing, say). */
	'unavailable',
	/** Too many requests of this kind in a short time (chat). */
	'rate-limited',
	/** Someone changed it meanwhile (a stale version): read it again. */
	'conflict',
	/** The proposal is not final (read back) yet: the case cannot be closed as decided. */
	'not-final',
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

const Id = z.string().min(1).max(100);
const Uuid = z.uuid();

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

/** `user:<uuid>` or `guest:<uuid>`: who a lobby decision is about. */
export const ParticipantKey = z.string().regex(/^(user|guest):[0-9a-f-]{36}$/i, 'participant key: user:<id> or guest:<id>');

/** The longest chat message accepted (characters). */
export const CHAT_MAX_LENGTH = 2000;

/** The zod schema of each client request, by event name. */
export const requestSchemas = {
	/** Enter the meeting's room; `rejoin` resumes the same participant after a reconnection. */
	'room:join': z.object({
		meetingId: Uuid,
		rejoin: z.object({ peerId: Id, secret: z.string().min(16).max(100) }).optional()
	}),
	'room:leave': z.object({}),
	'transport:create': z.object({ direction: z.enum(['send', 'recv']) }),
	'transport:connect': z.object({ transportId: Id, dtlsParameters: DtlsParameters }),
	/** New ICE credentials for a transport whose connection broke (ICE restart). */
	'transport:restart-ice': z.object({ transportId: Id }),
	'producer:create': z.object({
		transportId: Id,
		kind: MediaKind,
		rtpParameters: RtpParameters,
		source: MediaSource
	}),
	'producer:close': z.object({ producerId: Id }),
	/** Mute (pause) or unmute (resume) one's own track. */
	'producer:pause': z.object({ producerId: Id }),
	'producer:resume': z.object({ producerId: Id }),
	'consumer:create': z.object({ producerId: Id, rtpCapabilities: RtpCapabilities }),
	'consumer:resume': z.object({ consumerId: Id }),
	/** Stop receiving a video that is not on screen (another page of tiles). */
	'consumer:pause': z.object({ consumerId: Id }),
	/** Which simulcast layer to receive: 0 (smallest) to 2, from the tile's size. */
	'consumer:set-layers': z.object({ consumerId: Id, spatialLayer: z.number().int().min(0).max(2) }),
	'hand:raise': z.object({}),
	/** Lower one's own hand, or (moderators) someone else's. */
	'hand:lower': z.object({ peerId: Id.optional() }),
	'chat:send': z.object({ text: z.string().trim().min(1, 'empty message').max(CHAT_MAX_LENGTH) }),
	/** Moderators: let someone in from the lobby, or turn them away. */
	'lobby:admit': z.object({ participantKey: ParticipantKey }),
	'lobby:refuse': z.object({ participantKey: ParticipantKey }),
	/** Moderators: mute someone's microphone. */
	'moderate:mute': z.object({ peerId: Id }),
	/** Moderators: stop someone's camera or screen share. */
	'moderate:stop': z.object({ peerId: Id, source: z.enum(['camera', 'screen']) }),
	/** Moderators: remove someone (they wait in the lobby if they come back). */
	'moderate:remove': z.object({ peerId: Id }),
	/** Moderators: lock the room (newcomers wait in the lobby) or unlock it. */
	'moderate:lock': z.object({ locked: z.boolean() }),
	/** Moderators: end the meeting for everyone. */
	'moderate:end': z.object({}),
	/** Before joining: can this browser reach the media server over UDP, over TCP? */
	'probe:create': z.object({ protocol: z.enum(['udp', 'tcp']) }),
	'probe:connect': z.object({ probeId: Id, dtlsParameters: DtlsParameters }),
	'probe:close': z.object({ probeId: Id }),
	/** The live meeting (issue: live case presentation): the chair opens a case of the agenda. */
	'case:open': z.object({ caseId: Uuid }),
	/** The chair hands the presentation to a participant. */
	'case:presenter': z.object({ participantKey: ParticipantKey }),
	/** The chair closes the current case; the next one of the agenda opens. */
	'case:close': z.object({ outcome: z.enum(['decided', 'postponed']) }),
	/** The current case's fiche and documents (any participant). */
	'case:view': z.object({}),
	/**
	 * The chair validates in one batch the cases prepared as "enregistré sans discussion"
	 * (all of them, or those listed), with the quorum of that moment.
	 */
	'case:record': z.object({
		caseIds: z.array(Uuid).min(1).max(200).optional(),
		/** Without the quorum: record them all the same, marked "quorum non atteint". */
		quorumNotMetAcknowledged: z.boolean().default(false)
	}),
	/** The presenter shows a document of the current case, or changes its view (null: none). */
	'doc:show': z.object({ view: DocumentView.nullable() }),
	/** The presenter's laser pointer (null: hidden); not kept. */
	'doc:pointer': z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).nullable(),
	/** A moderator gives the proposal's pen to a moderator. */
	'decision:pen': z.object({ participantKey: ParticipantKey }),
	/** The pen's holder saves the proposal (autosave), based on the version they had. */
	'decision:save': z.object({ caseId: Uuid, baseVersion: z.number().int().min(0), content: z.looseObject({}) }),
	/** The pen's holder makes the proposal final, for read-back. */
	'decision:finalize': z.object({ caseId: Uuid, version: z.number().int().min(1) }),
	/** Any participant answers the read-back. */
	'decision:answer': z.object({
		caseId: Uuid,
		version: z.number().int().min(1),
		answer: z.enum(['confirm', 'disagree']),
		comment: z.string().trim().max(2000).default('')
	})
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestPayload<E extends RequestName> = z.infer<(typeof requestSchemas)[E]>;

export function isRequestName(name: string): name is RequestName {
	return Object.hasOwn(requestSchemas, name);
}

/** A participant's standing in the meeting. */
export type ParticipantRole = 'coordinator' | 'secretary' | 'member' | 'admin' | 'guest';

/** A producer as announced to the other participants. */
export interface ProducerInfo {
	producerId: string;
	peerId: string;
	kind: MediaKind;
	source: MediaSource;
	/** Muted (paused) by its owner or a moderator. */
	paused: boolean;
}

/** A participant of the room, as the others see them. */
export interface PeerInfo {
	peerId: string;
	/** `user:<id>` or `guest:<id>`: who this participant is in the meeting (presenter, pen, read-back). */
	participantKey: string;
	displayName: string;
	/** A code of src/lib/domain/specialties.ts, or null. */
	specialty: string | null;
	role: ParticipantRole;
	moderator: boolean;
	/** True while their connection is lost and the server waits for them to come back. */
	reconnecting: boolean;
	producers: ProducerInfo[];
}

/** Someone waiting in the lobby (shown to moderators). */
export interface LobbyEntry {
	participantKey: string;
	displayName: string;
	specialty: string | null;
	role: ParticipantRole;
	since: string;
}

export interface ChatMessage {
	id: string;
	authorKey: string;
	authorName: string;
	text: string;
	/** ISO 8601. */
	at: string;
}

/** An ICE server (TURN or STUN) for the browser's transports. */
export interface IceServer {
	urls: string | string[];
	username?: string;
	credential?: string;
}

/** What the browser needs to build a mediasoup-client transport. */
export interface TransportOptions {
	id: string;
	iceParameters: unknown;
	iceCandidates: unknown[];
	dtlsParameters: unknown;
	/** TURN servers to add, and whether to go through them only. */
	iceServers: IceServer[];
	iceTransportPolicy: 'all' | 'relay';
}

export interface ConsumerOptions {
	consumerId: string;
	producerId: string;
	peerId: string;
	kind: MediaKind;
	source: MediaSource;
	rtpParameters: unknown;
	producerPaused: boolean;
}

/** The shared state of the room a (re)joining participant receives at once. */
export interface RoomState {
	locked: boolean;
	/** Raised hands, first raised first. */
	hands: string[];
	activeSpeaker: string | null;
	chat: ChatMessage[];
	/** For moderators: who waits in the lobby. */
	lobby: LobbyEntry[];
	/** The live meeting: current case, presenter, pen, document view. */
	live: LiveInfo;
}

export type JoinResponse =
	| {
			status: 'joined';
			peerId: string;
			/** Present it with `rejoin` after a reconnection to come back as the same participant. */
			rejoinSecret: string;
			/** True when the server still had this participant (after a reconnection): its media may resume. */
			resumed: boolean;
			/** `user:<id>` or `guest:<id>`: how this participant's chat messages are signed (`authorKey`). */
			participantKey: string;
			self: PeerInfo;
			routerRtpCapabilities: unknown;
			/** Everyone else in the room, with what they publish. */
			peers: PeerInfo[];
			state: RoomState;
	  }
	| { status: 'waiting' }
	/** The meeting is hosted by another node (several nodes): reconnect with `?node=<node>` and join again. */
	| { status: 'moved'; node: string };

export interface ProbeOptions {
	probeId: string;
	routerRtpCapabilities: unknown;
	transport: TransportOptions;
	sctpParameters: unknown;
}

/** The response type of each request, by event name. */
export interface ResponseOf {
	'room:join': JoinResponse;
	'room:leave': null;
	'transport:create': TransportOptions;
	'transport:connect': null;
	'transport:restart-ice': { iceParameters: unknown };
	'producer:create': { producerId: string };
	'producer:close': null;
	'producer:pause': null;
	'producer:resume': null;
	'consumer:create': ConsumerOptions;
	'consumer:resume': null;
	'consumer:pause': null;
	'consumer:set-layers': null;
	'hand:raise': null;
	'hand:lower': null;
	'chat:send': ChatMessage;
	'lobby:admit': null;
	'lobby:refuse': null;
	'moderate:mute': null;
	'moderate:stop': null;
	'moderate:remove': null;
	'moderate:lock': null;
	'moderate:end': null;
	'probe:create': ProbeOptions;
	'probe:connect': null;
	'probe:close': null;
	'case:open': LiveInfo;
	'case:presenter': LiveInfo;
	'case:close': LiveInfo;
	'case:view': CaseViewInfo | null;
	'case:record': RecordedBatchInfo;
	'doc:show': null;
	'doc:pointer': null;
	'decision:pen': LiveInfo;
	'decision:save': { version: number };
	'decision:finalize': DecisionInfo;
	'decision:answer': null;
}

/** The live meeting as everyone sees it. */
export interface LiveInfo {
	currentCaseId: string | null;
	presenterKey: string | null;
	editorKey: string | null;
	document: DocumentView | null;
}

/** What a batch of "enregistré sans discussion" did. */
export interface RecordedBatchInfo {
	recorded: string[];
	refused: { caseId: string; problems: { field: string; message: string }[] }[];
	quorum: { status: string; met: boolean; missing: string[] };
}

/** The current case's content for the case panel. */
export interface CaseViewInfo {
	caseId: string;
	/** The fiche's fields (CaseFicheDraft). */
	fiche: Record<string, unknown>;
	attachments: { id: string; fileName: string; mediaType: string; sizeBytes: number }[];
	decision: DecisionInfo;
	/** The read-back answers so far, when the proposal is final. */
	readBack: ReadBackInfo[];
}

/** A proposal as broadcast live. */
export interface DecisionInfo {
	caseId: string;
	version: number;
	status: 'draft' | 'final' | 'decided';
	content: Record<string, unknown>;
	/** The quorum stored when it was made final. */
	quorum: { status: string; met: boolean; missing: string[] } | null;
	/** Why it cannot be final yet (when a finalisation was refused). */
	problems?: { field: string; message: string }[];
}

/** A read-back answer as the chair sees it. */
export interface ReadBackInfo {
	participantKey: string;
	displayName: string;
	specialty: string | null;
	answer: 'confirm' | 'disagree';
	comment: string;
	at: string;
}

/** Events the browser sends; each one is a request with an acknowledgement. */
export type ClientToServerEvents = {
	[E in RequestName]: (payload: RequestPayload<E>, ack: Ack<ResponseOf[E]>) => void;
};

/** Why the room ended for a participant. */
export type RoomClosedReason =
	/** The media server failed and the room could not be rebuilt. */
	| 'sfu-failure'
	| 'server-shutdown'
	/** A moderator ended the meeting for everyone. */
	| 'ended'
	/** A moderator removed this participant. */
	| 'removed'
	/** The same account or guest joined from another browser or tab. */
	| 'replaced'
	/** The account or invitation is no longer valid. */
	| 'unauthorized';

/** Events the server pushes to the browser. */
export interface ServerToClientEvents {
	/** Someone entered the room. */
	'peer:joined': (peer: PeerInfo) => void;
	/** Someone left, was removed, or vanished for good: drop their tiles. */
	'peer:left': (event: { peerId: string }) => void;
	/** Someone's connection broke (the server waits for them) or came back. */
	'peer:reconnecting': (event: { peerId: string; reconnecting: boolean }) => void;
	/** Someone started publishing a track: consume it. */
	'producer:added': (producer: ProducerInfo) => void;
	/** A published track ended. */
	'producer:removed': (event: { peerId: string; producerId: string }) => void;
	/** A track was muted or unmuted. */
	'producer:paused': (event: { peerId: string; producerId: string; paused: boolean }) => void;
	/** One of this browser's consumers was closed by the server. */
	'consumer:closed': (event: { consumerId: string }) => void;
	/** Who speaks loudest now (null: nobody). */
	'speaker:active': (event: { peerId: string | null }) => void;
	/** The raised hands, in order. */
	'hands:changed': (event: { hands: string[] }) => void;
	'chat:message': (message: ChatMessage) => void;
	/** For moderators: who waits in the lobby now. */
	'lobby:changed': (event: { lobby: LobbyEntry[] }) => void;
	/** For someone waiting: a moderator let them in (join again now) or turned them away. */
	'lobby:admitted': () => void;
	'lobby:refused': () => void;
	/** A moderator muted this participant's microphone, or stopped their camera or screen share. */
	'moderation:muted': (event: { by: string }) => void;
	'moderation:stopped': (event: { source: 'camera' | 'screen'; by: string }) => void;
	'room:locked': (event: { locked: boolean }) => void;
	/**
	 * The media server under the room was replaced (a worker died): every browser rebuilds
	 * its transports and tracks on the new router; participants stay.
	 */
	'room:media-reset': (event: { routerRtpCapabilities: unknown }) => void;
	/** The room ended for this participant. */
	'room:closed': (event: { reason: RoomClosedReason }) => void;
	/**
	 * The meeting moved to another node (this one stops, or another took it over): reconnect
	 * with `?node=<node>` and join afresh; the live meeting is read again from the database.
	 */
	'room:moved': (event: { node: string }) => void;
	/** Cases' outcomes changed without a change of case (a batch recorded without discussion): read the agenda again. */
	'agenda:changed': () => void;
	/** The case under discussion, its presenter, the pen's holder or the document view changed. */
	'live:changed': (live: LiveInfo) => void;
	/** The presenter's laser pointer moved (null: hidden). */
	'doc:pointer': (point: { x: number; y: number } | null) => void;
	/** The proposal changed (a save, a finalisation). */
	'decision:changed': (decision: DecisionInfo & { by: string }) => void;
	/** The read-back answers so far. */
	'decision:answers': (event: { caseId: string; version: number; answers: ReadBackInfo[] }) => void;
	/** The quorum of the meeting now (someone came or left). */
	'quorum:changed': (quorum: { status: string; met: boolean; missing: string[]; distinct: number }) => void;
}

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });

export const failure = (reason: ErrorReason, message: string, errorId?: string): Result<never> => ({
	ok: false,
	error: errorId ? { reason, message, errorId } : { reason, message }
});
