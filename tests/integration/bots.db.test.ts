/**
 * Synthetic participants (bench/bots) against a real stack: real ICE, DTLS and SRTP
 * through the SFU. What a participant sees when the node is full, what the node does
 * under CPU pressure, and what misbehaving clients leave behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { setMembership } from '../../src/lib/server/boards.ts';
import { users } from '../../src/lib/server/db/schema.ts';
import { Bot } from '../../bench/bots/bot.ts';
import { BotRequestError, request, type BotSocket } from '../../bench/bots/signaling.ts';
import { createMeetingFixture, type MeetingFixture } from '../helpers/meeting-fixture.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack | undefined;
const bots: Bot[] = [];

afterEach(async () => {
	await Promise.all(bots.splice(0).map((bot) => bot.leave().catch(() => {})));
	await stack?.close();
	stack = undefined;
});

const GRACE_MS = 1500;

async function setUp(env: Record<string, string> = {}) {
	stack = await startTestStack({ MEDIASOUP_ANNOUNCED_ADDRESS: '127.0.0.1', ROOM_REJOIN_GRACE_MS: String(GRACE_MS), ...env });
	const db = stack.concerto.runtime.database.db;
	const fixture = await createMeetingFixture(db);
	return { stack, fixture };
}

/** The session cookie of a new member of the fixture's board. */
async function memberCookie(s: TestStack, fixture: MeetingFixture, label: string): Promise<string> {
	const db = s.concerto.runtime.database.db;
	const [user] = await db
		.insert(users)
		.values({ givenName: label, familyName: 'Bot', email: `${label}.${Math.random().toString(36).slice(2)}@bots.test`, specialty: 'radiology' })
		.returning();
	await setMembership(db, fixture.boardId, user.id, 'member', { userId: fixture.people.admin.id, address: null });
	return s.sessionCookie(user.id);
}

/** A bot for the fixture's coordinator (`chair`), or for a new member of the board. */
async function botFor(s: TestStack, fixture: MeetingFixture, label: string, chair = false): Promise<Bot> {
	const cookie = chair ? await s.sessionCookie(fixture.people.coordinator.id) : await memberCookie(s, fixture, label);
	const bot = new Bot({ origin: s.url, credentials: { cookie }, meetingId: fixture.meetingId, publish: true, receiveLayer: 0, label });
	bots.push(bot);
	return bot;
}

/** A bare Socket.IO client of a new member, for what no well-behaved bot does. */
async function rawClient(s: TestStack, fixture: MeetingFixture, label: string) {
	const socket = io(s.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: await memberCookie(s, fixture, label) } });
	await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	return socket as unknown as BotSocket;
}

async function joined(bot: Bot): Promise<Bot> {
	await bot.connect();
	await bot.enter();
	return bot;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Frames per second each video consumer of these bots received over `ms`. */
async function videoFps(of: Bot[], ms = 1500): Promise<number[]> {
	for (const bot of of) bot.intervalStats();
	await wait(ms);
	return of.flatMap((bot) => bot.intervalStats().filter((c) => c.kind === 'video').map((c) => c.stats.framesPerSecond));
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await wait(50);
	}
}

describe('synthetic participants', () => {
	it('publish a microphone and three camera layers, and each receives the others’ at the layer asked', async () => {
		const { stack: s, fixture } = await setUp();
		const a = await joined(await botFor(s, fixture, 'a', true));
		const b = await joined(await botFor(s, fixture, 'b'));
		const c = await joined(await botFor(s, fixture, 'c'));
		await until(() => [a, b, c].every((bot) => bot.consumers.size === 4));
		const fps = await videoFps([a, b, c]);
		expect(fps).toHaveLength(6);
		for (const value of fps) expect(value).toBeGreaterThan(10);
		// The smallest layer: about 150 kb/s, not the 1.2 Mb/s of the top one.
		const kbps = a.intervalStats().filter((x) => x.kind === 'video').map((x) => x.stats.kbps);
		await wait(1000);
		const rates = a.intervalStats().filter((x) => x.kind === 'video').map((x) => x.stats.kbps);
		for (const rate of rates) expect(rate).toBeLessThan(400);
		expect(kbps).toHaveLength(2);
		const producers = s.concerto.rooms.get(fixture.meetingId)!.peers().map((peer) => [...peer.producers.values()]);
		expect(producers.flat().filter((p) => p.kind === 'video').every((p) => p.type === 'simulcast' && p.rtpParameters.encodings?.length === 3)).toBe(true);
	});
});

describe('a full node', () => {
	it('refuses the participant it cannot serve with server-full, and the others keep their media', async () => {
		// Two publishers forward 4 tracks; a third would bring the node to 4 + 4 + 2 × 2 = 12.
		const { stack: s, fixture } = await setUp({ SFU_MAX_CONSUMERS: '10' });
		const a = await joined(await botFor(s, fixture, 'a', true));
		const b = await joined(await botFor(s, fixture, 'b'));
		await until(() => a.consumers.size === 2 && b.consumers.size === 2);
		const c = await botFor(s, fixture, 'c');
		await c.connect();
		const refusal = await c.enter().catch((error: unknown) => error);
		expect(refusal).toBeInstanceOf(BotRequestError);
		expect((refusal as BotRequestError).reason).toBe('server-full');
		expect(s.concerto.rooms.get(fixture.meetingId)!.peerCount).toBe(2);
		for (const fps of await videoFps([a, b])) expect(fps).toBeGreaterThan(10);
	});

	it('under CPU pressure forwards a lower layer first, and gives it back when the pressure is gone', async () => {
		const { stack: s, fixture } = await setUp();
		const a = await joined(await botFor(s, fixture, 'a', true));
		const b = await joined(await botFor(s, fixture, 'b'));
		await until(() => a.consumers.size === 2 && b.consumers.size === 2);
		const [consumerId] = [...b.consumers.values()].filter((c) => c.kind === 'video').map((c) => c.consumerId);
		await b.request('consumer:set-layers', { consumerId, spatialLayer: 2 });
		const serverConsumer = () => s.concerto.rooms.get(fixture.meetingId)!.peer(b.peerId!).consumer(consumerId);
		await until(() => serverConsumer().currentLayers?.spatialLayer === 2);

		// The worker reads as 95 % busy, then idle: a fake clock of CPU time.
		const pressure = s.concerto.rooms.pressure!;
		let cpuMs = 0;
		let now = performance.now();
		const tick = (share: number) => {
			cpuMs += share * 1000;
			now += 1000;
			return pressure.tick(now, async () => cpuMs);
		};
		await tick(0);
		await tick(0.95);
		await tick(0.95);
		await until(() => serverConsumer().preferredLayers?.spatialLayer === 1);
		await until(() => serverConsumer().currentLayers?.spatialLayer === 1);
		for (const fps of await videoFps([a, b])) expect(fps).toBeGreaterThan(10);
		for (const share of [0.2, 0.2, 0.2]) await tick(share);
		await until(() => serverConsumer().preferredLayers?.spatialLayer === 2);
	});
});

describe('misbehaving clients cost the node nothing lasting', () => {
	it('a client that never connects its transports and then vanishes is removed with its transports after the grace delay', async () => {
		const { stack: s, fixture } = await setUp();
		const a = await joined(await botFor(s, fixture, 'a', true));
		const socket = await rawClient(s, fixture, 'ghost');
		const join = await request(socket, 'room:join', { meetingId: fixture.meetingId });
		expect(join.status).toBe('joined');
		await request(socket, 'transport:create', { direction: 'send' });
		await request(socket, 'transport:create', { direction: 'recv' });
		const room = s.concerto.rooms.get(fixture.meetingId)!;
		expect(room.peerCount).toBe(2);
		socket.disconnect();
		await wait(GRACE_MS + 500);
		expect(room.peerCount).toBe(1);
		expect(room.peers().flatMap((peer) => [...peer.transports.values()])).toHaveLength(2);
		expect(a.state).toBe('joined');
	});

	it('a client that floods requests is slowed down, and the others keep their media', async () => {
		const { stack: s, fixture } = await setUp();
		const a = await joined(await botFor(s, fixture, 'a', true));
		const b = await joined(await botFor(s, fixture, 'b'));
		await until(() => a.consumers.size === 2 && b.consumers.size === 2);
		const flood = await joined(await botFor(s, fixture, 'flood'));
		await until(() => flood.consumers.size === 4);
		const answers = await Promise.all(
			Array.from({ length: 1500 }, (_, i) => flood.request(i % 2 ? 'hand:raise' : 'hand:lower', {}).then(() => 'ok', (e: BotRequestError) => e.reason))
		);
		expect(answers.filter((r) => r === 'rate-limited').length).toBeGreaterThan(500);
		expect(answers.every((r) => r === 'ok' || r === 'rate-limited')).toBe(true);
		for (const fps of await videoFps([a, b])) expect(fps).toBeGreaterThan(10);
		// Another participant's requests still go through at once.
		await expect(a.request('chat:send', { text: 'Toujours là.' })).resolves.toMatchObject({ text: 'Toujours là.' });
	});

	it('a client that leaves in the middle of the handshake leaves nothing once the grace delay is over', async () => {
		const { stack: s, fixture } = await setUp();
		const a = await joined(await botFor(s, fixture, 'a', true));
		await until(() => s.concerto.rooms.get(fixture.meetingId)!.load.producers === 2);
		const socket = await rawClient(s, fixture, 'quitter');
		await request(socket, 'room:join', { meetingId: fixture.meetingId });
		// Transports and consumers asked for, and gone before the answers arrive.
		const producers = s.concerto.rooms.get(fixture.meetingId)!.peers().flatMap((peer) => [...peer.producers.keys()]);
		socket.emit('transport:create', { direction: 'recv' }, () => {});
		for (const producerId of producers) socket.emit('consumer:create', { producerId, rtpCapabilities: s.concerto.runtime.sfu.rtpCapabilities as never }, () => {});
		socket.disconnect();
		await wait(GRACE_MS + 500);
		const room = s.concerto.rooms.get(fixture.meetingId)!;
		expect(room.peerCount).toBe(1);
		expect(room.peers()[0].transports.size).toBe(2);
		expect(s.concerto.rooms.consumerCount).toBe(0);
		expect(a.state).toBe('joined');
	});
});
