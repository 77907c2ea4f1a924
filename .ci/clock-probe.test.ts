/**
 * Run by .ci/faketime-check with `vitest --root .ci`: the clock inside a vitest worker
 * process (and PGlite opened there) is the moved one. EXPECTED_NOW is an ISO instant.
 */
import { PGlite } from '@electric-sql/pglite';
import { expect, it } from 'vitest';

const expected = Date.parse(process.env.EXPECTED_NOW ?? '');
const near = (at: Date) => Math.abs(at.getTime() - expected) < 5 * 60_000;

it('reads the moved clock in a vitest worker, in Node and in PGlite', { timeout: 60_000 }, async () => {
	expect(Number.isNaN(expected), 'EXPECTED_NOW').toBe(false);
	const pglite = new PGlite();
	const { rows } = await pglite.query<{ now: Date }>('select now() as now');
	await pglite.close();
	console.log(`vitest worker pid ${process.pid} (parent ${process.ppid}): Date ${new Date().toISOString()}, PGlite now() ${rows[0].now.toISOString()}`);
	expect(near(new Date()), new Date().toISOString()).toBe(true);
	expect(near(rows[0].now), rows[0].now.toISOString()).toBe(true);
});
