/**
 * A bot's way in: it signs in over HTTP as a user would (the sign-in form for an
 * account, the invitation link for a guest), keeps the session cookie, and opens the
 * meeting's Socket.IO connection with it. Every request is timed: the load tool reports
 * the signaling latency under load from these samples.
 */
import { io, type Socket } from 'socket.io-client';
import type {
	ClientToServerEvents,
	RequestName,
	RequestPayload,
	ResponseOf,
	Result,
	ServerToClientEvents
} from '../../src/lib/realtime/protocol.ts';

export type BotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type Credentials =
	| { email: string; password: string }
	| { invitationToken: string }
	/** A session cookie made by the caller (tests that run the socket server without the pages). */
	| { cookie: string };

/** A refused or unanswered request, with the server's reason code. */
export class BotRequestError extends Error {
	readonly event: string;
	readonly reason: string;
	constructor(event: string, reason: string, message: string) {
		super(`${event}: ${reason} (${message})`);
		this.event = event;
		this.reason = reason;
	}
}

/** Latency samples (ms) of every acknowledged request, by event; shared by all bots of a run. */
export class LatencyLog {
	readonly samples = new Map<string, number[]>();
	record(event: string, ms: number): void {
		let list = this.samples.get(event);
		if (!list) this.samples.set(event, (list = []));
		list.push(ms);
	}
	/** Every sample, all events together. */
	all(): number[] {
		return [...this.samples.values()].flat();
	}
	clear(): void {
		this.samples.clear();
	}
}

/** The session cookie of a signed-in account or a guest who followed their link. */
export async function signIn(origin: string, credentials: Credentials): Promise<string> {
	if ('cookie' in credentials) return credentials.cookie;
	const form =
		'invitationToken' in credentials
			? { url: `${origin}/invite/${credentials.invitationToken}`, body: new URLSearchParams() }
			: { url: `${origin}/login`, body: new URLSearchParams({ email: credentials.email, password: credentials.password }) };
	const response = await fetch(form.url, {
		method: 'POST',
		body: form.body,
		redirect: 'manual',
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded', 'x-sveltekit-action': 'true' }
	});
	const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]);
	const session = cookies.find((cookie) => /^(__Secure-)?authjs\.session-token=|^concerto_guest=/.test(cookie));
	if (!session) {
		const text = await response.text().catch(() => '');
		throw new Error(`sign-in refused (HTTP ${response.status}): ${text.slice(0, 200)}`);
	}
	return cookies.join('; ');
}

export async function connect(origin: string, cookie: string, node?: string): Promise<BotSocket> {
	const socket: BotSocket = io(origin, {
		transports: ['websocket'],
		forceNew: true,
		reconnection: false,
		extraHeaders: { cookie, origin },
		...(node ? { query: { node } } : {})
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('connect_error', reject);
	});
	return socket;
}

export const REQUEST_TIMEOUT_MS = 10_000;

/** One request and its acknowledgement; refusals throw `BotRequestError` with the reason. */
export async function request<E extends RequestName>(
	socket: BotSocket,
	event: E,
	payload: RequestPayload<E>,
	latency?: LatencyLog
): Promise<ResponseOf[E]> {
	const started = performance.now();
	let result: Result<ResponseOf[E]>;
	try {
		const timed = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
			emitWithAck(event: E, payload: RequestPayload<E>): Promise<Result<ResponseOf[E]>>;
		};
		result = await timed.emitWithAck(event, payload);
	} catch {
		throw new BotRequestError(event, 'timeout', `no answer within ${REQUEST_TIMEOUT_MS} ms`);
	}
	latency?.record(event, performance.now() - started);
	if (!result.ok) throw new BotRequestError(event, result.error.reason, result.error.message);
	return result.data;
}
