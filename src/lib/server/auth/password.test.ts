import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';

describe('password hashing', () => {
	it('verifies the right password and rejects a wrong one', async () => {
		const stored = await hashPassword('correct horse battery staple');
		expect(stored).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
		expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
		expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
	});

	it('salts every hash', async () => {
		expect(await hashPassword('même mot de passe')).not.toBe(await hashPassword('même mot de passe'));
	});

	it('rejects malformed or absurd stored hashes instead of throwing', async () => {
		for (const stored of ['', 'plain', 'scrypt$15$8$1$c2FsdA==', 'scrypt$40$8$1$c2FsdA==$aGFzaA==', 'bcrypt$x$y$z$a$b']) {
			expect(await verifyPassword('x', stored)).toBe(false);
		}
	});

	it('asks for a re-hash when parameters are weaker than today', async () => {
		expect(needsRehash('scrypt$14$8$1$c2FsdA==$aGFzaA==')).toBe(true);
		expect(needsRehash(await hashPassword('a long enough password'))).toBe(false);
	});
});
