import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFingerprint, decideBuild, GENERATED, writeStamp } from './build.ts';

/** A miniature repository: one file of each kind of build input. */
const SOURCES: Record<string, string> = {
	'src/app.html': '<html>%sveltekit.body%</html>\n',
	'src/routes/+page.svelte': '<h1>Concerto</h1>\n',
	'src/lib/domain/quorum.ts': 'export const quorum = 3;\n',
	'static/favicon.svg': '<svg/>\n',
	'messages/fr.json': '{"hello": "Bonjour"}\n',
	'project.inlang/settings.json': '{}\n',
	'svelte.config.js': 'export default {};\n',
	'vite.config.ts': 'export default {};\n',
	'tsconfig.json': '{}\n',
	'package.json': '{"name": "concerto"}\n',
	'package-lock.json': '{"lockfileVersion": 3}\n'
};

const roots: string[] = [];
let root: string;

function newRoot(): string {
	const dir = mkdtempSync(join(tmpdir(), 'concerto-build-'));
	roots.push(dir);
	for (const [path, content] of Object.entries(SOURCES)) write(path, content, dir);
	return dir;
}

function write(path: string, content: string, dir = root): void {
	mkdirSync(dirname(join(dir, path)), { recursive: true });
	writeFileSync(join(dir, path), content);
}

/** What a successful build leaves behind: a fresh build/ with the handler, then the stamp. */
function simulateBuild(): void {
	const { fingerprint } = decideBuild(root);
	rmSync(join(root, 'build'), { recursive: true, force: true });
	write('build/handler.js', 'export const handler = () => {};\n');
	writeStamp(root, fingerprint);
}

beforeEach(() => {
	root = newRoot();
});

afterEach(() => {
	for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('decideBuild', () => {
	it('builds when there is no build', () => {
		expect(decideBuild(root)).toMatchObject({ build: true, reason: 'no build' });
	});

	it('builds when the build has no stamp (a plain or interrupted `vite build`)', () => {
		write('build/handler.js', '');
		expect(decideBuild(root)).toMatchObject({ build: true, reason: 'no build' });
	});

	it('builds when the stamp is there but the handler is not', () => {
		simulateBuild();
		rmSync(join(root, 'build/handler.js'));
		expect(decideBuild(root)).toMatchObject({ build: true, reason: 'no build' });
	});

	it('does not build when the sources are those of the build', () => {
		simulateBuild();
		expect(decideBuild(root)).toMatchObject({ build: false, reason: 'up to date' });
	});

	it('builds when a source file changed, even with the same size and modification time', () => {
		simulateBuild();
		const file = join(root, 'src/lib/domain/quorum.ts');
		const { atime, mtime } = statSync(file);
		writeFileSync(file, 'export const quorum = 4;\n');
		utimesSync(file, atime, mtime);
		expect(decideBuild(root)).toMatchObject({ build: true, reason: 'sources changed' });
	});

	it('does not build when only modification times changed (a fresh checkout)', () => {
		simulateBuild();
		const later = new Date(Date.now() + 60_000);
		utimesSync(join(root, 'src/routes/+page.svelte'), later, later);
		expect(decideBuild(root).build).toBe(false);
	});

	it.each(['src/routes/about/+page.svelte', 'static/robots.txt', 'messages/de.json'])('builds when a file is added: %s', (path) => {
		simulateBuild();
		write(path, 'new\n');
		expect(decideBuild(root)).toMatchObject({ build: true, reason: 'sources changed' });
	});

	it('builds when a file is removed or renamed', () => {
		simulateBuild();
		rmSync(join(root, 'static/favicon.svg'));
		expect(decideBuild(root).build).toBe(true);
		write('static/icon.svg', SOURCES['static/favicon.svg']);
		expect(decideBuild(root).build).toBe(true);
	});

	it.each(['svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json', 'project.inlang/settings.json'])(
		'builds when %s changed',
		(path) => {
			simulateBuild();
			write(path, `${SOURCES[path]} `);
			expect(decideBuild(root).build).toBe(true);
		}
	);

	it('is up to date again once rebuilt', () => {
		simulateBuild();
		write('src/routes/+page.svelte', '<h1>Concerto 2</h1>\n');
		expect(decideBuild(root).build).toBe(true);
		simulateBuild();
		expect(decideBuild(root).build).toBe(false);
	});
});

describe('buildFingerprint', () => {
	it('ignores the generated directories', () => {
		const before = buildFingerprint(root);
		expect([...GENERATED]).toEqual(expect.arrayContaining(['src/lib/paraglide', '.svelte-kit', 'build', 'node_modules', 'data']));
		for (const directory of GENERATED) write(`${directory}/generated.js`, 'export {};\n');
		write('src/lib/paraglide/messages/fr.js', 'export const hello = () => "Bonjour";\n');
		write('src/lib/components/node_modules/x/index.js', 'export {};\n');
		expect(buildFingerprint(root)).toBe(before);
	});

	it('depends on the content, not on where the repository is', () => {
		expect(buildFingerprint(newRoot())).toBe(buildFingerprint(root));
	});
});
