/**
 * Time to first remote video frame of a direct browser-to-browser call: the floor for
 * the room join benchmark (see lib/p2p-first-frame.ts for what is measured).
 *
 * Usage: node bench/p2p-first-frame.ts
 * Never downloads a browser: it drives Debian's Chromium (CHROMIUM_PATH to use another).
 */
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium.ts';
import { chromium } from 'playwright-core';
import { measureP2pFirstFrame } from './lib/p2p-first-frame.ts';
import { summarize, summaryTable } from './lib/stats.ts';

const WARM_UP_RUNS = 2;
const RUNS = 10;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

try {
	// The first calls pay for the browser's lazy start-up (codecs, network service): not kept.
	await measureP2pFirstFrame(browser, WARM_UP_RUNS);
	const times = await measureP2pFirstFrame(browser, RUNS);

	console.log(
		`P2P call between two pages of one Chromium, createOffer on the caller to first presented frame ` +
			`on the callee: ${RUNS} runs after ${WARM_UP_RUNS} warm-up runs, a fresh browser context each.\n`
	);
	console.log(
		summaryTable([{ label: 'p2p first frame', summary: summarize(times) }], {
			label: 'call',
			statistics: ['n', 'p50', 'p95', 'max', 'mean'],
			unit: 'ms',
			decimals: 0
		})
	);
	console.log(`\nruns (ms): ${times.join(', ')}`);
} finally {
	await browser.close();
}
