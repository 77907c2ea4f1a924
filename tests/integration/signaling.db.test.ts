/**
 * The room protocol over a real Socket.IO connection to a real Concerto stack
 * (database, mediasoup worker, signaling), as a browser would speak it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConcerto, type Concerto } from '../../server/app.ts';
import type { ClientToServerEvents, Result, ServerToClientEvents } from '../../src/lib/realtime/protocol.ts';
import { loadConfig } from '../../src/lib/server/config.ts';
import { createLogger } from '../../src/lib/server/logger.ts';
import { listPresences } from '../../src/lib/server/presence.ts';
import { checkHealth } from '../../src/lib/server/health.ts';
import { createTestDatabaseSettings, testDatabaseKind } from '../helpers/database.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let httpServer: Server;
let concerto: Concerto;
let url: string;
let dropDatabase: () => Promise<void>;
const clients: Client[] = [];

beforeAll(async () => {
	const { settings, drop } = await createTestDatabaseSettings();
	dropDatabase = drop;
	const config = loadConfig({
		DATA_DIR: mkdtempSync(join(tmpdir(), 'concerto-signaling-')),
		MEDIASOUP_NUM_WORKERS: '1',
		ROOM_MAX_PEERS: '3',
		...(settings.kind === 'postgres' ? { DATABASE_URL: settings.url } : {})
	});
	if (settings.kind === 'pglite') config.database = settings;
	httpServer = createServer();
	concerto = await startConcerto({ config, logger: createLogger('silent'), httpServer });
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
	for (const client of clients) client.disconnect();
	await concerto?.close();
	httpServer?.close();
	await dropDatabase?.();
});

async function client(headers?: Record<string, string>): Promise<Client> {
	const socket: Client = connect(url, { transports: ['websocket'], forceNew: true, extraHeaders: headers });
	clients.push(socket);
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('connect_error', reject);
	});
	return socket;
}

/** Sends any event (even one outside the protocol) and returns the acknowledgement. */
function send(socket: Client, event: string, payload: unknown): Promise<Result<any>> {
	return (socket.timeout(5000) as unknown as Socket).emitWithAck(event, payload);
}

function next<E extends keyof ServerToClientEvents>(socket: Client, event: E): Promise<Parameters<ServerToClientEvents[E]>[0]> {
	return new Promise((resolve) => (socket as unknown as { once(e: string, l: (v: never) => void): void }).once(event, resolve));
}

describe(`room signaling (${testDatabaseKind})`, () => {
	it('joins a room: the answer carries the router capabilities and who is already there', async () => {
		const alice = await client();
		const joined = await send(alice, 'room:join', { roomId: 'sig-1', displayName: 'Dr Alice' });
		expect(joined.ok).toBe(true);
		if (!joined.ok) return;
		expect(joined.data.peers).toEqual([]);
		const codecs = joined.data.routerRtpCapabilities.codecs.map((c: { mimeType: string }) => c.mimeType);
		expect(codecs).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']));

		const bob = await client();
		const announced = next(alice, 'peer:joined');
		const bobJoined = await send(bob, 'room:join', { roomId: 'sig-1', displayName: 'Dr Bob' });
		expect(bobJoined.ok && bobJoined.data.peers.map((p: { displayName: string }) => p.displayName)).toEqual(['Dr Alice']);
		expect((await announced).displayName).toBe('Dr Bob');

		// Transports offer UDP and TCP candidates (hospital networks often block UDP).
		const transport = await send(bob, 'transport:create', { direction: 'recv' });
		expect(transport.ok).toBe(true);
		if (transport.ok) {
			const protocols = new Set(transport.data.iceCandidates.map((c: { protocol: string }) => c.protocol));
			expect([...protocols].sort()).toEqual(['tcp', 'udp']);
		}

		const left = next(alice, 'peer:left');
		bob.disconnect();
		expect((await left).peerId).toBe(bobJoined.ok && bobJoined.data.peerId);

		const presences = await listPresences(concerto.runtime.database.db, 'sig-1');
		expect(presences.map((p) => [p.displayName, p.leftAt !== null])).toEqual([
			['Dr Alice', false],
			['Dr Bob', true]
		]);
	});

	it('answers a malformed payload with invalid-payload and stays up', async () => {
		const socket = await client();
		const bad = await send(socket, 'room:join', { roomId: '../etc/passwd', displayName: '' });
		expect(bad).toMatchObject({ ok: false, error: { reason: 'invalid-payload' } });
		const notAnObject = await send(socket, 'transport:create', 'send');
		expect(notAnObject).toMatchObject({ ok: false, error: { reason: 'invalid-payload' } });
		const good = await send(socket, 'room:join', { roomId: 'sig-2', displayName: 'Dr Claire' });
		expect(good.ok).toBe(true);
	});

	it('answers an unknown event with unknown-event', async () => {
		const socket = await client();
		expect(await send(socket, 'admin:drop-tables', {})).toMatchObject({ ok: false, error: { reason: 'unknown-event' } });
	});

	it('refuses media requests before joining, and a second join on one connection', async () => {
		const socket = await client();
		expect(await send(socket, 'transport:create', { direction: 'send' })).toMatchObject({
			ok: false,
			error: { reason: 'not-in-room' }
		});
		expect((await send(socket, 'room:join', { roomId: 'sig-3', displayName: 'Dr D' })).ok).toBe(true);
		expect(await send(socket, 'room:join', { roomId: 'sig-4', displayName: 'Dr D' })).toMatchObject({
			ok: false,
			error: { reason: 'already-joined' }
		});
	});

	it('refuses ids this peer does not own', async () => {
		const socket = await client();
		await send(socket, 'room:join', { roomId: 'sig-5', displayName: 'Dr E' });
		expect(await send(socket, 'consumer:resume', { consumerId: 'not-mine' })).toMatchObject({
			ok: false,
			error: { reason: 'not-found' }
		});
		expect(
			await send(socket, 'transport:connect', {
				transportId: 'not-mine',
				dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] }
			})
		).toMatchObject({ ok: false, error: { reason: 'not-found' } });
	});

	it('refuses a participant beyond the room limit', async () => {
		for (let i = 0; i < 3; i++) {
			expect((await send(await client(), 'room:join', { roomId: 'sig-full', displayName: `Dr ${i}` })).ok).toBe(true);
		}
		expect(await send(await client(), 'room:join', { roomId: 'sig-full', displayName: 'Dr late' })).toMatchObject({
			ok: false,
			error: { reason: 'room-full' }
		});
	});

	it('refuses a connection from a page of another site', async () => {
		await expect(client({ origin: 'https://evil.example' })).rejects.toThrow();
	});

	it('reports healthy with the database kind and a live worker', async () => {
		const report = await checkHealth(concerto.runtime);
		expect(report.status).toBe('ok');
		expect(report.database.kind).toBe(testDatabaseKind);
		expect(report.sfu.workers).toHaveLength(1);
	});
});
