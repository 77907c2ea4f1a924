/**
 * `npm run cluster`: Concerto on several nodes behind HAProxy, on this machine.
 *
 *   npm run cluster                      # 2 nodes, http://localhost:3000
 *   npm run cluster -- --nodes 3 --port 8000
 *
 * Needs PostgreSQL, Redis and HAProxy (`apt-get install haproxy`). DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/concerto, created when missing) and REDIS_URL
 * (default redis://127.0.0.1:6379) say where. Node n<i> listens on port+i with its data
 * under ./data/cluster/n<i>; HAProxy's statistics are on port+100. Ctrl-C stops the nodes
 * (each drains) and HAProxy. `kill -9` one node's pid to watch its meetings move.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { startLocalCluster } from './local-cluster.ts';

const { values } = parseArgs({
	options: {
		nodes: { type: 'string', default: '2' },
		port: { type: 'string', default: '3000' },
		'data-dir': { type: 'string', default: './data/cluster' },
		help: { type: 'boolean', default: false }
	}
});
if (values.help) {
	console.log('npm run cluster -- [--nodes 2] [--port 3000] [--data-dir ./data/cluster]   (DATABASE_URL, REDIS_URL from the environment)');
	process.exit(0);
}
const nodes = Number(values.nodes);
const port = Number(values.port);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) throw new Error('--nodes: expected 1 to 9');
if (!Number.isInteger(port) || port < 1 || port > 65000) throw new Error('--port: expected a port number');

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/concerto';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dataDir = resolve(values['data-dir']);
mkdirSync(dataDir, { recursive: true });

await createDatabaseIfMissing(databaseUrl);
const secretFile = join(dataDir, 'auth-secret');
if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });

console.log(`starting ${nodes} nodes and HAProxy (database ${new URL(databaseUrl).pathname.slice(1)}, Redis ${new URL(redisUrl).host})…`);
const cluster = await startLocalCluster({
	nodes,
	port,
	databaseUrl,
	redisUrl,
	dataDir,
	authSecret: process.env.AUTH_SECRET ?? readFileSync(secretFile, 'utf8').trim(),
	statsPort: port + 100,
	env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
	onLine: (source, line) => console.log(`[${source}] ${line}`)
});
console.log(`\nConcerto on ${nodes} nodes: ${cluster.origin}  (HAProxy statistics: http://localhost:${port + 100}/)`);
for (const node of cluster.nodes) console.log(`  ${node.id}: ${node.direct} (pid ${node.pid})`);

let stopping = false;
const stop = async () => {
	if (stopping) return;
	stopping = true;
	console.log('stopping: the nodes drain, then HAProxy stops');
	await cluster.stop();
	process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

/** Creates the database named in the URL when the server does not have it yet. */
async function createDatabaseIfMissing(url: string): Promise<void> {
	const name = decodeURIComponent(new URL(url).pathname.slice(1));
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) return;
	const server = new URL(url);
	server.pathname = '/postgres';
	const sql = postgres(server.toString(), { max: 1, onnotice: () => {} });
	try {
		const found = await sql`select 1 from pg_database where datname = ${name}`;
		if (found.length === 0) {
			await sql.unsafe(`create database ${name}`);
			console.log(`created database ${name}`);
		}
	} finally {
		await sql.end();
	}
}
