import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';

// Runs after cases.spec.ts: the meeting of 29 December 2026 of "RCP digestive — CHU de
// Poitiers" has "Second Cas" on its agenda.

test('the secretary reschedules a meeting and duplicates it', async ({ page }) => {
	await signInAsAdmin(page);
	await page.getByRole('region', { name: 'Mes prochaines séances' }).getByRole('link', { name: /mardi 29 décembre 2026/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('29 décembre 2026');
	const schedule = page.getByRole('region', { name: 'Date de la séance' });

	// A deadline after the start is refused, and what was typed stays.
	await schedule.getByLabel('Heure de début').first().fill('15:30');
	await schedule.getByLabel('Date limite d’inscription').fill('2026-12-30');
	await schedule.getByRole('button', { name: 'Enregistrer les modifications' }).click();
	await expect(schedule.getByRole('alert')).toHaveText('La date limite d’inscription doit précéder le début de la séance.');
	await expect(schedule.getByLabel('Heure de début').first()).toHaveValue('15:30');
	await schedule.getByLabel('Date limite d’inscription').fill('2026-12-23');
	await schedule.getByRole('button', { name: 'Enregistrer les modifications' }).click();
	await expect(schedule.getByRole('status')).toHaveText('Séance modifiée.');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('29 décembre 2026 à 15:30');
	// Its agenda stays with it.
	await expect(page.locator('.agenda li a')).toHaveText(['Second Cas']);

	await schedule.getByLabel('Date', { exact: true }).last().fill('2027-01-05');
	await schedule.getByRole('button', { name: 'Dupliquer' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('mardi 5 janvier 2027 à 15:30');
	await expect(page.getByText('Aucun dossier inscrit pour l’instant.')).toBeVisible();
});
