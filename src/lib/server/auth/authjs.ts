/**
 * Auth.js (@auth/sveltekit) for Concerto: local accounts (email and password) and, when
 * configured, an OpenID Connect provider (oidc.ts), with JWT sessions signed with the
 * configured secret. The session holds our user id only; every request reloads the
 * account (hooks), so a deactivation takes effect at once.
 *
 * Throttling happens in the /login action, which is the only way in: direct posts to
 * Auth.js's credentials callback are refused by the hooks.
 */
import { SvelteKitAuth } from '@auth/sveltekit';
import Credentials from '@auth/sveltekit/providers/credentials';
import { SignInInput } from '$lib/users/schemas';
import { runtime } from '../runtime.ts';
import { findUserByEmail } from '../users.ts';
import { completeOidcSignIn, OIDC_PROVIDER_ID, oidcProvider } from './oidc.ts';
import { verifyPassword } from './password.ts';
import { clock } from '../../clock.ts';

/** Sessions last a working day; a meeting never outlives one. */
const SESSION_MAX_AGE_S = 12 * 60 * 60;

export const { handle: authHandle, signIn, signOut } = SvelteKitAuth(async (event) => {
	const { config, database, logger } = runtime();
	return {
		secret: config.authSecret,
		trustHost: true,
		basePath: '/auth',
		session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
		pages: { signIn: '/login', error: '/login' },
		providers: [
			Credentials({
				id: 'credentials',
				credentials: { email: {}, password: {} },
				authorize: async (credentials) => {
					const parsed = SignInInput.safeParse(credentials);
					if (!parsed.success) return null;
					const user = await findUserByEmail(database.db, parsed.data.email);
					// Same work whether or not the account exists, so timing does not tell.
					const hash = user?.passwordHash ?? DUMMY_HASH;
					const valid = await verifyPassword(parsed.data.password, hash);
					if (!user || !user.active || !user.passwordHash || !valid) return null;
					return { id: user.id, email: user.email, name: `${user.givenName} ${user.familyName}` };
				}
			}),
			...(config.oidc ? [oidcProvider(config.oidc)] : [])
		],
		callbacks: {
			signIn: async ({ user, account, profile }) => {
				if (account?.provider !== OIDC_PROVIDER_ID || !config.oidc) return true;
				const match = await completeOidcSignIn(database.db, profile ?? {}, config.oidc, clientAddress(event));
				// Refused: back to the login page, which explains why (no session is created).
				if (!match.ok) return `/login?error=${match.reason}`;
				// Without an adapter, Auth.js hands this same object to the jwt callback: the
				// session's subject becomes our user id instead of the provider's.
				user.id = match.user.id;
				return true;
			},
			jwt: ({ token, user }) => {
				// `user` is only there at sign-in: that moment is kept (fiches ask for a recent sign-in).
				if (user?.id) {
					token.sub = user.id;
					token.signedInAt = clock.now().getTime();
				}
				return token;
			},
			session: ({ session, token }) => {
				if (token.sub) session.user.id = token.sub;
				return Object.assign(session, { signedInAt: typeof token.signedInAt === 'number' ? token.signedInAt : null });
			}
		},
		logger: {
			// Auth.js errors may quote the request; log their kind only.
			error: (error) => {
				// A refused password is expected (the /login action reports it); the rest is not.
				if (error.name !== 'CredentialsSignin') logger.warn({ authError: error.name }, 'sign-in error');
			},
			warn: (code) => logger.debug({ code }, 'auth.js warning'),
			debug: () => {}
		}
	};
});

function clientAddress(event: { getClientAddress(): string }): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}

// A valid hash of a random password: verifying against it costs what a real check costs.
const DUMMY_HASH =
	'scrypt$15$8$1$3q2+7wAAAAAAAAAAAAAAAA==$Lr4eHMVUTTCYr1Cy9HbZOD0mKuvJUZTYPnoHVhi6xHU=';
