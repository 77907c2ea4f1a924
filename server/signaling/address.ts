/**
 * The browser's address for a Socket.IO connection, read as SvelteKit's adapter-node reads
 * it for pages: behind a proxy (HAProxy in front of several nodes), from the header named
 * by ADDRESS_HEADER, and for X-Forwarded-For the entry XFF_DEPTH from the right (the one
 * the trusted proxy added); otherwise the connection's own address.
 */
export interface AddressSettings {
	header: string | undefined;
	xffDepth: number;
}

export function addressSettings(env: Record<string, string | undefined> = process.env): AddressSettings {
	const depth = Number(env.XFF_DEPTH ?? '1');
	return { header: env.ADDRESS_HEADER?.toLowerCase() || undefined, xffDepth: Number.isInteger(depth) && depth > 0 ? depth : 1 };
}

export function clientAddress(
	handshake: { address?: string; headers: Record<string, string | string[] | undefined> },
	settings: AddressSettings
): string | null {
	if (!settings.header) return handshake.address ?? null;
	const raw = handshake.headers[settings.header];
	const value = Array.isArray(raw) ? raw.join(',') : raw;
	if (!value) return handshake.address ?? null;
	if (settings.header !== 'x-forwarded-for') return value.trim() || null;
	const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
	return entries.at(-settings.xffDepth) ?? entries[0] ?? null;
}
