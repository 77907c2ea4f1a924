/**
 * A presenter command applied by 50 connected clients: the presenter turns a page
 * (`doc:show`), the server checks and stores it and every participant's Socket.IO client
 * receives `live:changed`. Side by side, in the same run, a raw `ws` server relaying the
 * same message to 50 clients (no checks, no database: the floor).
 *
 * Usage: node bench/presenter-fanout.ts [--commands 200]
 * (DATABASE_URL set: the meeting's state is stored on that PostgreSQL server.)
 *
 * Figures: per client, the time from the presenter's send to that client's receipt; p50
 * and p95 over all clients and commands, and the time until the last client received.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { setMembership } from '../src/lib/server/boards.ts';
import { caseAttachments, users } from '../src/lib/server/db/schema.ts';
import { testDatabaseKind } from '../tests/helpers/database.ts';
import { addCase, createMeetingFixture } from '../tests/helpers/meeting-fixture.ts';
import { joinMeeting, send, startTestStack, type Client } from '../tests/helpers/stack.ts';
import { summarize, summaryTable } from './lib/stats.ts';

const CLIENTS = 50;
const commandsArg = process.argv.indexOf('--commands');
const COMMANDS = Math.max(20, Number(commandsArg > 0 ? process.argv[commandsArg + 1] : 200));

/** One command's receipt times, relative to its send, for each listening client. */
async function measure(sendCommand: (i: number) => void, listeners: ((onMessage: () => void) => void)[]) {
	const perClient: number[] = [];
	const lastOfEach: number[] = [];
	for (let i = 0; i < COMMANDS; i++) {
		const start = performance.now();
		const received = listeners.map((listen) => new Promise<number>((resolve) => listen(() => resolve(performance.now() - start))));
		sendCommand(i);
		const times = await Promise.all(received);
		perClient.push(...times);
		lastOfEach.push(Math.max(...times));
	}
	return { perClient, lastOfEach };
}

// --- Concerto: a real stack, a meeting with 51 participants, the presenter turning pages.
const stack = await startTestStack({ MEDIASOUP_NUM_WORKERS: '1', ROOM_MAX_PEERS: '100' });
const db = stack.concerto.runtime.database.db;
const fixture = await createMeetingFixture(db);
const row = await addCase(db, fixture, { position: 1 });
const [attachment] = await db
	.insert(caseAttachments)
	.values({ caseId: row.id, fileName: 'ct.pdf', mediaType: 'application/pdf', sizeBytes: 1, sha256: 'x', storageKey: 'k', uploadedBy: fixture.people.member.id })
	.returning();

const join = (userId: string): Promise<Client> => joinMeeting(stack, userId, fixture.meetingId);
const chair = await join(fixture.people.coordinator.id);
const presenter = await join(fixture.people.member.id);
const audience: Client[] = [];
for (let i = 0; i < CLIENTS; i++) {
	const [user] = await db.insert(users).values({ givenName: `P${i}`, familyName: 'Bench', email: `p${i}.${Date.now()}@bench.test` }).returning();
	await setMembership(db, fixture.boardId, user.id, 'member', { userId: fixture.people.admin.id, address: null });
	audience.push(await join(user.id));
}
await send(chair, 'case:open', { caseId: row.id });

const view = (page: number) => ({ attachmentId: attachment.id, page, zoom: 1, center: { x: 0.5, y: 0.5 }, annotations: [] });
const concerto = await measure(
	(i) => void send(presenter, 'doc:show', { view: view((i % 50) + 1) }),
	audience.map((socket) => (done) => socket.once('live:changed', () => done()))
);
await stack.close();

// --- The floor: a ws server relaying each message to every other client.
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await once(server, 'listening');
server.on('connection', (ws) => ws.on('message', (data) => {
	for (const client of server.clients) if (client !== ws && client.readyState === WebSocket.OPEN) client.send(data);
}));
const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
const open = async () => {
	const ws = new WebSocket(url);
	await once(ws, 'open');
	return ws;
};
const sender = await open();
const receivers = await Promise.all(Array.from({ length: CLIENTS }, open));
const floor = await measure(
	(i) => sender.send(JSON.stringify({ view: view((i % 50) + 1) })),
	receivers.map((ws) => (done) => ws.once('message', () => done()))
);
for (const ws of [sender, ...receivers]) ws.close();
server.close();

console.log(
	`A presenter command reaching ${CLIENTS} clients: ${COMMANDS} commands, one at a time, on 127.0.0.1 ` +
		`(Concerto: checked, stored on ${testDatabaseKind}, broadcast by Socket.IO; floor: a raw ws relay).\n`
);
const statistics = ['n', 'p50', 'p95', 'max'] as const;
console.log(
	summaryTable(
		[
			{ label: 'concerto, each client', summary: summarize(concerto.perClient) },
			{ label: 'ws relay, each client', summary: summarize(floor.perClient) },
			{ label: 'concerto, last client', summary: summarize(concerto.lastOfEach) },
			{ label: 'ws relay, last client', summary: summarize(floor.lastOfEach) }
		],
		{ label: 'path', statistics, unit: 'ms', decimals: 2 }
	)
);
const a = summarize(concerto.perClient);
const b = summarize(floor.perClient);
console.log(`\nconcerto / ws relay (each client): p50 ×${(a.p50 / b.p50).toFixed(1)}, p95 ×${(a.p95 / b.p95).toFixed(1)}`);
process.exit(0);
