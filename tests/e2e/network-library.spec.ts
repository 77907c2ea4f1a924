import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { textPdf } from '../../server/tools/demo/documents.ts';
import { fhirSchemaErrors } from '../helpers/fhir-schema.ts';
import { addToBoard, ADMIN, listedName, signInAsAdmin } from './accounts.ts';
import { daysAhead, monthOf } from './dates.ts';
import { addMeeting, createBoard, enterRoomWithoutMedia, hydrated, registerCase } from './fixtures.ts';

// The network's library and directory used where decisions are made (issue 15). The
// administrator (an editor of the network) writes "Cancer du côlon — Marennes", coordinates
// its working group, and publishes its version 2027 with the situation COLON-III-R0; then
// imports the trial ROYCOL from a CSV file (a bad file first: nothing is imported). On
// "RCP digestive — CH de Marennes" (coordinated by the administrator), a colon cancer case is
// registered on a meeting nine days ahead: the trial shows beside the case; in the live
// meeting the chair cites the situation and proposes the trial, the proposal is decided,
// and the signed fiche's PDF, CDA and FHIR carry both; the indicators count them.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const BOARD = 'RCP digestive — CH de Marennes';
const MEETING = { date: daysAhead(9), time: '15:00' };
const REFERENTIEL = 'Cancer du côlon — Marennes';
const SITUATION = { code: 'COLON-III-R0', heading: 'Côlon, stade III, après résection R0', recommendation: 'Chimiothérapie adjuvante FOLFOX ou CAPOX, 3 ou 6 mois selon le risque.' };
const TRIAL = { acronym: 'ROYCOL', nct: 'NCT09977001', euCt: '2026-999777-01-00' };
const STANDARDS = join(import.meta.dirname, '../../../shared/standards/ans-cda-frcp');

const CSV_HEADER = 'titre;acronyme;numero_eu_ct;nct;numero_local;promoteur;phase;statut;ouvert_le;ferme_le;organes;cim10;histologie;ctnm_t;ctnm_n;ctnm_m;age_min;age_max;oms_max;biomarqueurs;lignes;sites;eligibilite';
const csv = (...lines: string[]) => Buffer.from(`${[CSV_HEADER, ...lines].join('\n')}\n`, 'utf8');
const TRIAL_LINE = `Chimiothérapie adjuvante des cancers du côlon de Marennes (fictif);${TRIAL.acronym};${TRIAL.euCt};${TRIAL.nct};;CH de Marennes;III;ouvert;${daysAhead(-30)};;MED-251;C18;;;;;18;90;2;;;CH de Marennes: Dr Investigatrice (05 46 00 00 00);Côlon réséqué.`;

const scratch = mkdtempSync(join(tmpdir(), 'concerto-e2e-library-'));
let casePath: string;
let meetingPath: string;

/** Accepts the confirmation the next click asks for (publishing, submitting…). */
const acceptNextDialog = (page: Page) => page.once('dialog', (dialog) => void dialog.accept());

test.beforeAll(async ({ browser }) => {
	test.setTimeout(150_000);
	const page = await browser.newPage();
	await signInAsAdmin(page);
	await createBoard(page, { name: BOARD });
	await addToBoard(page, BOARD, 'ADMINISTRATRICE Claire', 'Médecin coordonnateur');
	meetingPath = await addMeeting(page, BOARD, MEETING);
	casePath = await registerCase(page, meetingPath, { birthName: 'Côlon', firstName: 'Marennes', complete: true });
	// The organ: what the proposal's picker filters the référentiels' situations on.
	await page.getByLabel(/^Organe/).selectOption({ label: 'Colon-Rectum-Anus' });
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByRole('heading', { name: 'Dossier complet' })).toBeVisible();
	await page.close();
});

test('an editor writes a référentiel, its working group’s coordinator validates the version, the editor publishes it', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto('/referentiels');
	await hydrated(page);
	const create = page.getByRole('region', { name: 'Nouveau référentiel' });
	await create.getByLabel('Titre').fill(REFERENTIEL);
	await create.getByLabel('Organe ou localisation').selectOption({ label: 'Colon-Rectum-Anus' });
	await create.getByRole('button', { name: 'Créer le référentiel' }).click();
	await expect(page.getByRole('heading', { name: REFERENTIEL, level: 1 })).toBeVisible();

	// The administrator coordinates the working group, and starts version 2027.
	await page.getByLabel('Membre du réseau').selectOption({ label: listedName(ADMIN) });
	await page.getByLabel('Rôle').selectOption('coordinator');
	await page.getByRole('button', { name: 'Appliquer' }).click();
	await expect(page.getByText(`Coordinateur : ${ADMIN.givenName} ${ADMIN.familyName}`)).toBeVisible();
	await page.getByLabel('Version', { exact: true }).fill('2027');
	await page.getByRole('button', { name: 'Commencer la version' }).click();
	await expect(page.getByRole('heading', { name: `${REFERENTIEL} — version 2027`, level: 1 })).toBeVisible();

	// Its situation and its document (with a progress bar).
	const adding = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Ajouter une situation' }) });
	await adding.getByLabel('Code').fill(SITUATION.code);
	await adding.getByLabel('Situation').fill(SITUATION.heading);
	await adding.getByLabel('Options recommandées').fill(SITUATION.recommendation);
	await adding.getByRole('button', { name: 'Ajouter' }).click();
	await expect(page.getByLabel('Code').first()).toHaveValue(SITUATION.code);
	await page.getByLabel('Déposer le document de la version').setInputFiles({
		name: 'referentiel-colon-2027.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(textPdf('Référentiel cancer du côlon 2027 (fictif)', ['Côlon, stade III : chimiothérapie adjuvante.'], 2))
	});
	await page.getByRole('button', { name: 'Déposer', exact: true }).click();
	await expect(page.getByRole('link', { name: 'referentiel-colon-2027.pdf' })).toBeVisible();

	// Draft → submitted → validated → published (each step asks for a confirmation).
	for (const [step, state] of [
		['Soumettre au coordinateur', 'Soumise le'],
		['Valider (coordinateur)', 'Validée le']
	]) {
		acceptNextDialog(page);
		await page.getByRole('button', { name: step }).click();
		await expect(page.getByRole('term').filter({ hasText: state })).toBeVisible();
	}
	acceptNextDialog(page);
	await page.getByRole('button', { name: 'Publier' }).click();
	// Published: no step is left, the version says it no longer changes.
	await expect(page.getByText(/Cette version est publiée : elle ne change plus/)).toBeVisible();
	await expect(page.getByRole('button', { name: 'Publier' })).toHaveCount(0);
	await expect(page.getByRole('row').filter({ hasText: SITUATION.code })).toContainText(SITUATION.heading);
	await page.goto('/referentiels');
	await expect(page.getByRole('row').filter({ hasText: REFERENTIEL })).toContainText('2027');
});

test('a trials file with a bad line imports nothing and says why; the good file is previewed, then imported', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto('/essais/import');
	await hydrated(page);
	const file = page.getByLabel('Fichier à importer');
	await file.setInputFiles({ name: 'essais.csv', mimeType: 'text/csv', buffer: csv(TRIAL_LINE, TRIAL_LINE.replace(TRIAL.acronym, 'ROYBAD').replace(TRIAL.nct, 'NCT123').replace(TRIAL.euCt, '')) });
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	await expect(page.getByText('Le fichier n’a pas été importé : corrigez ces lignes puis envoyez-le à nouveau.')).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: /^3/ })).toContainText(/NCT/);
	await page.goto('/essais');
	await expect(page.getByRole('main')).not.toContainText(TRIAL.acronym);

	await page.goto('/essais/import');
	await hydrated(page);
	await page.getByLabel('Fichier à importer').setInputFiles({ name: 'essais.csv', mimeType: 'text/csv', buffer: csv(TRIAL_LINE) });
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	await expect(page.getByText('1 essai(s) à créer, 0 à mettre à jour. Rien n’est encore enregistré.')).toBeVisible();
	await page.getByRole('button', { name: 'Importer', exact: true }).click();
	await expect(page.getByText('Import terminé : 1 essai(s) créé(s), 0 mis à jour.')).toBeVisible();
	await page.goto('/essais');
	await expect(page.getByRole('row').filter({ hasText: TRIAL.acronym })).toContainText('Ouvert');
});

test('the case page shows the imported trial beside the case, with what matched', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto(casePath);
	const trials = page.getByRole('region', { name: 'Essais cliniques ouverts pouvant convenir' });
	const trial = trials.getByRole('listitem').filter({ hasText: TRIAL.acronym }).first();
	await expect(trial).toContainText('CIM-10 : C18 (dossier : C18.7)');
	await expect(trial).toContainText('Organe : Colon-Rectum-Anus');
	await expect(trial).toContainText('Dr Investigatrice');
});

test('in the live meeting the chair cites the published situation and proposes the trial; the proposal is decided', async ({ page }) => {
	await signInAsAdmin(page);
	await enterRoomWithoutMedia(page, meetingPath);
	await page.getByRole('button', { name: 'Ouvrir le dossier de Côlon Marennes' }).click();
	const panel = page.getByTestId('case-panel');
	await expect(panel).toContainText('CÔLON Marennes');

	await page.getByRole('group', { name: 'Types de traitement' }).getByLabel('chimiothérapie', { exact: true }).check();
	await page.getByTestId('decision-proposal').fill('Chimiothérapie adjuvante FOLFOX, 3 mois, dans l’essai ROYCOL si le patient l’accepte.');
	const guideline = page.getByRole('group', { name: 'Référentiel suivi' });
	await guideline.getByLabel('Oui').check();
	await guideline.getByLabel('Rechercher une situation (titre, code, intitulé)').fill('COLON-III');
	await guideline.getByRole('radio', { name: new RegExp(SITUATION.code) }).check();

	// The trials beside the case: "Proposer" fills the proposal's trial.
	await panel.getByText('Essais cliniques ouverts pouvant convenir').click();
	await panel.getByRole('button', { name: `Proposer l’essai ${TRIAL.acronym}` }).click();
	await expect(page.getByRole('group', { name: 'Essai clinique proposé' }).getByLabel('Oui')).toBeChecked();
	await page.getByRole('group', { name: 'Dossier complet' }).getByLabel('Oui').check();
	await page.getByLabel('Quorum non atteint').check();
	await expect(page.getByText(/Enregistré \(version \d+\)/)).toBeVisible();
	await page.getByRole('button', { name: 'Proposition finale (relecture)' }).click();
	await page.getByRole('button', { name: 'Clore : proposition décidée' }).click();
	const agenda = page.getByRole('listitem').filter({ hasText: 'CÔLON Marennes' });
	await expect(agenda).toContainText('Proposition décidée');
});

test('the signed fiche carries the référentiel’s version and situation and the trial: PDF, CDA (schema) and FHIR (schema)', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto(`${meetingPath}/fiches`);
	await hydrated(page);
	const row = page.getByRole('row').filter({ hasText: 'CÔLON Marennes' });
	await row.getByRole('checkbox', { name: 'Sélectionner CÔLON Marennes' }).check();
	const signing = page.getByRole('region', { name: 'Valider et signer' });
	await signing.getByLabel('Votre mot de passe (confirmation d’identité)').fill(ADMIN.password);
	await signing.getByRole('button', { name: 'Valider et signer la sélection (1)' }).click();
	await expect(row).toContainText('Validé et signé');

	const download = async (format: string) => {
		const waiting = page.waitForEvent('download');
		await row.getByRole('link', { name: `Télécharger la version 1 en ${format}` }).click();
		const path = join(scratch, (await waiting).suggestedFilename());
		await (await waiting).saveAs(path);
		return path;
	};
	const pdf = execFileSync('pdftotext', ['-layout', await download('PDF'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
	expect(pdf).toContain(`${REFERENTIEL}, version 2027`);
	expect(pdf).toContain(SITUATION.code);
	expect(pdf).toContain(TRIAL.acronym);
	expect(pdf).toContain(TRIAL.nct);

	const cdaPath = await download('CDA');
	const cda = readFileSync(cdaPath, 'utf8');
	expect(cda).toContain(SITUATION.code);
	expect(cda).toContain(TRIAL.euCt);
	execFileSync('xmllint', ['--noout', '--schema', join(STANDARDS, 'infrastructure/cda/CDA_extended.xsd'), cdaPath], { stdio: 'pipe' });

	const bundle = JSON.parse(readFileSync(await download('FHIR'), 'utf8'));
	expect(fhirSchemaErrors(bundle)).toEqual([]);
	const study = bundle.entry.map((entry: { resource: { resourceType: string } }) => entry.resource).find((resource: { resourceType: string }) => resource.resourceType === 'ResearchStudy');
	expect(study.identifier.map((identifier: { value: string }) => identifier.value)).toEqual(expect.arrayContaining([TRIAL.nct, TRIAL.euCt]));
	expect(JSON.stringify(bundle)).toContain(SITUATION.code);
});

test('after the meeting the patient’s inclusion is recorded on the case; the indicators count the citation, the trial and the inclusion', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto(casePath);
	await hydrated(page);
	const inclusion = page.getByRole('region', { name: 'Inclusion dans l’essai proposé' });
	await expect(inclusion).toContainText(TRIAL.acronym);
	await inclusion.getByRole('radio', { name: 'Inclus', exact: true }).check();
	await inclusion.getByRole('button', { name: 'Enregistrer l’inclusion' }).click();
	await expect(inclusion.getByText('Inclusion enregistrée.')).toBeVisible();

	const { from, to } = monthOf(MEETING.date);
	await page.goto(`/indicators?from=${from}&to=${to}`);
	await hydrated(page);
	await page.getByRole('checkbox', { name: BOARD }).check();
	await page.getByRole('button', { name: 'Afficher les indicateurs' }).click();
	const conformity = page.getByRole('region', { name: 'Conformité aux référentiels' });
	await expect(conformity.getByRole('row').filter({ hasText: REFERENTIEL })).toContainText('2027');
	const trials = page.getByRole('region', { name: 'Essais cliniques proposés' });
	await expect(trials.getByRole('row').filter({ hasText: TRIAL.acronym })).toContainText('1 sur 1');
	await expect(trials.getByRole('row').filter({ hasText: 'Taux d’inclusion dans les essais de l’annuaire' })).toContainText('1 sur 1 (100,0 %)');
});
