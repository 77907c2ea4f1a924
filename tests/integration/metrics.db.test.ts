/**
 * The Prometheus endpoint of a real Concerto stack: refused without its token, served
 * with it in the text format, and what it says about rooms, participants, refused joins
 * and connections, workers and HTTP responses as clients use the room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../helpers/database.ts';
import { createMeetingFixture, type MeetingFixture } from '../helpers/meeting-fixture.ts';
import { send, startTestStack, type Client, type TestStack } from '../helpers/stack.ts';

const TOKEN = 'metrics-token-for-the-integration-test';

let stack: TestStack;
let fixture: MeetingFixture;

beforeAll(async () => {
	stack = await startTestStack({ METRICS_TOKEN: TOKEN, MEDIASOUP_NUM_WORKERS: '2', ROOM_MAX_PEERS: '2' });
	fixture = await createMeetingFixture(stack.concerto.runtime.database.db);
});

afterAll(() => stack?.close());

/** One scrape, as Prometheus makes it. */
async function scrape(): Promise<string> {
	const answer = await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
	expect(answer.status).toBe(200);
	return answer.text();
}

/** The value of the series `name` whose labels include `labels` (undefined when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
	for (const line of text.split('\n')) {
		const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (!match || match[1] !== name) continue;
		const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
		if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
	}
	return undefined;
}

const as = async (person: keyof MeetingFixture['people']) => stack.client({ cookie: await stack.sessionCookie(fixture.people[person].id) });
const join = (socket: Client, meetingId = fixture.meetingId) => send(socket, 'room:join', { meetingId });

describe(`metrics endpoint (${testDatabaseKind})`, () => {
	it('refuses a scrape without the token, or with another one', async () => {
		const bare = await fetch(`${stack.url}/metrics`);
		expect(bare.status).toBe(401);
		expect(await bare.text()).not.toContain('concerto_');
		expect((await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN.replace('m', 'M')}` } })).status).toBe(401);
		// What was refused is counted, as every response of the main port.
		expect(sample(await scrape(), 'concerto_http_responses_total', { status_class: '4xx' })).toBeGreaterThanOrEqual(2);
	});

	it('serves the Prometheus text format with Node’s own metrics', async () => {
		const answer = await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
		expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		const text = await answer.text();
		expect(text).toContain('# TYPE concerto_rooms gauge');
		expect(text).toContain('# TYPE concerto_worker_cpu_seconds_total counter');
		expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
		expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
	});

	it('counts the rooms, participants, transports and tracks of this node', async () => {
		expect(sample(await scrape(), 'concerto_rooms')).toBe(0);
		let member = await as('member');
		const joined = await join(member);
		expect(joined.data.status).toBe('joined');
		const transport = await send(member, 'transport:create', { direction: 'send' });
		const produced = await send(member, 'producer:create', {
			transportId: transport.data.id,
			kind: 'audio',
			rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 11111111 }] },
			source: 'microphone'
		});
		expect(produced.ok).toBe(true);

		const during = await scrape();
		expect(sample(during, 'concerto_rooms')).toBe(1);
		expect(sample(during, 'concerto_peers', { state: 'connected' })).toBe(1);
		expect(sample(during, 'concerto_peers', { state: 'reconnecting' })).toBe(0);
		expect(sample(during, 'concerto_transports')).toBe(1);
		expect(sample(during, 'concerto_producers', { kind: 'audio' })).toBe(1);
		expect(sample(during, 'concerto_producers', { kind: 'video' })).toBe(0);
		// No RTP was sent: the producer's stats were read, and nothing was received or lost.
		expect(sample(during, 'concerto_inbound_rtp_packets_total', { kind: 'audio' })).toBe(0);
		expect(sample(during, 'concerto_inbound_rtp_packets_lost_total', { kind: 'audio' })).toBe(0);
		expect(sample(during, 'concerto_socket_requests_total', { event: 'producer:create' })).toBe(1);

		// The connection breaks: the participant waits to reconnect, then comes back.
		member.disconnect();
		await expect.poll(async () => sample(await scrape(), 'concerto_peers', { state: 'reconnecting' })).toBe(1);
		expect(sample(await scrape(), 'concerto_peers', { state: 'connected' })).toBe(0);
		member = await as('member');
		const rejoin = { peerId: joined.data.peerId, secret: joined.data.rejoinSecret };
		expect((await send(member, 'room:join', { meetingId: fixture.meetingId, rejoin })).data.resumed).toBe(true);
		expect(sample(await scrape(), 'concerto_peers', { state: 'connected' })).toBe(1);
		expect(sample(await scrape(), 'concerto_peers', { state: 'reconnecting' })).toBe(0);

		await send(member, 'room:leave', {});
		const after = await scrape();
		expect(sample(after, 'concerto_rooms')).toBe(0);
		expect(sample(after, 'concerto_peers', { state: 'connected' })).toBe(0);
	});

	it('counts refused joins by reason, and the failed requests by event and reason', async () => {
		const before = await scrape();
		const reasons = ['forbidden', 'meeting-closed', 'room-full'];
		const count = (text: string) => Object.fromEntries(reasons.map((reason) => [reason, sample(text, 'concerto_room_join_failures_total', { reason })]));
		expect(count(before)).toEqual({ forbidden: 0, 'meeting-closed': 0, 'room-full': 0 });

		expect((await join(await as('nonMember'))).error.reason).toBe('forbidden');
		expect((await join(await as('member'), fixture.closedMeetingId)).error.reason).toBe('meeting-closed');
		const coordinator = await as('coordinator');
		const secretary = await as('secretary');
		expect((await join(coordinator)).data.status).toBe('joined');
		expect((await join(secretary)).data.status).toBe('joined');
		expect((await join(await as('admin'))).error.reason).toBe('room-full');
		expect((await send(secretary, 'moderate:mute', { peerId: 'nobody' })).error.reason).toBe('not-found');

		const after = await scrape();
		expect(count(after)).toEqual({ forbidden: 1, 'meeting-closed': 1, 'room-full': 1 });
		expect(sample(after, 'concerto_socket_request_failures_total', { event: 'room:join', reason: 'room-full' })).toBe(1);
		expect(sample(after, 'concerto_socket_request_failures_total', { event: 'moderate:mute', reason: 'not-found' })).toBe(1);
		expect(sample(after, 'concerto_socket_requests_total', { event: 'room:join' })).toBe((sample(before, 'concerto_socket_requests_total', { event: 'room:join' }) ?? 0) + 5);
		await Promise.all([send(coordinator, 'room:leave', {}), send(secretary, 'room:leave', {})]);
	});

	it('counts connections refused at the handshake, by reason', async () => {
		const reasons = (text: string) => ({
			unauthorized: sample(text, 'concerto_socket_connections_refused_total', { reason: 'unauthorized' }),
			'cross-origin': sample(text, 'concerto_socket_connections_refused_total', { reason: 'cross-origin' })
		});
		const before = reasons(await scrape());
		await expect(stack.client()).rejects.toThrow('unauthorized');
		await expect(stack.client({ cookie: await stack.sessionCookie(fixture.people.member.id), origin: 'https://evil.example' })).rejects.toThrow();
		expect(reasons(await scrape())).toEqual({ unauthorized: (before.unauthorized ?? 0) + 1, 'cross-origin': (before['cross-origin'] ?? 0) + 1 });
	});

	it('gives the CPU time of each mediasoup worker, and how many are alive', async () => {
		const text = await scrape();
		const workers = stack.concerto.runtime.sfu.workers();
		expect(workers).toHaveLength(2);
		workers.forEach(({ pid }, slot) => {
			expect(sample(text, 'concerto_worker_cpu_seconds_total', { worker: String(slot), pid: String(pid) })).toBeGreaterThan(0);
		});
		expect(sample(text, 'concerto_workers', { state: 'alive' })).toBe(2);
		expect(sample(text, 'concerto_workers', { state: 'dead' })).toBe(0);
		expect(sample(text, 'concerto_worker_deaths_total')).toBe(0);
	});
});
