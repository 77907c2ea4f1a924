import { expect, test } from '@playwright/test';
import { addToBoard, ensureAccount, listedName, signIn, signInAsAdmin } from './accounts.ts';
import { addDays, dayLabel, meetingLabel, nextWeekday, TUESDAY } from './dates.ts';
import { addMeeting, cancelMeeting, createBoard, hydrated, registerCase } from './fixtures.ts';

// Builds "RCP digestive — CH de La Rochelle", its secretary Inès, and three Tuesday
// meetings at 14:00 a week apart from the next Tuesday (tomorrow at the earliest): the
// first cancelled, the second with "Fictif Patient" on its agenda (the one guests are
// invited to), the third another meeting of the board.
const BOARD = 'RCP digestive — CH de La Rochelle';
const SECRETARY = {
	givenName: 'Inès',
	familyName: 'Secrétaire',
	email: 'ines.secretaire@ch-larochelle.test',
	password: 'le mot de passe d’Inès'
};
const CANCELLED = { date: nextWeekday(TUESDAY, 1), time: '14:00' };
const MEETING = { date: addDays(CANCELLED.date, 7), time: '14:00' };
const OTHER = { date: addDays(CANCELLED.date, 14), time: '14:00' };

test.beforeAll(async ({ browser }) => {
	const admin = await browser.newPage();
	await signInAsAdmin(admin);
	await createBoard(admin, { name: BOARD });
	await ensureAccount(admin, browser, SECRETARY);
	await addToBoard(admin, BOARD, listedName(SECRETARY), 'Secrétaire');
	await addMeeting(admin, BOARD, CANCELLED);
	await cancelMeeting(admin, BOARD, CANCELLED);
	const meetingPath = await addMeeting(admin, BOARD, MEETING);
	await registerCase(admin, meetingPath, { birthName: 'Fictif', firstName: 'Patient', complete: true });
	await addMeeting(admin, BOARD, OTHER);
	await admin.close();
});

test('a guest link opens its meeting and nothing else, until it is revoked', async ({ page, browser }) => {
	await signIn(page, SECRETARY.email, SECRETARY.password);
	await expect(page).toHaveURL(/\/$/);
	await hydrated(page);
	// The home page lists the next meetings of the user's boards (the cancelled one is not there).
	const upcoming = page.getByRole('region', { name: 'Mes prochaines séances' });
	await expect(upcoming.getByRole('listitem').first()).toContainText(BOARD);
	await expect(upcoming.getByRole('listitem').first()).toContainText(meetingLabel(MEETING));
	await expect(upcoming).not.toContainText(meetingLabel(CANCELLED));
	const otherMeeting = await upcoming.getByRole('link', { name: meetingLabel(OTHER), exact: true }).getAttribute('href');
	await upcoming.getByRole('link', { name: meetingLabel(MEETING), exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(dayLabel(MEETING.date));
	const meetingPath = new URL(page.url()).pathname;
	const caseLink = await page.getByRole('link', { name: 'Fictif Patient' }).getAttribute('href');

	// The secretary's form: a name is required, the expiry defaults to the meeting's day.
	const guests = page.getByRole('region', { name: 'Invités' });
	await expect(guests.getByLabel(/Valable jusqu’au/)).toHaveValue(MEETING.date);
	await guests.getByLabel(/Adresse électronique/).fill('pas-une-adresse');
	await guests.getByRole('button', { name: 'Inviter' }).click();
	await expect(page.locator('#guest-name-error')).toHaveText('Indiquez le nom de l’invité.');
	await expect(page.locator('#guest-email-error')).toHaveText('Adresse électronique invalide.');
	await guests.getByLabel('Nom de l’invité').fill('Dr Hélène Généraliste');
	await guests.getByLabel(/Adresse électronique/).fill('h.generaliste@cabinet.test');
	await guests.getByRole('button', { name: 'Inviter' }).click();
	const link = await guests.getByLabel('Lien d’invitation').inputValue();
	expect(link).toMatch(/\/invite\/[\w-]{40,}$/);
	await expect(guests.getByRole('listitem').filter({ hasText: 'Dr Hélène Généraliste' })).toContainText('pas encore ouvert');

	// The guest, in their own browser, without an account.
	const guestContext = await browser.newContext();
	const guest = await guestContext.newPage();
	await guest.goto(link);
	await expect(guest.getByText('Cette invitation est destinée à Dr Hélène Généraliste')).toBeVisible();
	await guest.getByRole('button', { name: 'Entrer dans la réunion' }).click();
	await expect(guest).toHaveURL(meetingPath);
	await expect(guest.getByRole('heading', { level: 1 })).toHaveText('Bienvenue, Dr Hélène Généraliste');
	await expect(guest.getByRole('main')).toContainText(BOARD);
	await expect(guest.getByRole('main')).toContainText('1 dossier(s) à l’ordre du jour');
	// No patient's name on the guest's page, no way to the case.
	await expect(guest.getByRole('main')).not.toContainText('Fictif');
	await expect(guest.getByRole('link', { name: 'Inscrire un dossier' })).toHaveCount(0);

	// Nothing else opens: other pages, the other meeting, the case, its documents.
	for (const path of ['/boards', otherMeeting!, caseLink!, `${meetingPath}/register`, '/admin/users', '/admin/audit']) {
		const response = await guest.goto(path);
		expect(response?.status(), path).toBe(403);
		await expect(guest.getByRole('main')).toContainText('Votre invitation donne accès uniquement à la réunion');
	}
	// Page data, documents and form posts are refused as well.
	expect((await guest.request.get(`${otherMeeting}/__data.json`)).status()).toBe(403);
	expect((await guest.request.get(caseLink!.replace('/cases/', '/attachments/'))).status()).toBe(403);
	expect((await guest.request.post(`${meetingPath}?/invite`, { form: { name: 'Intrus' } })).status()).toBe(403);
	// The home page leads back to the meeting.
	await guest.goto('/');
	await expect(guest).toHaveURL(meetingPath);

	// The secretary sees the link was opened, and revokes it: the guest is out at once.
	await page.reload();
	const row = guests.getByRole('listitem').filter({ hasText: 'Dr Hélène Généraliste' });
	await expect(row).toContainText('ouvert le');
	await row.getByRole('button', { name: 'Révoquer' }).click();
	await expect(row).toContainText('révoqué');
	await guest.goto(meetingPath);
	await expect(guest).toHaveURL(/\/login/);
	await guest.goto(link);
	await expect(guest.getByRole('alert')).toContainText('n’est plus valable');
	await guestContext.close();
});
