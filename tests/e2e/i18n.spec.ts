import { expect, test, type Page } from '@playwright/test';

const html = (page: Page) => page.locator('html');
const switcher = (page: Page, label: 'Langue' | 'Language') => page.getByRole('navigation', { name: label });

test.describe('a French browser', () => {
	test.use({ locale: 'fr-FR' });

	test('gets French, switches to English for good, and back', async ({ page }) => {
		await page.goto('/login');
		await expect(html(page)).toHaveAttribute('lang', 'fr');
		await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
		const french = switcher(page, 'Langue');
		await expect(french.getByRole('link', { name: 'Français' })).toHaveAttribute('aria-current', 'true');
		await expect(french.getByRole('link', { name: 'English' })).not.toHaveAttribute('aria-current');
		await expect(french.getByRole('link', { name: 'English' })).toHaveAttribute('lang', 'en');

		await french.getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/login$/);
		await expect(html(page)).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
		await expect(switcher(page, 'Language').getByRole('link', { name: 'English' })).toHaveAttribute(
			'aria-current',
			'true'
		);

		// Remembered (cookie), and spoken by the page's script too (a client-side navigation).
		await page.reload();
		await expect(html(page)).toHaveAttribute('lang', 'en');
		await page.getByRole('link', { name: 'Concerto', exact: true }).click();
		await expect(page.getByText('Concerto hosts multidisciplinary cancer meetings')).toBeVisible();

		await switcher(page, 'Language').getByRole('link', { name: 'Français' }).click();
		await expect(html(page)).toHaveAttribute('lang', 'fr');
		await expect(page.getByText('Concerto accueille les réunions de concertation pluridisciplinaire')).toBeVisible();
	});

	test('switches language without script', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
		const page = await context.newPage();
		await page.goto('/');
		await switcher(page, 'Langue').getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/$/);
		await expect(html(page)).toHaveAttribute('lang', 'en');
		await expect(page.getByText('Concerto hosts multidisciplinary cancer meetings')).toBeVisible();
		await context.close();
	});
});

test.describe('an English browser', () => {
	test.use({ locale: 'en-GB' });

	test('gets English on its first visit, error pages included', async ({ page }) => {
		await page.goto('/');
		await expect(html(page)).toHaveAttribute('lang', 'en');
		await expect(page.getByText('Concerto hosts multidisciplinary cancer meetings')).toBeVisible();

		const response = await page.goto('/no-such-page');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	});
});

test.describe('a browser in another language', () => {
	test.use({ locale: 'de-DE' });

	test('gets French', async ({ page }) => {
		await page.goto('/');
		await expect(html(page)).toHaveAttribute('lang', 'fr');
		await expect(page.getByText('Concerto accueille les réunions de concertation pluridisciplinaire')).toBeVisible();
	});
});
