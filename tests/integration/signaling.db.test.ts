/**
 * The room protocol over a real Socket.IO connection to a real Concerto stack
 * (database, mediasoup worker, signaling), as a browser would speak it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from '../../src/lib/server/health.ts';
import { listPresences } from '../../src/lib/server/presence.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { next, send, startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
const client = (headers?: Record<string, string>) => stack.client(headers);

beforeAll(async () => {
	stack = await startTestStack({ ROOM_MAX_PEERS: '3' });
});

afterAll(() => stack?.close());

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

		const presences = await listPresences(stack.concerto.runtime.database.db, 'sig-1');
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
		const report = await checkHealth(stack.concerto.runtime);
		expect(report.status).toBe('ok');
		expect(report.database.kind).toBe(testDatabaseKind);
		expect(report.sfu.workers).toHaveLength(1);
	});
});
