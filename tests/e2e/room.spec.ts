import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { addToBoard, ADMIN, ensureAccount, listedName, signIn, signInAsAdmin } from './accounts.ts';
import { daysAhead } from './dates.ts';
import { addMeeting, createBoard, hydrated } from './fixtures.ts';
import { breakWebSockets, capturePeerConnections, captureWebSockets, inboundTotals, speakingMicrophone } from './media.ts';

// Builds "RCP digestive — CH de Royan", coordinated by Claire, its member Marc, and one
// meeting tomorrow at 09:00 with three participants: the coordinator, the member, and a
// guest admitted from the lobby. The tests share them, in order.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const BOARD = 'RCP digestive — CH de Royan';
const MEETING = { date: daysAhead(1), time: '09:00' };
const MEMBER = {
	givenName: 'Marc',
	familyName: 'Oncologue',
	email: 'marc.oncologue@ch-royan.test',
	specialty: 'Oncologie médicale',
	password: 'le mot de passe de Marc'
};
const GUEST = 'Dr Gisèle Généraliste';

let meetingPath: string;
const contexts: BrowserContext[] = [];
let chair: Page;
let member: Page;
let guest: Page;

async function newPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 768 } });
	contexts.push(context);
	const page = await context.newPage();
	await capturePeerConnections(page);
	await captureWebSockets(page);
	await speakingMicrophone(page);
	return page;
}

const remoteTile = (page: Page, name: string) => page.getByTestId('remote-tile').filter({ hasText: name });

/** Frames the page has shown of `name`'s camera so far. */
const framesOf = (page: Page, name: string) =>
	remoteTile(page, name)
		.locator('video')
		.first()
		.evaluate((video: HTMLVideoElement) => (video.videoWidth > 0 ? video.getVideoPlaybackQuality().totalVideoFrames : 0));

/**
 * Waits until the page shows new frames of `name`'s camera: two windows of 250 ms in a
 * row each adding frames (a replaced stream restarts its count, so only increases
 * between close samples count). Returns how long it took.
 */
async function framesFlow(page: Page, name: string, timeout = 15_000): Promise<number> {
	const start = Date.now();
	let last = -1;
	let growing = 0;
	while (Date.now() - start < timeout) {
		const now = await framesOf(page, name).catch(() => -1);
		growing = last >= 0 && now > last ? growing + 1 : 0;
		if (growing >= 2) return Date.now() - start;
		last = now;
		await page.waitForTimeout(250);
	}
	throw new Error(`${name}'s video did not flow on this page within ${timeout} ms`);
}

async function enter(page: Page): Promise<void> {
	await page.goto(`${meetingPath}/room`);
	await hydrated(page);
	await page.getByRole('button', { name: 'Rejoindre la réunion' }).click();
}

const control = (page: Page, name: string | RegExp) => page.getByRole('region', { name: 'Commandes de la réunion' }).getByRole('button', { name });

test.beforeAll(async ({ browser }) => {
	const admin = await newPage(browser);
	await signInAsAdmin(admin);
	await createBoard(admin, { name: BOARD });
	await addToBoard(admin, BOARD, 'ADMINISTRATRICE Claire', 'Médecin coordonnateur');
	await ensureAccount(admin, browser, MEMBER);
	await addToBoard(admin, BOARD, listedName(MEMBER), 'Membre');
	meetingPath = await addMeeting(admin, BOARD, MEETING);

	// The guest's invitation, opened in the guest's own browser.
	const guests = admin.getByRole('region', { name: 'Invités' });
	await guests.getByLabel('Nom de l’invité').fill(GUEST);
	await guests.getByRole('button', { name: 'Inviter' }).click();
	const link = await guests.getByLabel('Lien d’invitation').inputValue();
	chair = admin;
	guest = await newPage(browser);
	await guest.goto(link);
	await guest.getByRole('button', { name: 'Entrer dans la réunion' }).click();
	await expect(guest).toHaveURL(meetingPath);

	member = await newPage(browser);
	await signIn(member, MEMBER.email, MEMBER.password);
	await expect(member).toHaveURL(/\/$/);
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
});

test('three participants (coordinator, member, a guest admitted from the lobby) see and hear each other', async () => {
	await enter(chair);
	await expect(chair.getByTestId('local-tile')).toBeVisible();
	await enter(member);
	await expect(remoteTile(chair, 'Marc Oncologue')).toBeVisible();

	// The guest waits in the lobby until the coordinator lets them in.
	await guest.getByRole('link', { name: 'Rejoindre la visioconférence' }).click();
	await expect(guest.getByText('Un coordonnateur ou un secrétaire devra vous faire entrer')).toBeVisible();
	await guest.getByRole('button', { name: 'Rejoindre la réunion' }).click();
	await expect(guest.getByText('Vous êtes dans la salle d’attente')).toBeVisible();
	await control(chair, /Participants/).click();
	const lobby = chair.getByRole('region', { name: /Salle d’attente/ });
	await expect(lobby).toContainText(GUEST);
	await lobby.getByRole('button', { name: /Faire entrer/ }).click();

	for (const [page, others] of [
		[chair, ['Marc Oncologue', GUEST]],
		[member, [`${ADMIN.givenName} ${ADMIN.familyName}`, GUEST]],
		[guest, [`${ADMIN.givenName} ${ADMIN.familyName}`, 'Marc Oncologue']]
	] as const) {
		await expect(page.getByTestId('remote-tile')).toHaveCount(2);
		for (const name of others) await framesFlow(page, name);
		// Sound from both others (one inbound audio stream each, packets arriving).
		await expect.poll(async () => (await inboundTotals(page)).audioPacketsReceived, { timeout: 10_000 }).toBeGreaterThan(50);
	}
	// Microphones are open (nobody shows as muted), names come with specialty and role.
	await expect(remoteTile(chair, 'Marc Oncologue')).not.toContainText('Micro coupé');
	await expect(remoteTile(member, GUEST)).not.toContainText('Micro coupé');
	await expect(remoteTile(guest, 'Marc Oncologue')).toContainText('Oncologie médicale');
	await expect(remoteTile(member, GUEST)).toContainText('Invité');
});

test('the active speaker follows who speaks', async () => {
	// Everyone's fake microphone beeps: with only the member's open, the member is the speaker.
	await control(chair, /^Micro/).click();
	await control(guest, /^Micro/).click();
	await expect(remoteTile(guest, 'Marc Oncologue')).toHaveAttribute('data-speaking', 'true', { timeout: 10_000 });
	await control(member, /^Micro/).click();
	await control(guest, /^Micro/).click();
	await expect(remoteTile(chair, GUEST)).toHaveAttribute('data-speaking', 'true', { timeout: 10_000 });
	await expect(remoteTile(chair, 'Marc Oncologue')).not.toHaveAttribute('data-speaking', 'true');
});

test('a screen share arrives sharp (at least 1280 px wide)', async () => {
	await control(member, 'Partager l’écran').click();
	const shared = chair.getByTestId('screen-share');
	await expect(shared).toBeVisible();
	await expect.poll(() => shared.evaluate((video: HTMLVideoElement) => video.videoWidth), { timeout: 15_000 }).toBeGreaterThanOrEqual(1280);
	await expect(chair.getByText('Écran partagé par Marc Oncologue')).toBeVisible();
	await control(member, 'Arrêter le partage').click();
	await expect(shared).toHaveCount(0);
});

test('hand raise and chat reach the others', async () => {
	await control(guest, 'Lever la main').click();
	await expect(chair.getByTestId('hand-queue')).toContainText(GUEST);
	await expect(remoteTile(member, GUEST)).toContainText('Main levée n° 1');

	await control(member, /Discussion/).click();
	await member.getByLabel('Votre message').fill('Le scanner de contrôle est dans le dossier.');
	await member.getByRole('button', { name: 'Envoyer' }).click();
	await control(guest, /Discussion/).click();
	await expect(guest.getByTestId('chat-list')).toContainText('Le scanner de contrôle est dans le dossier.');
	await expect(guest.getByTestId('chat-list')).toContainText('Marc Oncologue');
});

test('a moderator mutes a participant', async () => {
	// The member speaks again, then the coordinator mutes them.
	await control(member, /^Micro/).click();
	await chair.getByRole('button', { name: 'Couper le micro de Marc Oncologue' }).click();
	await expect(member.getByText(`${ADMIN.givenName} ${ADMIN.familyName} a coupé votre micro.`)).toBeVisible();
	await expect(control(member, /^Micro/)).toHaveAttribute('aria-pressed', 'false');
	await expect(remoteTile(guest, 'Marc Oncologue')).toContainText('Micro coupé');
	// A member has no moderator controls.
	await expect(member.getByRole('button', { name: /Couper le micro de/ })).toHaveCount(0);
});

test('network cut: a participant offline for 5 s comes back by itself, without reloading', async () => {
	const memberContext = member.context();
	await memberContext.setOffline(true);
	const cutAt = Date.now();
	// Offline emulation blocks new connections but leaves open ones: break the signaling
	// connection as a real outage would. The page notices and says so while it waits.
	expect(await breakWebSockets(member)).toBeGreaterThan(0);
	await expect(member.getByText('Reconnexion…').first()).toBeVisible({ timeout: 5_000 });
	await expect(remoteTile(chair, 'Marc Oncologue')).toContainText('Reconnexion…');
	await member.waitForTimeout(5_000 - (Date.now() - cutAt));
	await memberContext.setOffline(false);
	const back = Date.now();
	await framesFlow(chair, 'Marc Oncologue', 10_000);
	await framesFlow(guest, 'Marc Oncologue', 10_000);
	await framesFlow(member, `${ADMIN.givenName} ${ADMIN.familyName}`, 10_000);
	const recoveryMs = Date.now() - back;
	console.log(`network cut: the others decode the member's video again ${recoveryMs} ms after the network came back`);
	test.info().annotations.push({ type: 'network-cut-recovery-ms', description: String(recoveryMs) });
	await expect(member.getByText('Reconnexion…')).toHaveCount(0);
	await expect(remoteTile(chair, 'Marc Oncologue')).not.toContainText('Reconnexion…');
});

test('worker death: media comes back for everyone within 10 s', async ({ request }) => {
	const health = await (await request.get('/healthz')).json();
	const killedAt = Date.now();
	for (const worker of health.sfu.workers as { pid: number }[]) process.kill(worker.pid, 'SIGKILL');
	for (const [page, name] of [
		[chair, 'Marc Oncologue'],
		[member, GUEST],
		[guest, `${ADMIN.givenName} ${ADMIN.familyName}`]
	] as const) {
		await framesFlow(page, name, 10_000 - (Date.now() - killedAt));
	}
	const recoveryMs = Date.now() - killedAt;
	console.log(`worker death: video flowing again for everyone ${recoveryMs} ms after the workers were killed`);
	test.info().annotations.push({ type: 'worker-death-recovery-ms', description: String(recoveryMs) });
});

test('the coordinator ends the meeting for everyone', async () => {
	await control(chair, 'Terminer pour tous').click();
	await chair.getByRole('dialog').getByRole('button', { name: 'Terminer pour tous' }).click();
	await expect(member.getByText('La réunion a été terminée par le modérateur.')).toBeVisible();
	await expect(guest.getByText('La réunion a été terminée par le modérateur.')).toBeVisible();
});

test('the health endpoint reports the database and live workers', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	const body = await response.json();
	expect(body.status).toBe('ok');
	expect(body.database.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
	for (const worker of body.sfu.workers) expect(worker.alive).toBe(true);
});
