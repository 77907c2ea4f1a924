import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';
import { addDays, containing, meetingLabel, nextWeekday, registrationDeadline, shortDateTime, TUESDAY } from './dates.ts';
import { openBoard } from './fixtures.ts';

// Builds "RCP digestive — CHU de Poitiers" through its creation form: every other Tuesday
// at 14:00, from the next Tuesday (tomorrow at the earliest), then its meetings.
test.describe.configure({ mode: 'serial' });

const BOARD = 'RCP digestive — CHU de Poitiers';
const FIRST = { date: nextWeekday(TUESDAY, 1), time: '14:00' };

test('an administrator creates a board with its quorum rule and schedule, then adds its coordinator', async ({ page }) => {
	await signInAsAdmin(page);
	await page.getByRole('link', { name: 'RCP', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Annuaire des RCP' })).toBeVisible();

	await page.getByLabel('Nom (ex. RCP digestive — CHU de Poitiers)').fill(BOARD);
	await page.getByLabel('Appareil').selectOption({ index: 1 });
	await page.getByLabel('Site').fill('CHU de Poitiers');
	await page.getByLabel('Nombre minimal de spécialités différentes').fill('3');
	await page.getByLabel('Au moins un médecin : Chirurgie').check();
	await page.getByLabel(/Spécialités précises exigées/).selectOption(['medical-oncology', 'radiation-oncology']);
	await page.getByLabel('Fréquence').selectOption('biweekly');
	await page.getByLabel('Jour', { exact: true }).selectOption({ label: 'mardi' });
	await page.getByLabel('Heure de début').fill('14:00');
	// The Wednesday after: refused, with the reason next to the field.
	await page.getByLabel('Date de la première séance').fill(addDays(FIRST.date, 1));
	await page.getByRole('button', { name: 'Créer la RCP' }).click();
	await expect(page.getByText('La première séance doit tomber un mardi')).toBeVisible();
	await expect(page.getByLabel('Site')).toHaveValue('CHU de Poitiers');

	await page.getByLabel('Date de la première séance').fill(FIRST.date);
	await page.getByRole('button', { name: 'Créer la RCP' }).click();
	await expect(page.getByRole('heading', { name: BOARD, level: 1 })).toBeVisible();
	await expect(page.locator('.facts')).toContainText('3 spécialités différentes au moins');
	await expect(page.locator('.facts')).toContainText('Une semaine sur deux, mardi 14:00 (120 min)');
	await expect(page.locator('.facts')).toContainText('2 jours ouvrés avant la séance, à 12:00');

	await page.getByLabel('Personne').selectOption({ label: 'ADMINISTRATRICE Claire' });
	await page.getByLabel('Rôle').selectOption({ label: 'Médecin coordonnateur' });
	await page.getByRole('button', { name: 'Appliquer' }).click();
	await expect(page.getByRole('region', { name: 'Membres' })).toContainText('Claire Administratrice — Médecin coordonnateur');

	await page.goto('/boards');
	await expect(page.getByRole('listitem').filter({ hasText: BOARD })).toContainText('Médecin coordonnateur');
});

test('the board’s managers schedule its meetings from the recurrence and cancel one', async ({ page }) => {
	await signInAsAdmin(page);
	await openBoard(page, BOARD);

	await page.getByRole('button', { name: 'Programmer les séances des trois prochains mois' }).click();
	const meetings = page.getByRole('region', { name: 'Séances' });
	await expect(meetings.getByRole('status')).toContainText('séance(s) ajoutée(s)');
	// The first is the recurrence's first meeting; the next one two weeks later.
	const rows = meetings.getByRole('row');
	const first = meetings.getByRole('row', { name: containing(meetingLabel(FIRST)) });
	await expect(rows.nth(1)).toContainText(meetingLabel(FIRST));
	await expect(rows.nth(2)).toContainText(meetingLabel({ date: addDays(FIRST.date, 14), time: '14:00' }));
	// Two working days before, at noon (public holidays do not count).
	await expect(first).toContainText(shortDateTime(registrationDeadline(FIRST)));
	await first.getByRole('button', { name: 'Annuler' }).click();
	await expect(first).toContainText('Annulée');
});
