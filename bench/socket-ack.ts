/**
 * Socket.IO request-acknowledgement round trip on loopback, p50/p99, side by side with a
 * raw `ws` echo in the same run.
 *
 * Both servers and both clients live in this process, on 127.0.0.1 ephemeral ports. The
 * Socket.IO client is forced onto its WebSocket transport, and in Node that transport is
 * the same `ws` library as the baseline: the ratio is what Socket.IO's packet format,
 * acknowledgement bookkeeping and engine.io layer add to one signaling request. The ws
 * side does the JSON work a minimal request/response protocol needs (encode, decode, a
 * request id) so that the comparison is not against a bare byte echo.
 *
 * Usage: node bench/socket-ack.ts [--n 5000]   (or BENCH_N=5000)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { WebSocket, WebSocketServer } from 'ws';
import { summarize, summaryTable } from './lib/stats.ts';

const WARM_UP_ROUND_TRIPS = 500;
/** Measurement alternates between the transports in this many blocks, so that machine noise hits both. */
const BLOCKS = 10;

/** A `transport:connect` request as the browser sends it: a transport id and DTLS parameters (~200 bytes). */
const REQUEST = {
	transportId: '6f1c2b7e-3d4a-4f5b-9c8d-2e1f0a9b8c7d',
	dtlsParameters: {
		role: 'client',
		fingerprints: [
			{
				algorithm: 'sha-256',
				value: 'A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90'
			}
		]
	}
};
type EchoRequest = typeof REQUEST;

/** The one event of the Socket.IO side: the server acknowledges with the payload it received. */
interface EchoEvents {
	echo(payload: EchoRequest, ack: (reply: EchoRequest) => void): void;
}

/** One request sent and its answer received; resolves with the answer. */
type RoundTrip = () => Promise<EchoRequest>;

interface Transport {
	name: string;
	roundTrip: RoundTrip;
	close(): Promise<void>;
}

async function startSocketIo(): Promise<Transport> {
	const httpServer = createServer();
	const server = new Server<EchoEvents>(httpServer, { serveClient: false });
	server.on('connection', (socket) => socket.on('echo', (payload, ack) => ack(payload)));
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const { port } = httpServer.address() as AddressInfo;

	const client: Socket<Record<string, never>, EchoEvents> = connect(`http://127.0.0.1:${port}`, {
		transports: ['websocket'],
		forceNew: true
	});
	await new Promise<void>((resolve, reject) => {
		client.once('connect', resolve);
		client.once('connect_error', reject);
	});

	return {
		name: 'socket.io',
		roundTrip: () => client.emitWithAck('echo', REQUEST),
		close: async () => {
			client.disconnect();
			// Also closes the HTTP server it is attached to.
			await server.close();
		}
	};
}

async function startWs(): Promise<Transport> {
	const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
	server.on('connection', (socket) =>
		socket.on('message', (data) => {
			const request = JSON.parse(data.toString()) as { id: number; payload: EchoRequest };
			socket.send(JSON.stringify({ id: request.id, payload: request.payload }));
		})
	);
	await new Promise<void>((resolve) => server.once('listening', resolve));
	const { port } = server.address() as AddressInfo;

	const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
	await new Promise<void>((resolve, reject) => {
		client.once('open', resolve);
		client.once('error', reject);
	});

	// Requests are sequential: at most one is waiting for its answer.
	let nextId = 0;
	let pending: { id: number; resolve(reply: EchoRequest): void } | undefined;
	client.on('message', (data) => {
		const reply = JSON.parse(data.toString()) as { id: number; payload: EchoRequest };
		if (reply.id !== pending?.id) throw new Error(`ws echo: answer ${reply.id} matches no pending request`);
		pending.resolve(reply.payload);
	});

	return {
		name: 'ws',
		roundTrip: () =>
			new Promise((resolve) => {
				pending = { id: ++nextId, resolve };
				client.send(JSON.stringify({ id: pending.id, payload: REQUEST }));
			}),
		close: async () => {
			await new Promise<void>((resolve) => {
				client.once('close', () => resolve());
				client.close();
			});
			await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		}
	};
}

/** Runs `count` sequential round trips and appends their durations, in microseconds, to `samples`. */
async function measure(roundTrip: RoundTrip, count: number, samples: number[]): Promise<void> {
	for (let i = 0; i < count; i++) {
		const start = performance.now();
		await roundTrip();
		samples.push((performance.now() - start) * 1000);
	}
}

function requestedRoundTrips(): number {
	const { values } = parseArgs({ options: { n: { type: 'string' } } });
	const raw = values.n ?? process.env.BENCH_N ?? '5000';
	const n = Number(raw);
	if (!Number.isInteger(n) || n < BLOCKS) throw new Error(`--n / BENCH_N: expected an integer ≥ ${BLOCKS}, got "${raw}"`);
	return n;
}

const n = requestedRoundTrips();
const transports = [await startSocketIo(), await startWs()];
const samples = new Map(transports.map((transport) => [transport, [] as number[]]));

for (const transport of transports) {
	const reply = await transport.roundTrip();
	if (reply.transportId !== REQUEST.transportId) throw new Error(`${transport.name}: the echo changed the payload`);
	await measure(transport.roundTrip, WARM_UP_ROUND_TRIPS, []);
}

for (let block = 0; block < BLOCKS; block++) {
	// The last block takes the remainder; the order flips every block so neither side always goes first.
	const count = block < BLOCKS - 1 ? Math.floor(n / BLOCKS) : n - Math.floor(n / BLOCKS) * (BLOCKS - 1);
	const order = block % 2 === 0 ? transports : [...transports].reverse();
	for (const transport of order) await measure(transport.roundTrip, count, samples.get(transport)!);
}

for (const transport of transports) await transport.close();

const [socketIo, ws] = transports.map((transport) => summarize(samples.get(transport)!));
console.log(
	`Request-acknowledgement round trip on 127.0.0.1: ${n} sequential requests per transport in ${BLOCKS} ` +
		`interleaved blocks, ${JSON.stringify(REQUEST).length}-byte JSON payload, after ${WARM_UP_ROUND_TRIPS} warm-up round trips each.\n`
);
console.log(
	summaryTable(
		[
			{ label: 'socket.io', summary: socketIo },
			{ label: 'ws', summary: ws }
		],
		{ label: 'transport', statistics: ['n', 'p50', 'p90', 'p99', 'max'], unit: 'µs', decimals: 1 }
	)
);
console.log(`\nsocket.io / ws: p50 ×${(socketIo.p50 / ws.p50).toFixed(2)}, p99 ×${(socketIo.p99 / ws.p99).toFixed(2)}`);
