import { expect, test } from '@playwright/test';
import { ADMIN, signIn } from './accounts.ts';


test('the administrator signs in and out', async ({ page }) => {
	await signIn(page, ADMIN.email, ADMIN.password);
	await expect(page).toHaveURL(/\/$/);
	// Signed in: the login page sends back home.
	await page.goto('/login');
	await expect(page).toHaveURL(/\/$/);
	const cookies = await page.context().cookies();
	expect(cookies.some((c) => c.name.endsWith('authjs.session-token') && c.httpOnly)).toBe(true);

	await page.request.post('/logout', { form: {}, headers: { origin: new URL(page.url()).origin } });
	await page.goto('/login');
	await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
});

test('a wrong password is refused in French and the email is kept', async ({ page }) => {
	await signIn(page, ADMIN.email.toUpperCase(), 'mauvais mot de passe');
	await expect(page.getByRole('alert')).toHaveText('Adresse électronique ou mot de passe incorrect.');
	await expect(page.getByLabel('Adresse électronique')).toHaveValue(ADMIN.email.toUpperCase());
	await expect(page.getByLabel('Mot de passe')).toHaveValue('');
});

test('repeated failures slow down, then lock the account', async ({ page }) => {
	const target = 'cible@concerto.test';
	for (let attempt = 1; attempt <= 5; attempt++) {
		await signIn(page, target, `essai ${attempt}`);
		await expect(page.getByRole('alert')).toHaveText('Adresse électronique ou mot de passe incorrect.');
	}
	await signIn(page, target, 'essai 6');
	await expect(page.getByRole('alert')).toContainText('Trop de tentatives échouées. Réessayez après');
});

test("Auth.js's credentials endpoint cannot be used to bypass the throttle", async ({ request }) => {
	const response = await request.post('/auth/callback/credentials', {
		form: { email: ADMIN.email, password: ADMIN.password }
	});
	expect(response.status()).toBe(403);
});

test('the administrator reads the audit trail; anonymous visitors are sent to sign in', async ({ page, browser }) => {
	const anonymous = await browser.newContext();
	const visitor = await anonymous.newPage();
	await visitor.goto('/admin/audit');
	await expect(visitor).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Faudit/);
	await anonymous.close();

	await signIn(page, ADMIN.email, ADMIN.password);
	await expect(page).toHaveURL(/\/$/);
	await page.goto('/admin/audit?action=user.sign-in');
	await expect(page.getByRole('heading', { name: 'Journal d’audit' })).toBeVisible();
	const rows = page.locator('tbody tr');
	await expect(rows.first()).toContainText('Claire Administratrice');
	await expect(rows.first()).toContainText('user.sign-in');
	await expect(page.locator('tbody')).not.toContainText('user.sign-in-failed');
});
