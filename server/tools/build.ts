/**
 * Builds the SvelteKit app (`vite build` into build/) and remembers what it was built
 * from, so that `npm start` (server/tools/start.ts) can skip a build that is already
 * current.
 *
 *   node server/tools/build.ts     (`npm run build`): always builds, then writes the stamp
 *
 * The fingerprint is a SHA-256 over the path and content of every build input (below).
 * Content, not modification times: a `git checkout` or a copy that resets mtimes must
 * neither force a rebuild nor hide a change. It takes a few milliseconds on the ~250
 * input files.
 *
 * The stamp lives inside the build output (build/.concerto-build-stamp) and is written
 * only after `vite build` succeeded. adapter-node empties build/ when it starts writing,
 * so a failed, interrupted or plain `vite build` leaves no stamp, and the next start
 * rebuilds.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is server/tools/build.ts). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What `vite build` reads from the repository: directories (walked recursively) and
 * single files, relative to the root. node_modules is covered by the lock file.
 * server/ is not an input: server/index.ts runs from source and imports build/handler.js.
 */
export const BUILD_INPUTS = [
	'src',
	'static',
	'messages',
	'project.inlang/settings.json',
	'svelte.config.js',
	'vite.config.ts',
	'tsconfig.json',
	'package.json',
	'package-lock.json'
] as const;

/**
 * Written by the build itself (Paraglide's compiled messages) or never inputs: they must
 * not count, or every build would change the fingerprint. Paths relative to the root;
 * the others are outside BUILD_INPUTS and listed for the reader (and the test).
 */
export const GENERATED = ['src/lib/paraglide', '.svelte-kit', 'build', 'node_modules', 'data'] as const;

/** The build output directory and the stamp inside it. */
export const BUILD_DIR = 'build';
export const STAMP_FILE = join(BUILD_DIR, '.concerto-build-stamp');
/** A build without this file is not a build server/index.ts can serve. */
const HANDLER_FILE = join(BUILD_DIR, 'handler.js');

/** Bump to invalidate every existing stamp (e.g. when the inputs above change). */
const FINGERPRINT_VERSION = 'concerto-build/1';

/** The fingerprint of the build inputs under `root`, as hex. */
export function buildFingerprint(root: string): string {
	const generated = new Set<string>(GENERATED.map((path) => join(root, path)));
	const hash = createHash('sha256').update(FINGERPRINT_VERSION + '\n');
	const add = (path: string) => {
		const name = relative(root, path).split(sep).join('/');
		if (generated.has(path)) return;
		let stats;
		try {
			stats = statSync(path);
		} catch {
			hash.update(`missing ${name}\n`);
			return;
		}
		if (stats.isDirectory()) {
			if (name.split('/').includes('node_modules')) return;
			const entries = readdirSync(path).sort();
			for (const entry of entries) add(join(path, entry));
		} else if (stats.isFile()) {
			const content = createHash('sha256').update(readFileSync(path)).digest('hex');
			hash.update(`file ${name} ${content}\n`);
		}
	};
	for (const input of BUILD_INPUTS) add(join(root, input));
	return hash.digest('hex');
}

/** Whether `npm start` has to build first, and why. */
export interface BuildDecision {
	build: boolean;
	reason: 'no build' | 'sources changed' | 'up to date';
	/** The fingerprint of the sources now: the stamp to write once a build succeeds. */
	fingerprint: string;
}

/** The stamp of the build under `root`, or null when there is no complete build. */
export function readStamp(root: string): string | null {
	if (!existsSync(join(root, HANDLER_FILE))) return null;
	try {
		return readFileSync(join(root, STAMP_FILE), 'utf8').trim() || null;
	} catch {
		return null;
	}
}

export function decideBuild(root: string): BuildDecision {
	const fingerprint = buildFingerprint(root);
	const stamp = readStamp(root);
	if (stamp === null) return { build: true, reason: 'no build', fingerprint };
	if (stamp !== fingerprint) return { build: true, reason: 'sources changed', fingerprint };
	return { build: false, reason: 'up to date', fingerprint };
}

/** Records that the build under `root` was made from sources with this fingerprint. */
export function writeStamp(root: string, fingerprint: string): void {
	const file = join(root, STAMP_FILE);
	writeFileSync(`${file}.tmp`, `${fingerprint}\n`);
	renameSync(`${file}.tmp`, file);
}

/** How a child process ended: an exit code, or the signal that ended it. */
export type Exit = { code: number; signal: null } | { code: null; signal: NodeJS.Signals };

/**
 * Runs `vite build` under `root` (output shown as it comes) and, if it succeeds, writes
 * the stamp of `fingerprint`, computed *before* the build: an edit made during the build
 * then shows up as a change at the next start. SIGINT and SIGTERM received meanwhile are
 * passed on to the build.
 */
export async function runBuild(root: string, fingerprint: string): Promise<Exit> {
	const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	const child = spawn(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
	const forward = (signal: NodeJS.Signals) => void child.kill(signal);
	process.on('SIGINT', forward);
	process.on('SIGTERM', forward);
	const exit = await new Promise<Exit>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve(signal ? { code: null, signal } : { code: code ?? 1, signal: null }));
	}).finally(() => {
		process.off('SIGINT', forward);
		process.off('SIGTERM', forward);
	});
	if (exit.code === 0) {
		if (!existsSync(join(root, HANDLER_FILE))) {
			console.error(`vite build succeeded but ${HANDLER_FILE} is missing`);
			return { code: 1, signal: null };
		}
		writeStamp(root, fingerprint);
	}
	return exit;
}

/** Ends this process with the child's status, as a shell running `vite build && …` would. */
export function exitLike(exit: Exit): never {
	process.exit(exit.signal ? 128 + (constants.signals[exit.signal] ?? 0) : exit.code);
}

if (import.meta.main) {
	const exit = await runBuild(ROOT, buildFingerprint(ROOT));
	exitLike(exit);
}
