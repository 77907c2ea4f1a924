/**
 * A cluster on this machine for the multi-node tests: a Redis server of the test's own
 * (so that it can be restarted without touching the machine's), a fresh PostgreSQL
 * database with a meeting under way (the load tool's population: a coordinator, members,
 * a guest invitation, a case on the agenda), and nodes behind HAProxy
 * (server/tools/local-cluster.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { createLoadFixture, type LoadFixture } from '../../bench/load/fixture.ts';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { databaseStorage } from '../../src/lib/server/database-storage.ts';
import { createScratchDatabase } from './database.ts';
import { startLocalCluster, type LocalCluster } from '../../server/tools/local-cluster.ts';

/** The machine's PostgreSQL server (a database is created on it for the run). */
export const POSTGRES_SERVER = process.env.CLUSTER_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestRedis {
	url: string;
	/** Stops it (SIGTERM, nothing kept: as the machine's Redis, which saves nothing). */
	stop(): Promise<void>;
	start(): Promise<void>;
}

export async function startTestRedis(port: number): Promise<TestRedis> {
	let child: ChildProcess | undefined;
	const url = `redis://127.0.0.1:${port}`;
	const redis: TestRedis = {
		url,
		async start() {
			child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
			// It never outlives the process that started it (an interrupted benchmark or test run).
			const started = child;
			const orphan = () => started.kill('SIGKILL');
			process.once('exit', orphan);
			started.once('exit', () => process.off('exit', orphan));
			const deadline = Date.now() + 10_000;
			for (;;) {
				const client = createClient({ url, socket: { reconnectStrategy: false } });
				client.on('error', () => {});
				const up = await client.connect().then(
					async () => (await client.ping()) === 'PONG',
					() => false
				);
				if (client.isOpen) await client.quit();
				if (up) return;
				if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		},
		async stop() {
			const current = child;
			if (!current || current.exitCode !== null) return;
			const exited = new Promise((resolve) => current.once('exit', resolve));
			current.kill('SIGTERM');
			await exited;
		}
	};
	await redis.start();
	return redis;
}

/** The nodes' /metrics token (a bearer token). */
export const METRICS_TOKEN = randomBytes(24).toString('hex');

export interface ClusterFixture {
	cluster: LocalCluster;
	redis: TestRedis;
	population: LoadFixture;
	stop(): Promise<void>;
}

export async function startClusterFixture(options: { port: number; redisPort: number; participants: number; onLine?: (source: string, line: string) => void }): Promise<ClusterFixture> {
	// Every node's log, one file per run (kept with the test results).
	mkdirSync('test-results', { recursive: true });
	const log = createWriteStream(join('test-results', 'cluster-nodes.log'));
	const onLine = (source: string, line: string) => {
		log.write(`${new Date().toISOString()} [${source}] ${line}\n`);
		options.onLine?.(source, line);
	};
	const database = await createScratchDatabase(POSTGRES_SERVER, 'concerto_cluster');
	const handle = await openDatabase({ kind: 'postgres', url: database.url });
	const population = await createLoadFixture(handle.db, databaseStorage(handle.db), {
		meetings: 1,
		participants: options.participants,
		casesPerMeeting: 1,
		now: new Date(),
		runId: randomBytes(3).toString('hex'),
		documents: true
	});
	await handle.close();

	const redis = await startTestRedis(options.redisPort);
	const cluster = await startLocalCluster({
		nodes: 2,
		port: options.port,
		databaseUrl: database.url,
		redisUrl: redis.url,
		dataDir: mkdtempSync(join(tmpdir(), 'concerto-cluster-')),
		authSecret: randomBytes(32).toString('base64url'),
		rtcBasePort: 50000,
		env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ATTACHMENT_STORAGE: 'database', METRICS_TOKEN },
		onLine
	});
	return {
		cluster,
		redis,
		population,
		async stop() {
			await cluster.stop().catch(() => {});
			await redis.stop();
			await database.drop();
		}
	};
}
