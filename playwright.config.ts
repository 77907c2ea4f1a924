import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/helpers/chromium.ts';
import { TEST_CLIENT, TEST_PROVIDER_ISSUER, TEST_PROVIDER_PORT } from './tests/helpers/oidc-provider.ts';

/**
 * End-to-end tests drive the real built app (`node server/index.ts`, started here on a
 * fresh data directory) in Debian's Chromium with fake camera and microphone.
 * Never `npx playwright install`: the browser comes from `apt-get install chromium`.
 */
// Under faketime with a start-at clock (`faketime -f '@2027-12-30 10:00:00' npx playwright
// test`), every new process would start the clock at that instant again: the workers, the
// servers and Chromium, started seconds or minutes apart, would each be at another time.
// With FAKETIME_DONT_RESET they all run on the one clock faketime started.
if (process.env.FAKETIME && !process.env.FAKETIME_DONT_RESET) process.env.FAKETIME_DONT_RESET = '1';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://localhost:${PORT}`;
const OIDC_REDIRECT_URI = `${BASE_URL}/auth/callback/oidc`;

export default defineConfig({
	testDir: 'tests/e2e',
	// Two cores: the media tests run one at a time.
	workers: 1,
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 15_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: BASE_URL,
		browserName: 'chromium',
		locale: 'fr-FR',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS
		}
	},
	// The server starts on an empty database: the setup project creates the administrator
	// through the first-run onboarding, as a new user would, before the other tests.
	projects: [
		{ name: 'setup', testMatch: /.*\.setup\.ts/ },
		{ name: 'app', testIgnore: [/.*\.setup\.ts/, /cluster\.spec\.ts/], dependencies: ['setup'] },
		// Two nodes behind HAProxy with PostgreSQL and Redis, started by the spec itself
		// (tests/helpers/cluster-fixture.ts); needs haproxy and redis-server (apt) and the
		// PostgreSQL server at CLUSTER_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
		{ name: 'cluster', testMatch: /cluster\.spec\.ts/ }
	],
	// A test OpenID Connect provider runs beside the app (tests/helpers/oidc-provider.ts);
	// Playwright stops both at the end.
	webServer: [
		{
			command: 'node tests/helpers/oidc-provider.ts',
			url: `${TEST_PROVIDER_ISSUER}/.well-known/openid-configuration`,
			reuseExistingServer: false,
			timeout: 30_000,
			stdout: 'ignore',
			stderr: 'pipe',
			env: { ...(process.env as Record<string, string>), E2E_OIDC_PORT: String(TEST_PROVIDER_PORT), OIDC_REDIRECT_URI }
		},
		{
			command: 'node server/index.ts',
			url: `${BASE_URL}/healthz`,
			reuseExistingServer: false,
			timeout: 120_000,
			stdout: 'pipe',
			stderr: 'pipe',
			env: {
				...(process.env as Record<string, string>),
				PORT: String(PORT),
				HOST: '127.0.0.1',
				PUBLIC_ORIGIN: BASE_URL,
				DATA_DIR: mkdtempSync(join(tmpdir(), 'concerto-e2e-')),
				LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
				OIDC_ISSUER: TEST_PROVIDER_ISSUER,
				OIDC_CLIENT_ID: TEST_CLIENT.id,
				OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
				OIDC_NAME: 'Pro Santé Connect',
				OIDC_RPPS_CLAIM: 'SubjectNameID'
			}
		}
	]
});
