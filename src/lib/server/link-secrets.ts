/**
 * The secrets behind personal links (account invitations, meeting guests, the GP's
 * follow-up link) and the sessions they open: 256 random bits, of which only a SHA-256
 * hash is stored, so that the database never holds a usable link.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new secret for a link or a session cookie (URL-safe). */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** What is stored of a secret and looked up when it is presented: its SHA-256, hex. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
