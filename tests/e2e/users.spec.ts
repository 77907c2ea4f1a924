import { expect, test } from '@playwright/test';
import { ADMIN, signIn } from './accounts.ts';
import { hydrated } from './fixtures.ts';


test('an administrator invites a physician, who chooses a password and signs in; deactivation locks them out', async ({
	page,
	browser
}) => {
	await signIn(page, ADMIN.email, ADMIN.password);
	await expect(page).toHaveURL(/\/$/);
	await page.getByRole('link', { name: 'Utilisateurs' }).click();
	await expect(page.getByRole('heading', { name: 'Utilisateurs', exact: true })).toBeVisible();

	// A wrong RPPS is refused next to its field, and what was typed stays.
	await page.getByLabel('Prénom').fill('Jeanne');
	await page.getByLabel('Nom', { exact: true }).fill('Radiothérapeute');
	await page.getByLabel('Adresse électronique').fill('jeanne@chu.test');
	await page.getByLabel('RPPS (11 chiffres, facultatif)').fill('12345678901');
	await page.getByLabel('Spécialité').selectOption({ label: 'Oncologie radiothérapie' });
	await page.getByRole('button', { name: 'Créer le compte' }).click();
	await expect(page.locator('#rpps-error')).toBeVisible();
	await expect(page.getByLabel('Prénom')).toHaveValue('Jeanne');

	await page.getByLabel('RPPS (11 chiffres, facultatif)').fill('10003456786');
	await page.getByRole('button', { name: 'Créer le compte' }).click();
	await expect(page.getByRole('status')).toContainText('Le compte de Jeanne Radiothérapeute est créé.');
	const link = await page.getByLabel('Lien d’invitation').inputValue();
	await expect(page.getByRole('row', { name: /RADIOTHÉRAPEUTE Jeanne/ })).toContainText('Invité');

	const context = await browser.newContext();
	const jeanne = await context.newPage();
	await jeanne.goto(link);
	await hydrated(jeanne);
	await expect(jeanne.getByRole('heading', { name: 'Choisissez votre mot de passe' })).toBeVisible();
	await jeanne.getByLabel('Mot de passe (12 caractères au moins)').fill('le mot de passe de Jeanne');
	await jeanne.getByLabel('Confirmation du mot de passe').fill('le mot de passe de Jeanne');
	await jeanne.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
	await expect(jeanne).toHaveURL(/\/login\?email=jeanne%40chu.test/);
	await jeanne.getByLabel('Mot de passe', { exact: true }).fill('le mot de passe de Jeanne');
	await jeanne.getByRole('button', { name: 'Se connecter', exact: true }).click();
	await expect(jeanne.getByText('Connecté : Jeanne Radiothérapeute')).toBeVisible();

	// Not an administrator: the administration pages are refused.
	const refused = await jeanne.goto('/admin/users');
	expect(refused?.status()).toBe(403);
	// The link was for one use only.
	await jeanne.goto(link);
	await expect(jeanne.getByRole('alert')).toContainText('n’est plus valable');

	// Deactivated: the open session ends at the next request, and signing in again fails.
	await page.getByRole('link', { name: /RADIOTHÉRAPEUTE Jeanne/ }).click();
	await page.getByRole('button', { name: 'Désactiver le compte' }).click();
	await expect(page.getByRole('button', { name: 'Réactiver le compte' })).toBeVisible();
	await jeanne.goto('/login');
	await hydrated(jeanne);
	await expect(jeanne.getByRole('heading', { name: 'Connexion' })).toBeVisible();
	await jeanne.getByLabel('Adresse électronique').fill('jeanne@chu.test');
	await jeanne.getByLabel('Mot de passe', { exact: true }).fill('le mot de passe de Jeanne');
	await jeanne.getByRole('button', { name: 'Se connecter', exact: true }).click();
	await expect(jeanne.getByRole('alert')).toHaveText('Adresse électronique ou mot de passe incorrect.');
	await context.close();
});
