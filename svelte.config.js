import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// The production entry (server/index.ts) mounts build/handler.js on its own HTTP
		// server, next to Socket.IO; adapter-node's own index.js is not used.
		adapter: adapter({ out: 'build' }),
		// Everything is served by Concerto itself: no CDN, no third-party script.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			// server/ (plain Node, the composition root), bench/ and the tool configs are type-checked too.
			config: (tsconfig) => ({
				...tsconfig,
				include: [
					...tsconfig.include,
					'../server/**/*.ts',
					'../bench/**/*.ts',
					'../tests/**/*.ts',
					'../vite.config.ts',
					'../playwright.config.ts',
					'../drizzle.config.ts'
				]
			})
		}
	}
};

export default config;
