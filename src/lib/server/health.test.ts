import { describe, expect, it } from 'vitest';
import { checkHealth } from './health.ts';
import type { DatabaseHandle } from './db/index.ts';

const startedAt = new Date('2026-11-22T10:00:00Z');
const now = new Date('2026-11-22T10:01:30Z');

function runtimeWith(options: { ping: () => Promise<number>; workers: { pid: number; alive: boolean; routers: number }[]; node?: string; draining?: boolean }) {
	return {
		database: { kind: 'pglite', ping: options.ping } as unknown as DatabaseHandle,
		sfu: {
			workers: () => options.workers,
			rooms: () => 2,
			rtpCapabilities: {},
			endRoom: async () => {},
			expel: async () => {},
			node: options.node ?? null,
			draining: () => options.draining ?? false,
			where: async () => ({ here: true as const })
		},
		startedAt,
		version: '1.2.3'
	};
}

describe('checkHealth', () => {
	it('says draining, with the node’s name, while a node of several stops (a proxy then sends it nothing new)', async () => {
		const report = await checkHealth(
			runtimeWith({ ping: async () => 1, workers: [{ pid: 11, alive: true, routers: 0 }], node: 'n2', draining: true }),
			now
		);
		expect(report.status).toBe('draining');
		expect(report.node).toBe('n2');
	});

	it('is ok when the database answers and every worker is alive', async () => {
		const report = await checkHealth(
			runtimeWith({ ping: async () => 1.234, workers: [{ pid: 11, alive: true, routers: 2 }] }),
			now
		);
		expect(report).toEqual({
			status: 'ok',
			version: '1.2.3',
			uptimeSeconds: 90,
			database: { kind: 'pglite', ok: true, roundTripMs: 1.23 },
			sfu: { ok: true, rooms: 2, workers: [{ pid: 11, alive: true, routers: 2 }] }
		});
	});

	it('is down when the database fails, without leaking the error text', async () => {
		const report = await checkHealth(
			runtimeWith({
				ping: () => Promise.reject(new Error('password authentication failed for user "secret"')),
				workers: [{ pid: 11, alive: true, routers: 0 }]
			}),
			now
		);
		expect(report.status).toBe('down');
		expect(report.database).toEqual({ kind: 'pglite', ok: false, error: 'unreachable' });
		expect(JSON.stringify(report)).not.toContain('secret');
	});

	it('is down when a worker is dead or none runs', async () => {
		const dead = await checkHealth(
			runtimeWith({ ping: async () => 1, workers: [{ pid: 11, alive: true, routers: 0 }, { pid: 12, alive: false, routers: 0 }] }),
			now
		);
		expect(dead.status).toBe('down');
		expect(dead.sfu.ok).toBe(false);
		const none = await checkHealth(runtimeWith({ ping: async () => 1, workers: [] }), now);
		expect(none.status).toBe('down');
	});
});
