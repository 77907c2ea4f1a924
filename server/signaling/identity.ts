/**
 * Who opens a Socket.IO connection: the same answer as for a page. The browser sends its
 * cookies with the WebSocket handshake (same origin): Auth.js's session cookie (a JWT
 * encrypted with AUTH_SECRET) for an account, or the guest session cookie. Decided once
 * per connection; every join re-checks the meeting access in the database.
 */
import { getToken } from '@auth/core/jwt';
import type { Database } from '../../src/lib/server/db/index.ts';
import { GUEST_COOKIE, guestFromSession } from '../../src/lib/server/guests.ts';
import type { RoomIdentity } from '../../src/lib/server/meeting-room.ts';
import { findUserById, toSessionUser } from '../../src/lib/server/users.ts';

export interface IdentityOptions {
	authSecret: string;
	/** True when the site is served over https: Auth.js then names its cookie `__Secure-…`. */
	secureCookie: boolean;
}

const silent = { error() {}, warn() {}, debug() {} };

/** The cookie named `name` in a Cookie header, decoded, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
	for (const part of (header ?? '').split(';')) {
		const at = part.indexOf('=');
		if (at < 0 || part.slice(0, at).trim() !== name) continue;
		try {
			return decodeURIComponent(part.slice(at + 1).trim());
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/** The signed-in, active account, else the valid guest session, else undefined. */
export async function identify(db: Database, cookieHeader: string | undefined, options: IdentityOptions): Promise<RoomIdentity | undefined> {
	const token = await getToken({
		req: { headers: { cookie: cookieHeader ?? '' } },
		secret: options.authSecret,
		secureCookie: options.secureCookie,
		logger: silent
	});
	if (token?.sub) {
		const user = await findUserById(db, token.sub);
		if (user?.active) return { kind: 'user', user: toSessionUser(user) };
	}
	const secret = readCookie(cookieHeader, GUEST_COOKIE);
	if (secret) {
		const guest = await guestFromSession(db, secret);
		if (guest) return { kind: 'guest', guest };
	}
	return undefined;
}
