import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';

/**
 * In `npm run dev`, start Concerto's database, SFU and Socket.IO on Vite's own HTTP
 * server (server/dev.ts), so that dev and production run the same stack on one port.
 */
function concertoDevServer(): Plugin {
	return {
		name: 'concerto:dev-server',
		apply: 'serve',
		async configureServer(server) {
			// Vitest also starts a Vite server, in middleware mode and without HTTP server.
			if (!server.httpServer || process.env.VITEST) return;
			// A native import keeps one instance across Vite restarts (see server/dev.ts).
			const entry = new URL('./server/dev.ts', import.meta.url).href;
			const dev = (await import(/* @vite-ignore */ entry)) as typeof import('./server/dev.ts');
			await dev.attachToDevServer(server.httpServer as import('node:http').Server);
			server.httpServer.once('close', () => void dev.detachFromDevServer());
		}
	};
}

export default defineConfig({
	plugins: [
		// Compiles messages/*.json into src/lib/paraglide (generated, not committed); `npm run check`
		// runs the same compile first (keep the options in step). The project's plugin module is
		// read from node_modules: nothing is fetched from a CDN.
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Server side: a chosen language (cookie), else the browser's Accept-Language, else French.
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		concertoDevServer()
	],
	server: { port: 3000, strictPort: true },
	preview: { port: 3000 },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'bench/**/*.test.ts'],
					exclude: ['**/*.db.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['src/**/*.db.test.ts', 'server/**/*.db.test.ts', 'tests/integration/**/*.db.test.ts'],
					environment: 'node',
					// PGlite and PostgreSQL tests create their own databases; keep them sequential on 2 cores.
					fileParallelism: false,
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					exclude: ['tests/integration/**/*.db.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 30_000,
					fileParallelism: false
				}
			}
		]
	}
});
