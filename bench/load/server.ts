/**
 * The server under load, in a process of its own: `node server/tools/start.ts` (what
 * `npm start` runs: it builds first if the sources changed) on a free port, with the
 * environment given. Its log (pino, one JSON object per line) is read as it comes: lines
 * at error level or above are counted and kept (their message only) for the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A server's log lines so far at error level or above (message and error id) and at warn level (message). */
export interface LogTally {
	errors: string[];
	warnings: string[];
}

export interface ServerProcess extends LogTally {
	origin: string;
	/** The server's process on this machine; null for a server the tool did not start (`--url`). */
	pid: number | null;
	/** The bearer token of its /metrics. */
	metricsToken: string;
	stop(): Promise<number | null>;
}

/** A Concerto running already (`--url`): its log and processes are not ours to read. */
export function runningServer(origin: string, metricsToken: string): ServerProcess {
	return { origin: origin.replace(/\/$/, ''), pid: null, metricsToken, errors: [], warnings: [], stop: async () => 0 };
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** Counts one line of a server's log (pino, one JSON object per line); other lines (a build's output) are passed over. */
export function tallyLogLine(line: string, into: LogTally): void {
	if (!line.startsWith('{')) return;
	try {
		const entry = JSON.parse(line) as { level?: number; msg?: string; errorId?: string };
		if ((entry.level ?? 0) >= 50) into.errors.push(`${entry.msg ?? ''}${entry.errorId ? ` (${entry.errorId})` : ''}`);
		else if (entry.level === 40) into.warnings.push(entry.msg ?? '');
	} catch {
		// Not a log line.
	}
}

/** `count` consecutive free ports on 127.0.0.1 (a local cluster: HAProxy's, then each node's); returns the first. */
export async function freePorts(count: number): Promise<number> {
	const isFree = (port: number) =>
		new Promise<boolean>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve(false));
			server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
		});
	for (let attempt = 0; attempt < 50; attempt++) {
		const first = await freePort();
		if (first + count > 65_535) continue;
		let all = true;
		for (let port = first + 1; port < first + count && all; port++) all = await isFree(port);
		if (all) return first;
	}
	throw new Error(`no ${count} consecutive free ports found`);
}

export async function startServer(env: Record<string, string>, onLine?: (line: string) => void): Promise<ServerProcess> {
	const port = Number(env.PORT ?? (await freePort()));
	const origin = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(process.execPath, ['server/tools/start.ts'], {
		cwd: ROOT,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_ORIGIN: origin, LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const log: LogTally = { errors: [], warnings: [] };
	const { errors, warnings } = log;
	createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
		onLine?.(line);
		tallyLogLine(line, log);
	});
	child.stderr!.on('data', (chunk: Buffer) => onLine?.(chunk.toString('utf8').trimEnd()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	// The server never outlives the tool (Ctrl-C, a kill): its media ports and database with it.
	const orphan = () => child.kill('SIGKILL');
	process.once('exit', orphan);
	void exited.then(() => process.off('exit', orphan));

	// Ready when /healthz answers (a build may come first: up to a few minutes).
	const deadline = Date.now() + 5 * 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before answering`);
		const healthy = await fetch(`${origin}/healthz`).then((r) => r.ok, () => false);
		if (healthy) break;
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error('the server did not answer /healthz within 5 minutes');
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return {
		origin,
		pid: child.pid!,
		metricsToken: env.METRICS_TOKEN ?? '',
		errors,
		warnings,
		stop: async () => {
			if (child.exitCode === null) child.kill('SIGTERM');
			return exited;
		}
	};
}
