import { describe, expect, it } from 'vitest';
import { oidcProvider, readRpps } from './oidc.ts';

describe('readRpps', () => {
	it('reads an RPPS number, bare or as a Pro Santé Connect national id ("8" + RPPS)', () => {
		expect(readRpps('10999888778')).toBe('10999888778');
		expect(readRpps('810999888778')).toBe('10999888778');
		expect(readRpps(' 109 9988 8778 ')).toBe('10999888778');
	});

	it('ignores what is not a valid RPPS number', () => {
		expect(readRpps('10999888779')).toBeUndefined(); // wrong key
		expect(readRpps('010999888778')).toBeUndefined(); // another id type
		expect(readRpps('dr.durand')).toBeUndefined();
		expect(readRpps(undefined)).toBeUndefined();
		expect(readRpps({ rpps: '10999888778' })).toBeUndefined();
	});
});

describe('oidcProvider', () => {
	it('asks for the configured scopes with PKCE, state and nonce, and reads claims from userinfo', () => {
		const provider = oidcProvider({
			issuer: 'https://idp.chu.fr/realms/chu',
			authorizationUrl: undefined,
			clientId: 'concerto',
			clientSecret: 'secret',
			scopes: 'openid scope_all',
			name: 'Pro Santé Connect',
			rppsClaim: 'SubjectNameID',
			emailVerifiedRequired: true
		});
		expect(provider).toMatchObject({
			id: 'oidc',
			type: 'oidc',
			name: 'Pro Santé Connect',
			issuer: 'https://idp.chu.fr/realms/chu',
			authorization: { params: { scope: 'openid scope_all' } },
			checks: ['pkce', 'state', 'nonce'],
			idToken: false
		});
	});
});
