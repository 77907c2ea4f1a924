import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';

// Runs after cases.spec.ts: "Fictif Patient" is a complete case on the agenda of the
// meeting of 15 December 2026 of "RCP digestive — CHU de Poitiers", whose boards the
// administrator manages. No other test writes its proposal; the second test records it
// without discussion in the meeting (nothing after this file uses that meeting's agenda).

test('a manager prepares a case for registration without discussion: what is missing, then ready for the batch', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto('/boards');
	await page.getByRole('link', { name: 'RCP digestive — CHU de Poitiers' }).click();
	await page.getByRole('link', { name: /mardi 15 décembre 2026/ }).click();
	await page.getByRole('link', { name: 'Fictif Patient' }).click();
	const section = page.getByRole('region', { name: 'Enregistrement sans discussion' });
	const prepare = section.getByRole('button', { name: 'Préparer l’enregistrement sans discussion' });
	const ready = section.getByText('Prêt pour la validation en lot');

	// The required fields are refused next to themselves; what was ticked stays.
	await section.getByLabel('radiothérapie', { exact: true }).check();
	await prepare.click();
	await expect(section.locator('#recorded-proposal-error')).toHaveText('Rédigez la proposition.');
	await expect(section.getByLabel(/^Proposition/)).toHaveAttribute('aria-invalid', 'true');
	await expect(section.getByLabel('radiothérapie', { exact: true })).toBeChecked();

	// Saved before the file's completeness is known: the missing item is named.
	await section.getByLabel(/^Proposition/).fill('Radiothérapie exclusive selon le référentiel.');
	await section.getByLabel(/^Nom du référentiel/).fill('Référentiel régional digestif');
	await section.getByLabel('Version du référentiel').fill('2025');
	await section.getByRole('group', { name: 'Essai clinique proposé' }).getByLabel('Non', { exact: true }).check();
	await prepare.click();
	await expect(section.getByRole('status')).toHaveText(/^Enregistré \(version \d+\)$/);
	await expect(section).toContainText('Il manque :');
	await expect(section.getByRole('listitem')).toHaveText(['Indiquez si le dossier était complet.']);
	await expect(ready).toHaveCount(0);

	await section.getByRole('group', { name: 'Dossier complet' }).getByLabel('Oui', { exact: true }).check();
	await prepare.click();
	await expect(ready).toBeVisible();
	await expect(section).not.toContainText('Il manque');

	// Back to discussion: the prepared proposal is kept, the case is no longer ready.
	await section.getByRole('button', { name: 'Retirer de l’enregistrement sans discussion' }).click();
	await expect(section).toContainText('il sera discuté en séance');
	await expect(ready).toHaveCount(0);
	await expect(section.getByLabel(/^Proposition/)).toHaveValue('Radiothérapie exclusive selon le référentiel.');
});

test('the chair records the prepared case in the meeting, in one batch, with the quorum mark', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto('/boards');
	await page.getByRole('link', { name: 'RCP digestive — CHU de Poitiers' }).click();
	await page.getByRole('link', { name: /mardi 15 décembre 2026/ }).click();
	await expect(page).toHaveURL(/\/meetings\/[0-9a-f-]{36}$/);
	const meetingPath = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Fictif Patient' }).click();
	const section = page.getByRole('region', { name: 'Enregistrement sans discussion' });
	await section.getByRole('button', { name: 'Préparer l’enregistrement sans discussion' }).click();
	await expect(section.getByText('Prêt pour la validation en lot')).toBeVisible();

	await page.goto(`${meetingPath}/room`);
	await page.getByLabel('Caméra activée').uncheck();
	await page.getByLabel('Micro activé').uncheck();
	await page.getByRole('button', { name: 'Rejoindre la réunion' }).click();
	const agenda = page.getByRole('region', { name: 'Ordre du jour' });
	await expect(agenda.getByRole('listitem').filter({ hasText: 'Fictif Patient' })).toContainText('Préparé pour un enregistrement sans discussion');
	await agenda.getByRole('button', { name: 'Valider l’enregistrement (1 dossier)' }).click();
	// Alone in the room: the quorum is not met, and the dialog says the fiche will show it.
	const dialog = page.getByRole('dialog');
	await expect(dialog).toContainText('quorum non atteint');
	await dialog.getByRole('button', { name: 'Valider l’enregistrement (1 dossier)' }).click();
	await expect(agenda.getByRole('status')).toHaveText('1 dossier enregistré sans discussion.');
	await expect(agenda.getByRole('listitem').filter({ hasText: 'Fictif Patient' })).toContainText('Enregistré sans discussion');

	// The case's page now shows the recorded proposal, read-only.
	await page.goto(meetingPath);
	await expect(page.getByRole('region', { name: 'Compte rendu de la séance' })).toContainText('enregistrés sans discussion : 1');
});
