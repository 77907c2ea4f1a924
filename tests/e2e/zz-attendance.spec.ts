import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';

// Runs after live.spec.ts: its meeting (« à 16:00 », ten days ahead) was attended by the
// administrator (chair), Lucie (radiation oncologist), Sam (surgeon) and Olga (medical oncologist).
test('the meeting’s attendance sheet lists who was in the room, with their specialty', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto('/boards');
	await page.getByRole('link', { name: 'RCP digestive — CHU de Poitiers' }).click();
	await page.getByRole('link', { name: /à 16:00/ }).first().click();
	await expect(page).toHaveURL(/\/meetings\/[0-9a-f-]{36}$/);
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Feuille de présence (PDF)' }).click();
	const file = join(mkdtempSync(join(tmpdir(), 'concerto-e2e-attendance-')), (await download).suggestedFilename());
	await (await download).saveAs(file);
	expect(file).toMatch(/feuille-de-presence_\d{4}-\d{2}-\d{2}\.pdf$/);
	const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
	expect(text).toContain('Feuille de présence');
	// Long names and specialties wrap inside their column: each person's line starts with their name.
	expect(text).toMatch(/Dr Sam CHIRURGIEN\s+Chirurgie digestive/);
	expect(text).toMatch(/Dr Olga ONCOLOGUE\s+Oncologie médicale/);
	expect(text).toMatch(/Dr Lucie\s+Oncologie/);
	expect(text).toMatch(/Médecins présents\s+3/);
	expect(text).toMatch(/Spécialités représentées\s+3 \(Chirurgie digestive, Oncologie médicale, Oncologie radiothérapie\)/);
});
