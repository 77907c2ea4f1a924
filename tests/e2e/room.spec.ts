import { expect, test, type Browser, type Page } from '@playwright/test';
import { capturePeerConnections, inboundTotals, waitForFirstRemoteFrame } from './media.ts';

async function openParticipant(browser: Browser): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await capturePeerConnections(page);
	return page;
}

async function fillName(page: Page, roomId: string, name: string): Promise<void> {
	await page.goto(`/rooms/${roomId}`);
	await page.getByLabel('Votre nom').fill(name);
}

const join = (page: Page) => page.getByRole('button', { name: 'Rejoindre la salle' }).click();

const remoteTiles = (page: Page) => page.getByTestId('remote-tile');

test('two participants see and hear each other through the SFU, then one leaves', async ({ browser }) => {
	const roomId = `e2e-${Date.now()}`;
	const alice = await openParticipant(browser);
	const bob = await openParticipant(browser);

	await fillName(alice, roomId, 'Dr Alice Martin');
	await join(alice);
	await expect(alice.getByRole('status')).toHaveText('Vous êtes seul dans la salle.');

	await fillName(bob, roomId, 'Dr Bob Durand');
	const clickedAt = Date.now();
	await join(bob);
	const [bobFirstFrameAt, aliceFirstFrameAt] = await Promise.all([
		waitForFirstRemoteFrame(bob),
		waitForFirstRemoteFrame(alice)
	]);
	const joinToFrameMs = bobFirstFrameAt - clickedAt;
	console.log(`join click → first decoded remote frame: ${joinToFrameMs} ms (newcomer), ${aliceFirstFrameAt - clickedAt} ms (already present)`);
	test.info().annotations.push({ type: 'join-to-first-frame-ms', description: String(joinToFrameMs) });

	for (const [page, other] of [
		[alice, 'Dr Bob Durand'],
		[bob, 'Dr Alice Martin']
	] as const) {
		await expect(remoteTiles(page)).toHaveCount(1);
		await expect(remoteTiles(page)).toContainText(other);
		await expect(page.getByRole('status')).toHaveText('2 participants dans la salle.');
		// Video decoded and shown, audio packets arriving: real media both ways.
		await expect.poll(async () => (await inboundTotals(page)).videoFramesDecoded).toBeGreaterThan(0);
		await expect.poll(async () => (await inboundTotals(page)).audioPacketsReceived).toBeGreaterThan(0);
		await expect
			.poll(() => page.locator('[data-testid="remote-tile"] video').evaluate((v: HTMLVideoElement) => v.videoWidth))
			.toBeGreaterThan(0);
	}

	// Frames keep flowing (not just one keyframe).
	const before = (await inboundTotals(alice)).videoFramesDecoded;
	await expect.poll(async () => (await inboundTotals(alice)).videoFramesDecoded).toBeGreaterThan(before + 10);

	await bob.getByRole('button', { name: 'Quitter la salle' }).click();
	await expect(bob.getByRole('status')).toHaveText('Vous avez quitté la salle.');
	await expect(remoteTiles(alice)).toHaveCount(0);
	await expect(alice.getByRole('status')).toHaveText('Vous êtes seul dans la salle.');

	await alice.context().close();
	await bob.context().close();
});

test('a participant whose browser disconnects disappears for the others', async ({ browser }) => {
	const roomId = `e2e-drop-${Date.now()}`;
	const alice = await openParticipant(browser);
	const carol = await openParticipant(browser);
	await fillName(alice, roomId, 'Dr Alice Martin');
	await join(alice);
	await fillName(carol, roomId, 'Dr Carol Petit');
	await join(carol);
	await expect(remoteTiles(alice)).toContainText('Dr Carol Petit');

	// Closing the tab: no "leave" is sent, the server notices the dropped connection.
	await carol.context().close();
	await expect(remoteTiles(alice)).toHaveCount(0);
	await alice.context().close();
});

test('the health endpoint reports the database and live workers', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	const body = await response.json();
	expect(body.status).toBe('ok');
	expect(body.database.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
	expect(body.database.ok).toBe(true);
	expect(body.sfu.workers.length).toBeGreaterThan(0);
	for (const worker of body.sfu.workers) {
		expect(worker.alive).toBe(true);
		expect(worker.pid).toBeGreaterThan(0);
	}
});

test('an invalid room id gets a French "not found" page', async ({ page }) => {
	const response = await page.goto('/rooms/pas%20valide!');
	expect(response?.status()).toBe(404);
	await expect(page.getByText('Salle introuvable')).toBeVisible();
});

test('joining without a name is refused next to the field', async ({ page }) => {
	await page.goto('/rooms/e2e-name');
	await join(page);
	await expect(page.getByRole('alert')).toHaveText('Indiquez votre nom (80 caractères au plus).');
	await expect(page.getByLabel('Votre nom')).toHaveAttribute('aria-invalid', 'true');
});

test('the home page opens a room by its id, with or without script', async ({ page, browser }) => {
	await page.goto('/');
	await page.getByLabel('Identifiant de la salle').fill('rcp-thorax');
	await page.getByRole('button', { name: 'Ouvrir la salle' }).click();
	await expect(page).toHaveURL(/\/rooms\/rcp-thorax$/);
	await expect(page.getByRole('heading', { name: 'Salle rcp-thorax' })).toBeVisible();

	const noScript = await browser.newContext({ javaScriptEnabled: false });
	const plain = await noScript.newPage();
	await plain.goto('/');
	await plain.getByLabel('Identifiant de la salle').fill('rcp-sein');
	await plain.getByRole('button', { name: 'Ouvrir la salle' }).click();
	await expect(plain).toHaveURL(/\/rooms\/rcp-sein$/);
	const refused = await plain.request.get('/rooms?id=../../etc');
	expect(refused.status()).toBe(400);
	await noScript.close();
});
