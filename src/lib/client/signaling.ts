/**
 * The browser side of the room protocol: a typed Socket.IO connection and `request`,
 * which sends one request and waits for its acknowledgement, with a timeout.
 */
import { io, type Socket } from 'socket.io-client';
import type {
	ClientToServerEvents,
	ErrorReason,
	RequestName,
	RequestPayload,
	ResponseOf,
	Result,
	ServerToClientEvents
} from '$lib/realtime/protocol';

export type SignalingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a request may wait for the server's acknowledgement. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** A request the server refused, or that got no answer in time (`reason: 'timeout'`). */
export class RequestError extends Error {
	readonly reason: ErrorReason | 'timeout';
	readonly event: RequestName;
	readonly errorId?: string;
	constructor(event: RequestName, reason: ErrorReason | 'timeout', message: string, options?: { errorId?: string; cause?: unknown }) {
		super(message, { cause: options?.cause });
		this.name = 'RequestError';
		this.event = event;
		this.reason = reason;
		this.errorId = options?.errorId;
	}
}

/**
 * Opens the room's connection. With several nodes, `node` names the one hosting the
 * meeting: the proxy in front sends requests that carry `?node=` to it.
 */
export function connectSignaling(node?: string | null): SignalingSocket {
	// WebSocket first (fastest join); long-polling when a proxy refuses WebSockets. After a
	// network blip it reconnects with backoff (0.5 s, 1 s, 2 s, then every 4 s at most).
	return io({
		// A connection of its own (Socket.IO would otherwise reuse the page's cached manager,
		// with the query of the node it connected to first).
		forceNew: true,
		transports: ['websocket', 'polling'],
		tryAllTransports: true,
		reconnectionDelay: 500,
		reconnectionDelayMax: 4000,
		...(node ? { query: { node } } : {})
	});
}

/** How many times in a row a join may be sent to another node before giving up. */
export const MAX_MOVES = 8;

export async function request<E extends RequestName>(
	socket: SignalingSocket,
	event: E,
	payload: RequestPayload<E>
): Promise<ResponseOf[E]> {
	let result: Result<ResponseOf[E]>;
	try {
		// Socket.IO's typing of emitWithAck cannot follow a generic event name.
		const timed = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
			emitWithAck(event: E, payload: RequestPayload<E>): Promise<Result<ResponseOf[E]>>;
		};
		result = await timed.emitWithAck(event, payload);
	} catch (cause) {
		throw new RequestError(event, 'timeout', `${event}: no answer from the server within ${REQUEST_TIMEOUT_MS} ms`, { cause });
	}
	if (!result.ok) {
		throw new RequestError(event, result.error.reason, result.error.message, { errorId: result.error.errorId });
	}
	return result.data;
}
