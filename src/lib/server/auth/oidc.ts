/**
 * Sign-in through an OpenID Connect provider (Pro Santé Connect, a hospital Keycloak).
 *
 * Nobody registers themselves: an administrator creates the account, and the identity the
 * provider asserts is matched to it by RPPS number, else by verified email. The session
 * then holds our user id, never the provider's subject.
 */
import type { OIDCConfig } from '@auth/core/providers';
import { checkRpps } from '../../domain/identifiers.ts';
import { audit } from '../audit.ts';
import type { OidcConfig } from '../config.ts';
import type { Database } from '../db/index.ts';
import type { User } from '../db/schema.ts';
import { fillMissingRpps, findUserByEmail, findUserByRpps, recordSignIn } from '../users.ts';

/** The Auth.js provider id, hence the callback path `/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = 'oidc';

/** What the matching reads from the configuration. */
export type OidcMatchSettings = Pick<OidcConfig, 'rppsClaim' | 'emailVerifiedRequired'>;

/** Why an identity asserted by the provider does not open a session. */
export type OidcRefusal =
	/** No active account has this RPPS number or (verified) email: an administrator must invite the person. */
	| 'no-account'
	/** The matching account is deactivated. */
	| 'inactive'
	/** The email names an account whose RPPS number differs from the one the provider asserts. */
	| 'rpps-mismatch';

export type OidcMatch = { ok: true; user: User; by: 'rpps' | 'email'; rpps: string | undefined } | { ok: false; reason: OidcRefusal };

/**
 * Reads an RPPS number from a claim. Pro Santé Connect gives the national id of a
 * professional as the id type followed by the number: "8" + RPPS (12 digits). Anything
 * that is not a valid RPPS (11 digits, Luhn key) afterwards is ignored.
 */
export function readRpps(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	let digits = String(value).replace(/\s/g, '');
	if (/^8\d{11}$/.test(digits)) digits = digits.slice(1);
	const checked = checkRpps(digits);
	return checked.ok ? checked.value : undefined;
}

/** The email the provider vouches for, lower-cased; undefined if absent or, when required, unverified. */
function readEmail(profile: Record<string, unknown>, settings: OidcMatchSettings): string | undefined {
	const email = typeof profile.email === 'string' ? profile.email.trim().toLowerCase() : '';
	if (!email) return undefined;
	// Some providers send the flag as a string.
	const verified = profile.email_verified === true || profile.email_verified === 'true';
	return verified || !settings.emailVerifiedRequired ? email : undefined;
}

/** Finds the account an asserted identity belongs to: by RPPS first, else by email. */
export async function matchOidcIdentity(
	db: Database,
	profile: Record<string, unknown>,
	settings: OidcMatchSettings
): Promise<OidcMatch> {
	const rpps = settings.rppsClaim ? readRpps(profile[settings.rppsClaim]) : undefined;
	if (rpps) {
		const user = await findUserByRpps(db, rpps);
		if (user) return user.active ? { ok: true, user, by: 'rpps', rpps } : { ok: false, reason: 'inactive' };
	}
	const email = readEmail(profile, settings);
	if (email) {
		const user = await findUserByEmail(db, email);
		if (user) {
			if (!user.active) return { ok: false, reason: 'inactive' };
			if (rpps && user.rpps && user.rpps !== rpps) return { ok: false, reason: 'rpps-mismatch' };
			return { ok: true, user, by: 'email', rpps };
		}
	}
	return { ok: false, reason: 'no-account' };
}

/**
 * Matches the identity and, on success, completes the account's empty RPPS number, records
 * the sign-in and audits it; a refusal is audited with its reason. Names are never
 * overwritten: the account is what the administrator entered.
 */
export async function completeOidcSignIn(
	db: Database,
	profile: Record<string, unknown>,
	settings: OidcMatchSettings,
	address: string | null
): Promise<OidcMatch> {
	const match = await matchOidcIdentity(db, profile, settings);
	if (!match.ok) {
		await audit(db, { actorUserId: null, action: 'user.sign-in-oidc-refused', address, details: { reason: match.reason } });
		return match;
	}
	const { user } = match;
	const filledRpps = !user.rpps && match.rpps ? await fillMissingRpps(db, user.id, match.rpps) : false;
	await recordSignIn(db, user.id);
	await audit(db, {
		actorUserId: user.id,
		action: 'user.sign-in-oidc',
		entityType: 'user',
		entityId: user.id,
		address,
		details: { matchedBy: match.by, ...(filledRpps ? { filled: ['rpps'] } : {}) }
	});
	return match;
}

/**
 * The Auth.js provider. Claims are read from the userinfo endpoint (`idToken: false`):
 * Pro Santé Connect puts the RPPS and names there, not in the ID token. Its users
 * authenticate on a wallet page that the realm's discovery document does not name,
 * hence the optional authorization URL.
 */
export function oidcProvider(config: OidcConfig): OIDCConfig<Record<string, unknown>> {
	return {
		id: OIDC_PROVIDER_ID,
		name: config.name,
		type: 'oidc',
		issuer: config.issuer,
		clientId: config.clientId,
		clientSecret: config.clientSecret,
		authorization: config.authorizationUrl
			? { url: config.authorizationUrl, params: { scope: config.scopes } }
			: { params: { scope: config.scopes } },
		checks: ['pkce', 'state', 'nonce'],
		idToken: false
	};
}
