/**
 * The server under load, in a process of its own: `node server/tools/start.ts` (what
 * `npm start` runs: it builds first if the sources changed) on a free port, with the
 * environment given. Its log (pino, one JSON object per line) is read as it comes: lines
 * at error level or above are counted and kept (their message only) for the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
	origin: string;
	/** The server's process on this machine; null for a server the tool did not start (`--url`). */
	pid: number | null;
	/** The bearer token of its /metrics. */
	metricsToken: string;
	/** Error-level log lines so far (message and error id only). */
	errors: string[];
	/** Warn-level log lines so far (message only). */
	warnings: string[];
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

export async function startServer(env: Record<string, string>, onLine?: (line: string) => void): Promise<ServerProcess> {
	const port = Number(env.PORT ?? (await freePort()));
	const origin = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(process.execPath, ['server/tools/start.ts'], {
		cwd: ROOT,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_ORIGIN: origin, LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const errors: string[] = [];
	const warnings: string[] = [];
	let pending = '';
	const read = (chunk: Buffer) => {
		pending += chunk.toString('utf8');
		const lines = pending.split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) {
			onLine?.(line);
			if (!line.startsWith('{')) continue;
			try {
				const entry = JSON.parse(line) as { level?: number; msg?: string; errorId?: string };
				if ((entry.level ?? 0) >= 50) errors.push(`${entry.msg ?? ''}${entry.errorId ? ` (${entry.errorId})` : ''}`);
				else if (entry.level === 40) warnings.push(entry.msg ?? '');
			} catch {
				// Not a log line (the build's output).
			}
		}
	};
	child.stdout!.on('data', read);
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
