/**
 * Where Prometheus reads the metrics, and the count of HTTP responses.
 *
 * - On the main port, `/metrics` exists only when a token is set; every scrape sends it
 *   (`Authorization: Bearer <token>`). Without a token the path is left to the app, which
 *   has no such page. Every response of the main port is counted by status class.
 * - With a port of its own, `/metrics` is also served on that listener (an internal
 *   address, 127.0.0.1 by default), asking for the token too when one is set.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { MetricsConfig } from '../../src/lib/server/config.ts';
import type { Logger } from '../../src/lib/server/logger.ts';

export const METRICS_PATH = '/metrics';

/** The metrics as text, in the format Prometheus reads. */
export type Scrape = () => Promise<{ contentType: string; body: string }>;

/** Whether `authorization` carries `token` as a bearer token. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
	const given = /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
	// Digests of equal length: the comparison takes the same time wherever the strings differ.
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(token));
}

/** Answers a scrape: 401 without the token when one is required, else the metrics. */
export function scrapeHandler(scrape: Scrape, token: string | undefined, logger: Logger): RequestListener {
	return (req, res) => {
		if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
		if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
			return reply(res, 401, 'Unauthorized\n', { 'www-authenticate': 'Bearer realm="metrics"' });
		}
		scrape().then(
			({ contentType, body }) => reply(res, 200, req.method === 'HEAD' ? '' : body, { 'content-type': contentType }),
			(error: unknown) => {
				logger.error({ err: error }, 'metrics scrape failed');
				reply(res, 500, 'Internal Server Error\n');
			}
		);
	};
}

/**
 * Puts the response count, and `/metrics` when `metrics` is given, in front of whatever
 * already answers on `server` (SvelteKit's handler, Vite's dev server, Socket.IO), the way
 * Socket.IO claims `/socket.io/`. Returns what takes them off again.
 */
export function mountOnMainServer(
	server: Server,
	options: { metrics: RequestListener | undefined; responded(status: number): void }
): () => void {
	const others = server.listeners('request') as RequestListener[];
	const listener: RequestListener = (req, res) => {
		res.once('finish', () => options.responded(res.statusCode));
		if (options.metrics && isMetricsPath(req)) return options.metrics(req, res);
		for (const other of others) other.call(server, req, res);
	};
	server.removeAllListeners('request');
	server.on('request', listener);
	return () => {
		server.off('request', listener);
		for (const other of others) server.on('request', other);
	};
}

/** A listener of its own for scrapers, on an internal address: `/metrics` and nothing else. */
export async function listenForScrapes(listen: NonNullable<MetricsConfig['listen']>, metrics: RequestListener): Promise<Server> {
	const server = createServer((req, res) => (isMetricsPath(req) ? metrics(req, res) : reply(res, 404, 'Not Found\n')));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(listen.port, listen.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	return server;
}

function isMetricsPath(req: IncomingMessage): boolean {
	const url = req.url ?? '';
	return url === METRICS_PATH || url.startsWith(`${METRICS_PATH}?`);
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
	res.end(body);
}
