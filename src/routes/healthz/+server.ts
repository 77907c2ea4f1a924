import { json } from '@sveltejs/kit';
import { checkHealth } from '$lib/server/health';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Liveness and readiness for load balancers and monitoring; no personal data. */
export const GET: RequestHandler = async () => {
	const report = await checkHealth(runtime());
	return json(report, {
		status: report.status === 'ok' ? 200 : 503,
		headers: { 'cache-control': 'no-store' }
	});
};
