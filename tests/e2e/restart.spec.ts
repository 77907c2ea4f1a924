import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../server/tools/demo.ts';
import { signIn } from './accounts.ts';

// A server of its own, on the demonstration data (`npm run demo`), killed (SIGKILL, no
// clean shutdown) in the middle of a meeting and started again on the same data
// directory: the meeting must come back as it was, with every acknowledged change.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const PORT = 3231;
const ORIGIN = `http://localhost:${PORT}`;
const dataDir = mkdtempSync(join(tmpdir(), 'concerto-restart-'));
const environment = {
	...(process.env as Record<string, string>),
	DATA_DIR: dataDir,
	PORT: String(PORT),
	HOST: '127.0.0.1',
	PUBLIC_ORIGIN: ORIGIN,
	LOG_LEVEL: 'warn',
	MEDIASOUP_RTC_MIN_PORT: '50000',
	MEDIASOUP_RTC_MAX_PORT: '50999'
};
// The demonstration's secretary (the chair, who holds the pen), the gastroenterologist
// who registered the digestive cases (she presents), and a medical oncologist.
const SECRETARY = 'sophie.martin@concerto-demo.test';
const PRESENTER = 'claire.dubois@concerto-demo.test';
const MEMBER = 'julie.bernard@concerto-demo.test';

let server: ChildProcess | undefined;
const contexts: BrowserContext[] = [];

async function startServer(): Promise<void> {
	server = spawn(process.execPath, ['server/index.ts'], { env: environment, stdio: ['ignore', 'ignore', 'inherit'] });
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const healthy = await fetch(`${ORIGIN}/healthz`).then((response) => response.ok, () => false);
		if (healthy) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error('the server did not start within 60 s');
}

function killServer(): Promise<void> {
	const child = server;
	server = undefined;
	if (!child || child.exitCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

async function participant(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: ORIGIN, locale: 'fr-FR', viewport: { width: 1366, height: 900 } });
	contexts.push(context);
	const page = await context.newPage();
	await signIn(page, email, DEMO_PASSWORD);
	await expect(page).toHaveURL(/\/$/);
	return page;
}

async function enter(page: Page, roomPath: string): Promise<void> {
	await page.goto(roomPath);
	await page.getByLabel('Caméra activée').uncheck();
	await page.getByLabel('Micro activé').uncheck();
	await page.getByRole('button', { name: 'Rejoindre la réunion' }).click();
	await expect(page.getByTestId('local-tile')).toBeVisible();
}

test.beforeAll(() => {
	const demo = spawnSync(process.execPath, ['server/tools/demo.ts'], { env: environment, encoding: 'utf8' });
	if (demo.status !== 0) throw new Error(`npm run demo failed: ${demo.stderr}`);
});

test.afterAll(async () => {
	for (const context of contexts) await context.close();
	await killServer();
	rmSync(dataDir, { recursive: true, force: true });
});

test('the server is killed during an edit and restarted: the case, the document view and the acknowledged text come back', async ({ browser }) => {
	await startServer();
	const secretary = await participant(browser, SECRETARY);
	const presenter = await participant(browser, PRESENTER);
	const member = await participant(browser, MEMBER);

	// The next digestive meeting that has cases.
	await secretary.getByRole('listitem').filter({ hasText: 'RCP digestive' }).filter({ hasText: /· [1-9]\d* dossier/ }).first().getByRole('link').click();
	await expect(secretary).toHaveURL(/\/meetings\/[0-9a-f-]{36}$/);
	const roomPath = `${new URL(secretary.url()).pathname}/room`;
	for (const page of [secretary, presenter, member]) await enter(page, roomPath);

	await secretary.getByRole('button', { name: /^Ouvrir le dossier de/ }).first().click();
	await expect(member.getByTestId('case-panel')).toHaveAttribute('data-case-id', /.+/);
	const caseId = await member.getByTestId('case-panel').getAttribute('data-case-id');
	await expect(presenter.getByText('Vous présentez ce dossier.')).toBeVisible();

	// The presenter shows the report and zooms in.
	await presenter.getByRole('button', { name: /compte-rendu-.*\.pdf/ }).first().click();
	await expect(presenter.getByTestId('document-viewer').locator('canvas').first()).toBeVisible();
	await expect(member.getByTestId('document-viewer')).toHaveAttribute('data-page', '1');
	await presenter.getByRole('button', { name: 'Zoom avant' }).click();
	await expect(presenter.getByTestId('document-viewer')).not.toHaveAttribute('data-zoom', '1');
	const zoom = await presenter.getByTestId('document-viewer').getAttribute('data-zoom');
	expect(Number(zoom)).toBeGreaterThan(1);
	await expect(member.getByTestId('document-viewer')).toHaveAttribute('data-zoom', zoom!);

	// The secretary types; the server acknowledges.
	const acknowledged = 'Chimiothérapie néoadjuvante puis réévaluation.';
	await secretary.getByTestId('decision-proposal').fill(acknowledged);
	await expect(secretary.getByText(/Enregistré \(version \d+\)/)).toBeVisible();
	await expect(member.getByTestId('decision-proposal')).toHaveText(acknowledged);

	// Typing goes on while the server dies (no clean shutdown), and the server comes back.
	const more = `${acknowledged} Réévaluation par scanner à trois mois.`;
	await secretary.getByTestId('decision-proposal').fill(more);
	await killServer();
	await expect(member.getByText(/Reconnexion/).first()).toBeVisible();
	await startServer();

	// Everyone is back in the room, on the same case, document and zoom.
	for (const page of [secretary, presenter, member]) {
		await expect(page.getByTestId('case-panel')).toHaveAttribute('data-case-id', caseId!, { timeout: 30_000 });
		await expect(page.getByTestId('document-viewer')).toHaveAttribute('data-zoom', zoom!);
	}
	// The acknowledged text is intact, and what was typed during the outage is saved after it.
	await expect(member.getByTestId('decision-proposal')).toHaveText(more, { timeout: 15_000 });
	await expect(secretary.getByTestId('decision-proposal')).toHaveValue(more);
	await expect(secretary.getByText(/Enregistré \(version \d+\)/)).toBeVisible();
});
