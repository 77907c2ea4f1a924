import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/server/logger.ts';
import { bearerMatches, listenForScrapes, mountOnMainServer, scrapeHandler } from './http.ts';

const TOKEN = 't'.repeat(40);
const logger = createLogger('silent');
const scrape = async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'concerto_rooms 3\n' });

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(
		servers.splice(0).map((server) => {
			const closed = new Promise((resolve) => server.close(resolve));
			server.closeAllConnections();
			return closed;
		})
	);
});

/** Listens on an ephemeral port of 127.0.0.1; returns its base URL. */
async function listening(server: Server): Promise<string> {
	servers.push(server);
	if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('bearerMatches', () => {
	it('accepts exactly the token as a bearer token', () => {
		expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
		expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
	});

	it.each([undefined, '', TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, 'Bearer '])('refuses %s', (header) => {
		expect(bearerMatches(header, TOKEN)).toBe(false);
	});
});

describe('scrapeHandler', () => {
	it('answers 401 without the token, the metrics with it', async () => {
		const url = await listening(createServer(scrapeHandler(scrape, TOKEN, logger)));
		const refused = await fetch(`${url}/metrics`);
		expect(refused.status).toBe(401);
		expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
		expect(await refused.text()).not.toContain('concerto_rooms');
		expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);

		const served = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toContain('version=0.0.4');
		expect(served.headers.get('cache-control')).toBe('no-store');
		expect(await served.text()).toBe('concerto_rooms 3\n');
	});

	it('serves anyone when no token is set (a listener on an internal address), GET and HEAD only', async () => {
		const url = await listening(createServer(scrapeHandler(scrape, undefined, logger)));
		expect(await (await fetch(`${url}/metrics`)).text()).toBe('concerto_rooms 3\n');
		expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
	});

	it('answers 500 when the scrape fails, without the error', async () => {
		const failing = async () => {
			throw new Error('worker channel closed');
		};
		const url = await listening(createServer(scrapeHandler(failing, undefined, logger)));
		const answer = await fetch(`${url}/metrics`);
		expect(answer.status).toBe(500);
		expect(await answer.text()).not.toContain('worker');
	});
});

describe('mountOnMainServer', () => {
	const app = () =>
		createServer((req, res) => {
			res.writeHead(req.url === '/boom' ? 500 : req.url === '/' ? 200 : 404);
			res.end(`app ${req.url}`);
		});

	it('takes /metrics from the app, leaves it every other path, and counts every response', async () => {
		const server = app();
		const statuses: number[] = [];
		mountOnMainServer(server, { metrics: scrapeHandler(scrape, TOKEN, logger), responded: (status) => statuses.push(status) });
		const url = await listening(server);

		expect(await (await fetch(`${url}/`)).text()).toBe('app /');
		expect((await fetch(`${url}/boom`)).status).toBe(500);
		expect((await fetch(`${url}/metrics`)).status).toBe(401);
		expect(await (await fetch(`${url}/metrics?x=1`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()).toBe('concerto_rooms 3\n');
		expect(await (await fetch(`${url}/metricsfoo`)).text()).toBe('app /metricsfoo');
		// A response is counted when it has been written out, which the client may see first.
		await expect.poll(() => statuses).toEqual([200, 500, 401, 200, 404]);
	});

	it('without a token, leaves /metrics to the app (404), still counting', async () => {
		const server = app();
		const statuses: number[] = [];
		mountOnMainServer(server, { metrics: undefined, responded: (status) => statuses.push(status) });
		const url = await listening(server);
		const answer = await fetch(`${url}/metrics`);
		expect(answer.status).toBe(404);
		expect(await answer.text()).toBe('app /metrics');
		await expect.poll(() => statuses).toEqual([404]);
	});

	it('gives the app back its requests when taken off', async () => {
		const server = app();
		const unmount = mountOnMainServer(server, { metrics: scrapeHandler(scrape, undefined, logger), responded: () => {} });
		unmount();
		const url = await listening(server);
		expect(await (await fetch(`${url}/metrics`)).text()).toBe('app /metrics');
	});
});

describe('listenForScrapes', () => {
	it('serves /metrics and nothing else on its own address', async () => {
		const server = await listenForScrapes({ host: '127.0.0.1', port: 0 }, scrapeHandler(scrape, undefined, logger));
		const url = await listening(server);
		expect(await (await fetch(`${url}/metrics`)).text()).toBe('concerto_rooms 3\n');
		expect((await fetch(`${url}/`)).status).toBe(404);
	});

	it('fails to start on a port already taken', async () => {
		const taken = await listening(createServer());
		const port = Number(new URL(taken).port);
		await expect(listenForScrapes({ host: '127.0.0.1', port }, scrapeHandler(scrape, undefined, logger))).rejects.toThrow(/EADDRINUSE/);
	});
});
