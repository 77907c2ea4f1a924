import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';
import { addDays, dayLabel, meetingLabel, nextWeekday, TUESDAY } from './dates.ts';
import { addMeeting, createBoard, openMeeting } from './fixtures.ts';

// Builds "RCP digestive — CH de Niort" and two of its meetings: the next Tuesday at least a
// week ahead, at 14:00 (its registration still open), and the one two weeks later. The
// tests follow one case after another on them, in order.
test.describe.configure({ mode: 'serial' });

const BOARD = 'RCP digestive — CH de Niort';
const MEETING = { date: nextWeekday(TUESDAY, 7), time: '14:00' };
const LATER = { date: addDays(MEETING.date, 14), time: '14:00' };

test.beforeAll(async ({ browser }) => {
	const page = await browser.newPage();
	await signInAsAdmin(page);
	await createBoard(page, { name: BOARD });
	await addMeeting(page, BOARD, MEETING);
	await addMeeting(page, BOARD, LATER);
	await page.close();
});

async function openFirstMeeting(page: Page) {
	await signInAsAdmin(page);
	await openMeeting(page, BOARD, MEETING);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(dayLabel(MEETING.date));
}

// A 1×1 PNG.
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);

test('a physician registers a case, completes it, attaches a document; the agenda shows it', async ({ page }) => {
	await openFirstMeeting(page);
	await page.getByRole('link', { name: 'Inscrire un dossier' }).click();

	// A partial registration is accepted and says what is missing.
	await page.getByLabel(/^Nom de naissance/).fill('Fictif');
	await page.getByLabel(/^Prénom\(s\) de naissance/).fill('Patient');
	await page.getByLabel(/^Date de naissance/).fill('1958-04-12');
	await page.getByRole('button', { name: 'Inscrire le dossier' }).click();
	await expect(page.getByRole('heading', { name: 'Dossier incomplet' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Dossier incomplet' })).toContainText('Question posée à la RCP');

	// A wrong CIM-10 code is refused next to its field, nothing typed is lost.
	await page.getByLabel(/^Sexe/).selectOption({ label: 'Masculin' });
	await page.getByLabel(/^Motif de présentation/).selectOption({ index: 1 });
	await page.getByLabel(/^Discussion ou simple enregistrement/).selectOption({ index: 1 });
	await page.getByLabel(/^Question posée à la RCP/).fill('Chirurgie première ou traitement néoadjuvant ?');
	await page.getByLabel(/^Localisation tumorale \(code CIM-10\)/).fill('X99.9.9');
	await page.getByLabel(/^Localisation tumorale \(libellé\)/).fill('Côlon sigmoïde');
	await page.getByLabel(/^Indice de performance OMS/).selectOption('1');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.locator('#tumourSiteCode-error')).toBeVisible();
	await expect(page.getByLabel(/^Question posée à la RCP/)).toHaveValue('Chirurgie première ou traitement néoadjuvant ?');

	await page.getByLabel(/^Localisation tumorale \(code CIM-10\)/).fill('C18.7');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByRole('heading', { name: 'Dossier complet' })).toBeVisible();

	// Documents: the type is checked from the content.
	await page.getByLabel(/Joindre un document/).setInputFiles({ name: 'faux.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un PDF') });
	await page.getByRole('button', { name: 'Envoyer le document' }).click();
	await expect(page.getByRole('region', { name: 'Documents' }).getByRole('alert')).toContainText('ni un PDF');
	await page.getByLabel(/Joindre un document/).setInputFiles({ name: 'scanner.png', mimeType: 'image/png', buffer: PNG });
	await page.getByRole('button', { name: 'Envoyer le document' }).click();
	const link = page.getByRole('link', { name: 'scanner.png' });
	await expect(link).toBeVisible();
	const download = await page.request.get((await link.getAttribute('href'))!);
	expect(download.headers()['content-type']).toBe('image/png');
	expect(Buffer.from(await download.body()).equals(PNG)).toBe(true);

	await page.getByRole('link', { name: 'Séance', exact: false }).first().click();
	const agenda = page.getByRole('listitem').filter({ hasText: 'Fictif Patient' });
	await expect(agenda).toContainText('Dossier complet');
	await expect(agenda).toContainText('Chirurgie première ou traitement néoadjuvant ?');
});

test('a document uploads with a byte-level progress bar; one over 50 MB is refused before sending', async ({ page }, testInfo) => {
	await openFirstMeeting(page);
	await page.getByRole('link', { name: 'Fictif Patient' }).click();
	const documents = page.getByRole('region', { name: 'Documents' });

	// Over the limit: refused in the browser, nothing is sent.
	const huge = testInfo.outputPath('trop-gros.pdf');
	writeFileSync(huge, Buffer.alloc(51 * 1024 * 1024, 0x20));
	await documents.getByLabel(/Joindre un document/).setInputFiles(huge);
	await documents.getByRole('button', { name: 'Envoyer le document' }).click();
	await expect(documents.getByRole('alert')).toContainText('Fichier trop volumineux (51.0 Mo) : 50 Mo au plus. Rien n’a été envoyé.');

	// 2 MB over a link slowed to 1 MB/s: the bar shows the bytes sent.
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
	const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
	await documents.getByLabel(/Joindre un document/).setInputFiles({ name: 'compte-rendu.pdf', mimeType: 'application/pdf', buffer: pdf });
	await documents.getByRole('button', { name: 'Envoyer le document' }).click();
	await expect(documents.getByRole('progressbar', { name: 'Progression de l’envoi' })).toBeVisible();
	await expect(documents.getByRole('status')).toContainText(/\d+ % — [\d.]+ (Ko|Mo) sur 2\.0 Mo/);
	await expect(documents.getByRole('link', { name: 'compte-rendu.pdf' })).toBeVisible();
	await expect(documents.getByRole('progressbar')).toHaveCount(0);
	await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
});

test('the secretary reorders the agenda', async ({ page }) => {
	await openFirstMeeting(page);
	await page.getByRole('link', { name: 'Inscrire un dossier' }).click();
	await page.getByLabel(/^Nom de naissance/).fill('Second');
	await page.getByLabel(/^Prénom\(s\) de naissance/).fill('Cas');
	await page.getByRole('button', { name: 'Inscrire le dossier' }).click();
	await expect(page.getByRole('heading', { name: 'Dossier incomplet' })).toBeVisible();
	await page.getByRole('link', { name: 'Séance' }).first().click();

	const names = () => page.locator('.agenda li a').allTextContents();
	await expect.poll(names).toEqual(['Fictif Patient', 'Second Cas']);
	await page.getByRole('button', { name: 'Avancer le dossier de Second Cas' }).click();
	await expect.poll(names).toEqual(['Second Cas', 'Fictif Patient']);
	await page.reload();
	await expect.poll(names).toEqual(['Second Cas', 'Fictif Patient']);
});

test('the secretary postpones a case to a later meeting; it keeps its history', async ({ page }) => {
	await openFirstMeeting(page);
	await page.getByRole('link', { name: 'Second Cas' }).click();
	const postpone = page.getByRole('region', { name: 'Reporter ou déplacer le dossier' });
	await postpone.getByLabel('Séance').selectOption({ label: meetingLabel(LATER) });
	await postpone.getByLabel('Motif').selectOption('postponed');
	await postpone.getByRole('button', { name: 'Déplacer le dossier' }).click();
	await expect(postpone.getByRole('status')).toContainText('son historique est conservé');
	await expect(postpone).toContainText('Ce dossier a été inscrit à 2 séances.');

	await openMeeting(page, BOARD, LATER);
	await expect(page.locator('.agenda li a')).toHaveText(['Second Cas']);
});
