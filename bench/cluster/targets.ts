/**
 * What the cluster benchmark measures against, on this machine and one PostgreSQL
 * database: one node reached directly (REDIS_URL unset: today's deployment), or nodes in
 * cluster mode behind HAProxy (server/tools/local-cluster.ts) with a Redis server of the
 * run's own. Every node gets the same settings: the database's attachment storage,
 * METRICS_TOKEN, media announced on 127.0.0.1 (the bots are here), log level warn.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCluster } from '../../server/tools/local-cluster.ts';
import { startTestRedis } from '../../tests/helpers/cluster-fixture.ts';
import { freePort, freePorts, startServer, tallyLogLine, type LogTally } from '../load/server.ts';

/** One Concerto process under measurement. */
export interface TargetNode {
	id: string;
	pid: number;
	/** Its own address (bypassing HAProxy), for /metrics. */
	direct: string;
}

export interface Target {
	/** What the bots open. */
	origin: string;
	nodes: TargetNode[];
	/** The nodes' error and warning lines so far. */
	log: LogTally;
	stop(): Promise<void>;
}

export interface TargetOptions {
	/** 0: one node reached directly, without REDIS_URL; otherwise that many nodes in cluster mode behind HAProxy. */
	clusterNodes: number;
	workersPerNode: number;
	databaseUrl: string;
	metricsToken: string;
}

/** Media ports of the run (n1 from here, n2 from here + 1000): away from the defaults and the cluster tests'. */
const RTC_BASE_PORT = 52_000;

export async function startTarget(options: TargetOptions): Promise<Target> {
	const dataDir = mkdtempSync(join(tmpdir(), 'concerto-bench-cluster-'));
	const env = {
		DATABASE_URL: options.databaseUrl,
		ATTACHMENT_STORAGE: 'database',
		METRICS_TOKEN: options.metricsToken,
		MEDIASOUP_ANNOUNCED_ADDRESS: '127.0.0.1',
		LOG_LEVEL: 'warn'
	};
	const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
	try {
		if (options.clusterNodes === 0) {
			const server = await startServer({
				...env,
				DATA_DIR: dataDir,
				MEDIASOUP_NUM_WORKERS: String(options.workersPerNode),
				MEDIASOUP_RTC_MIN_PORT: String(RTC_BASE_PORT),
				MEDIASOUP_RTC_MAX_PORT: String(RTC_BASE_PORT + 1999)
			});
			return {
				origin: server.origin,
				nodes: [{ id: 'single', pid: server.pid!, direct: server.origin }],
				log: server,
				stop: async () => {
					await server.stop();
					removeDataDir();
				}
			};
		}
		return await startClusterTarget(options, env, dataDir, removeDataDir);
	} catch (error) {
		removeDataDir();
		throw error;
	}
}

async function startClusterTarget(options: TargetOptions, env: Record<string, string>, dataDir: string, removeDataDir: () => void): Promise<Target> {
	const redis = await startTestRedis(await freePort());
	const log: LogTally = { errors: [], warnings: [] };
	try {
		const cluster = await startLocalCluster({
			nodes: options.clusterNodes,
			port: await freePorts(options.clusterNodes + 1),
			databaseUrl: options.databaseUrl,
			redisUrl: redis.url,
			dataDir,
			authSecret: randomBytes(32).toString('base64url'),
			rtcBasePort: RTC_BASE_PORT,
			workersPerNode: options.workersPerNode,
			env,
			onLine: (source, line) => {
				if (source !== 'haproxy') tallyLogLine(line, log);
			}
		});
		return {
			origin: cluster.origin,
			nodes: cluster.nodes.map((node) => ({ id: node.id, pid: node.pid!, direct: node.direct })),
			log,
			stop: async () => {
				await cluster.stop();
				await redis.stop();
				removeDataDir();
			}
		};
	} catch (error) {
		await redis.stop();
		throw error;
	}
}
