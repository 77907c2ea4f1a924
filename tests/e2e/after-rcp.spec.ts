import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { failedAsserts, loadSchematron, xmllint } from '../helpers/cda-validation.ts';
import { ADMIN, signInAsAdmin } from './accounts.ts';
import { addDays, escapeRegExp, nextWeekday, numericDay, today, TUESDAY } from './dates.ts';
import { addMeeting, boardWithRecordedCase, hydrated, openMeeting } from './fixtures.ts';

// After the RCP (issue 16). Builds "RCP digestive — CH de Jonzac", a meeting the next
// Tuesday at least a week ahead with "Fictif Patient" recorded without discussion (decided;
// the administrator, who registered the case, is its requesting physician), and a second
// meeting two weeks later. Then, as a user would: the coordinator signs the fiche, the
// requesting physician writes the PPS, issues it and hands it over, opens the follow-up
// and invites the GP; the GP opens their link, sees that patient's follow-up and nothing
// else, records a visit suspecting a relapse, and the case is on the next meeting's agenda.
test.describe.configure({ mode: 'serial' });

const BOARD = 'RCP digestive — CH de Jonzac';
const MEETING = { date: nextWeekday(TUESDAY, 7), time: '14:00' };
const NEXT = { date: addDays(MEETING.date, 14), time: '14:00' };
/** The CI-SIS CANCER-PPS schematron (its file name and its phase). */
const PPS_SCHEMATRON = 'CI-SIS_CANCER-PPS_2022.01';
const scratch = mkdtempSync(join(tmpdir(), 'concerto-e2e-after-rcp-'));

let casePath: string;
let gpLink: string;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(180_000);
	const page = await browser.newPage();
	await signInAsAdmin(page);
	const meetingPath = await boardWithRecordedCase(page, BOARD, MEETING);
	await addMeeting(page, BOARD, NEXT);
	// The coordinator (the administrator here) validates and signs the fiche.
	await page.goto(meetingPath);
	await hydrated(page);
	await page.getByRole('link', { name: 'Fiches RCP (validation, envoi)' }).click();
	const row = page.getByRole('row').filter({ hasText: 'FICTIF Patient' });
	await row.getByRole('checkbox', { name: 'Sélectionner FICTIF Patient' }).check();
	const signing = page.getByRole('region', { name: 'Valider et signer' });
	await signing.getByLabel('Votre mot de passe (confirmation d’identité)').fill(ADMIN.password);
	await signing.getByRole('button', { name: 'Valider et signer la sélection (1)' }).click();
	await expect(signing).toContainText('FICTIF Patient : version 1 signée.');
	await page.goto(meetingPath);
	await hydrated(page);
	await page.getByRole('link', { name: 'Fictif Patient', exact: true }).first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	casePath = new URL(page.url()).pathname;
	await page.close();
});

/** Downloads what `link` gives into the scratch folder; returns the file's path. */
async function download(page: Page, link: ReturnType<Page['getByRole']>): Promise<string> {
	const pending = page.waitForEvent('download');
	await link.click();
	const file = await pending;
	const path = join(scratch, file.suggestedFilename());
	await file.saveAs(path);
	return path;
}

test('the requesting physician writes the PPS from the signed fiche, issues it, hands it over; its CDA passes the CANCER-PPS schematron', async ({ page }) => {
	test.setTimeout(120_000);
	await signInAsAdmin(page);
	await page.goto(casePath);
	await hydrated(page);
	const section = page.getByRole('region', { name: 'Programme personnalisé de soins (PPS)' });
	await section.getByRole('button', { name: 'Rédiger le PPS' }).click();
	await expect(page).toHaveURL(/\/pps$/);
	await hydrated(page);
	// Pre-filled from the fiche: the diagnosis and the referring physician.
	await expect(page.getByLabel('Le diagnostic, en mots (repris de la fiche RCP)')).not.toHaveValue('');

	// A phase ending before it starts is refused, next to the field, and nothing typed is lost.
	const start = addDays(today(), 7);
	await page.getByLabel('Type de traitement (phase 1)').selectOption({ label: 'chimiothérapie' });
	await page.getByLabel('Description (phase 1)').fill('Chimiothérapie adjuvante, une cure tous les 14 jours.');
	await page.getByLabel('Début (phase 1)').fill(start);
	await page.getByLabel('Fin (phase 1)').fill(addDays(start, -1));
	await page.getByLabel('Lieu de prise en charge (phase 1)').fill('Hôpital de jour, CH de Jonzac');
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect(page.getByRole('alert').first()).toContainText('Le brouillon n’a pas été enregistré');
	await expect(page.getByLabel('Fin (phase 1)')).toHaveAccessibleDescription('La date de fin précède la date de début.');
	await expect(page.getByLabel('Lieu de prise en charge (phase 1)')).toHaveValue('Hôpital de jour, CH de Jonzac');

	await page.getByLabel('Fin (phase 1)').fill('');
	await page.getByLabel('Durée (semaines) (phase 1)').fill('12');
	await page.getByRole('button', { name: 'Émettre cette version' }).click();
	await expect(page.getByText('Version 1 émise : elle peut être téléchargée et remise au patient.')).toBeVisible();

	await page.getByRole('button', { name: 'Marquer comme remis au patient' }).click();
	await expect(page.getByText('Remise au patient enregistrée.')).toBeVisible();
	await expect(page.getByText(/Remis au patient le/)).toBeVisible();

	// The patient's PDF, in plain French, with whom to call.
	const pdf = await download(page, page.getByRole('link', { name: /PDF patient/ }).first());
	const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
	expect(text).toContain('Qui appeler');
	expect(text).toContain('Mon calendrier de traitement');
	expect(text).toContain('M. Patient FICTIF');
	// The CDA: the CDA schema and the official CANCER-PPS schematron, no failed assertion.
	const cda = await download(page, page.getByRole('link', { name: /CDA/ }).first());
	expect(xmllint(cda).status).toBe(0);
	expect(failedAsserts(loadSchematron(PPS_SCHEMATRON), PPS_SCHEMATRON, readFileSync(cda, 'utf8'))).toEqual([]);
});

test('the specialist opens the follow-up from a template at the end of treatment and invites the GP by a personal link', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto(casePath);
	await hydrated(page);
	const section = page.getByRole('region', { name: 'Suivi après traitement' });
	await section.getByRole('link', { name: 'Ouvrir le suivi' }).click();
	await hydrated(page);
	// The end of treatment cannot be in the past.
	await page.getByLabel('Date de fin de traitement (début du suivi)').fill(addDays(today(), -3));
	await page.getByRole('button', { name: 'Ouvrir le suivi' }).click();
	await expect(page.getByText('Le suivi ne peut pas commencer dans le passé')).toBeVisible();
	await page.getByLabel('Date de fin de traitement (début du suivi)').fill(today());
	await page.getByRole('button', { name: 'Voir le calendrier' }).click();
	await expect(page.getByRole('heading', { name: 'Calendrier qui sera créé' })).toBeVisible();
	await page.getByRole('button', { name: 'Ouvrir le suivi' }).click();
	await expect(page).toHaveURL(/\/suivi\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { name: /^Suivi de / })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Calendrier du suivi' })).toBeVisible();

	await hydrated(page);
	const links = page.getByRole('region', { name: 'Lien du médecin traitant' });
	await links.getByLabel('Nom du médecin traitant').fill('Dr Jeanne Généraliste');
	await links.getByRole('button', { name: 'Créer le lien' }).click();
	const shown = links.getByLabel('Lien du médecin traitant');
	await expect(shown).toHaveValue(/\/medecin\/.+/);
	gpLink = await shown.inputValue();
});

test('the GP opens their link, sees that patient’s follow-up and nothing else, and records a visit suspecting a relapse: the case goes to the next meeting', async ({ browser }) => {
	test.setTimeout(120_000);
	const gp = await browser.newContext();
	const page = await gp.newPage();
	await page.goto(gpLink);
	await expect(page.getByText(/Ce lien est destiné à Dr Jeanne Généraliste/)).toBeVisible();
	await page.getByRole('button', { name: 'Accéder au suivi' }).click();
	await expect(page).toHaveURL(/\/suivi\/[0-9a-f-]{36}$/);
	const planPath = new URL(page.url()).pathname;
	await expect(page.getByRole('heading', { name: 'Vos prochaines consultations' })).toBeVisible();
	// The PPS and the fiche of this patient are there.
	await expect(page.getByRole('link', { name: 'Fiche RCP signée (PDF)' })).toBeVisible();
	await expect(page.getByText(/PPS version 1 du/)).toBeVisible();
	// Nothing else: another page is refused in French, the home page leads back to the plan.
	const refused = await page.goto(casePath);
	expect(refused?.status()).toBe(403);
	await expect(page.getByRole('main')).not.toContainText('FICTIF');
	await page.goto('/');
	await expect(page).toHaveURL(planPath);

	await hydrated(page);
	const form = page.getByRole('region', { name: 'Enregistrer une consultation' });
	await form.getByLabel('Consultation du plan').selectOption({ label: 'Consultation non prévue' });
	await form.getByLabel('Date de la consultation').fill(today());
	await form.getByLabel('Constatations').fill('Douleurs de l’hypochondre droit depuis trois semaines.');
	await form.getByLabel('Suspicion de récidive').check();
	await form.getByLabel('Ce qui fait suspecter une récidive').fill('Nodule hépatique de 2 cm à l’échographie.');
	const register = form.getByLabel(/Inscrire le patient à la prochaine RCP de RCP digestive — CH de Jonzac/);
	await expect(register).toBeChecked();
	await expect(register).toHaveAccessibleName(new RegExp(escapeRegExp(numericDay(NEXT.date))));
	await form.getByRole('button', { name: 'Enregistrer la consultation' }).click();
	await expect(page.getByText(/Consultation enregistrée\. Le patient est inscrit à la RCP du/)).toBeVisible();

	// Leaving ends the session in this browser: the plan is no longer shown.
	await page.getByRole('button', { name: 'Quitter le suivi' }).click();
	await expect(page.getByRole('status')).toContainText('Vous avez quitté le suivi du patient');
	await page.goto(planPath);
	await expect(page).toHaveURL(/\/login/);
	await gp.close();
});

test('the relapse is on the next meeting’s agenda, and the follow-up dashboard says so', async ({ page }) => {
	await signInAsAdmin(page);
	await openMeeting(page, BOARD, NEXT);
	await expect(page.getByRole('link', { name: 'Fictif Patient', exact: true }).first()).toBeVisible();
	await page.goto('/suivi');
	const relapses = page.getByRole('region', { name: 'Suspicions de récidive' });
	const relapse = relapses.getByRole('listitem').filter({ hasText: 'FICTIF Patient' });
	await relapse.getByRole('link', { name: `Réinscrit à la RCP du ${numericDay(NEXT.date)}` }).click();
	// The new case: pre-filled from the previous one, the relapse as its reason, to be completed by the requester.
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	expect(new URL(page.url()).pathname).not.toBe(casePath);
	await expect(page.getByLabel('Circonstances de découverte')).toHaveValue('Suspicion de récidive lors du suivi : Nodule hépatique de 2 cm à l’échographie.');
	await expect(page.getByLabel(/^Motif de présentation/)).toHaveValue('relapse');
	// The performance status describes the patient then: it is asked again.
	await expect(page.getByRole('main')).toContainText('Champs obligatoires à compléter : Indice de performance OMS');
});
