/**
 * The health report served at /healthz: is the database answering, is every mediasoup
 * worker alive. Anything down makes the report unhealthy (HTTP 503).
 */
import type { Runtime } from './runtime.ts';
import { clock } from '../clock.ts';
import { withTimeout } from '../timeout.ts';

export interface HealthReport {
	/** `draining`: the node is stopping and moving its meetings; a proxy sends it nothing new. */
	status: 'ok' | 'down' | 'draining';
	/** This node's name when there are several. */
	node?: string;
	version: string;
	uptimeSeconds: number;
	database: { kind: 'pglite' | 'postgres'; ok: boolean; roundTripMs?: number; error?: string };
	sfu: { ok: boolean; rooms: number; workers: { pid: number; alive: boolean; routers: number }[] };
}

const PING_TIMEOUT_MS = 2000;

export async function checkHealth(
	rt: Pick<Runtime, 'database' | 'sfu' | 'startedAt' | 'version'>,
	now: Date = clock.now()
): Promise<HealthReport> {
	const database: HealthReport['database'] = { kind: rt.database.kind, ok: false };
	try {
		database.roundTripMs = round(await withTimeout(rt.database.ping(), PING_TIMEOUT_MS));
		database.ok = true;
	} catch (error) {
		// The reason only: connection strings and query text stay out of the answer.
		database.error = error instanceof Error && error.message === 'timeout' ? 'timeout' : 'unreachable';
	}
	const workers = rt.sfu.workers();
	const sfuOk = workers.length > 0 && workers.every((w) => w.alive);
	return {
		status: !database.ok || !sfuOk ? 'down' : rt.sfu.draining?.() ? 'draining' : 'ok',
		...(rt.sfu.node ? { node: rt.sfu.node } : {}),
		version: rt.version,
		uptimeSeconds: Math.round((now.getTime() - rt.startedAt.getTime()) / 1000),
		database,
		sfu: { ok: sfuOk, rooms: rt.sfu.rooms(), workers }
	};
}

const round = (ms: number) => Math.round(ms * 100) / 100;
