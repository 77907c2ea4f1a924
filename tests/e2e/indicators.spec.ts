import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signInAsAdmin } from './accounts.ts';
import { monthOf, nextWeekday, numericDay, shiftMonth, today, TUESDAY } from './dates.ts';
import { boardWithRecordedCase, hydrated } from './fixtures.ts';

// Builds "RCP digestive — CH de Cognac", one meeting about four months ahead (the next
// Tuesday at least 120 days ahead, at 14:00) and "Fictif Patient", recorded without
// discussion in it. The other specs' meetings are within the next three months, so the
// network has exactly this one case recorded without discussion in that meeting's month.
test.describe.configure({ mode: 'serial' });

const BOARD = 'RCP digestive — CH de Cognac';
const MEETING = { date: nextWeekday(TUESDAY, 120), time: '14:00' };
const PERIOD = monthOf(MEETING.date);
/** The same month a year ago: before this server existed, so without any activity. */
const QUIET = monthOf(shiftMonth(today(), -12));

test.beforeAll(async ({ browser }) => {
	test.setTimeout(120_000);
	const page = await browser.newPage();
	await signInAsAdmin(page);
	await boardWithRecordedCase(page, BOARD, MEETING);
	await page.close();
});

test('the administrator reads the network’s indicators for a month and exports the same figures as CSV', async ({ page }) => {
	await signInAsAdmin(page);
	await page.getByRole('navigation', { name: 'Compte' }).getByRole('link', { name: 'Indicateurs' }).click();
	await expect(page).toHaveURL(/\/indicators$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Indicateurs d’activité et de qualité des RCP');

	const filters = page.getByRole('form', { name: 'Filtres des indicateurs' });
	const boards = filters.getByRole('group', { name: 'RCP' });
	await expect(boards).toContainText('Aucune case cochée : Tout le réseau.');
	await expect(boards.getByLabel(BOARD, { exact: true })).not.toBeChecked();
	await filters.getByLabel('Du', { exact: true }).fill(PERIOD.from);
	await filters.getByLabel('Au', { exact: true }).fill(PERIOD.to);
	await filters.getByRole('button', { name: 'Afficher les indicateurs' }).click();
	await expect(page).toHaveURL(new RegExp(`from=${PERIOD.from}&to=${PERIOD.to}`));

	const results = page.getByRole('region', { name: 'Résultats' });
	await expect(results).toContainText(`Période : du ${numericDay(PERIOD.from)} au ${numericDay(PERIOD.to)}`);
	await expect(results).toContainText('RCP : Tout le réseau');
	await expect(results.getByRole('row', { name: /^Cas enregistrés sans discussion/ }).getByRole('cell')).toHaveText('1');
	await expect(results.getByRole('img', { name: /Cas enregistrés sans discussion : 1/ })).toBeVisible();
	await expect(results.getByRole('row', { name: /^Indicateur HAS niveau 1/ })).toContainText('trace datée de RCP comportant une proposition');

	const download = page.waitForEvent('download');
	await results.getByRole('link', { name: 'Exporter en CSV' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toBe(`indicateurs-rcp_${PERIOD.from}_${PERIOD.to}.csv`);
	const text = readFileSync(await file.path(), 'utf8');
	expect(text.charCodeAt(0)).toBe(0xfeff);
	const lines = text.slice(1).split('\r\n');
	expect(lines.slice(0, 4)).toEqual([
		'Indicateurs d’activité et de qualité des RCP',
		'RCP;Tout le réseau',
		`Période;du ${numericDay(PERIOD.from)} au ${numericDay(PERIOD.to)}`,
		'Organe;tous'
	]);
	expect(lines).toContain('Indicateur;Valeur;Numérateur;Dénominateur;Unité');
	expect(lines).toContain('Cas enregistrés sans discussion;1;;;dossiers');

	// Both reads are in the audit trail.
	await page.goto('/admin/audit?action=indicators.export');
	await expect(page.getByRole('table')).toContainText('indicators.export');
	await page.goto('/admin/audit?action=indicators.read');
	await expect(page.getByRole('table')).toContainText('indicators.read');
});

test('a period without activity says so, a wrong organ is refused next to its field, a board outside the reader’s is forbidden', async ({ page }) => {
	await signInAsAdmin(page);
	await page.goto('/indicators');
	await hydrated(page);
	const filters = page.getByRole('form', { name: 'Filtres des indicateurs' });
	await filters.getByLabel('Du', { exact: true }).fill(QUIET.from);
	await filters.getByLabel('Au', { exact: true }).fill(QUIET.to);
	await filters.getByRole('button', { name: 'Afficher les indicateurs' }).click();
	// The default period (the last 12 months) may have no data either: wait for this one.
	await expect(page).toHaveURL(new RegExp(`from=${QUIET.from}&to=${QUIET.to}`));
	const results = page.getByRole('region', { name: 'Résultats' });
	await expect(results).toContainText('Aucune donnée pour cette période.');
	await expect(results.getByRole('img')).toHaveCount(0);
	await expect(results.getByRole('table')).toHaveCount(0);

	await filters.getByLabel(/^Organe/).fill('X12');
	await filters.getByRole('button', { name: 'Afficher les indicateurs' }).click();
	await expect(page).toHaveURL(/organ=X12/);
	await expect(filters.getByLabel(/^Organe/)).toHaveAttribute('aria-invalid', 'true');
	await expect(filters).toContainText('Organe : une catégorie CIM-10, par exemple C18');
	await expect(page.getByRole('region', { name: 'Résultats' })).toHaveCount(0);

	const response = await page.goto(`/indicators?boardIds=00000000-0000-4000-8000-000000000000&from=${PERIOD.from}&to=${PERIOD.to}`);
	expect(response?.status()).toBe(403);
	await expect(page.getByText('Vous n’avez pas accès à l’une de ces RCP.')).toBeVisible();
	const csv = await page.request.get(`/indicators/csv?boardIds=00000000-0000-4000-8000-000000000000&from=${PERIOD.from}&to=${PERIOD.to}`);
	expect(csv.status()).toBe(403);
});
