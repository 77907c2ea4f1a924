/**
 * Validating fiches: for each, gather the snapshot, render the PDF (pdfkit), sign it
 * (PAdES, pkijs), store it with its SHA-256 and update the case, audited. One fiche, then
 * a batch of 30, in sequence as the validation page does. Side by side, in the same run:
 * the floor of the libraries, a one-line pdfkit PDF signed the same way, not stored.
 *
 * Usage: node bench/fiche-signing.ts [--batch 30]
 *   PGlite by default; with DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)
 *   on a fresh database of that PostgreSQL server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { signingIdentity, validateFiche } from '../src/lib/server/fiches/service.ts';
import { signPdf } from '../src/lib/server/signing/pades.ts';
import { openTestDatabase, testDatabaseKind } from '../tests/helpers/database.ts';
import { fullFiche } from '../tests/helpers/fiche-samples.ts';
import { createMeetingFixture, decideCase } from '../tests/helpers/meeting-fixture.ts';
import { summarize, summaryTable } from './lib/stats.ts';

const batchArg = process.argv.indexOf('--batch');
const BATCH = Math.max(1, Number(batchArg > 0 ? process.argv[batchArg + 1] : 30));

const database = await openTestDatabase();
const { db } = database;
const fixture = await createMeetingFixture(db);
const loaded = signingIdentity({ p12: undefined, developmentDir: mkdtempSync(join(tmpdir(), 'concerto-bench-signing-')), tsaUrl: undefined });
if (!loaded.ok) throw new Error(loaded.message);
const identity = loaded.identity;
const ctx = { user: fixture.people.coordinator, address: null, identity };

process.stdout.write(`Preparing ${BATCH + 2} decided cases on ${testDatabaseKind}…\n`);
const caseIds: string[] = [];
for (let i = 0; i < BATCH + 2; i++) caseIds.push(await decideCase(db, fixture, { ...fullFiche().fiche, requestingPhysicianId: fixture.people.member.id }));

function floorPdf(): Promise<Uint8Array> {
	return new Promise((resolve) => {
		const doc = new PDFDocument({ size: 'A4' });
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.text('Fiche RCP');
		doc.end();
	});
}
const floor = async () => signPdf(await floorPdf(), identity, { signerName: 'Dr Test', reason: 'Validation', location: 'CHU', contactInfo: '' });

async function timed(run: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await run();
	return performance.now() - start;
}

// Warm-up: one of each (JIT, fonts, key import).
const [warmCase, singleCase, ...batchCases] = caseIds;
await validateFiche(db, ctx, warmCase);
await floor();

const single = await timed(async () => {
	const result = await validateFiche(db, ctx, singleCase);
	if (!result.ok) throw new Error(result.reason);
});
const singleFloor = await timed(floor);

const perFiche: number[] = [];
const perFloor: number[] = [];
const batchStart = performance.now();
for (const caseId of batchCases) perFiche.push(await timed(() => validateFiche(db, ctx, caseId)));
const batchMs = performance.now() - batchStart;
const floorStart = performance.now();
for (let i = 0; i < batchCases.length; i++) perFloor.push(await timed(floor));
const floorBatchMs = performance.now() - floorStart;

console.log(`\nFiche validation on ${testDatabaseKind}: gather, render (pdfkit), sign (PAdES B-B), store, audit; floor: a one-line PDF signed, not stored.\n`);
console.log(`one fiche: ${single.toFixed(1)} ms (floor ${singleFloor.toFixed(1)} ms)`);
console.log(`batch of ${batchCases.length}: ${(batchMs / 1000).toFixed(2)} s (floor ${(floorBatchMs / 1000).toFixed(2)} s), ${(batchMs / batchCases.length).toFixed(1)} ms per fiche\n`);
const fiche = summarize(perFiche);
const floorSummary = summarize(perFloor);
console.log(
	summaryTable(
		[
			{ label: 'validate + sign + store (batch)', summary: fiche },
			{ label: 'floor: sign a one-line PDF', summary: floorSummary }
		],
		{ label: 'path', statistics: ['n', 'p50', 'p95', 'max'], unit: 'ms', decimals: 1 }
	)
);
console.log(`\nvalidation / floor: p50 ×${(fiche.p50 / floorSummary.p50).toFixed(1)}, p95 ×${(fiche.p95 / floorSummary.p95).toFixed(1)}`);
await database.dispose();
