/**
 * The composition root: everything long-lived in a Concerto process is created here,
 * once, in this order — database, mediasoup workers, metrics, Socket.IO on the given HTTP
 * server, rooms, the metrics endpoint — and closed in the reverse order.
 * `server/index.ts` (production) and the Vite plugin of `npm run dev` both call
 * `startConcerto`.
 */
import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { Server as SocketServer } from 'socket.io';
import type { Config } from '../src/lib/server/config.ts';
import { configuredStorage } from '../src/lib/server/database-storage.ts';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/index.ts';
import type { Logger } from '../src/lib/server/logger.ts';
import { setRuntime, type Runtime } from '../src/lib/server/runtime.ts';
import { createMetrics, serveMetrics, type ConcertoMetrics } from './metrics/index.ts';
import { singleNode, startCluster, type Cluster } from './cluster/index.ts';
import { attachRoomSignaling, roomEventsFor, type SignalingServer } from './signaling/room-signaling.ts';
import { iceServersFor } from './sfu/ice-servers.ts';
import { ProbeService } from './sfu/probes.ts';
import { MEDIA_CODECS, type TransportSettings } from './sfu/room.ts';
import { RoomRegistry } from './sfu/rooms.ts';
import { WorkerPool } from './sfu/workers.ts';
import { isSameOrigin } from './origin.ts';
import { clock, setClock, type Clock } from '../src/lib/clock.ts';

export interface Concerto {
	runtime: Runtime;
	io: SignalingServer;
	/** The rooms this node hosts (tests look inside). */
	rooms: RoomRegistry;
	/** This instance's Prometheus registry and counters. */
	metrics: ConcertoMetrics;
	/** This node among the others (a single node: `nodeId` null). */
	cluster: Cluster;
	/**
	 * Stops taking meetings and moves those it hosts to other nodes (their participants
	 * reconnect there), or ends them when no other node can take them. `close` follows.
	 */
	drain(): Promise<void>;
	/** Ends rooms, disconnects clients, stops the workers and closes the database. */
	close(): Promise<void>;
}

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface StartOptions {
	config: Config;
	logger: Logger;
	httpServer: HttpServer;
	/** Leave WebSocket upgrades for other paths alone (Vite's HMR socket in dev). */
	shareUpgrades?: boolean;
	/** The process's clock (tests set one); the system clock otherwise. */
	clock?: Clock;
}

export async function startConcerto(options: StartOptions): Promise<Concerto> {
	const { config, logger, httpServer } = options;
	const started: { close(): unknown }[] = [];
	if (options.clock) {
		setClock(options.clock);
		started.push({ close: () => setClock(undefined) });
	}
	try {
		const database = await openDatabase(config.database);
		started.push(database);
		logger.info({ kind: database.kind }, 'database ready (migrations applied)');
		const storage = configuredStorage(config, database.db);
		logger.info({ attachmentStorage: config.attachmentStorage }, 'attachment storage ready');

		const workers = await WorkerPool.start(
			{ numWorkers: config.mediasoup.numWorkers, logLevel: config.mediasoup.logLevel },
			logger
		);
		started.push(workers);

		const metrics = createMetrics();
		started.push(metrics);

		const cluster = config.cluster
			? await startCluster({ redisUrl: config.cluster.redisUrl, nodeId: config.cluster.nodeId, logger, onEvent: (event) => metrics.clusterEvent(event) })
			: singleNode();
		started.push(cluster);
		if (config.cluster) logger.info({ node: config.cluster.nodeId }, 'cluster mode: Redis connected');

		const io: SignalingServer = new SocketServer(httpServer, {
			serveClient: false,
			adapter: cluster.adapter,
			destroyUpgrade: !options.shareUpgrades,
			pingInterval: config.socket.pingIntervalMs,
			pingTimeout: config.socket.pingTimeoutMs,
			// Refuse cross-site connections (a page elsewhere driving a signed-in browser).
			allowRequest: (req, callback) => {
				const sameOrigin = isSameOrigin(req, config.publicOrigin);
				if (!sameOrigin) metrics.signaling.refused('cross-origin');
				callback(null, sameOrigin);
			}
		});
		started.push(io);

		const transportSettings: TransportSettings = {
			...config.mediasoup,
			iceServers: (participantKey) => iceServersFor(config.turn, participantKey),
			iceTransportPolicy: config.turn.policy
		};
		const rooms = new RoomRegistry({
			workers,
			settings: transportSettings,
			maxPeers: config.rooms.maxPeers,
			maxPeersPerRouter: config.rooms.maxPeersPerRouter,
			events: roomEventsFor(io),
			logger,
			capacity: config.capacity
		});
		metrics.observeSfu(rooms, workers, () => io.engine.clientsCount);
		const probes = new ProbeService(workers, transportSettings);
		const signaling = attachRoomSignaling(io, {
			rooms,
			probes,
			db: database.db,
			logger,
			identity: { authSecret: config.authSecret, secureCookie: config.publicOrigin.startsWith('https:') },
			rejoinGraceMs: config.rooms.rejoinGraceMs,
			monitor: metrics.signaling,
			cluster
		});
		// Put out from another node (an HTTP action served there): act on the rooms of this one.
		io.on('concerto:end-room', (meetingId) => void signaling.endRoom(meetingId, 'ended').catch((error) => logger.error({ err: error }, 'ending a room failed')));
		io.on('concerto:expel', (participantKey) => void signaling.expel(participantKey).catch((error) => logger.error({ err: error }, 'expelling failed')));
		const everywhere = (event: 'concerto:end-room' | 'concerto:expel', value: string) => {
			if (!config.cluster) return;
			if (event === 'concerto:end-room') io.serverSideEmit(event, value);
			else io.serverSideEmit(event, value);
		};
		cluster.start({
			load: () => ({
				consumers: rooms.consumerCount,
				capacity: rooms.maxConsumers,
				rooms: rooms.size,
				cpuHigh: rooms.pressure?.capped() ?? false,
				sockets: io.engine.clientsCount
			}),
			hosted: () => rooms.ids(),
			lost: (meetingId, holder) => void signaling.relocate(meetingId, holder).catch((error) => logger.error({ err: error }, 'moving a meeting failed')),
			reconnected: () => void signaling.revalidate().catch((error) => logger.error({ err: error }, 're-checking the participants failed'))
		});
		const metricsEndpoint = await serveMetrics(metrics, httpServer, config.metrics, logger);
		started.push(metricsEndpoint);

		let draining = false;
		const runtime: Runtime = {
			config,
			logger,
			database,
			storage,
			sfu: {
				workers: () => workers.status(),
				rooms: () => rooms.size,
				rtpCapabilities: await routerCapabilities(workers),
				endRoom: async (meetingId) => {
					everywhere('concerto:end-room', meetingId);
					await signaling.endRoom(meetingId, 'ended');
				},
				expel: async (participantKey) => {
					everywhere('concerto:expel', participantKey);
					await signaling.expel(participantKey);
				},
				node: cluster.nodeId,
				draining: () => draining,
				where: (meetingId) => cluster.where(meetingId)
			},
			startedAt: clock.now(),
			version: VERSION
		};
		setRuntime(runtime);

		return {
			runtime,
			io,
			rooms,
			metrics,
			cluster,
			drain: async () => {
				draining = true;
				await cluster.drain();
				await signaling.drain();
			},
			close: async () => {
				setRuntime(undefined);
				await metricsEndpoint.close();
				await rooms.closeAll('server-shutdown');
				await closeSocketServer(io);
				await cluster.close();
				metrics.close();
				workers.close();
				await database.close();
				if (options.clock) setClock(undefined);
			}
		};
	} catch (error) {
		for (const component of started.reverse()) await component.close();
		throw error;
	}
}

/** The capabilities every room's router has (same codecs), read once from a throwaway router. */
async function routerCapabilities(workers: WorkerPool): Promise<unknown> {
	const router = await workers.leastLoaded().createRouter({ mediaCodecs: MEDIA_CODECS });
	const capabilities = router.rtpCapabilities;
	router.close();
	return capabilities;
}

/** Disconnects every client without closing the HTTP server, which its owner closes. */
async function closeSocketServer(io: SignalingServer): Promise<void> {
	// This node's connections only: through the adapter it would reach every node's.
	io.local.disconnectSockets(true);
	io.engine.close();
}
