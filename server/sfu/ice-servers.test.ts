import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/server/config.ts';
import { iceServersFor } from './ice-servers.ts';

const base = { DATA_DIR: '/tmp/concerto-config-test', AUTH_SECRET: 'x'.repeat(32) };

describe('TURN servers for browsers', () => {
	it('hands nothing when no TURN server is configured', () => {
		expect(iceServersFor(loadConfig(base).turn, 'user:1')).toEqual([]);
	});

	it('hands fixed credentials as configured', () => {
		const { turn } = loadConfig({ ...base, TURN_URLS: 'turn:turn.chu.fr:3478?transport=udp, turns:turn.chu.fr:443?transport=tcp', TURN_USERNAME: 'concerto', TURN_CREDENTIAL: 's3cret' });
		expect(iceServersFor(turn, 'user:1')).toEqual([
			{ urls: ['turn:turn.chu.fr:3478?transport=udp', 'turns:turn.chu.fr:443?transport=tcp'], username: 'concerto', credential: 's3cret' }
		]);
	});

	it('derives coturn REST credentials that expire, per participant', () => {
		const { turn } = loadConfig({ ...base, TURN_URLS: 'turns:turn.chu.fr:443', TURN_SECRET: 'a-shared-secret-of-coturn', TURN_TTL_S: '3600', ICE_TRANSPORT_POLICY: 'relay' });
		expect(turn.policy).toBe('relay');
		const [server] = iceServersFor(turn, 'guest:abc', Date.UTC(2026, 11, 15, 13) );
		const expiry = Date.UTC(2026, 11, 15, 13) / 1000 + 3600;
		expect(server.username).toBe(`${expiry}:guest:abc`);
		expect(server.credential).toBe(createHmac('sha1', 'a-shared-secret-of-coturn').update(`${expiry}:guest:abc`).digest('base64'));
	});

	it('refuses inconsistent settings, naming the variable', () => {
		expect(() => loadConfig({ ...base, TURN_URLS: 'http://turn.chu.fr' })).toThrow(/TURN_URLS: expected comma-separated turn:/);
		expect(() => loadConfig({ ...base, TURN_URLS: 'turn:t.fr', TURN_USERNAME: 'u' })).toThrow(/TURN_USERNAME and TURN_CREDENTIAL go together/);
		expect(() => loadConfig({ ...base, TURN_URLS: 'turn:t.fr', TURN_SECRET: 'a-shared-secret-of-coturn', TURN_USERNAME: 'u', TURN_CREDENTIAL: 'c' })).toThrow(/TURN_SECRET/);
		expect(() => loadConfig({ ...base, ICE_TRANSPORT_POLICY: 'relay' })).toThrow(/needs TURN_URLS/);
	});
});
