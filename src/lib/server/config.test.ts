import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, localMediaAddress } from './config.ts';

describe('loadConfig', () => {
	const dirs: string[] = [];
	const dataDir = () => {
		const dir = mkdtempSync(join(tmpdir(), 'concerto-config-'));
		dirs.push(dir);
		return dir;
	};
	afterEach(() => {
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
	});

	it('starts with nothing set: port 3000, PGlite under DATA_DIR, a generated secret', () => {
		const dir = dataDir();
		const config = loadConfig({ DATA_DIR: dir });
		expect(config.port).toBe(3000);
		expect(config.publicOrigin).toBe('http://localhost:3000');
		expect(config.database).toEqual({ kind: 'pglite', dataDir: join(dir, 'pglite') });
		expect(config.mediasoup.numWorkers).toBeGreaterThanOrEqual(1);
		expect(config.mediasoup.announcedAddress).toBe(localMediaAddress());
		expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
		expect(config.attachmentStorage).toBe('files');
	});

	it('sends local browsers media to the machine’s external IPv4 address, else to loopback', () => {
		const lo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' } as const;
		const v6 = { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:42:c0:00:02:02', internal: false, cidr: 'fe80::1/64', scopeid: 2 } as const;
		const eth = { address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: '02:42:c0:00:02:02', internal: false, cidr: '192.0.2.2/24' } as const;
		expect(localMediaAddress({ lo: [lo], eth0: [v6, eth] })).toBe('192.0.2.2');
		expect(localMediaAddress({ lo: [lo], eth0: [v6] })).toBe('127.0.0.1');
		expect(localMediaAddress({})).toBe('127.0.0.1');
	});

	it('persists the generated secret (owner-only) and reuses it on the next start', () => {
		const dir = dataDir();
		const first = loadConfig({ DATA_DIR: dir }).authSecret;
		expect(loadConfig({ DATA_DIR: dir }).authSecret).toBe(first);
		expect(readFileSync(join(dir, 'auth-secret'), 'utf8').trim()).toBe(first);
		expect(statSync(join(dir, 'auth-secret')).mode & 0o077).toBe(0);
	});

	it('switches to PostgreSQL when DATABASE_URL is set', () => {
		const config = loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
		expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' });
	});

	it('keeps case documents in the database when REDIS_URL is set (several nodes), unless ATTACHMENT_STORAGE says otherwise', () => {
		const cluster = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', AUTH_SECRET: 's'.repeat(32) };
		expect(loadConfig({ DATA_DIR: dataDir(), ...cluster }).attachmentStorage).toBe('database');
		expect(loadConfig({ DATA_DIR: dataDir(), ...cluster, ATTACHMENT_STORAGE: 'files' }).attachmentStorage).toBe('files');
		expect(loadConfig({ DATA_DIR: dataDir(), ATTACHMENT_STORAGE: 'database' }).attachmentStorage).toBe('database');
		expect(loadConfig({ DATA_DIR: dataDir(), ATTACHMENT_STORAGE: 'files' }).attachmentStorage).toBe('files');
	});

	it('announces the public host for media when PUBLIC_ORIGIN names one', () => {
		const config = loadConfig({ DATA_DIR: dataDir(), PUBLIC_ORIGIN: 'https://rcp.chu-exemple.fr/' });
		expect(config.publicOrigin).toBe('https://rcp.chu-exemple.fr');
		expect(config.mediasoup.announcedAddress).toBe('rcp.chu-exemple.fr');
	});

	it('treats an empty variable as unset', () => {
		expect(loadConfig({ DATA_DIR: dataDir(), PORT: '', DATABASE_URL: '' }).database.kind).toBe('pglite');
	});

	it.each([
		['PORT', 'abc', /PORT: expected a whole number from 1 to 65535/],
		['PORT', '70000', /PORT: expected a whole number from 1 to 65535/],
		['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL: expected postgres:\/\//],
		['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of fatal, error/],
		['ATTACHMENT_STORAGE', 's3', /ATTACHMENT_STORAGE: expected files or database/],
		['REDIS_URL', 'http://127.0.0.1:6379', /REDIS_URL: expected redis:\/\/host:6379/],
		['MEDIASOUP_LISTEN_IP', 'not-an-ip', /MEDIASOUP_LISTEN_IP: expected an IPv4 or IPv6 address/],
		['MEDIASOUP_NUM_WORKERS', '0', /MEDIASOUP_NUM_WORKERS: expected a whole number from 1 to 64/],
		['PUBLIC_ORIGIN', 'ftp://example.org', /PUBLIC_ORIGIN: expected an http\(s\) URL/],
		['AUTH_SECRET', 'short', /AUTH_SECRET: expected at least 32 characters/],
		['METRICS_TOKEN', 'short', /METRICS_TOKEN: expected at least 32 characters/],
		['METRICS_PORT', '0', /METRICS_PORT: expected a whole number from 1 to 65535/],
		['METRICS_HOST', 'internal', /METRICS_HOST: expected an IPv4 or IPv6 address/]
	])('refuses %s=%s with one line naming the variable', (variable, value, message) => {
		const attempt = () => loadConfig({ DATA_DIR: dataDir(), [variable]: value });
		expect(attempt).toThrow(ConfigError);
		expect(attempt).toThrow(message);
		try {
			attempt();
		} catch (error) {
			expect((error as ConfigError).variable).toBe(variable);
			expect((error as Error).message).not.toContain('\n');
		}
	});

	it.each(['AUTH_SECRET', 'METRICS_TOKEN'])('never repeats the value of %s it refuses (a secret)', (variable) => {
		const secret = 'sesame-not-to-be-printed';
		const attempt = () => loadConfig({ DATA_DIR: dataDir(), [variable]: secret });
		expect(attempt).toThrow(/value hidden/);
		expect(attempt).not.toThrow(secret);
	});

	it('refuses an RTC port range whose minimum exceeds its maximum', () => {
		expect(() =>
			loadConfig({ DATA_DIR: dataDir(), MEDIASOUP_RTC_MIN_PORT: '50000', MEDIASOUP_RTC_MAX_PORT: '40000' })
		).toThrow(/MEDIASOUP_RTC_MIN_PORT \(50000\) must not exceed MEDIASOUP_RTC_MAX_PORT \(40000\)/);
	});

	it('serves metrics only when asked: a token for the main port, a port for a listener on 127.0.0.1', () => {
		expect(loadConfig({ DATA_DIR: dataDir() }).metrics).toEqual({ token: undefined, listen: undefined });
		const token = 'm'.repeat(32);
		expect(loadConfig({ DATA_DIR: dataDir(), METRICS_TOKEN: token }).metrics).toEqual({ token, listen: undefined });
		expect(loadConfig({ DATA_DIR: dataDir(), METRICS_PORT: '9464' }).metrics.listen).toEqual({ host: '127.0.0.1', port: 9464 });
		expect(loadConfig({ DATA_DIR: dataDir(), METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics.listen).toEqual({ host: '10.0.0.5', port: 9464 });
	});

	it('refuses a metrics port that is the main port', () => {
		expect(() => loadConfig({ DATA_DIR: dataDir(), PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT \(3000\) must differ from PORT/);
	});

	it('turns OpenID Connect on when issuer, client id and secret are set, with defaults', () => {
		expect(loadConfig({ DATA_DIR: dataDir() }).oidc).toBeUndefined();
		const config = loadConfig({
			DATA_DIR: dataDir(),
			OIDC_ISSUER: 'https://auth.esante.gouv.fr/auth/realms/esante-wallet',
			OIDC_CLIENT_ID: 'concerto',
			OIDC_CLIENT_SECRET: 'secret'
		});
		expect(config.oidc).toEqual({
			issuer: 'https://auth.esante.gouv.fr/auth/realms/esante-wallet',
			authorizationUrl: undefined,
			clientId: 'concerto',
			clientSecret: 'secret',
			scopes: 'openid profile email',
			name: 'OpenID Connect',
			rppsClaim: undefined,
			emailVerifiedRequired: true
		});
		const lax = loadConfig({
			DATA_DIR: dataDir(),
			OIDC_ISSUER: 'https://idp.chu.fr/realms/chu',
			OIDC_CLIENT_ID: 'concerto',
			OIDC_CLIENT_SECRET: 'secret',
			OIDC_SCOPES: ' openid  scope_all ',
			OIDC_RPPS_CLAIM: 'SubjectNameID',
			OIDC_EMAIL_VERIFIED_REQUIRED: 'false'
		});
		expect(lax.oidc).toMatchObject({ scopes: 'openid scope_all', rppsClaim: 'SubjectNameID', emailVerifiedRequired: false });
	});

	it('refuses a partial OpenID Connect configuration, naming the missing variable', () => {
		const attempt = () => loadConfig({ DATA_DIR: dataDir(), OIDC_ISSUER: 'https://idp.chu.fr/realms/chu', OIDC_CLIENT_ID: 'concerto' });
		expect(attempt).toThrow(ConfigError);
		expect(attempt).toThrow(/OIDC_CLIENT_SECRET is missing/);
		try {
			attempt();
		} catch (error) {
			expect((error as ConfigError).variable).toBe('OIDC_CLIENT_SECRET');
		}
	});

	it.each([
		['OIDC_ISSUER', 'not a url', /OIDC_ISSUER: expected an http\(s\) URL/],
		['OIDC_AUTHORIZATION_URL', 'wallet', /OIDC_AUTHORIZATION_URL: expected an http\(s\) URL/],
		['OIDC_SCOPES', 'profile email', /OIDC_SCOPES: expected space-separated scopes including openid/],
		['OIDC_EMAIL_VERIFIED_REQUIRED', 'maybe', /OIDC_EMAIL_VERIFIED_REQUIRED: expected true or false/]
	])('refuses %s=%s', (variable, value, message) => {
		expect(() => loadConfig({ DATA_DIR: dataDir(), [variable]: value })).toThrow(message);
	});
});
