import type { IncomingMessage } from 'node:http';

/**
 * True when a request either carries no Origin (not a browser page: tools, health
 * probes) or comes from a page of this site: the configured public origin, or the host
 * the request itself was addressed to.
 */
export function isSameOrigin(req: IncomingMessage, publicOrigin: string): boolean {
	const origin = req.headers.origin;
	if (!origin) return true;
	if (origin === publicOrigin) return true;
	try {
		return new URL(origin).host === req.headers.host;
	} catch {
		return false;
	}
}
