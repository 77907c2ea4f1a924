/**
 * Prints the time as the parts of the stack read it: this Node process, a child Node
 * process, PGlite (in-process PostgreSQL compiled to WebAssembly) and Chromium launched by
 * Playwright as the e2e tests launch it. Under faketime all must read the moved clock.
 * With EXPECTED_NOW (an ISO instant), exits 1 if any reading is more than five minutes
 * away from it. Used by .ci/faketime-check.
 *
 *   EXPECTED_NOW=2028-01-06T12:00:00Z faketime -f +400d npx node .ci/clock-probe.ts
 */
import { execFileSync } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium.ts';

const pglite = new PGlite();
const { rows } = await pglite.query<{ now: Date }>('select now() as now');
await pglite.close();

const child = execFileSync(process.execPath, ['-e', 'console.log(new Date().toISOString())'], { encoding: 'utf8' }).trim();

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage();
const inPage = await page.evaluate(() => new Date().toISOString());
await browser.close();

const readings: [string, Date][] = [
	[`node ${process.version}`, new Date()],
	['child node process', new Date(child)],
	['PGlite select now()', new Date(rows[0].now)],
	['Chromium page', new Date(inPage)]
];
for (const [who, at] of readings) console.log(`  ${who.padEnd(22)} ${at.toISOString()}`);

const expected = process.env.EXPECTED_NOW ? Date.parse(process.env.EXPECTED_NOW) : NaN;
if (!Number.isNaN(expected)) {
	const off = readings.filter(([, at]) => Math.abs(at.getTime() - expected) > 5 * 60_000);
	for (const [who, at] of off) console.error(`clock-probe: ${who} reads ${at.toISOString()}, expected about ${process.env.EXPECTED_NOW}`);
	if (off.length > 0) process.exit(1);
}
