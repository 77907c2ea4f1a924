/**
 * The registry against a real Redis (REDIS_URL, default redis://127.0.0.1:6379): every
 * test uses a key prefix of its own, so runs never see each other's nodes.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRegistry, connectionName, MEETING_CONSUMERS, type NodeLoad, type RedisLike } from './registry.ts';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createClient({ url });
const fast = { heartbeatTtlMs: 300, leaseTtlMs: 500 };

beforeAll(async () => {
	await redis.connect();
});
afterAll(async () => {
	await redis.quit();
});

const idle: Omit<NodeLoad, 'id'> = { consumers: 0, capacity: 3200, rooms: 0, cpuHigh: false, draining: false, sockets: 0 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cluster(...ids: string[]) {
	const prefix = `test:${randomUUID()}:`;
	return ids.map((id) => new ClusterRegistry(redis as unknown as RedisLike, id, { prefix, timings: fast }));
}

describe('ClusterRegistry', () => {
	it('places a meeting once: whichever node asks next gets the same host', async () => {
		const [a, b] = cluster('a', 'b');
		await a.heartbeat(idle);
		await b.heartbeat({ ...idle, consumers: 1000 });
		const meeting = randomUUID();
		expect(await b.place(meeting)).toEqual({ node: 'a', how: 'placed' });
		expect(await a.place(meeting)).toEqual({ node: 'a', how: 'held' });
		expect(await b.holderOf(meeting)).toBe('a');
	});

	it('spreads meetings placed at the same moment over the nodes, before their rooms fill', async () => {
		const [a, b] = cluster('a', 'b');
		await a.heartbeat(idle);
		await b.heartbeat(idle);
		const placements = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).place(randomUUID())));
		const onA = placements.filter((p) => p.node === 'a').length;
		expect(onA).toBe(5);
	});

	it('never chooses a draining or a full node, and says full when no node can take one more meeting', async () => {
		const [a, b, c] = cluster('a', 'b', 'c');
		await a.heartbeat({ ...idle, draining: true });
		await b.heartbeat({ ...idle, consumers: 3200 - MEETING_CONSUMERS + 1 });
		await c.heartbeat(idle);
		expect((await a.place(randomUUID())).node).toBe('c');
		await c.heartbeat({ ...idle, consumers: 3200 });
		expect(await a.place(randomUUID())).toEqual({ node: null, how: 'full' });
	});

	it('prefers a node without CPU pressure, but uses one under pressure rather than refusing', async () => {
		const [a, b] = cluster('a', 'b');
		await a.heartbeat({ ...idle, cpuHigh: true });
		await b.heartbeat({ ...idle, consumers: 2000 });
		expect((await a.place(randomUUID())).node).toBe('b');
		await b.heartbeat({ ...idle, consumers: 3200 });
		expect((await b.place(randomUUID())).node).toBe('a');
	});

	it('gives a dead node’s meeting to a live one (taken over), and the host renews its lease while alive', async () => {
		const [a, b] = cluster('a', 'b');
		await a.heartbeat(idle);
		await b.heartbeat({ ...idle, consumers: 500 });
		const meeting = randomUUID();
		expect((await b.place(meeting)).node).toBe('a');
		// a keeps beating and renewing: the meeting stays there past the lease's first expiry.
		for (let i = 0; i < 4; i++) {
			await sleep(200);
			await a.heartbeat(idle);
			await b.heartbeat({ ...idle, consumers: 500 });
			expect(await a.renew([meeting])).toEqual(new Map());
		}
		expect(await b.place(meeting)).toEqual({ node: 'a', how: 'held' });
		// a stops beating (killed): once its heartbeat expires, b takes the meeting.
		await sleep(fast.heartbeatTtlMs + 50);
		await b.heartbeat({ ...idle, consumers: 500 });
		expect(await b.place(meeting)).toEqual({ node: 'b', how: 'taken-over' });
		expect((await b.nodes()).map((n) => n.id)).toEqual(['b']);
		// a comes back and renews: it learns that b holds the meeting now.
		await a.heartbeat(idle);
		expect(await a.renew([meeting])).toEqual(new Map([[meeting, 'b']]));
	});

	it('hands a meeting to another node when its host drains, and to nobody when it is alone', async () => {
		const [a, b] = cluster('a', 'b');
		await a.heartbeat(idle);
		const meeting = randomUUID();
		expect((await a.place(meeting)).node).toBe('a');
		expect(await a.moveAway(meeting)).toEqual({ node: null, how: 'full' });
		await b.heartbeat(idle);
		await a.heartbeat({ ...idle, draining: true });
		expect(await a.moveAway(meeting)).toEqual({ node: 'b', how: 'taken-over' });
		expect(await a.holderOf(meeting)).toBe('b');
	});

	it('rebuilds itself after Redis lost everything: heartbeats and renewals put the leases back', async () => {
		const [a, b] = cluster('a', 'b');
		await a.heartbeat(idle);
		await b.heartbeat(idle);
		const meeting = randomUUID();
		const host = (await a.place(meeting)).node!;
		const hostRegistry = host === 'a' ? a : b;
		// What a Redis restart without persistence does to the lease.
		await redis.del(await redis.keys(`test:*:meeting:${meeting}`));
		expect(await a.holderOf(meeting)).toBeNull();
		expect(await hostRegistry.renew([meeting])).toEqual(new Map());
		expect(await a.holderOf(meeting)).toBe(host);
	});

	it('takes a meeting over within about a second when its host’s Redis connections close (a killed process), not when its heartbeat expires', async () => {
		const prefix = `test:${randomUUID()}:`;
		const slow = { heartbeatTtlMs: 30_000, leaseTtlMs: 30_000 };
		const own = (id: string) => createClient({ url, name: connectionName(prefix, id) });
		const [aClient, bClient] = [own('a'), own('b')];
		await Promise.all([aClient.connect(), bClient.connect()]);
		const a = new ClusterRegistry(aClient as unknown as RedisLike, 'a', { prefix, timings: slow });
		const b = new ClusterRegistry(bClient as unknown as RedisLike, 'b', { prefix, timings: slow });
		await a.heartbeat(idle);
		await b.heartbeat({ ...idle, consumers: 500 });
		const meeting = randomUUID();
		expect((await b.place(meeting)).node).toBe('a');
		// Alive and connected, a keeps its meeting even without a fresh heartbeat.
		await sleep(1_100);
		expect(await b.place(meeting)).toEqual({ node: 'a', how: 'held' });
		// a's process dies: its connection closes; b takes over at its next placement.
		aClient.destroy();
		expect(await b.place(meeting)).toEqual({ node: 'b', how: 'taken-over' });
		await bClient.quit();
	});

	it('forgets a released lease: the meeting is placed afresh', async () => {
		const [a] = cluster('a');
		await a.heartbeat(idle);
		const meeting = randomUUID();
		await a.place(meeting);
		await a.release([meeting]);
		expect(await a.holderOf(meeting)).toBeNull();
	});
});
