/**
 * Several Concerto nodes and an HAProxy in front of them, on this machine: what
 * `npm run cluster` starts for a try, and what the cluster tests and benchmarks drive
 * (kill a node, restart it, read each node's log).
 *
 * Node i (1-based) is `n<i>`: port `port + i`, media ports `rtcBasePort + (i-1)·1000 …
 * +999`, its own data directory, one mediasoup worker unless told otherwise. They share
 * the PostgreSQL database and the Redis given. HAProxy listens on `port` (the address
 * users open) and routes as server/cluster/haproxy.ts explains.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { haproxyConfig } from '../cluster/haproxy.ts';
import { decideBuild, ROOT, runBuild } from './build.ts';

export interface LocalClusterOptions {
	nodes: number;
	/** HAProxy's port: the public address is http://localhost:<port>. */
	port: number;
	databaseUrl: string;
	redisUrl: string;
	/** Each node's DATA_DIR is `<dataDir>/<node id>`; HAProxy's configuration goes here too. */
	dataDir: string;
	authSecret: string;
	/** Media ports of n1 start here (default 40000). */
	rtcBasePort?: number;
	/** mediasoup workers per node (default 1: two nodes on two cores). */
	workersPerNode?: number;
	/** HAProxy's statistics page, if wanted. */
	statsPort?: number;
	/** More environment for every node (LOG_LEVEL, METRICS_TOKEN, …). */
	env?: Record<string, string>;
	/** Every line a node or HAProxy prints. */
	onLine?: (source: string, line: string) => void;
}

export interface LocalNode {
	id: string;
	port: number;
	/** The node's own address (bypassing HAProxy). */
	direct: string;
	pid: number | undefined;
	running: boolean;
	/** Starts it (again) and waits until /healthz answers. */
	start(): Promise<void>;
	/** Sends a signal and waits for the exit (SIGKILL: a crash; SIGTERM: a drain). */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface LocalCluster {
	/** What browsers open (through HAProxy). */
	origin: string;
	nodes: LocalNode[];
	node(id: string): LocalNode;
	/** Stops the nodes (SIGTERM, they drain) and HAProxy. */
	stop(): Promise<void>;
}

/** Builds the app if its sources changed (as `npm start` does), once for every node. */
export async function ensureBuild(): Promise<void> {
	const decision = decideBuild(ROOT);
	if (!decision.build) return;
	const exit = await runBuild(ROOT, decision.fingerprint);
	if (exit.code !== 0) throw new Error('the build failed');
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
	await ensureBuild();
	mkdirSync(options.dataDir, { recursive: true });
	const origin = `http://localhost:${options.port}`;
	const rtcBase = options.rtcBasePort ?? 40000;
	const children = new Set<ChildProcess>();
	const orphans = () => {
		for (const child of children) child.kill('SIGKILL');
	};
	process.once('exit', orphans);

	const spawnLogged = (source: string, command: string, args: string[], env?: NodeJS.ProcessEnv) => {
		const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		child.once('exit', () => children.delete(child));
		for (const input of [child.stdout!, child.stderr!]) {
			createInterface({ input, crlfDelay: Infinity }).on('line', (line) => options.onLine?.(source, line));
		}
		return child;
	};

	/** Set once HAProxy answers: from then on a node is ready when HAProxy sends it requests. */
	let proxied = false;
	const nodes: LocalNode[] = Array.from({ length: options.nodes }, (_, index) => {
		const id = `n${index + 1}`;
		const port = options.port + index + 1;
		const direct = `http://127.0.0.1:${port}`;
		const env: NodeJS.ProcessEnv = {
			...process.env,
			NODE_ID: id,
			PORT: String(port),
			HOST: '127.0.0.1',
			PUBLIC_ORIGIN: origin,
			DATA_DIR: join(options.dataDir, id),
			DATABASE_URL: options.databaseUrl,
			REDIS_URL: options.redisUrl,
			AUTH_SECRET: options.authSecret,
			MEDIASOUP_NUM_WORKERS: String(options.workersPerNode ?? 1),
			MEDIASOUP_RTC_MIN_PORT: String(rtcBase + index * 1000),
			MEDIASOUP_RTC_MAX_PORT: String(rtcBase + index * 1000 + 999),
			// Behind HAProxy: the browser's address is in X-Forwarded-For (adapter-node).
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			...options.env
		};
		let child: ChildProcess | undefined;
		/**
		 * Ready: answering directly and, once HAProxy runs, through it (HAProxy puts a node
		 * back after two good health checks; until then `?node=` requests go elsewhere).
		 */
		const answers = async () => {
			if (!(await fetch(`${direct}/healthz`).then((r) => r.ok, () => false))) return false;
			if (!proxied) return true;
			const through = await fetch(`${origin}/healthz`, { headers: { cookie: `CONCERTO_NODE=${id}` } }).then(
				async (r) => ((await r.json()) as { node?: string }).node,
				() => undefined
			);
			return through === id;
		};
		let exited: Promise<number | null> = Promise.resolve(null);
		const node: LocalNode = {
			id,
			port,
			direct,
			get pid() {
				return child?.pid;
			},
			get running() {
				return child !== undefined && child.exitCode === null && child.signalCode === null;
			},
			async start() {
				if (node.running) return;
				child = spawnLogged(id, process.execPath, ['server/index.ts'], env);
				const current = child;
				exited = new Promise((resolve) => current.once('exit', (code) => resolve(code)));
				const deadline = Date.now() + 120_000;
				for (;;) {
					if (!node.running) throw new Error(`node ${id} exited before answering`);
					if (await answers()) return;
					if (Date.now() > deadline) throw new Error(`node ${id} did not answer /healthz within 2 minutes`);
					await new Promise((resolve) => setTimeout(resolve, 200));
				}
			},
			async stop(signal = 'SIGTERM') {
				if (!node.running) return exited;
				child!.kill(signal);
				return exited;
			}
		};
		return node;
	});

	const configFile = join(options.dataDir, 'haproxy.cfg');
	writeFileSync(
		configFile,
		haproxyConfig({
			bind: { host: '127.0.0.1', port: options.port },
			nodes: nodes.map((n) => ({ id: n.id, host: '127.0.0.1', port: n.port })),
			stats: options.statsPort ? { host: '127.0.0.1', port: options.statsPort } : undefined
		})
	);
	try {
		await Promise.all(nodes.map((n) => n.start()));
	} catch (error) {
		orphans();
		throw error;
	}
	// -db: stay in the foreground (this process owns it); -W: master-worker.
	const haproxy = spawnLogged('haproxy', 'haproxy', ['-W', '-db', '-f', configFile]);
	const haproxyExit = new Promise<void>((resolve) => haproxy.once('exit', () => resolve()));
	// Ready when a request through it reaches a node.
	const deadline = Date.now() + 20_000;
	while (!(await fetch(`${origin}/healthz`).then((r) => r.ok, () => false))) {
		if (haproxy.exitCode !== null) throw new Error('haproxy exited: is it installed (apt-get install haproxy)? See its output above');
		if (Date.now() > deadline) throw new Error('haproxy did not answer within 20 s');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	proxied = true;

	return {
		origin,
		nodes,
		node(id) {
			const found = nodes.find((n) => n.id === id);
			if (!found) throw new Error(`no node ${id}`);
			return found;
		},
		async stop() {
			await Promise.all(nodes.map((n) => n.stop('SIGTERM')));
			haproxy.kill('SIGTERM');
			await haproxyExit;
			process.off('exit', orphans);
		}
	};
}
