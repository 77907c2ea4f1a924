/**
 * What a spec builds for itself before it tests anything, through the UI as a user would:
 * a board, its meetings, cases on their agendas, a case recorded without discussion.
 *
 * Every spec file builds its own board (named "RCP digestive — <site of its own>") and
 * its own accounts, so that it passes alone, in any order, and beside the others in one
 * run against one server. Dates come from ./dates.ts (computed from the clock).
 */
import { expect, type Page } from '@playwright/test';
import { meetingLabel, type Slot } from './dates.ts';

/**
 * Waits until the page's script has taken over (SvelteKit hydrated the server-rendered
 * page and started its router, which sets `history.scrollRestoration` to 'manual'). Text
 * typed into a field before that is lost: hydration sets each field to the value it was
 * rendered with. Call it after `goto` and before typing.
 */
export async function hydrated(page: Page): Promise<void> {
	await page.waitForFunction(() => history.scrollRestoration === 'manual', undefined, { timeout: 15_000 });
}

/** A board's regular schedule, as the creation form asks for it. */
export interface RecurrenceSpec {
	frequency: 'weekly' | 'biweekly' | 'monthly';
	/** The weekday as the form lists it: "mardi". */
	weekday: string;
	time: string;
	/** The first meeting, on that weekday. */
	anchorDate: string;
}

export interface BoardSpec {
	name: string;
	site?: string;
	/** Without one, meetings are added one by one. */
	recurrence?: RecurrenceSpec;
}

/**
 * The administrator (signed in on `admin`) creates a board with the digestive boards'
 * quorum: 3 different specialties, a surgeon, a medical and a radiation oncologist.
 * Leaves `admin` on the board's page and returns its path.
 */
export async function createBoard(admin: Page, board: BoardSpec): Promise<string> {
	await admin.goto('/boards');
	await hydrated(admin);
	await admin.getByLabel('Nom (ex. RCP digestive — CHU de Poitiers)').fill(board.name);
	await admin.getByLabel('Appareil').selectOption({ index: 1 });
	await admin.getByLabel('Site').fill(board.site ?? board.name.split(' — ').at(-1)!);
	await admin.getByLabel('Nombre minimal de spécialités différentes').fill('3');
	await admin.getByLabel('Au moins un médecin : Chirurgie').check();
	await admin.getByLabel(/Spécialités précises exigées/).selectOption(['medical-oncology', 'radiation-oncology']);
	if (board.recurrence) {
		await admin.getByLabel('Fréquence').selectOption(board.recurrence.frequency);
		await admin.getByLabel('Jour', { exact: true }).selectOption({ label: board.recurrence.weekday });
		await admin.getByLabel('Heure de début').fill(board.recurrence.time);
		await admin.getByLabel('Date de la première séance').fill(board.recurrence.anchorDate);
	}
	await admin.getByRole('button', { name: 'Créer la RCP' }).click();
	await expect(admin.getByRole('heading', { name: board.name, level: 1 })).toBeVisible();
	return new URL(admin.url()).pathname;
}

/** Opens a board's page from the directory of boards. */
export async function openBoard(page: Page, boardName: string): Promise<void> {
	await page.goto('/boards');
	await hydrated(page);
	await page.getByRole('link', { name: boardName, exact: true }).click();
	await expect(page.getByRole('heading', { name: boardName, level: 1 })).toBeVisible();
}

/** Opens a meeting from its board's page, by its date and time; returns the meeting's path. */
export async function openMeeting(page: Page, boardName: string, slot: Slot): Promise<string> {
	await openBoard(page, boardName);
	await page.getByRole('region', { name: 'Séances' }).getByRole('link', { name: meetingLabel(slot), exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(meetingLabel(slot));
	return new URL(page.url()).pathname;
}

/**
 * A manager adds a meeting to the board (ad hoc, outside its recurrence) and opens it;
 * returns the meeting's path.
 */
export async function addMeeting(admin: Page, boardName: string, slot: Slot): Promise<string> {
	await openBoard(admin, boardName);
	const meetings = admin.getByRole('region', { name: 'Séances' });
	await meetings.getByLabel('Date d’une séance supplémentaire').fill(slot.date);
	await meetings.getByLabel('Heure de début').fill(slot.time);
	await meetings.getByRole('button', { name: 'Ajouter la séance' }).click();
	await meetings.getByRole('link', { name: meetingLabel(slot), exact: true }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toContainText(meetingLabel(slot));
	return new URL(admin.url()).pathname;
}

/** A manager cancels a scheduled meeting from the board's page. */
export async function cancelMeeting(admin: Page, boardName: string, slot: Slot): Promise<void> {
	await openBoard(admin, boardName);
	const row = admin.getByRole('region', { name: 'Séances' }).getByRole('row').filter({ has: admin.getByRole('link', { name: meetingLabel(slot), exact: true }) });
	await row.getByRole('button', { name: 'Annuler' }).click();
	await expect(row).toContainText('Annulée');
}

export interface NewCase {
	birthName: string;
	firstName: string;
	/** 'YYYY-MM-DD'; by default none, or 1958-04-12 for a complete case. */
	birthDate?: string;
	/**
	 * Fill the rest of the fiche until it is complete (a colon cancer, "Chirurgie première
	 * ou traitement néoadjuvant ?"); otherwise the registration stays partial.
	 */
	complete?: boolean;
}

/**
 * Registers a case on a meeting from the meeting's page ("Inscrire un dossier"), as the
 * user signed in on `page`, and completes its fiche when asked; leaves `page` on the
 * case's page and returns its path. A member may register until the deadline; the
 * board's managers (and the administrator) after it too.
 */
export async function registerCase(page: Page, meetingPath: string, patient: NewCase): Promise<string> {
	await page.goto(meetingPath);
	await hydrated(page);
	await page.getByRole('link', { name: 'Inscrire un dossier' }).click();
	await page.getByLabel(/^Nom de naissance/).fill(patient.birthName);
	await page.getByLabel(/^Prénom\(s\) de naissance/).fill(patient.firstName);
	const birthDate = patient.birthDate ?? (patient.complete ? '1958-04-12' : undefined);
	if (birthDate) await page.getByLabel(/^Date de naissance/).fill(birthDate);
	await page.getByRole('button', { name: 'Inscrire le dossier' }).click();
	await expect(page.getByRole('heading', { name: 'Dossier incomplet' })).toBeVisible();
	if (patient.complete) {
		await page.getByLabel(/^Sexe/).selectOption({ label: 'Masculin' });
		await page.getByLabel(/^Motif de présentation/).selectOption({ index: 1 });
		await page.getByLabel(/^Discussion ou simple enregistrement/).selectOption({ index: 1 });
		await page.getByLabel(/^Question posée à la RCP/).fill('Chirurgie première ou traitement néoadjuvant ?');
		await page.getByLabel(/^Localisation tumorale \(code CIM-10\)/).fill('C18.7');
		await page.getByLabel(/^Localisation tumorale \(libellé\)/).fill('Côlon sigmoïde');
		await page.getByLabel(/^Indice de performance OMS/).selectOption('1');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByRole('heading', { name: 'Dossier complet' })).toBeVisible();
	}
	return new URL(page.url()).pathname;
}

/**
 * Enters the meeting's room without camera and microphone (the media are the room tests'
 * business) and waits until the page shows its own tile.
 */
export async function enterRoomWithoutMedia(page: Page, meetingPath: string): Promise<void> {
	await askToJoinWithoutMedia(page, meetingPath);
	await expect(page.getByTestId('local-tile')).toBeVisible();
}

/** Opens the room's pre-join screen and presses « Rejoindre » without camera and microphone (a guest then waits in the lobby). */
export async function askToJoinWithoutMedia(page: Page, meetingPath: string): Promise<void> {
	await page.goto(`${meetingPath}/room`);
	await hydrated(page);
	await page.getByLabel('Caméra activée').uncheck();
	await page.getByLabel('Micro activé').uncheck();
	await page.getByRole('button', { name: 'Rejoindre la réunion' }).click();
}

/**
 * A manager prepares a complete case for registration without discussion (radiotherapy
 * following the regional référentiel), then the chair, alone in the meeting's room,
 * validates it in one batch: the proposal is decided and the fiche ready to be signed.
 */
export async function recordWithoutDiscussion(page: Page, meetingPath: string, patientName: string): Promise<void> {
	await page.goto(meetingPath);
	await hydrated(page);
	await page.getByRole('link', { name: patientName, exact: true }).click();
	const section = page.getByRole('region', { name: 'Enregistrement sans discussion' });
	await section.getByLabel('radiothérapie', { exact: true }).check();
	await section.getByLabel(/^Proposition/).fill('Radiothérapie exclusive selon le référentiel.');
	await section.getByLabel(/^Nom du référentiel/).fill('Référentiel régional digestif');
	await section.getByLabel('Version du référentiel').fill('2025');
	await section.getByRole('group', { name: 'Essai clinique proposé' }).getByLabel('Non', { exact: true }).check();
	await section.getByRole('group', { name: 'Dossier complet' }).getByLabel('Oui', { exact: true }).check();
	await section.getByRole('button', { name: 'Préparer l’enregistrement sans discussion' }).click();
	await expect(section.getByText('Prêt pour la validation en lot')).toBeVisible();

	await enterRoomWithoutMedia(page, meetingPath);
	const agenda = page.getByRole('region', { name: 'Ordre du jour' });
	await agenda.getByRole('button', { name: 'Valider l’enregistrement (1 dossier)' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Valider l’enregistrement (1 dossier)' }).click();
	await expect(agenda.getByRole('status')).toHaveText('1 dossier enregistré sans discussion.');
	await page.goto(meetingPath);
}

/**
 * A board of its own with one meeting, and "Fictif Patient" registered complete on it and
 * recorded without discussion: a decided case whose fiche waits for its signature. The
 * administrator (signed in on `page`) builds it all; returns the meeting's path.
 */
export async function boardWithRecordedCase(page: Page, boardName: string, slot: Slot): Promise<string> {
	await createBoard(page, { name: boardName });
	const meetingPath = await addMeeting(page, boardName, slot);
	await registerCase(page, meetingPath, { birthName: 'Fictif', firstName: 'Patient', complete: true });
	await recordWithoutDiscussion(page, meetingPath, 'Fictif Patient');
	return meetingPath;
}
