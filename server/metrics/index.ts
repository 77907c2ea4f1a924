/**
 * Concerto's Prometheus metrics (prom-client). Each Concerto instance has a registry of
 * its own (tests run several in one process), holding:
 * - Node's default metrics, with their usual names (`process_cpu_seconds_total`,
 *   `process_resident_memory_bytes`, `nodejs_eventloop_lag_p99_seconds`, …), so that
 *   ready-made Node.js dashboards work;
 * - `concerto_*`: the SFU read at scrape time (sfu.ts), the signaling's counters
 *   (signaling.ts) and the HTTP responses by status class.
 * No label carries an id, a name or anything typed by a user.
 */
import type { Server } from 'node:http';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { MetricsConfig } from '../../src/lib/server/config.ts';
import type { Logger } from '../../src/lib/server/logger.ts';
import type { SignalingMonitor } from '../signaling/monitor.ts';
import type { RoomRegistry } from '../sfu/rooms.ts';
import type { WorkerPool } from '../sfu/workers.ts';
import { listenForScrapes, mountOnMainServer, scrapeHandler, type Scrape } from './http.ts';
import { observeCapacity } from './capacity.ts';
import { observeSfu } from './sfu.ts';
import { signalingMetrics } from './signaling.ts';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];
const CLUSTER_EVENTS = ['taken_over', 'moved_away', 'lease_lost'] as const;
export type ClusterEvent = (typeof CLUSTER_EVENTS)[number];

export interface ConcertoMetrics {
	readonly registry: Registry;
	/** What the signaling reports to (attachRoomSignaling's `monitor`). */
	readonly signaling: SignalingMonitor;
	/** Reads the SFU's rooms and workers, its capacity and its connections at each scrape from now on. */
	observeSfu(rooms: RoomRegistry, workers: WorkerPool, sockets: () => number): void;
	/** Counts one HTTP response of the main port. */
	httpResponded(status: number): void;
	/** Counts what happened to a meeting between nodes (several nodes). */
	clusterEvent(event: ClusterEvent): void;
	scrape: Scrape;
	close(): void;
}

export function createMetrics(): ConcertoMetrics {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry });
	const http = new Counter({
		name: 'concerto_http_responses_total',
		help: 'HTTP responses of the main port (pages, endpoints, assets, Socket.IO long-polling, /metrics), by status class',
		labelNames: ['status_class'],
		registers: [registry]
	});
	for (const statusClass of STATUS_CLASSES) http.inc({ status_class: statusClass }, 0);
	const cluster = new Counter({
		name: 'concerto_cluster_meetings_total',
		help: 'Several nodes: meetings this node took over from a dead node (taken_over), handed to another while draining (moved_away), or found held by another node (lease_lost)',
		labelNames: ['event'],
		registers: [registry]
	});
	for (const event of CLUSTER_EVENTS) cluster.inc({ event }, 0);
	const stops: (() => void)[] = [];

	return {
		registry,
		signaling: signalingMetrics(registry),
		observeSfu: (rooms, workers, sockets) => {
			stops.push(observeSfu(registry, rooms, workers));
			observeCapacity(registry, rooms, workers, sockets);
		},
		httpResponded: (status) => http.inc({ status_class: `${Math.floor(status / 100)}xx` }),
		clusterEvent: (event) => cluster.inc({ event }),
		scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
		close: () => {
			for (const stop of stops.splice(0)) stop();
			registry.clear();
		}
	};
}

/**
 * Serves the metrics as configured: counts the main port's responses, answers `/metrics`
 * there when a token is set, and opens the scrapers' own listener when a port is set.
 */
export async function serveMetrics(
	metrics: ConcertoMetrics,
	httpServer: Server,
	config: MetricsConfig,
	logger: Logger
): Promise<{ close(): Promise<void> }> {
	const handler = scrapeHandler(metrics.scrape, config.token, logger);
	const unmount = mountOnMainServer(httpServer, {
		metrics: config.token ? handler : undefined,
		responded: (status) => metrics.httpResponded(status)
	});
	let listener: Server | undefined;
	try {
		if (config.listen) {
			listener = await listenForScrapes(config.listen, handler);
			logger.info({ host: config.listen.host, port: config.listen.port }, 'metrics served on their own listener');
		}
	} catch (error) {
		unmount();
		throw error;
	}
	return {
		close: async () => {
			unmount();
			if (!listener) return;
			const closed = new Promise<void>((resolve) => listener?.close(() => resolve()));
			// Scrapers keep their connection open between scrapes.
			listener.closeAllConnections();
			await closed;
		}
	};
}
