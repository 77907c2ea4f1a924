/**
 * Password hashing with scrypt (memory-hard; OpenSSL's implementation through
 * node:crypto, so no native add-on to build). Stored as
 * `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>` so that parameters can be
 * raised later without breaking existing hashes.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) =>
	new Promise<Buffer>((resolve, reject) =>
		scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)))
	);

/** 2^15 × 8 × 128 bytes = 32 MiB per hash, about 0.1 s here: OWASP's scrypt baseline or above. */
const DEFAULT = { log2N: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const { log2N, r, p } = DEFAULT;
	const key = await scrypt(password, salt, KEY_LENGTH, { N: 2 ** log2N, r, p, maxmem: 128 * 2 ** log2N * r * 2 });
	return ['scrypt', log2N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
	const [log2N, r, p] = parts.slice(1, 4).map(Number);
	if (![log2N, r, p].every(Number.isInteger) || log2N < 10 || log2N > 22 || r < 1 || r > 32 || p < 1 || p > 16) {
		return false;
	}
	const salt = Buffer.from(parts[4], 'base64');
	const expected = Buffer.from(parts[5], 'base64');
	if (expected.length === 0) return false;
	const key = await scrypt(password, salt, expected.length, { N: 2 ** log2N, r, p, maxmem: 128 * 2 ** log2N * r * 2 });
	return timingSafeEqual(key, expected);
}

/** Whether a stored hash uses weaker parameters than today's, to re-hash at next sign-in. */
export function needsRehash(stored: string): boolean {
	const [, log2N, r, p] = stored.split('$').map(Number);
	return log2N < DEFAULT.log2N || r < DEFAULT.r || p < DEFAULT.p;
}
