/**
 * Start-to-healthy: the time from launching a command to the first HTTP 200 of
 * GET /healthz (PGlite, this machine's mediasoup workers). Each run, in this order:
 *
 *   1. the old `npm start`: `vite build && node server/index.ts` (the baseline), on a
 *      fresh data directory; its plain `vite build` leaves no build stamp, so
 *   2. `npm start` builds (the first start), on another fresh data directory;
 *   3. `npm start` again, nothing changed (the second start), same data directory;
 *   4. `node server/index.ts` alone (the floor: serving the existing build), same directory.
 *
 * Every server is stopped (SIGTERM to its process group) once /healthz answered and
 * before the next command starts. Output of the commands is kept and shown only when a
 * command fails.
 *
 * Usage: node bench/start.ts [--runs 3]   (from the repository root; rebuilds build/)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFingerprint } from '../server/tools/build.ts';
import { summarize, summaryTable } from './lib/stats.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = Math.max(1, Number(runsArg > 0 ? process.argv[runsArg + 1] : (process.env.BENCH_RUNS ?? 3)));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEALTH_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;

/** What npm puts first in PATH for a script: the project's binaries (node 24, vite). */
const PATH = [join(ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function healthy(port: number): Promise<boolean> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
		await response.arrayBuffer();
		return response.status === 200;
	} catch {
		return false;
	}
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** SIGTERM to the whole process group (npm, sh, node), then wait until all of it is gone. */
async function stop(child: ChildProcess): Promise<void> {
	const pid = child.pid!;
	if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
	const deadline = Date.now() + STOP_TIMEOUT_MS;
	while (groupAlive(pid)) {
		if (Date.now() > deadline) {
			process.kill(-pid, 'SIGKILL');
			throw new Error(`process group ${pid} did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
		}
		await sleep(50);
	}
}

interface Started {
	seconds: number;
	output: string;
}

/** Runs `command` (through sh, as npm does) and returns once /healthz answered 200, server stopped. */
async function startToHealthy(command: string, dataDir: string): Promise<Started> {
	const port = await freePort();
	const env: NodeJS.ProcessEnv = { ...process.env, PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
	delete env.DATABASE_URL; // PGlite
	const started = performance.now();
	const child = spawn('sh', ['-c', command], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	let exited = false;
	child.once('exit', () => (exited = true));
	try {
		while (!(await healthy(port))) {
			if (exited || performance.now() - started > HEALTH_TIMEOUT_MS) {
				throw new Error(`\`${command}\` ${exited ? 'exited' : 'timed out'} before /healthz answered:\n${output}`);
			}
			await sleep(20);
		}
		return { seconds: (performance.now() - started) / 1000, output };
	} finally {
		await stop(child);
	}
}

const series = {
	old: [] as number[],
	first: [] as number[],
	second: [] as number[],
	floor: [] as number[]
};
const dataDirs: string[] = [];
const freshDataDir = () => {
	const dir = mkdtempSync(join(tmpdir(), 'concerto-bench-start-'));
	dataDirs.push(dir);
	return dir;
};

const fingerprintStart = performance.now();
const FINGERPRINTS = 10;
for (let i = 0; i < FINGERPRINTS; i++) buildFingerprint(ROOT);
const fingerprintMs = (performance.now() - fingerprintStart) / FINGERPRINTS;

try {
	for (let run = 1; run <= RUNS; run++) {
		process.stdout.write(`run ${run}/${RUNS}: `);
		const old = await startToHealthy('vite build && node server/index.ts', freshDataDir());
		series.old.push(old.seconds);
		process.stdout.write(`old ${old.seconds.toFixed(2)} s, `);

		const dataDir = freshDataDir();
		const first = await startToHealthy('npm start', dataDir);
		if (!first.output.includes('building…')) throw new Error(`the first npm start did not build:\n${first.output}`);
		series.first.push(first.seconds);
		process.stdout.write(`first npm start ${first.seconds.toFixed(2)} s, `);

		const second = await startToHealthy('npm start', dataDir);
		if (!second.output.includes('build up to date')) throw new Error(`the second npm start rebuilt:\n${second.output}`);
		series.second.push(second.seconds);
		process.stdout.write(`second ${second.seconds.toFixed(2)} s, `);

		const floor = await startToHealthy('node server/index.ts', dataDir);
		series.floor.push(floor.seconds);
		process.stdout.write(`floor ${floor.seconds.toFixed(2)} s\n`);
	}
} finally {
	for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}

console.log(`\nStart → GET /healthz 200, PGlite, ${RUNS} run(s); fingerprint of the sources: ${fingerprintMs.toFixed(1)} ms.\n`);
const summaries = {
	old: summarize(series.old),
	first: summarize(series.first),
	second: summarize(series.second),
	floor: summarize(series.floor)
};
console.log(
	summaryTable(
		[
			{ label: 'old npm start (vite build && node server/index.ts)', summary: summaries.old },
			{ label: 'npm start, first (builds)', summary: summaries.first },
			{ label: 'npm start, second (build up to date)', summary: summaries.second },
			{ label: 'floor: node server/index.ts', summary: summaries.floor }
		],
		{ label: 'command', statistics: ['n', 'p50', 'max'], unit: 's', decimals: 2 }
	)
);
console.log(
	`\nsecond npm start / old: p50 ×${(summaries.second.p50 / summaries.old.p50).toFixed(2)}; ` +
		`second npm start − floor: p50 ${(summaries.second.p50 - summaries.floor.p50).toFixed(2)} s`
);
