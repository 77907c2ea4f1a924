/**
 * Concerto on two nodes behind HAProxy, with PostgreSQL and a Redis of the test's own
 * (tests/helpers/cluster-fixture.ts). Browsers open the one public address; the meeting
 * lives on one node; actions served by the other node reach it; the hosting node is killed
 * (-9), then another is stopped (SIGTERM), and Redis restarts, while the meeting goes on.
 * The recovery times are printed and attached to the test report.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { LoadAccount } from '../../bench/load/fixture.ts';
import { METRICS_TOKEN, startClusterFixture, type ClusterFixture } from '../helpers/cluster-fixture.ts';
import { askToJoinWithoutMedia, enterRoomWithoutMedia, hydrated } from './fixtures.ts';
import { capturePeerConnections, speakingMicrophone } from './media.ts';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

const PORT = Number(process.env.E2E_CLUSTER_PORT ?? 3250);
const REDIS_PORT = Number(process.env.E2E_CLUSTER_REDIS_PORT ?? 6390);
const ORIGIN = `http://localhost:${PORT}`;
test.use({ baseURL: ORIGIN });

let fixture: ClusterFixture;
const contexts: BrowserContext[] = [];
let meetingPath: string;
let chair: Page;
let surgeon: Page;
let oncologist: Page;
let names: { chair: string; surgeon: string; oncologist: string };
let accounts: LoadAccount[];

async function newPage(browser: Browser, media = true): Promise<Page> {
	const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1920, height: 1080 } });
	contexts.push(context);
	const page = await context.newPage();
	// The join's steps on the page's performance timeline (src/lib/client/join-timeline.ts), for the report.
	await page.addInitScript(() => localStorage.setItem('concerto:join-timeline', '1'));
	if (media) {
		await capturePeerConnections(page);
		await speakingMicrophone(page);
	}
	return page;
}

async function signIn(page: Page, email: string): Promise<void> {
	await page.goto('/login');
	await hydrated(page);
	await page.getByLabel('Adresse électronique').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(fixture.population.password);
	await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
	await expect(page).toHaveURL(/\/$/);
}

async function enter(page: Page): Promise<void> {
	await page.goto(`${meetingPath}/room`);
	await hydrated(page);
	await page.getByRole('button', { name: 'Rejoindre la réunion' }).click();
	await expect(page.getByTestId('local-tile')).toBeVisible();
}


/**
 * Waits until the page shows new frames of each of `others` (two 50 ms samples in a row
 * adding frames, read inside the page); the page's clock at that moment.
 */
function videoFlows(page: Page, others: string[], timeout = 30_000): Promise<number> {
	return page.evaluate(
		async ({ others, timeout }) => {
			const deadline = Date.now() + timeout;
			const pictured = new Map<string, number>();
			const last = new Map<string, number>();
			const growing = new Map<string, number>();
			while (Date.now() < deadline) {
				let all = true;
				for (const name of others) {
					const tile = [...document.querySelectorAll('[data-testid="remote-tile"]')].find((t) => t.textContent?.includes(name));
					const video = tile?.querySelector('video');
					const frames = video && video.videoWidth > 0 ? video.getVideoPlaybackQuality().totalVideoFrames : -1;
					if (frames >= 0 && !pictured.has(name)) pictured.set(name, Date.now());
					const previous = last.get(name) ?? -1;
					growing.set(name, previous >= 0 && frames > previous ? (growing.get(name) ?? 0) + 1 : 0);
					last.set(name, frames);
					if ((growing.get(name) ?? 0) < 2) all = false;
				}
				if (all) {
					console.log(`first picture: ${[...pictured].map(([name, at]) => `${name} ${at}`).join(', ')}`);
					return Date.now();
				}
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			throw new Error(`video of ${others.join(', ')} did not flow within ${timeout} ms`);
		},
		{ others, timeout }
	);
}

/** Every page sees the two others' video again; the slowest page's time since `since`. */
async function everyoneSeesEveryone(since: number, timeout = 30_000): Promise<number> {
	const pages: [Page, string[]][] = [
		[chair, [names.surgeon, names.oncologist]],
		[surgeon, [names.chair, names.oncologist]],
		[oncologist, [names.chair, names.surgeon]]
	];
	const logs = pages.map(([page]) => {
		const listener = (message: { text(): string }) => {
			const match = /^first picture: (.*)$/.exec(message.text());
			if (match) console.log(`[cluster]   first picture after ${since}: ${match[1].replace(/(\d{13})/g, (at) => `+${Number(at) - since}`)}`);
		};
		page.on('console', listener);
		return () => page.off('console', listener);
	});
	const flowing = await Promise.all(pages.map(([page, others]) => videoFlows(page, others, timeout))).finally(() => logs.forEach((off) => off()));
	return Math.max(...flowing) - since;
}

/**
 * What an expelled account sees: the room's message, then (its session being over) the
 * sign-in page the room's next request leads to.
 */
const outOfTheRoom = (page: Page) =>
	page.getByText('Votre compte ou votre invitation n’est plus valable.').or(page.getByRole('heading', { name: 'Connexion' }));

/** The node hosting the meeting's room now (the one whose health report counts a room). */
async function hostingNode(): Promise<string> {
	const counts = await Promise.all(
		fixture.cluster.nodes.filter((n) => n.running).map(async (n) => ({ id: n.id, rooms: ((await (await fetch(`${n.direct}/healthz`)).json()) as { sfu: { rooms: number } }).sfu.rooms }))
	);
	const hosting = counts.filter((c) => c.rooms > 0);
	expect(hosting, `rooms per node: ${JSON.stringify(counts)}`).toHaveLength(1);
	return hosting[0].id;
}

/** Where the time went on each page since `since`: the join steps marked (ms after `since`). */
async function timelines(since: number): Promise<void> {
	for (const [name, page] of [['chair', chair], ['surgeon', surgeon], ['oncologist', oncologist]] as const) {
		const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => ({ name: m.name.replace('concerto:join:', ''), at: performance.timeOrigin + m.startTime })));
		const steps = marks.filter((m) => m.at >= since).map((m) => `${m.name} +${Math.round(m.at - since)}`);
		console.log(`[cluster]   ${name}: ${steps.join(', ')}`);
	}
}

function report(what: string, ms: number): void {
	console.log(`[cluster] ${what}: ${(ms / 1000).toFixed(1)} s`);
	test.info().annotations.push({ type: what, description: `${ms} ms` });
}

test.beforeAll(async ({ browser }) => {
	fixture = await startClusterFixture({ port: PORT, redisPort: REDIS_PORT, participants: 4 });
	const meeting = fixture.population.meetings[0];
	accounts = meeting.accounts;
	meetingPath = `/meetings/${meeting.meetingId}`;
	names = { chair: 'Bot 1.1 Charge', surgeon: 'Bot 1.2 Charge', oncologist: 'Bot 1.3 Charge' };
	chair = await newPage(browser);
	surgeon = await newPage(browser);
	oncologist = await newPage(browser);
	await signIn(chair, accounts[0].email);
	await signIn(surgeon, accounts[1].email);
	await signIn(oncologist, accounts[2].email);
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await fixture?.stop();
});

test('three browsers entering through HAProxy meet on one node, see each other and share the live meeting', async () => {
	for (const page of [chair, surgeon, oncologist]) await enter(page);
	report('first video, everyone', await everyoneSeesEveryone(Date.now()));
	await hostingNode();

	await chair.getByRole('button', { name: /Ouvrir le dossier de .*CHARGE-1-1/i }).click();
	for (const page of [chair, surgeon, oncologist]) await expect(page.getByTestId('case-panel')).toContainText('CHARGE-1-1');
	// The chair holds the pen: what is typed is saved (acknowledged) and shown to the others.
	await chair.getByTestId('decision-proposal').fill('Chirurgie première, puis discussion d’une chimiothérapie adjuvante.');
	await expect(chair.getByText(/Enregistré \(version/)).toBeVisible();
	for (const page of [surgeon, oncologist]) {
		await expect(page.getByTestId('decision-proposal')).toHaveText('Chirurgie première, puis discussion d’une chimiothérapie adjuvante.');
	}
});

test('the lobby, a revoked invitation and a deactivated account, served by the other node, reach the room', async ({ browser }) => {
	const host = await hostingNode();
	const other = fixture.cluster.nodes.find((n) => n.id !== host)!.id;

	// The guest's link: the guest waits in the lobby until the chair lets them in.
	const guest = await newPage(browser, false);
	await guest.goto(`/invite/${fixture.population.meetings[0].guestToken}`);
	await guest.getByRole('button', { name: 'Entrer dans la réunion' }).click();
	await expect(guest).toHaveURL(meetingPath);
	await askToJoinWithoutMedia(guest, meetingPath);
	await expect(guest.getByText('Vous êtes dans la salle d’attente')).toBeVisible();
	await chair.getByRole('region', { name: 'Commandes de la réunion' }).getByRole('button', { name: /Participants/ }).click();
	const lobby = chair.getByRole('region', { name: /Salle d’attente/ });
	await expect(lobby).toContainText('Invité charge 1');
	await lobby.getByRole('button', { name: /Faire entrer/ }).click();
	await expect(guest.getByTestId('local-tile')).toBeVisible();
	await expect(chair.getByText('4 participants dans la salle.')).toBeVisible();

	// The administrator's pages are served by the other node (HAProxy's cookie says which).
	const adminContext = await browser.newContext({ locale: 'fr-FR' });
	contexts.push(adminContext);
	await adminContext.addCookies([{ name: 'CONCERTO_NODE', value: other, url: ORIGIN }]);
	const admin = await adminContext.newPage();
	await signIn(admin, fixture.population.admin.email);
	const served = (await (await admin.request.get('/healthz')).json()) as { node: string };
	expect(served.node).toBe(other);

	await admin.goto(meetingPath);
	await hydrated(admin);
	await admin.getByRole('button', { name: 'Révoquer l’invitation de Invité charge 1' }).click();
	await expect(guest.getByText('Votre compte ou votre invitation n’est plus valable.')).toBeVisible();
	await expect(chair.getByText('3 participants dans la salle.')).toBeVisible();

	// The fourth member joins, then loses their account: out of the room at once.
	const fourth = await newPage(browser, false);
	await signIn(fourth, accounts[3].email);
	await enterRoomWithoutMedia(fourth, meetingPath);
	await expect(chair.getByText('4 participants dans la salle.')).toBeVisible();
	await admin.goto(`/admin/users/${accounts[3].userId}`);
	await hydrated(admin);
	await admin.getByRole('button', { name: 'Désactiver le compte' }).click();
	await expect(admin.getByRole('button', { name: 'Réactiver le compte' })).toBeVisible();
	await expect(outOfTheRoom(fourth)).toBeVisible();
	await expect(chair.getByText('3 participants dans la salle.')).toBeVisible();
	await hostingNode();
});

test('kill -9 of the hosting node: every browser has video again on the other node, the live meeting intact', async () => {
	const host = await hostingNode();
	const killedAt = Date.now();
	console.log(`[cluster] kill -9 ${host} at ${new Date(killedAt).toISOString()}`);
	await fixture.cluster.node(host).stop('SIGKILL');
	const recovery = await everyoneSeesEveryone(killedAt);
	report('recovery after kill -9 of the hosting node', recovery);
	await timelines(killedAt);
	const survivor = await hostingNode();
	expect(survivor).not.toBe(host);
	const metrics = await (await fetch(`${fixture.cluster.node(survivor).direct}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
	expect(metrics).toContain('concerto_cluster_meetings_total{event="taken_over"} 1');

	// The chair (the pen's holder) gets the saved proposal back in its field, the others as text.
	for (const page of [chair, surgeon, oncologist]) await expect(page.getByTestId('case-panel')).toContainText('CHARGE-1-1');
	await expect(chair.getByTestId('decision-proposal')).toHaveValue('Chirurgie première, puis discussion d’une chimiothérapie adjuvante.');
	for (const page of [surgeon, oncologist]) {
		await expect(page.getByTestId('decision-proposal')).toHaveText('Chirurgie première, puis discussion d’une chimiothérapie adjuvante.');
	}
	// The pen is still the chair's: the proposal goes on from the saved version.
	await chair.getByTestId('decision-proposal').fill('Chirurgie première ; chimiothérapie adjuvante selon l’histologie.');
	await expect(surgeon.getByTestId('decision-proposal')).toHaveText('Chirurgie première ; chimiothérapie adjuvante selon l’histologie.');
	await fixture.cluster.node(host).start();
});

test('a node told to stop (SIGTERM) moves its meeting to the other node, then exits', async () => {
	const host = await hostingNode();
	const stoppedAt = Date.now();
	const exit = fixture.cluster.node(host).stop('SIGTERM');
	const moved = await everyoneSeesEveryone(stoppedAt);
	report('move when the hosting node drains', moved);
	await timelines(stoppedAt);
	expect(await exit).toBe(0);
	expect(await hostingNode()).not.toBe(host);
	await expect(chair.getByTestId('case-panel')).toContainText('CHARGE-1-1');
	await fixture.cluster.node(host).start();
});

test('Redis restarts during the meeting: the meeting goes on, and what was sent meanwhile arrives', async ({ browser }) => {
	const host = await hostingNode();
	const other = fixture.cluster.nodes.find((n) => n.id !== host)!.id;
	// The surgeon's account is deactivated on the other node while Redis is down: the
	// expulsion reaches the hosting node once Redis is back.
	const adminContext = await browser.newContext({ locale: 'fr-FR' });
	contexts.push(adminContext);
	await adminContext.addCookies([{ name: 'CONCERTO_NODE', value: other, url: ORIGIN }]);
	const admin = await adminContext.newPage();
	await signIn(admin, fixture.population.admin.email);
	await admin.goto(`/admin/users/${accounts[1].userId}`);
	await hydrated(admin);

	await fixture.redis.stop();
	await admin.getByRole('button', { name: 'Désactiver le compte' }).click();
	await expect(admin.getByRole('button', { name: 'Réactiver le compte' })).toBeVisible();
	// Meanwhile the meeting goes on: the proposal is edited and seen, video flows.
	await chair.getByTestId('decision-proposal').fill('Chirurgie première (Redis redémarre).');
	await expect(oncologist.getByTestId('decision-proposal')).toHaveText('Chirurgie première (Redis redémarre).');
	await videoFlows(oncologist, [names.chair]);
	const restartedAt = Date.now();
	await fixture.redis.start();

	await expect(outOfTheRoom(surgeon)).toBeVisible({ timeout: 20_000 });
	report('expulsion sent while Redis was down, delivered after its restart', Date.now() - restartedAt);
	expect(await hostingNode()).toBe(host);
	await videoFlows(chair, [names.oncologist]);
	await videoFlows(oncologist, [names.chair]);
});
