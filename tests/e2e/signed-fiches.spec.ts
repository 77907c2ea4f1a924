import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { ADMIN, signInAsAdmin } from './accounts.ts';
import { nextWeekday, TUESDAY } from './dates.ts';
import { boardWithRecordedCase, openMeeting } from './fixtures.ts';

// Builds "RCP digestive — CH de Saintes", one meeting the next Tuesday at least a week
// ahead at 14:00, and "Fictif Patient", a complete case recorded without discussion in
// that meeting: its proposal is decided and its fiche complete. The administrator
// validates it.
test.describe.configure({ mode: 'serial' });

const BOARD = 'RCP digestive — CH de Saintes';
const MEETING = { date: nextWeekday(TUESDAY, 7), time: '14:00' };

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const page = await browser.newPage();
	await signInAsAdmin(page);
	await boardWithRecordedCase(page, BOARD, MEETING);
	await page.close();
});

const scratch = mkdtempSync(join(tmpdir(), 'concerto-e2e-fiches-'));
let meetingPath: string;
let pdfPath: string;

test('the coordinator validates and signs the decided case, then downloads its PDF (pdfsig: valid) and the meeting’s zip', async ({ page }) => {
	await signInAsAdmin(page);
	await openMeeting(page, BOARD, MEETING);
	await expect(page).toHaveURL(/\/meetings\/[0-9a-f-]{36}$/);
	meetingPath = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Fiches RCP (validation, envoi)' }).click();
	const row = page.getByRole('row').filter({ hasText: 'FICTIF Patient' });
	await expect(row).toContainText('Décidé — à valider');
	await expect(row).toContainText('Prête à signer.');

	// A wrong password signs nothing.
	await row.getByRole('checkbox', { name: 'Sélectionner FICTIF Patient' }).check();
	const signing = page.getByRole('region', { name: 'Valider et signer' });
	await signing.getByLabel('Votre mot de passe (confirmation d’identité)').fill('pas le bon mot de passe');
	await signing.getByRole('button', { name: 'Valider et signer la sélection (1)' }).click();
	await expect(signing).toContainText('Mot de passe incorrect : aucune autre fiche n’a été signée.');
	await expect(row).toContainText('Décidé — à valider');

	await row.getByRole('checkbox', { name: 'Sélectionner FICTIF Patient' }).check();
	await signing.getByLabel('Votre mot de passe (confirmation d’identité)').fill(ADMIN.password);
	await signing.getByRole('button', { name: 'Valider et signer la sélection (1)' }).click();
	await expect(signing).toContainText('FICTIF Patient : version 1 signée.');
	await expect(row).toContainText('Validé et signé');
	await expect(row).toContainText('version en vigueur');

	// The signed PDF: poppler's pdfsig accepts it.
	const pdfDownload = page.waitForEvent('download');
	await row.getByRole('link', { name: 'Télécharger la version 1 en PDF' }).click();
	pdfPath = join(scratch, (await pdfDownload).suggestedFilename());
	await (await pdfDownload).saveAs(pdfPath);
	// Named after the meeting's day.
	expect(pdfPath).toMatch(new RegExp(`fiche-rcp_${MEETING.date}_[0-9a-f]{8}_v1\\.pdf$`));
	const report = execFileSync('pdfsig', [pdfPath], { encoding: 'utf8' });
	expect(report).toContain('Signature Validation: Signature is Valid.');
	expect(report).toContain('Total document signed');
	const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
	expect(text).toContain('SIGNATURE DE DÉVELOPPEMENT');
	expect(text).toContain('FICTIF Patient');

	// The whole meeting as a zip: PDF, CDA and FHIR of the fiche, with a progress bar.
	const zipDownload = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Télécharger toute la séance (zip)' }).click();
	const zipPath = join(scratch, (await zipDownload).suggestedFilename());
	await (await zipDownload).saveAs(zipPath);
	const files = Object.keys(unzipSync(readFileSync(zipPath)));
	expect(files).toHaveLength(3);
	expect(files.map((name) => name.split('.').slice(1).join('.')).sort()).toEqual(['cda.xml', 'fhir.json', 'pdf']);

	// Its recipient (no GP is known: the requesting physician): the sending is marked, the case is sent.
	const recipients = row.getByRole('button', { name: /^Marquer la version 1 envoyée à/ });
	await expect(recipients).toHaveCount(1);
	await recipients.first().click();
	await expect(row).toContainText('envoyée (version 1)');
	await expect(row).toContainText('Envoyé');

	// Another recipient: to be sent too.
	await row.getByText('Ajouter un destinataire').click();
	await row.getByLabel('Nom du destinataire').fill('Dr Autre Hôpital');
	await row.getByRole('button', { name: 'Ajouter', exact: true }).click();
	await expect(row).toContainText('Dr Autre Hôpital');
	await expect(row).toContainText('à envoyer');
	await expect(row).toContainText('Validé et signé');
});

test('the verification page says the downloaded PDF is the current authentic fiche, and refuses a file that is not a PDF', async ({ page }) => {
	await page.goto('/verifier');
	await page.getByLabel('Fiche RCP (PDF)').setInputFiles(pdfPath);
	await page.getByRole('button', { name: 'Vérifier' }).click();
	await expect(page.getByText('Fiche authentique : signée par Concerto et non modifiée.')).toBeVisible();
	await expect(page.getByRole('status')).toContainText('C’est la version en vigueur.');
	await expect(page.getByRole('main')).not.toContainText('FICTIF');

	const changed = readFileSync(pdfPath);
	changed[200] ^= 1;
	const changedPath = join(scratch, 'modifiee.pdf');
	writeFileSync(changedPath, changed);
	await page.getByLabel('Fiche RCP (PDF)').setInputFiles(changedPath);
	await page.getByRole('button', { name: 'Vérifier' }).click();
	await expect(page.getByText('Ce document n’est pas une fiche signée par Concerto, ou il a été modifié.')).toBeVisible();

	await page.getByLabel('Fiche RCP (PDF)').setInputFiles({ name: 'fiche.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>pas un PDF</html>') });
	await page.getByRole('button', { name: 'Vérifier' }).click();
	await expect(page.getByText('Ce fichier n’est pas un PDF.')).toBeVisible();
	expect(meetingPath).toBeTruthy();
});
