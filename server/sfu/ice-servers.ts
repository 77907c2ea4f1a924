/**
 * The TURN (and STUN) servers handed to browsers with each transport. With coturn's
 * shared secret (`use-auth-secret`), credentials are time-limited and per participant:
 * username `<expiry in Unix seconds>:<participant>`, password base64(HMAC-SHA1(secret,
 * username)), as coturn's REST API scheme expects.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../src/lib/realtime/protocol.ts';
import type { TurnConfig } from '../../src/lib/server/config.ts';
import { clock } from '../../src/lib/clock.ts';

export function iceServersFor(turn: TurnConfig, participantKey: string, now: number = clock.now().getTime()): IceServer[] {
	if (turn.urls.length === 0) return [];
	const auth = turn.auth;
	if (!auth) return [{ urls: turn.urls }];
	if (auth.kind === 'static') return [{ urls: turn.urls, username: auth.username, credential: auth.credential }];
	const username = `${Math.floor(now / 1000) + auth.ttlS}:${participantKey}`;
	const credential = createHmac('sha1', auth.secret).update(username).digest('base64');
	return [{ urls: turn.urls, username, credential }];
}
