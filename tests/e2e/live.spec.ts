import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { textPdf } from '../../server/tools/demo/documents.ts';
import { addToBoard, ensureAccount, listedName, signIn, signInAsAdmin } from './accounts.ts';
import { daysAhead, registrationDeadline } from './dates.ts';
import { addMeeting, createBoard, enterRoomWithoutMedia, openMeeting, registerCase } from './fixtures.ts';

// Builds "RCP digestive — CH de Rochefort" (quorum: 3 specialties, a surgeon, a medical and
// a radiation oncologist), coordinated by Claire, and its members Lucie (radiation
// oncologist), Sam (surgeon) and Olga (medical oncologist). A meeting ten days ahead at
// 16:00 (registration still open for members); Lucie registers a case with a 3-page
// scanner report and presents it; Sam and, later, Olga attend. The tests share the room
// in order; the last one reads the attendance sheet of the meeting.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const BOARD = 'RCP digestive — CH de Rochefort';
const MEETING = { date: daysAhead(10), time: '16:00' };
const PEOPLE = {
	lucie: { givenName: 'Lucie', familyName: 'Radiothérapeute', email: 'lucie@ch-rochefort.test', specialty: 'Oncologie radiothérapie', password: 'le mot de passe de Lucie' },
	sam: { givenName: 'Sam', familyName: 'Chirurgien', email: 'sam@ch-rochefort.test', specialty: 'Chirurgie digestive', password: 'le mot de passe de Sam' },
	olga: { givenName: 'Olga', familyName: 'Oncologue', email: 'olga@ch-rochefort.test', specialty: 'Oncologie médicale', password: 'le mot de passe de Olga' }
};

const contexts: BrowserContext[] = [];
let meetingPath: string;
let chair: Page;
let lucie: Page;
let sam: Page;
let olga: Page;

async function newPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 900 } });
	contexts.push(context);
	return context.newPage();
}

/** Enters the room without camera and microphone (the media are the room tests' business). */
const enter = (page: Page) => enterRoomWithoutMedia(page, meetingPath);

const viewer = (page: Page) => page.getByTestId('document-viewer');

test.beforeAll(async ({ browser }) => {
	// Three accounts, a meeting, a registered case with its document: more than a minute on 2 cores.
	test.setTimeout(180_000);
	chair = await newPage(browser);
	await signInAsAdmin(chair);
	await createBoard(chair, { name: BOARD });
	await addToBoard(chair, BOARD, 'ADMINISTRATRICE Claire', 'Médecin coordonnateur');
	for (const person of Object.values(PEOPLE)) {
		await ensureAccount(chair, browser, person);
		await addToBoard(chair, BOARD, listedName(person), 'Membre');
	}
	meetingPath = await addMeeting(chair, BOARD, MEETING);

	// Lucie, a member, registers the case before the deadline and attaches the scanner report (3 pages).
	expect(registrationDeadline(MEETING).getTime()).toBeGreaterThan(Date.now());
	lucie = await newPage(browser);
	await signIn(lucie, PEOPLE.lucie.email, PEOPLE.lucie.password);
	await expect(lucie).toHaveURL(/\/$/);
	await registerCase(lucie, meetingPath, { birthName: 'Témoin', firstName: 'Paul', birthDate: '1957-06-01' });
	await lucie.getByLabel(/Joindre un document/).setInputFiles({
		name: 'scanner-thoracique.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(textPdf('Scanner thoraco-abdomino-pelvien (fictif)', ['Masse sigmoïdienne de 4 cm.'], 3))
	});
	await lucie.getByRole('button', { name: 'Envoyer le document' }).click();
	await expect(lucie.getByRole('link', { name: 'scanner-thoracique.pdf' })).toBeVisible();

	sam = await newPage(browser);
	await signIn(sam, PEOPLE.sam.email, PEOPLE.sam.password);
	await expect(sam).toHaveURL(/\/$/);
	olga = await newPage(browser);
	await signIn(olga, PEOPLE.olga.email, PEOPLE.olga.password);
	await expect(olga).toHaveURL(/\/$/);
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
});

test('the chair opens the case; everyone’s panel switches to it; the quorum turns green when the third specialty joins', async () => {
	await enter(chair);
	await enter(lucie);
	await enter(sam);
	await chair.getByRole('button', { name: 'Ouvrir le dossier de Témoin Paul' }).click();
	for (const page of [chair, lucie, sam]) await expect(page.getByTestId('case-panel')).toContainText('TÉMOIN Paul');
	await expect(lucie.getByText('Vous présentez ce dossier.')).toBeVisible();

	// A radiation oncologist and a surgeon: the medical oncologist is missing.
	const quorum = chair.getByTestId('quorum-badge');
	await expect(quorum).not.toHaveAttribute('data-status', 'met');
	await expect(quorum).toContainText('Oncologie médicale');
	await enter(olga);
	await expect(quorum).toHaveAttribute('data-status', 'met');
	await expect(olga.getByTestId('case-panel')).toContainText('TÉMOIN Paul');
});

test('the presenter turns to page 3 and zooms: the others follow within a second; the pointer is seen', async () => {
	await lucie.getByRole('button', { name: /scanner-thoracique\.pdf/ }).first().click();
	await expect(viewer(sam)).toHaveAttribute('data-page', '1');
	await lucie.getByRole('button', { name: 'Page suivante' }).click();
	await lucie.getByRole('button', { name: 'Page suivante' }).click();
	await lucie.getByRole('button', { name: 'Zoom avant' }).click();
	await expect(viewer(lucie)).toHaveAttribute('data-page', '3');
	const zoom = await viewer(lucie).getAttribute('data-zoom');
	expect(Number(zoom)).toBeGreaterThan(1);
	for (const page of [chair, sam, olga]) {
		await expect(viewer(page)).toHaveAttribute('data-page', '3', { timeout: 1_000 });
		await expect(viewer(page)).toHaveAttribute('data-zoom', zoom!, { timeout: 1_000 });
	}
	// The laser pointer: the presenter's mouse over the page (centred in the viewer; the
	// canvas itself is redrawn after a zoom, so aim at the viewer).
	await expect(viewer(lucie).locator('canvas').first()).toBeVisible();
	const box = await viewer(lucie).boundingBox();
	if (!box) throw new Error('no document viewer');
	await expect
		.poll(async () => {
			await lucie.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
			await lucie.mouse.move(box.x + box.width / 2 + 8, box.y + box.height / 2 + 8);
			return sam.getByTestId('laser-pointer').isVisible();
		})
		.toBe(true);
	await expect(sam.getByTestId('laser-pointer')).toBeVisible();
	// Others may not move the documents.
	await expect(sam.getByRole('button', { name: 'Ne plus le montrer' })).toHaveCount(0);
});

test('the secretary’s pen: the chair types the proposal, the others see it; two confirm, one disagrees', async () => {
	const editor = chair.getByTestId('decision-proposal');
	await chair.getByRole('group', { name: 'Types de traitement' }).getByLabel('intervention chirurgicale').check();
	await editor.fill('Colectomie gauche par cœlioscopie.');
	for (const page of [lucie, sam, olga]) await expect(page.getByTestId('decision-proposal')).toHaveText('Colectomie gauche par cœlioscopie.');
	// Only the pen's holder edits: the others see text, not a field.
	await expect(sam.locator('textarea[data-testid="decision-proposal"]')).toHaveCount(0);

	await chair.getByRole('group', { name: 'Référentiel suivi' }).getByLabel('Oui').check();
	await chair.getByLabel('Nom du référentiel').fill('Thésaurus national de cancérologie digestive');
	await chair.getByRole('group', { name: 'Essai clinique proposé' }).getByLabel('Non').check();
	await chair.getByRole('group', { name: 'Dossier complet' }).getByLabel('Oui').check();
	await expect(chair.getByText(/Enregistré \(version \d+\)/)).toBeVisible();
	await chair.getByRole('button', { name: 'Proposition finale (relecture)' }).click();

	await lucie.getByRole('button', { name: 'Je confirme' }).click();
	await sam.getByRole('button', { name: 'Je confirme' }).click();
	await olga.getByRole('button', { name: 'Je ne suis pas d’accord' }).click();
	await olga.getByLabel('Pourquoi n’êtes-vous pas d’accord ?').fill('Je proposerais une chimiothérapie première.');
	await olga.getByRole('button', { name: 'Envoyer mon désaccord' }).click();

	const answers = chair.getByTestId('readback-table');
	await expect(answers.getByRole('row')).toHaveCount(4);
	await expect(answers).toContainText('Lucie Radiothérapeute');
	await expect(answers).toContainText('Sam Chirurgien');
	await expect(answers.getByRole('row').filter({ hasText: 'Olga Oncologue' })).toContainText('Je proposerais une chimiothérapie première.');
});

test('closing the case: it shows as decided with the time spent, and the room waits for the next case', async () => {
	await chair.getByRole('button', { name: 'Clore : proposition décidée' }).click();
	await expect(lucie.getByText('En attente du dossier suivant.')).toBeVisible();
	const agenda = chair.getByRole('listitem').filter({ hasText: 'TÉMOIN Paul' });
	await expect(agenda).toContainText('Proposition décidée');
	await expect(agenda).toContainText('min passées');

	// The meeting's page now has its summary: outcome and time per case.
	await sam.goto(meetingPath);
	const summary = sam.getByRole('region', { name: 'Compte rendu de la séance' });
	await expect(summary).toContainText('Décidés : 1 · enregistrés sans discussion : 0 · ajournés : 0 · non discutés : 0');
	await expect(summary.getByRole('row').filter({ hasText: 'TÉMOIN Paul' })).toContainText('Proposition décidée');
});

test('the meeting’s attendance sheet lists who was in the room, with their specialty', async () => {
	// The chair, in another tab (everyone stays in the room), from the meeting's page.
	const page = await chair.context().newPage();
	await openMeeting(page, BOARD, MEETING);
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Feuille de présence (PDF)' }).click();
	const file = join(mkdtempSync(join(tmpdir(), 'concerto-e2e-attendance-')), (await download).suggestedFilename());
	await (await download).saveAs(file);
	expect(file).toMatch(new RegExp(`feuille-de-presence_${MEETING.date}\\.pdf$`));
	const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
	expect(text).toContain('Feuille de présence');
	// Long names and specialties wrap inside their column: each person's line starts with their name.
	expect(text).toMatch(/Dr Sam CHIRURGIEN\s+Chirurgie digestive/);
	expect(text).toMatch(/Dr Olga ONCOLOGUE\s+Oncologie médicale/);
	expect(text).toMatch(/Dr Lucie\s+Oncologie/);
	expect(text).toMatch(/Médecins présents\s+3/);
	expect(text).toMatch(/Spécialités représentées\s+3 \(Chirurgie digestive, Oncologie médicale, Oncologie radiothérapie\)/);
	await page.close();
});
