import { expect, test as setup } from '@playwright/test';
import { ADMIN } from './accounts.ts';
import { hydrated } from './fixtures.ts';

setup('first run: every page leads to onboarding, which creates the administrator', async ({ page }) => {
	await page.goto('/boards');
	await expect(page).toHaveURL(/\/onboarding$/);
	await hydrated(page);
	await expect(page.getByRole('heading', { name: 'Bienvenue dans Concerto' })).toBeVisible();

	// Refused input keeps what was typed and says why, next to the field.
	await page.getByLabel('Prénom').fill(ADMIN.givenName);
	await page.getByLabel('Nom', { exact: true }).fill(ADMIN.familyName);
	await page.getByLabel('Adresse électronique').fill('pas-une-adresse');
	await page.getByLabel('Mot de passe (12 caractères au moins)').fill('court');
	await page.getByLabel('Confirmation du mot de passe').fill('autre');
	await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
	await expect(page.getByText('Adresse électronique invalide.')).toBeVisible();
	await expect(page.getByText('Le mot de passe doit comporter au moins 12 caractères.')).toBeVisible();
	await expect(page.getByLabel('Prénom')).toHaveValue(ADMIN.givenName);
	await expect(page.getByLabel('Adresse électronique')).toHaveAttribute('aria-invalid', 'true');

	await page.getByLabel('Adresse électronique').fill(ADMIN.email);
	await page.getByLabel('Mot de passe (12 caractères au moins)').fill(ADMIN.password);
	await page.getByLabel('Confirmation du mot de passe').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();

	await expect(page).toHaveURL(/\/login\?created=1/);
	await expect(page.getByRole('status')).toHaveText('Le compte administrateur est créé. Connectez-vous pour continuer.');
	await expect(page.getByLabel('Adresse électronique')).toHaveValue(ADMIN.email);

	// Onboarding is closed for good once an account exists.
	await page.goto('/onboarding');
	await expect(page).toHaveURL(/\/login$/);
});
