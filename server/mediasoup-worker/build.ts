// Builds mediasoup's C++ worker from the installed npm package against the
// system's (Debian bookworm) libraries, with no network access. This is the
// project's postinstall step; see README.md next to this file.
//
//   node server/mediasoup-worker/build.ts          (Node >= 24)
//
// Environment:
//   CONCERTO_SKIP_WORKER_BUILD=1   do nothing
//   CONCERTO_FORCE_WORKER_BUILD=1  ignore the installed binary and the cache
//   CONCERTO_WORKER_BUILD_JOBS=N   ninja parallelism (default 2)
//   MEDIASOUP_WORKER_BIN=path      use this binary instead (mediasoup honours it too)
//   MEDIASOUP_WORKER_CACHE=dir     cache root (default $XDG_CACHE_HOME or
//                                  ~/.cache, + /concerto/mediasoup-worker)

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TAG = '[mediasoup-worker]';
const START = performance.now();

const SCRIPT_PATH = fileURLToPath(import.meta.url);
const SCRIPT_DIR = path.dirname(SCRIPT_PATH);
const SUBPROJECTS_DIR = path.join(SCRIPT_DIR, 'subprojects');

// Upstream .wrap files (worker/subprojects/<name>.wrap) that would download
// sources; the folders in SUBPROJECTS_DIR take their place.
const REPLACED_WRAPS = ['libuv', 'openssl', 'libsrtp3', 'flatbuffers', 'abseil-cpp', 'unordered-dense'];

// Fixes applied to the temporary copy of mediasoup's worker sources, never to
// node_modules. Each must match exactly once, or the build stops: a new
// mediasoup version must be looked at, not patched blindly.
const SOURCE_FIXES: { file: string; find: string; replace: string; why: string }[] = [
	{
		// DtlsTransport's BIO callback answers 1 to every BIO_ctrl() made on the
		// outgoing BIO (it only passes `ret` through for a bare BIO_CB_RETURN,
		// while a finished ctrl is BIO_CB_CTRL | BIO_CB_RETURN). OpenSSL then
		// believes kTLS is on for that BIO (BIO_get_ktls_send() == 1); Debian's
		// OpenSSL is built with kTLS, so it allocates no DTLS write buffer and the
		// worker crashes in do_dtls1_write() at the first handshake record.
		// mediasoup's bundled OpenSSL has no kTLS, which hides the bug upstream.
		file: 'src/RTC/DtlsTransport.cpp',
		find: '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
		replace: '(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
		why: 'DTLS BIO callback: return OpenSSL its own result for every finished operation (kTLS crash with system OpenSSL)',
	},
];

const MESON_SETUP_ARGS = ['--wrap-mode=nodownload', '--buildtype', 'release', '-Db_ndebug=true'];
const MIN_MESON_VERSION = '1.1.0';
const BUILD_JOBS = Number(process.env.CONCERTO_WORKER_BUILD_JOBS) || 2;

// mediasoup-worker exits with 41 when started without MEDIASOUP_VERSION, i.e.
// not by mediasoup's Node side. Getting that code proves the binary loads and
// its shared libraries resolve.
const EXIT_NOT_STARTED_BY_MEDIASOUP = 41;

const APT_PACKAGES_FILE = path.join(SCRIPT_DIR, 'apt-packages.txt');
const INSTALL_MESON = path.join(SCRIPT_DIR, 'install-meson.sh');

const STAMP_NAME = '.concerto-worker-build.json';
const APT_GET = ['apt-get', '-o', 'DPkg::Lock::Timeout=600'];

/* Output. */

function elapsed(since = START): string {
	const ms = performance.now() - since;

	if (ms < 60_000) {
		return `${(ms / 1000).toFixed(1)}s`;
	}

	const s = Math.round(ms / 1000);

	return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function log(message: string): void {
	console.log(`${TAG} ${message} (+${elapsed()})`);
}

function fail(message: string): never {
	console.error(`${TAG} ERROR: ${message}`);
	process.exit(1);
}

function formatSize(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB (${bytes} bytes)`;
}

function shellQuote(arg: string): string {
	return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/* Small process helpers. */

function capture(cmd: string, args: string[]): { ok: boolean; out: string } {
	const res = spawnSync(cmd, args, { encoding: 'utf8' });

	return { ok: !res.error && res.status === 0, out: `${res.stdout ?? ''}${res.stderr ?? ''}`.trim() };
}

function compareVersions(a: string, b: string): number {
	const pa = a.split('.').map((n) => parseInt(n, 10) || 0);
	const pb = b.split('.').map((n) => parseInt(n, 10) || 0);

	for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
		const d = (pa[i] ?? 0) - (pb[i] ?? 0);

		if (d !== 0) {
			return d;
		}
	}

	return 0;
}

// Runs a command, appending its output to the build log. onLine sees stdout
// lines (for progress reporting).
function runLogged(
	cmd: string,
	args: string[],
	cwd: string,
	logFile: string,
	onLine?: (line: string) => void,
): Promise<number> {
	fs.appendFileSync(logFile, `\n$ (cd ${cwd} && ${[cmd, ...args].map(shellQuote).join(' ')})\n`);

	return new Promise((resolve) => {
		const logStream = fs.createWriteStream(logFile, { flags: 'a' });
		const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		let pending = '';

		child.stdout.on('data', (chunk: Buffer) => {
			logStream.write(chunk);

			if (onLine) {
				const lines = (pending + chunk.toString('utf8')).split('\n');

				pending = lines.pop() ?? '';
				lines.forEach(onLine);
			}
		});
		child.stderr.on('data', (chunk: Buffer) => logStream.write(chunk));
		let finished = false;
		const finish = (code: number, note?: string) => {
			if (finished) {
				return;
			}

			finished = true;

			if (note) {
				logStream.write(`\n${note}\n`);
			}

			logStream.end(() => resolve(code));
		};

		// 'error' (e.g. command not found) may or may not be followed by 'close'.
		child.on('error', (error) => finish(127, String(error)));
		child.on('close', (code) => finish(code ?? 1));
	});
}

function printLogTail(logFile: string, lines = 40): void {
	let text = '';

	try {
		text = fs.readFileSync(logFile, 'utf8');
	} catch {
		return;
	}

	console.error(`${TAG} last ${lines} lines of ${logFile}:`);
	console.error(text.trimEnd().split('\n').slice(-lines).join('\n'));
}

/* Locating mediasoup. */

type MediasoupPackage = { dir: string; version: string };

function findMediasoup(): MediasoupPackage {
	const roots = [...new Set([process.cwd(), path.resolve(SCRIPT_DIR, '..', '..')])];

	for (const root of roots) {
		let main: string;

		try {
			// mediasoup's "exports" map does not expose package.json, so resolve
			// the entry point (node/lib/index.js) and walk up from it.
			main = createRequire(path.join(root, 'package.json')).resolve('mediasoup');
		} catch {
			continue;
		}

		const dir = path.resolve(path.dirname(main), '..', '..');
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
			name?: string;
			version?: string;
		};

		if (pkg.name === 'mediasoup' && pkg.version) {
			return { dir, version: pkg.version };
		}
	}

	return fail(`cannot find the mediasoup package from ${roots.join(' or ')}; run npm install first`);
}

/* Checking a binary. */

function isExecutable(file: string): boolean {
	try {
		fs.accessSync(file, fs.constants.X_OK);

		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

// Returns undefined if the binary runs, else why not.
function whyNotRunnable(bin: string): string | undefined {
	if (!isExecutable(bin)) {
		return 'missing or not executable';
	}

	const env = { ...process.env };

	delete env.MEDIASOUP_VERSION;

	const res = spawnSync(bin, [], { env, encoding: 'utf8', timeout: 10_000 });

	if (res.status === EXIT_NOT_STARTED_BY_MEDIASOUP) {
		return undefined;
	}

	return (res.error?.message ?? (res.stderr.trim() || `exit status ${res.status}, signal ${res.signal}`)).slice(0, 500);
}

// The real check: mediasoup's own Node side starts a Worker on the binary,
// opens a router and shuts down cleanly.
async function startWorkerWith(mediasoupDir: string, bin: string): Promise<string> {
	type Mediasoup = {
		createWorker(options: { workerBin: string; logLevel: string }): Promise<{
			pid: number;
			createRouter(options: object): Promise<{ close(): void }>;
			close(): void;
		}>;
	};

	let mediasoup: Mediasoup;

	try {
		mediasoup = createRequire(path.join(mediasoupDir, 'package.json'))(mediasoupDir) as Mediasoup;
	} catch (error) {
		// Not the binary's fault (e.g. mediasoup's own npm dependencies missing).
		return `skipped starting a Worker: cannot load mediasoup's JS (${error instanceof Error ? error.message : String(error)})`;
	}

	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error('timed out after 15 s')), 15_000);
	});

	try {
		const worker = await Promise.race([mediasoup.createWorker({ workerBin: bin, logLevel: 'warn' }), timeout]);

		try {
			const router = await Promise.race([
				worker.createRouter({
					mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
				}),
				timeout,
			]);

			router.close();

			return `started a mediasoup Worker (pid ${worker.pid}), created a router, closed it`;
		} finally {
			worker.close();
		}
	} finally {
		clearTimeout(timer);
	}
}

/* Cache. */

function listFiles(dir: string): string[] {
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name))
		.sort();
}

// Everything in this folder that shapes the binary: the local subprojects and
// this script (meson arguments, source preparation).
function buildInputsHash(): string {
	const hash = createHash('sha256');

	for (const file of [SCRIPT_PATH, ...listFiles(SUBPROJECTS_DIR)]) {
		hash.update(path.relative(SCRIPT_DIR, file).split(path.sep).join('/'));
		hash.update('\0');
		hash.update(fs.readFileSync(file));
		hash.update('\0');
	}

	return hash.digest('hex').slice(0, 12);
}

function cacheRoot(): string {
	if (process.env.MEDIASOUP_WORKER_CACHE) {
		return path.resolve(process.env.MEDIASOUP_WORKER_CACHE);
	}

	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');

	return path.join(base, 'concerto', 'mediasoup-worker');
}

// Copy via a temporary sibling and rename, so a concurrent reader (or an
// interrupted run) never sees a half-written binary.
function installFile(from: string, to: string): void {
	fs.mkdirSync(path.dirname(to), { recursive: true });

	const tmp = `${to}.tmp-${process.pid}`;

	fs.copyFileSync(from, tmp);
	fs.chmodSync(tmp, 0o755);
	fs.renameSync(tmp, to);
}

/* Prerequisites. */

type Problem = { what: string; detail: string; packages: string[] };

// A header per library as well: pkg-config alone can mislead (Debian ships
// flatbuffers.pc in the runtime package libflatbuffers2, not in -dev).
const SYSTEM_LIBRARIES: { modules: string; label: string; header: string; packages: string[] }[] = [
	{ modules: 'libuv >= 1.44', label: 'libuv', header: 'uv.h', packages: ['libuv1-dev'] },
	{ modules: 'openssl >= 3.0', label: 'openssl', header: 'openssl/ssl.h', packages: ['libssl-dev'] },
	// The adapter includes <srtp2/srtp.h> explicitly.
	{ modules: 'libsrtp2 >= 2.5', label: 'libsrtp2', header: 'srtp2/srtp.h', packages: ['libsrtp2-dev'] },
	{
		modules: 'absl_strings absl_optional absl_bad_optional_access absl_memory absl_flat_hash_map absl_flat_hash_set absl_inlined_vector',
		label: 'absl_strings',
		header: 'absl/strings/match.h',
		packages: ['libabsl-dev'],
	},
	{ modules: 'flatbuffers >= 2.0.8', label: 'flatbuffers', header: 'flatbuffers/flatbuffers.h', packages: ['libflatbuffers-dev'] },
];

function firstVersion(text: string): string | undefined {
	return /(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1];
}

function checkPrerequisites(): { problems: Problem[]; found: string[] } {
	const problems: Problem[] = [];
	const found: string[] = [];

	const tool = (cmd: string, args: string[], packages: string[], minVersion?: string): string | undefined => {
		const res = capture(cmd, args);
		const version = res.ok ? firstVersion(res.out) : undefined;

		if (!res.ok || !version) {
			problems.push({ what: cmd, detail: 'not found', packages });

			return undefined;
		}

		if (minVersion && compareVersions(version, minVersion) < 0) {
			problems.push({ what: cmd, detail: `version ${version} found, ${minVersion} or newer needed`, packages });

			return undefined;
		}

		found.push(`${cmd} ${version}`);

		return version;
	};

	tool('meson', ['--version'], ['meson'], MIN_MESON_VERSION);
	tool('ninja', ['--version'], ['ninja-build']);
	tool('pkg-config', ['--version'], ['pkg-config']);
	tool('g++', ['--version'], ['g++']);
	tool('cc', ['--version'], ['g++']);

	const flatc = tool('flatc', ['--version'], ['flatbuffers-compiler']);

	for (const { modules, label, header, packages } of SYSTEM_LIBRARIES) {
		if (!capture('pkg-config', ['--exists', modules]).ok) {
			problems.push({ what: `pkg-config module(s) ${modules}`, detail: 'not found', packages });
			continue;
		}

		const includeDir = capture('pkg-config', ['--variable=includedir', label]).out || '/usr/include';

		if (!fs.existsSync(path.join(includeDir, header))) {
			problems.push({ what: `${label} header ${header}`, detail: `not found in ${includeDir}`, packages });
			continue;
		}

		found.push(`${label} ${capture('pkg-config', ['--modversion', label]).out}`);
	}

	// Generated FlatBuffers code only compiles against the runtime headers of
	// the exact flatc version that generated it.
	const runtime = capture('pkg-config', ['--modversion', 'flatbuffers']);

	if (flatc && runtime.ok && runtime.out !== flatc) {
		problems.push({
			what: 'flatc',
			detail: `version ${flatc} does not match the flatbuffers headers (${runtime.out})`,
			packages: ['flatbuffers-compiler', 'libflatbuffers-dev'],
		});
	}

	return { problems, found };
}

function aptPackages(): string[] {
	return fs
		.readFileSync(APT_PACKAGES_FILE, 'utf8')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !line.startsWith('#'));
}

// apt-get installs the whole list (a no-op for what is already there), so the
// project has one list of packages; install-meson.sh handles meson, which needs
// bookworm-backports.
function installCommands(problems: Problem[]): string[][] {
	const commands: string[][] = [];

	if (problems.some((p) => p.what !== 'meson')) {
		commands.push([...APT_GET, 'update'], [...APT_GET, 'install', '-y', '--no-install-recommends', ...aptPackages()]);
	}

	if (problems.some((p) => p.what === 'meson')) {
		commands.push(['bash', path.relative(process.cwd(), INSTALL_MESON) || INSTALL_MESON]);
	}

	return commands;
}

function ensurePrerequisites(): void {
	const first = checkPrerequisites();

	if (first.problems.length === 0) {
		log(`prerequisites OK: ${first.found.join(', ')}`);

		return;
	}

	for (const problem of first.problems) {
		console.log(`${TAG} missing: ${problem.what}: ${problem.detail} (Debian package: ${problem.packages.join(', ')})`);
	}

	const commands = installCommands(first.problems);
	const mesonPlan = first.problems.some((p) => p.what === 'meson') ? capture('bash', [INSTALL_MESON, '--print']).out : '';

	if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
		let message = commands.map((cmd) => `sudo ${cmd.map(shellQuote).join(' ')}`).join('\n');

		if (mesonPlan) {
			message += `\n\n${path.basename(INSTALL_MESON)} runs:\n${mesonPlan.replace(/^/gm, '    ')}`;
		}

		console.error(
			`${TAG} ERROR: build prerequisites are missing. Install them with:\n\n${message}\n\n` +
				`${TAG} then run: node ${path.relative(process.cwd(), SCRIPT_PATH) || SCRIPT_PATH}`,
		);
		process.exit(1);
	}

	log('installing prerequisites (running as root)');

	for (const cmd of commands) {
		console.log(`${TAG} $ ${cmd.map(shellQuote).join(' ')}`);

		const res = spawnSync(cmd[0], cmd.slice(1), {
			stdio: 'inherit',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});

		if (res.status !== 0) {
			fail(`command failed (exit status ${res.status}): ${cmd.join(' ')}`);
		}
	}

	const second = checkPrerequisites();

	if (second.problems.length > 0) {
		fail(`still missing after installing: ${second.problems.map((p) => `${p.what} (${p.detail})`).join('; ')}`);
	}

	log(`prerequisites OK: ${second.found.join(', ')}`);
}

/* Build. */

// <cache root>/logs/<key>.log, or the temp dir if the cache root is not writable.
function prepareLogFile(root: string, key: string): string {
	const dirs = [path.join(root, 'logs'), os.tmpdir()];

	for (const dir of dirs) {
		try {
			fs.mkdirSync(dir, { recursive: true });
			fs.accessSync(dir, fs.constants.W_OK);

			return path.join(dir, dir === dirs[0] ? `${key}.log` : `concerto-mediasoup-worker-${key}.log`);
		} catch {
			continue;
		}
	}

	return fail(`no writable directory for the build log (tried ${dirs.join(', ')})`);
}

// Returns the built binary and the temporary tree holding it (the caller
// removes the tree once the binary is copied out).
async function build(mediasoup: MediasoupPackage, logFile: string): Promise<{ binary: string; tmp: string }> {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concerto-mediasoup-worker-'));
	const workerDir = path.join(tmp, 'worker');
	const sourceWorker = path.join(mediasoup.dir, 'worker');

	fs.writeFileSync(logFile, `mediasoup ${mediasoup.version} worker build, ${new Date().toISOString()}\n`);

	log(`copying ${sourceWorker} to ${workerDir}`);
	fs.cpSync(sourceWorker, workerDir, {
		recursive: true,
		// Build output of a previous install is not a source.
		filter: (src) => src !== path.join(sourceWorker, 'out'),
	});

	const subprojects = path.join(workerDir, 'subprojects');

	for (const name of REPLACED_WRAPS) {
		fs.rmSync(path.join(subprojects, `${name}.wrap`), { force: true });
	}

	for (const entry of fs.readdirSync(SUBPROJECTS_DIR)) {
		fs.rmSync(path.join(subprojects, entry), { recursive: true, force: true });
		fs.cpSync(path.join(SUBPROJECTS_DIR, entry), path.join(subprojects, entry), { recursive: true });
	}

	log(`replaced ${REPLACED_WRAPS.map((n) => `${n}.wrap`).join(', ')} with local subprojects using system libraries`);

	for (const fix of SOURCE_FIXES) {
		const file = path.join(workerDir, fix.file);
		const source = fs.readFileSync(file, 'utf8');
		const at = source.indexOf(fix.find);

		if (at < 0 || source.indexOf(fix.find, at + 1) >= 0) {
			fail(`cannot apply source fix to ${fix.file} (${fix.why}): the expected line is missing or repeated in mediasoup ${mediasoup.version}`);
		}

		fs.writeFileSync(file, source.replace(fix.find, fix.replace));
		log(`source fix: ${fix.file}: ${fix.why}`);
	}

	// The C++ FlatBuffers headers are generated at build time from fbs/*.fbs by
	// the system flatc (see fbs/FBS/meson.build and subprojects/flatbuffers).
	// Any pre-generated copy would shadow them and might not match the runtime.
	const fbsDir = path.join(workerDir, 'fbs', 'FBS');
	const stale = fs.existsSync(fbsDir) ? fs.readdirSync(fbsDir).filter((f) => f.endsWith('.h')) : [];

	for (const file of stale) {
		fs.rmSync(path.join(fbsDir, file));
	}

	if (stale.length > 0) {
		log(`removed ${stale.length} pre-generated FlatBuffers headers; flatc regenerates them`);
	}

	const failBuild = (step: string): never => {
		printLogTail(logFile);
		console.error(`${TAG} build tree kept at ${tmp}`);

		return fail(`${step} failed; full log: ${logFile}`);
	};

	log(`meson setup ${MESON_SETUP_ARGS.join(' ')} (log: ${logFile})`);

	if ((await runLogged('meson', ['setup', 'build', ...MESON_SETUP_ARGS], workerDir, logFile)) !== 0) {
		failBuild('meson setup');
	}

	const compileStart = performance.now();
	let lastReport = compileStart;

	log(`compiling with ninja -j${BUILD_JOBS} (usually 3.5-4.5 minutes on 2 cores)`);

	const status = await runLogged(
		'ninja',
		['-C', 'build', `-j${BUILD_JOBS}`, 'mediasoup-worker'],
		workerDir,
		logFile,
		(line) => {
			const m = /^\[(\d+)\/(\d+)\]/.exec(line);

			if (m && performance.now() - lastReport > 30_000) {
				lastReport = performance.now();
				log(`compiling: ${m[1]}/${m[2]} steps`);
			}
		},
	);

	if (status !== 0) {
		failBuild('ninja');
	}

	const built = path.join(workerDir, 'build', 'mediasoup-worker');

	log(`compiled in ${elapsed(compileStart)}: ${formatSize(fs.statSync(built).size)}`);

	return { binary: built, tmp };
}

/* Main. */

async function main(): Promise<void> {
	if (process.env.CONCERTO_SKIP_WORKER_BUILD === '1') {
		log('CONCERTO_SKIP_WORKER_BUILD=1: skipping');

		return;
	}

	const force = process.env.CONCERTO_FORCE_WORKER_BUILD === '1';
	const mediasoup = findMediasoup();
	const target = path.join(mediasoup.dir, 'worker', 'out', 'Release', 'mediasoup-worker');
	const stampFile = path.join(path.dirname(target), STAMP_NAME);

	log(`mediasoup ${mediasoup.version} at ${mediasoup.dir}`);

	const envBin = process.env.MEDIASOUP_WORKER_BIN;

	if (envBin) {
		if (isExecutable(envBin)) {
			log(`MEDIASOUP_WORKER_BIN=${envBin} is executable; mediasoup will use it, nothing to build`);

			return;
		}

		console.warn(`${TAG} WARNING: MEDIASOUP_WORKER_BIN=${envBin} is not an executable file; mediasoup will still try to use it at runtime. Building ${target} anyway.`);
	}

	if (process.platform !== 'linux') {
		fail(`this offline build supports Linux (Debian) only; set MEDIASOUP_WORKER_BIN to a worker binary or CONCERTO_SKIP_WORKER_BUILD=1`);
	}

	const key = `${mediasoup.version}-${process.platform}-${process.arch}-${buildInputsHash()}`;
	const root = cacheRoot();
	const entryDir = path.join(root, key);
	const cached = path.join(entryDir, 'mediasoup-worker');

	// Fast path: the binary is in place, runs, and (if we put it there) was
	// built from the current inputs.
	if (!force && fs.existsSync(target)) {
		let stampKey: string | undefined;

		try {
			stampKey = (JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { key?: string }).key;
		} catch {
			stampKey = undefined;
		}

		const problem = whyNotRunnable(target);

		if (!problem && (stampKey === undefined || stampKey === key)) {
			log(`${target} is already in place and runs (${formatSize(fs.statSync(target).size)}); nothing to do`);

			return;
		}

		log(problem ? `installed binary does not run (${problem}); replacing it` : `installed binary was built from other inputs (${stampKey}); replacing it`);
	}

	let source: 'cache' | 'build' = 'cache';

	if (!force && fs.existsSync(cached)) {
		const problem = whyNotRunnable(cached);

		if (problem) {
			log(`cached binary ${cached} does not run (${problem}); discarding it`);
			fs.rmSync(entryDir, { recursive: true, force: true });
		}
	}

	if (!force && fs.existsSync(cached)) {
		log(`cache hit: ${cached}`);
		installFile(cached, target);
	} else {
		source = 'build';
		log(force ? `CONCERTO_FORCE_WORKER_BUILD=1: rebuilding (cache key ${key})` : `cache miss: ${entryDir}`);
		ensurePrerequisites();

		const logFile = prepareLogFile(root, key);
		const { binary: built, tmp } = await build(mediasoup, logFile);

		installFile(built, target);

		try {
			installFile(built, cached);
			fs.copyFileSync(logFile, path.join(entryDir, 'build.log'));
			fs.rmSync(logFile, { force: true });
			log(`cached at ${cached} (build log: ${path.join(entryDir, 'build.log')})`);
		} catch (error) {
			console.warn(`${TAG} WARNING: could not store the binary in the cache ${entryDir}: ${String(error)}`);
		}

		fs.rmSync(tmp, { recursive: true, force: true });
	}

	log(`installed ${target}`);

	// A binary that fails here must not stay installed nor cached.
	const reject = (why: string): never => {
		fs.rmSync(target, { force: true });
		fs.rmSync(entryDir, { recursive: true, force: true });

		return fail(`${why}; removed ${target} and ${entryDir}`);
	};
	const problem = whyNotRunnable(target);

	if (problem) {
		reject(`the installed binary does not run: ${problem}`);
	}

	try {
		log(`sanity check: ${await startWorkerWith(mediasoup.dir, target)}`);
	} catch (error) {
		reject(`sanity check failed: ${error instanceof Error ? error.message : String(error)}`);
	}

	fs.writeFileSync(stampFile, `${JSON.stringify({ key, source, at: new Date().toISOString() }, null, 2)}\n`);
	log(`done: ${formatSize(fs.statSync(target).size)}, ${source === 'cache' ? 'from cache' : 'built'} in ${elapsed()}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
