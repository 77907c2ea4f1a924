/**
 * A real Concerto stack for integration tests (database, mediasoup workers, Socket.IO)
 * on an ephemeral port, and Socket.IO clients that speak the room protocol to it.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@auth/core/jwt';
import { io as connect, type Socket } from 'socket.io-client';
import { startConcerto, type Concerto } from '../../server/app.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/realtime/protocol.ts';
import { loadConfig } from '../../src/lib/server/config.ts';
import { GUEST_COOKIE } from '../../src/lib/server/guests.ts';
import { createLogger } from '../../src/lib/server/logger.ts';
import { createTestDatabaseSettings } from './database.ts';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestStack {
	concerto: Concerto;
	url: string;
	/**
	 * A connected client; `headers` carry its cookies (see `sessionCookie`, `guestCookie`)
	 * or let a test pose as another site's page.
	 */
	client(headers?: Record<string, string>): Promise<Client>;
	/** The Cookie header of a browser signed in as `userId` (an Auth.js session, as /login sets it). */
	sessionCookie(userId: string): Promise<string>;
	close(): Promise<void>;
}

/** The Cookie header of a browser holding a guest session (see guests.ts `claimInvitation`). */
export const guestCookie = (secret: string) => `${GUEST_COOKIE}=${secret}`;

/** `clock`: the stack's clock (a `ManualClock` a test moves); the system clock otherwise. */
export async function startTestStack(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestStack> {
	const { settings, drop } = await createTestDatabaseSettings();
	const config = loadConfig({
		DATA_DIR: mkdtempSync(join(tmpdir(), 'concerto-stack-')),
		MEDIASOUP_NUM_WORKERS: '1',
		...env,
		...(settings.kind === 'postgres' ? { DATABASE_URL: settings.url } : {})
	});
	if (settings.kind === 'pglite') config.database = settings;
	const httpServer = createServer();
	const concerto = await startConcerto({ config, logger: createLogger('silent'), httpServer, clock: options.clock });
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
	const clients: Client[] = [];

	return {
		concerto,
		url,
		sessionCookie: async (userId) => {
			const name = 'authjs.session-token';
			const token = await encode({ token: { sub: userId }, secret: config.authSecret, salt: name, maxAge: 3600 });
			return `${name}=${token}`;
		},
		client: async (headers) => {
			const socket: Client = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: headers });
			clients.push(socket);
			await new Promise<void>((resolve, reject) => {
				socket.once('connect', resolve);
				socket.once('connect_error', reject);
			});
			return socket;
		},
		close: async () => {
			for (const client of clients) client.disconnect();
			await concerto.close();
			httpServer.close();
			await drop();
		}
	};
}

/** An acknowledgement as tests read it: `data` on success, `error` on failure. */
export type Answer = { ok: boolean; data: any; error: any };

/** Sends any event (even one outside the protocol) and returns the acknowledgement. */
export function send(socket: Client, event: string, payload: unknown): Promise<Answer> {
	return (socket.timeout(5000) as unknown as Socket).emitWithAck(event, payload);
}

/** The next occurrence of a server event on this client. */
export function next<E extends keyof ServerToClientEvents>(
	socket: Client,
	event: E
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
	return new Promise((resolve) => (socket as unknown as { once(e: string, l: (v: never) => void): void }).once(event, resolve));
}

/** A connection signed in as `userId`, joined to the meeting's room (it must not wait in the lobby). */
export async function joinMeeting(stack: TestStack, userId: string, meetingId: string): Promise<Client> {
	const socket = await stack.client({ cookie: await stack.sessionCookie(userId) });
	const answer = await send(socket, 'room:join', { meetingId });
	if (answer.data?.status !== 'joined') throw new Error(JSON.stringify(answer));
	return socket;
}
