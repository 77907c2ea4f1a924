/**
 * `npm run dev`: the same stack as production, attached to Vite's dev server so that
 * Socket.IO and the SFU share its port and the app hot-reloads. Loaded by the Vite
 * plugin in vite.config.ts with a native import, so it stays one module instance across
 * Vite restarts and the database is never opened twice.
 */
import type { Server as HttpServer } from 'node:http';
import { loadConfig } from '../src/lib/server/config.ts';
import { createLogger } from '../src/lib/server/logger.ts';
import { startConcerto, type Concerto } from './app.ts';

let current: Promise<Concerto | undefined> = Promise.resolve(undefined);

export async function attachToDevServer(httpServer: HttpServer): Promise<void> {
	const previous = current;
	current = (async () => {
		await (await previous)?.close();
		const config = loadConfig();
		const logger = createLogger(config.logLevel);
		const concerto = await startConcerto({ config, logger, httpServer, shareUpgrades: true });
		logger.info({ database: config.database.kind }, 'dev server: database, SFU and Socket.IO attached');
		return concerto;
	})();
	await current;
}

/** Called when Vite's server closes (restart or exit). */
export async function detachFromDevServer(): Promise<void> {
	const previous = current;
	current = Promise.resolve(undefined);
	await (await previous)?.close();
}
