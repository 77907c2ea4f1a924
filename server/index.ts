/**
 * Production entry: `node server/index.ts` (`npm run serve`; `npm start` runs it after
 * building if the sources changed, see server/tools/start.ts).
 *
 * Reads top to bottom: configuration → logger → database, SFU and Socket.IO
 * (startConcerto) → HTTP server serving the built SvelteKit app on the same port →
 * clean shutdown on SIGINT / SIGTERM.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { ConfigError, loadConfig, type Config } from '../src/lib/server/config.ts';
import { DatabaseBusyError } from '../src/lib/server/db/index.ts';
import { createLogger } from '../src/lib/server/logger.ts';
import { startConcerto } from './app.ts';

/** Time to drain (move the meetings this node hosts) and close; systemd's TimeoutStopSec is longer. */
const SHUTDOWN_GRACE_MS = 30_000;
/**
 * Several nodes: after moving its meetings, a draining node keeps answering (503 on
 * /healthz) while the proxy's health checks take it out (two checks, 1 s apart), and
 * while the participants of the moved meetings read their new node.
 */
const DRAIN_NOTICE_MS = 2_500;

function readConfig(): Config {
	try {
		return loadConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			console.error(error.message);
			process.exit(1);
		}
		throw error;
	}
}

const config = readConfig();
const logger = createLogger(config.logLevel);

const handlerFile = new URL('../build/handler.js', import.meta.url);
if (!existsSync(handlerFile)) {
	logger.fatal('build/handler.js is missing: run `npm run build` first (`npm start` does it)');
	process.exit(1);
}
// adapter-node reads ORIGIN to check form posts; keep it in step with PUBLIC_ORIGIN.
process.env.ORIGIN ??= config.publicOrigin;
// Case documents go up to 50 MB (adapter-node refuses larger bodies before they are read).
process.env.BODY_SIZE_LIMIT ??= '55M';
const { handler } = (await import(handlerFile.href)) as { handler: Parameters<typeof createServer>[0] };

const httpServer = createServer(handler);
const concerto = await startConcerto({ config, logger, httpServer }).catch((error: unknown) => {
	if (!(error instanceof DatabaseBusyError)) throw error;
	logger.fatal(error.message);
	process.exit(1);
});

httpServer.listen(config.port, config.host, () => {
	logger.info(
		{ port: config.port, host: config.host, origin: config.publicOrigin, database: config.database.kind },
		`Concerto listening on ${config.publicOrigin}`
	);
});
httpServer.on('error', (error) => {
	logger.fatal({ err: error }, 'HTTP server error');
	void shutdown(1);
});

let stopping = false;
async function shutdown(code: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	logger.info('shutting down');
	const force = setTimeout(() => {
		logger.error('shutdown took too long; exiting');
		process.exit(code || 1);
	}, SHUTDOWN_GRACE_MS);
	force.unref();
	try {
		// Take no new meeting, send the participants of ours to other nodes (several nodes).
		await concerto.drain();
		if (concerto.cluster.nodeId) await new Promise((resolve) => setTimeout(resolve, DRAIN_NOTICE_MS));
		httpServer.close();
		httpServer.closeIdleConnections();
		await concerto.close();
		httpServer.closeAllConnections();
	} catch (error) {
		logger.error({ err: error }, 'error during shutdown');
		code ||= 1;
	}
	process.exit(code);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
