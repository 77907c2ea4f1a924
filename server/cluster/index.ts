/**
 * Concerto on several nodes (`REDIS_URL` set). One Redis connection serves:
 * - Socket.IO's Redis Streams adapter, which carries room broadcasts and server-side
 *   events between nodes and, unlike the pub/sub adapter, resumes its stream after a
 *   Redis restart without losing what was published meanwhile;
 * - the registry (registry.ts): live nodes and their load, which node hosts each meeting.
 *
 * Without `REDIS_URL`, `singleNode()` answers every placement with "here" and nothing
 * else changes. docs/architecture.md ("Several nodes") tells the whole design.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Logger } from '../../src/lib/server/logger.ts';
import { withTimeout } from '../../src/lib/timeout.ts';
import { ClusterRegistry, connectionName, DEFAULT_TIMINGS, type NodeLoad, type RegistryTimings } from './registry.ts';

/** Where a participant's room connection must be served. */
export type Where = { here: true } | { here: false; node: string } | { here: false; node: null; full: true };

export interface Cluster {
	/** This node's name (`NODE_ID`); null on a single node. */
	readonly nodeId: string | null;
	/** The Socket.IO adapter carrying events between nodes (none on a single node). */
	readonly adapter: ReturnType<typeof createAdapter> | undefined;
	/** Where the meeting's room lives (a placement when nobody hosts it yet). */
	where(meetingId: string): Promise<Where>;
	/** Starts the heartbeat and lease renewal (once the rooms exist). */
	start(node: ClusterNode): void;
	/** Takes this node out of placement (a drain); its next heartbeat says so. */
	drain(): Promise<void>;
	/** Hands one hosted meeting to another node; the node to send its participants to, or null. */
	moveAway(meetingId: string): Promise<string | null>;
	/** The live nodes (health page, tests). */
	nodes(): Promise<NodeLoad[]>;
	close(): Promise<void>;
}

/** What the cluster reads from this node at each tick. */
export interface ClusterNode {
	load(): Omit<NodeLoad, 'id' | 'draining'>;
	/** The meetings whose room this node has now. */
	hosted(): string[];
	/** Another live node holds the lease of a meeting this node still has: send its participants there. */
	lost(meetingId: string, holder: string): void;
	/**
	 * Redis is back after an outage: what other nodes sent meanwhile may not have arrived
	 * (server-side events published while Redis was away were seen lost), so the node reads
	 * again from the database what they would have told it.
	 */
	reconnected(): void;
}

/** How long a join waits for Redis before answering "try again" (a Redis restart). */
const REDIS_WAIT_MS = 2_000;
const TICK_MS = 1_000;

export function singleNode(): Cluster {
	return {
		nodeId: null,
		adapter: undefined,
		where: async () => ({ here: true }),
		start: () => {},
		drain: async () => {},
		moveAway: async () => null,
		nodes: async () => [],
		close: async () => {}
	};
}

export class RedisUnavailableError extends Error {
	constructor() {
		super('Redis does not answer');
		this.name = 'RedisUnavailableError';
	}
}

export async function startCluster(options: {
	redisUrl: string;
	nodeId: string;
	logger: Logger;
	/** Told when this node takes a meeting over, hands one away, or finds one held elsewhere (metrics). */
	onEvent?: (event: 'taken_over' | 'moved_away' | 'lease_lost') => void;
	/** Shorter expiries for tests. */
	timings?: RegistryTimings;
	prefix?: string;
}): Promise<Cluster> {
	const { logger, nodeId } = options;
	let redisDown = false;
	const prefix = options.prefix ?? 'concerto:';
	const redis = createClient({
		url: options.redisUrl,
		// Every connection (the adapter's copies too) says whose it is: see connectionName.
		name: connectionName(prefix, nodeId),
		// Reconnect for ever, at most every 2 s: a Redis restart must not end anything.
		socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) }
	});
	redis.on('error', (error: Error) => {
		if (!redisDown) logger.error({ err: { message: error.message } }, 'Redis connection lost; retrying');
		redisDown = true;
	});
	redis.on('ready', () => {
		if (!redisDown) return;
		redisDown = false;
		logger.info('Redis connection back: re-checking the participants of this node’s meetings');
		node?.reconnected();
	});
	await redis.connect();
	const registry = new ClusterRegistry(redis as unknown as ConstructorParameters<typeof ClusterRegistry>[0], nodeId, {
		prefix,
		timings: options.timings ?? DEFAULT_TIMINGS
	});
	const adapter = createAdapter(redis, { streamName: `${prefix}socket.io`, maxLen: 10_000 });

	let node: ClusterNode | undefined;
	let timer: NodeJS.Timeout | undefined;
	let ticking = false;
	let draining = false;
	/** Meetings whose lease this node took or renewed, and when the room was last seen. */
	const held = new Map<string, number>();

	const tick = async () => {
		if (!node || ticking) return;
		ticking = true;
		try {
			await registry.heartbeat({ ...node.load(), draining });
			const hosted = node.hosted();
			const now = Date.now();
			for (const id of hosted) held.set(id, now);
			const lost = await registry.renew(hosted);
			for (const [meetingId, holder] of lost) {
				held.delete(meetingId);
				logger.warn({ meetingId, holder }, 'another node holds this meeting now: moving its participants there');
				options.onEvent?.('lease_lost');
				node.lost(meetingId, holder);
			}
			// Leases taken for a room that never came, or whose room closed: give them up.
			const stale = [...held].filter(([id, seen]) => !hosted.includes(id) && now - seen > registry.timings.leaseTtlMs).map(([id]) => id);
			for (const id of stale) held.delete(id);
			await registry.release(stale);
		} catch (error) {
			logger.debug({ err: error }, 'cluster tick failed');
		} finally {
			ticking = false;
		}
	};

	/** A Redis task, or `RedisUnavailableError` when Redis does not answer in time (a restart). */
	const withRedis = <T>(task: () => Promise<T>): Promise<T> => withTimeout(task(), REDIS_WAIT_MS, () => new RedisUnavailableError());

	return {
		nodeId,
		adapter,
		async where(meetingId) {
			const placement = await withRedis(() => registry.place(meetingId));
			if (placement.node === null) return { here: false, node: null, full: true };
			if (placement.node !== nodeId) return { here: false, node: placement.node };
			held.set(meetingId, Date.now());
			if (placement.how === 'taken-over') {
				logger.warn({ meetingId }, 'meeting taken over from a node that stopped answering');
				options.onEvent?.('taken_over');
			}
			return { here: true };
		},
		start(current) {
			node = current;
			void tick();
			timer = setInterval(() => void tick(), TICK_MS);
			timer.unref();
		},
		async drain() {
			draining = true;
			if (node) await withRedis(() => registry.heartbeat({ ...node!.load(), draining })).catch(() => {});
		},
		async moveAway(meetingId) {
			const placement = await withRedis(() => registry.moveAway(meetingId)).catch(() => ({ node: null }));
			if (placement.node && placement.node !== nodeId) {
				held.delete(meetingId);
				options.onEvent?.('moved_away');
			}
			return placement.node && placement.node !== nodeId ? placement.node : null;
		},
		nodes: () => registry.nodes(),
		async close() {
			clearInterval(timer);
			await withRedis(() => registry.farewell()).catch(() => {});
			await withRedis(() => registry.release([...held.keys()])).catch(() => {});
			await redis.quit().catch(() => {});
		}
	};
}
