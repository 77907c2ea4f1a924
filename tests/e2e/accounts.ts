import { expect, type Page } from '@playwright/test';

/** The administrator the setup project creates through onboarding. */
export const ADMIN = {
	givenName: 'Claire',
	familyName: 'Administratrice',
	email: 'admin@concerto.test',
	password: 'un mot de passe solide 2026'
};

/** Fills and submits the sign-in form; the caller checks the outcome. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('Adresse électronique').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
}

/** Signs the administrator in and waits for the home page. */
export async function signInAsAdmin(page: Page): Promise<void> {
	await signIn(page, ADMIN.email, ADMIN.password);
	await expect(page).toHaveURL(/\/$/);
}
