/**
 * Auth.js (@auth/sveltekit) for Concerto: local accounts (email and password) with JWT
 * sessions signed with the configured secret. The session holds the user id only; every
 * request reloads the account (hooks), so a deactivation takes effect at once.
 *
 * Throttling happens in the /login action, which is the only way in: direct posts to
 * Auth.js's credentials callback are refused by the hooks.
 */
import { SvelteKitAuth } from '@auth/sveltekit';
import Credentials from '@auth/sveltekit/providers/credentials';
import { SignInInput } from '$lib/users/schemas';
import { runtime } from '../runtime.ts';
import { findUserByEmail } from '../users.ts';
import { verifyPassword } from './password.ts';

/** Sessions last a working day; a meeting never outlives one. */
const SESSION_MAX_AGE_S = 12 * 60 * 60;

export const { handle: authHandle, signIn, signOut } = SvelteKitAuth(async () => {
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
			})
		],
		callbacks: {
			jwt: ({ token, user }) => {
				if (user?.id) token.sub = user.id;
				return token;
			},
			session: ({ session, token }) => {
				if (token.sub) session.user.id = token.sub;
				return session;
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

// A valid hash of a random password: verifying against it costs what a real check costs.
const DUMMY_HASH =
	'scrypt$15$8$1$3q2+7wAAAAAAAAAAAAAAAA==$Lr4eHMVUTTCYr1Cy9HbZOD0mKuvJUZTYPnoHVhi6xHU=';
