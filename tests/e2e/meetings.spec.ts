import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';
import { addDays, dayLabel, meetingLabel, nextWeekday, TUESDAY } from './dates.ts';
import { addMeeting, createBoard, registerCase } from './fixtures.ts';

// Builds "RCP digestive — CH de Châtellerault" and one meeting, the next Tuesday at least
// two days ahead at 14:00, with "Second Cas" on its agenda.
const BOARD = 'RCP digestive — CH de Châtellerault';
const MEETING = { date: nextWeekday(TUESDAY, 2), time: '14:00' };

test.beforeAll(async ({ browser }) => {
	const page = await browser.newPage();
	await signInAsAdmin(page);
	await createBoard(page, { name: BOARD });
	const meetingPath = await addMeeting(page, BOARD, MEETING);
	await registerCase(page, meetingPath, { birthName: 'Second', firstName: 'Cas' });
	await page.close();
});

test('the secretary reschedules a meeting and duplicates it', async ({ page }) => {
	await signInAsAdmin(page);
	await page
		.getByRole('region', { name: 'Mes prochaines séances' })
		.getByRole('listitem')
		.filter({ hasText: BOARD })
		.getByRole('link', { name: meetingLabel(MEETING), exact: true })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(dayLabel(MEETING.date));
	const schedule = page.getByRole('region', { name: 'Date de la séance' });

	// A deadline after the start (the next day) is refused, and what was typed stays.
	await schedule.getByLabel('Heure de début').first().fill('15:30');
	await schedule.getByLabel('Date limite d’inscription').fill(addDays(MEETING.date, 1));
	await schedule.getByRole('button', { name: 'Enregistrer les modifications' }).click();
	await expect(schedule.getByRole('alert')).toHaveText('La date limite d’inscription doit précéder le début de la séance.');
	await expect(schedule.getByLabel('Heure de début').first()).toHaveValue('15:30');
	await schedule.getByLabel('Date limite d’inscription').fill(addDays(MEETING.date, -6));
	await schedule.getByRole('button', { name: 'Enregistrer les modifications' }).click();
	await expect(schedule.getByRole('status')).toHaveText('Séance modifiée.');
	await expect(page.getByRole('heading', { level: 1 })).toContainText(`${dayLabel(MEETING.date)} à 15:30`);
	// Its agenda stays with it.
	await expect(page.locator('.agenda li a')).toHaveText(['Second Cas']);

	// A copy a week later, at the new time, with an empty agenda.
	const copy = { date: addDays(MEETING.date, 7), time: '15:30' };
	await schedule.getByLabel('Date', { exact: true }).last().fill(copy.date);
	await schedule.getByRole('button', { name: 'Dupliquer' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(meetingLabel(copy));
	await expect(page.getByText('Aucun dossier inscrit pour l’instant.')).toBeVisible();
});
