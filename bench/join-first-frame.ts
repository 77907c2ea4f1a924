/**
 * Join click → first remote video frame presented, through Concerto's meeting room (the
 * real built app, its SFU, two Chromium pages with fake cameras), side by side in the
 * same run with a direct peer-to-peer call between two pages of the same browser (the
 * floor: no server, no signaling round trips).
 *
 * Usage: npm run build && node bench/join-first-frame.ts [--runs 10]
 *
 * Each run: the coordinator is already in the room; the member's page shows the pre-join
 * screen with its preview; the clock starts when the page sees the member press "Rejoindre
 * la réunion" (pointerdown) and stops when the page presents a frame of the coordinator's
 * camera in its tile
 * (`requestVideoFrameCallback`, as the floor's callee does). It prints both series, then
 * the join's timeline (lib/join-timeline.ts): when each step happened after the click,
 * median over the runs.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@auth/core/jwt';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium.ts';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startConcerto } from '../server/app.ts';
import { loadConfig } from '../src/lib/server/config.ts';
import { createLogger } from '../src/lib/server/logger.ts';
import { createMeetingFixture } from '../tests/helpers/meeting-fixture.ts';
import { capturePeerConnections, inboundTotals } from '../tests/e2e/media.ts';
import { firstFramePresented, offsets, pageEvents, preparePage, ServerTimeline, timelineTable } from './lib/join-timeline.ts';
import { measureP2pFirstFrame } from './lib/p2p-first-frame.ts';
import { summarize, summaryTable } from './lib/stats.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = Math.max(10, Number(runsArg > 0 ? process.argv[runsArg + 1] : process.env.BENCH_RUNS ?? 10));
const WARM_UP_RUNS = 2;

const handlerFile = new URL('../build/handler.js', import.meta.url);
if (!existsSync(handlerFile)) {
	console.error('build/handler.js is missing: run `npm run build` first.');
	process.exit(1);
}

// The app, in this process, on an ephemeral port and a fresh data directory.
const httpServer = createServer();
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
const origin = `http://localhost:${(httpServer.address() as AddressInfo).port}`;
process.env.ORIGIN = origin;
const config = loadConfig({
	DATA_DIR: mkdtempSync(join(tmpdir(), 'concerto-bench-')),
	PUBLIC_ORIGIN: origin,
	LOG_LEVEL: 'warn'
});
const { handler } = (await import(handlerFile.href)) as { handler: RequestListener };
httpServer.on('request', handler);
// Before the app's workers start: it watches them all.
const server = new ServerTimeline();
server.watchHttp(httpServer);
const concerto = await startConcerto({ config, logger: createLogger('warn'), httpServer });
const fixture = await createMeetingFixture(concerto.runtime.database.db);
server.watchSignaling(concerto.io, (socket) => {
	const identity = socket.data.identity;
	return identity?.kind === 'user' && identity.user.id === fixture.people.member.id;
});

async function signedIn(browser: Browser, userId: string): Promise<BrowserContext> {
	const name = 'authjs.session-token';
	const value = await encode({ token: { sub: userId }, secret: config.authSecret, salt: name, maxAge: 3600 });
	const context = await browser.newContext({ locale: 'fr-FR' });
	await context.addCookies([{ name, value, url: origin }]);
	return context;
}

const roomUrl = `${origin}/meetings/${fixture.meetingId}/room`;
const joinButton = 'button:has-text("Rejoindre la réunion")';

/** One join of the member while the coordinator is in the room: milliseconds to the first frame, and the timeline. */
async function measureJoin(browser: Browser): Promise<{ ms: number; timeline: Map<string, number>; maxLoopDelayMs: number }> {
	const chair = await signedIn(browser, fixture.people.coordinator.id);
	const member = await signedIn(browser, fixture.people.member.id);
	try {
		const chairPage = await chair.newPage();
		await chairPage.goto(roomUrl);
		await chairPage.locator(joinButton).click();
		await chairPage.getByTestId('local-tile').waitFor();

		const page = await member.newPage();
		await capturePeerConnections(page);
		await preparePage(page);
		await page.goto(roomUrl);
		await page.locator(`${joinButton}:not([disabled])`).waitFor();
		// As a user would see it: their own preview on screen.
		await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('form.prejoin video')?.videoWidth ?? 0) > 0);
		server.begin();
		await page.locator(joinButton).click();
		const firstFrameAt = await firstFramePresented(page);
		// A presented frame was decoded: checked, not timed (polling getStats would load the page).
		if ((await inboundTotals(page)).videoFramesDecoded === 0) throw new Error('a frame was presented but none decoded');
		const { events: serverEvents, maxLoopDelayMs } = server.end();
		const events = [...(await pageEvents(page)), ...serverEvents];
		// The clock starts when the page sees the button pressed (Playwright's own checks before it are not the app's).
		const pressedAt = events.find((event) => event.step === 'pointerdown')?.at;
		if (pressedAt === undefined) throw new Error('the page saw no pointerdown');
		return { ms: Math.round(firstFrameAt - pressedAt), timeline: offsets(events, pressedAt), maxLoopDelayMs };
	} finally {
		await member.close();
		await chair.close();
	}
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

try {
	for (let i = 0; i < WARM_UP_RUNS; i++) await measureJoin(browser);
	await measureP2pFirstFrame(browser, WARM_UP_RUNS);
	// Interleaved, so that machine noise weighs on both alike.
	const joins: number[] = [];
	const timelines: Map<string, number>[] = [];
	const loopDelays: number[] = [];
	const floor: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const join = await measureJoin(browser);
		joins.push(join.ms);
		timelines.push(join.timeline);
		loopDelays.push(join.maxLoopDelayMs);
		floor.push(...(await measureP2pFirstFrame(browser, 1)));
	}
	const room = summarize(joins);
	const p2p = summarize(floor);
	console.log(
		`Join click → first remote video frame presented: ${RUNS} runs each after ${WARM_UP_RUNS} warm-up runs, interleaved; ` +
			`Concerto room (built app, SFU on this machine) vs a direct P2P call between two pages (the floor).\n`
	);
	console.log(
		summaryTable(
			[
				{ label: 'concerto room join', summary: room },
				{ label: 'p2p call (floor)', summary: p2p }
			],
			{ label: 'path', statistics: ['n', 'p50', 'p95', 'max', 'mean'], unit: 'ms', decimals: 0 }
		)
	);
	console.log(`\nroom / floor: p50 ×${(room.p50 / p2p.p50).toFixed(2)}, p95 ×${(room.p95 / p2p.p95).toFixed(2)}`);
	console.log(`room runs (ms): ${joins.join(', ')}`);
	console.log(`p2p runs (ms): ${floor.join(', ')}`);
	console.log(`\nJoin timeline: median ms after the press on the button, over the ${RUNS} runs (page = the joiner's browser, sfu = the server).\n`);
	console.log(timelineTable(timelines));
	console.log(`\nserver event loop, longest block during each join (ms): ${loopDelays.map((ms) => ms.toFixed(0)).join(', ')}`);
} finally {
	await browser.close();
	await concerto.close();
	httpServer.close();
}
