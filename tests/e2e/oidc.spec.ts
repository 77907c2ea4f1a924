import { expect, test, type Page } from '@playwright/test';
import { ADMIN } from './accounts.ts';

/** Signs in through the test provider (tests/helpers/oidc-provider.ts) as one of its identities. */
async function signInWithProvider(page: Page, identity: 'admin' | 'stranger') {
	await page.goto('/login');
	await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
	await expect(page.getByRole('heading', { name: 'Test provider' })).toBeVisible();
	await page.getByRole('button', { name: identity, exact: true }).click();
}

test('the administrator signs in through the OpenID provider, matched by verified email', async ({ page }) => {
	await signInWithProvider(page, 'admin');
	await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/$/);
	// Signed in: the login page sends back home, and the session is ours, not the provider's.
	await page.goto('/login');
	await expect(page).toHaveURL(/\/$/);

	await page.goto('/admin/audit?action=user.sign-in-oidc');
	const rows = page.locator('tbody tr');
	await expect(rows.first()).toContainText(`${ADMIN.givenName} ${ADMIN.familyName}`);
	await expect(rows.first()).toContainText('user.sign-in-oidc');
});

test('an identity that matches no account is refused, in French, without a session', async ({ page }) => {
	await signInWithProvider(page, 'stranger');
	await expect(page).toHaveURL(/\/login\?error=no-account$/);
	await expect(page.getByRole('alert')).toHaveText(
		'Aucun compte Concerto ne correspond à cette identité : demandez à votre administrateur de vous inviter.'
	);
	await page.goto('/admin/audit');
	await expect(page).toHaveURL(/\/login\?redirectTo=/);
});
