/**
 * A real OpenID Connect provider for the end-to-end tests (the `oidc-provider` package),
 * shaped like Pro Santé Connect: the RPPS number comes as `SubjectNameID` ("8" + RPPS),
 * names and email from the userinfo endpoint.
 *
 * Its sign-in page lists the test identities as buttons (no password, nothing fetched
 * from the internet). Playwright starts it as a web server: `node tests/helpers/oidc-provider.ts`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';

export const TEST_PROVIDER_PORT = Number(process.env.E2E_OIDC_PORT ?? 3290);
export const TEST_PROVIDER_ISSUER = `http://127.0.0.1:${TEST_PROVIDER_PORT}`;
export const TEST_CLIENT = { id: 'concerto-e2e', secret: 'concerto-e2e-secret-not-for-production' };

/** The identities the provider vouches for, by the label of their button. */
export const TEST_IDENTITIES = {
	/** The administrator created by onboarding: matched by verified email. */
	admin: {
		email: 'admin@concerto.test',
		email_verified: true,
		given_name: 'Claire',
		family_name: 'Administratrice',
		SubjectNameID: '810999888778'
	},
	/** A physician nobody invited. */
	stranger: {
		email: 'inconnu@hopital.test',
		email_verified: true,
		given_name: 'Paul',
		family_name: 'Inconnu',
		SubjectNameID: '810999888661'
	}
} as const;

type IdentityId = keyof typeof TEST_IDENTITIES;

/** Starts the provider; `redirectUri` is Concerto's `/auth/callback/oidc`. */
export async function startTestProvider(redirectUri: string) {
	const provider = new Provider(TEST_PROVIDER_ISSUER, {
		clients: [
			{
				client_id: TEST_CLIENT.id,
				client_secret: TEST_CLIENT.secret,
				redirect_uris: [redirectUri],
				grant_types: ['authorization_code'],
				response_types: ['code']
			}
		],
		claims: {
			openid: ['sub'],
			email: ['email', 'email_verified'],
			profile: ['given_name', 'family_name', 'SubjectNameID']
		},
		findAccount: (_ctx, id) => {
			if (!(id in TEST_IDENTITIES)) return undefined;
			return { accountId: id, claims: () => ({ sub: id, ...TEST_IDENTITIES[id as IdentityId] }) };
		},
		interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
		features: { devInteractions: { enabled: false } },
		pkce: { required: () => true },
		cookies: { keys: ['concerto-e2e-cookie-key'] }
	});

	const handleInteraction = async (req: IncomingMessage, res: ServerResponse) => {
		const details = await provider.interactionDetails(req, res);
		if (req.method === 'GET') {
			const buttons = Object.keys(TEST_IDENTITIES)
				.map((id) => `<button type="submit" name="account" value="${id}">${id}</button>`)
				.join('\n');
			res.setHeader('content-type', 'text/html; charset=utf-8');
			res.end(`<!doctype html><title>Test provider</title><h1>Test provider</h1>
<form method="post" action="/interaction/${details.uid}">${buttons}</form>`);
			return;
		}
		const form = new URLSearchParams(await readBody(req));
		const accountId = form.get('account') ?? '';
		if (!(accountId in TEST_IDENTITIES)) {
			res.statusCode = 400;
			res.end('unknown account');
			return;
		}
		// Everything asked for is granted: this provider tests Concerto, not consent screens.
		const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
		grant.addOIDCScope(String(details.params.scope));
		const grantId = await grant.save();
		await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
	};

	const callback = provider.callback();
	const server = createServer((req, res) => {
		if (req.url?.startsWith('/interaction/')) {
			handleInteraction(req, res).catch((error: unknown) => {
				res.statusCode = 500;
				res.end(String(error));
			});
		} else {
			void callback(req, res);
		}
	});
	await new Promise<void>((resolve) => server.listen(TEST_PROVIDER_PORT, '127.0.0.1', resolve));
	return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

if (import.meta.main) {
	const redirectUri = process.env.OIDC_REDIRECT_URI;
	if (!redirectUri) throw new Error('OIDC_REDIRECT_URI: expected Concerto’s /auth/callback/oidc URL');
	const running = await startTestProvider(redirectUri);
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void running.close().then(() => process.exit(0)));
	console.log(`test OpenID provider on ${TEST_PROVIDER_ISSUER}`);
}
