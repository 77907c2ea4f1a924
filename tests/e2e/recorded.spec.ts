import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';
import { nextWeekday, TUESDAY } from './dates.ts';
import { addMeeting, createBoard, enterRoomWithoutMedia, openMeeting, registerCase } from './fixtures.ts';

// Builds "RCP digestive — CH d’Angoulême" (quorum: 3 specialties, a surgeon, a medical and
// a radiation oncologist), one meeting the next Tuesday at least a week ahead at 14:00,
// and "Fictif Patient", a complete case on its agenda. The first test prepares its
// proposal; the second records it without discussion in the meeting.
test.describe.configure({ mode: 'serial' });

const BOARD = 'RCP digestive — CH d’Angoulême';
const MEETING = { date: nextWeekday(TUESDAY, 7), time: '14:00' };

test.beforeAll(async ({ browser }) => {
	const page = await browser.newPage();
	await signInAsAdmin(page);
	await createBoard(page, { name: BOARD });
	const meetingPath = await addMeeting(page, BOARD, MEETING);
	await registerCase(page, meetingPath, { birthName: 'Fictif', firstName: 'Patient', complete: true });
	await page.close();
});

test('a manager prepares a case for registration without discussion: what is missing, then ready for the batch', async ({ page }) => {
	await signInAsAdmin(page);
	await openMeeting(page, BOARD, MEETING);
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
	await expect(section.getByRole('status').filter({ hasText: /^Enregistré/ })).toHaveText(/^Enregistré \(version \d+\)$/);
	await expect(section).toContainText('Il manque :');
	await expect(section.getByRole('list', { name: 'Il manque :' }).getByRole('listitem')).toHaveText(['Indiquez si le dossier était complet.']);
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
	await openMeeting(page, BOARD, MEETING);
	await expect(page).toHaveURL(/\/meetings\/[0-9a-f-]{36}$/);
	const meetingPath = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Fictif Patient' }).click();
	const section = page.getByRole('region', { name: 'Enregistrement sans discussion' });
	await section.getByRole('button', { name: 'Préparer l’enregistrement sans discussion' }).click();
	await expect(section.getByText('Prêt pour la validation en lot')).toBeVisible();

	await enterRoomWithoutMedia(page, meetingPath);
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
