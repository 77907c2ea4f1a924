import { expect, type Browser, type Page } from '@playwright/test';
import { hydrated } from './fixtures.ts';

/** The administrator the setup project creates through onboarding. */
export const ADMIN = {
	givenName: 'Claire',
	familyName: 'Administratrice',
	email: 'admin@concerto.test',
	password: 'un mot de passe solide 2026'
};

/** Fills and submits the sign-in form; the caller checks the outcome. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/login');
	await hydrated(page);
	await page.getByLabel('Adresse électronique').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
}

/** Signs the administrator in and waits for the home page. */
export async function signInAsAdmin(page: Page): Promise<void> {
	await signIn(page, ADMIN.email, ADMIN.password);
	await expect(page).toHaveURL(/\/$/);
	await hydrated(page);
}

export interface NewAccount {
	givenName: string;
	familyName: string;
	email: string;
	/** The specialty's label in the form's list, e.g. "Oncologie médicale"; none for a secretary. */
	specialty?: string;
	password: string;
}

/**
 * The administrator (signed in on `admin`) creates an account; its owner opens the
 * invitation link in a browser of their own and chooses the password. Returns nothing:
 * sign in with `signIn(page, account.email, account.password)`.
 */
export async function createAccount(admin: Page, browser: Browser, account: NewAccount): Promise<void> {
	await admin.goto('/admin/users');
	await hydrated(admin);
	await admin.getByLabel('Prénom').fill(account.givenName);
	await admin.getByLabel('Nom', { exact: true }).fill(account.familyName);
	await admin.getByLabel('Adresse électronique').fill(account.email);
	if (account.specialty) await admin.getByLabel('Spécialité').selectOption({ label: account.specialty });
	await admin.getByRole('button', { name: 'Créer le compte' }).click();
	const link = await admin.getByLabel('Lien d’invitation').inputValue();
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(link);
	await hydrated(page);
	await page.getByLabel('Mot de passe (12 caractères au moins)').fill(account.password);
	await page.getByLabel('Confirmation du mot de passe').fill(account.password);
	await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
	await expect(page).toHaveURL(/\/login/);
	await context.close();
}

/**
 * Creates the account unless one with that email exists already (the spec that needs it
 * may run again on the same server). Every spec file uses accounts of its own.
 */
export async function ensureAccount(admin: Page, browser: Browser, account: NewAccount): Promise<void> {
	await admin.goto('/admin/users');
	await expect(admin.getByRole('heading', { name: 'Utilisateurs', exact: true })).toBeVisible();
	if ((await admin.getByRole('row').filter({ hasText: account.email }).count()) > 0) return;
	await createAccount(admin, browser, account);
}

/** "NOM Prénom": a person as the board's list of people names them. */
export const listedName = (account: Pick<NewAccount, 'givenName' | 'familyName'>): string => `${account.familyName.toUpperCase()} ${account.givenName}`;

/** On the board's page, gives `person` (as listed: "NOM Prénom") a role in the board. */
export async function addToBoard(admin: Page, boardName: string, person: string, role: string): Promise<void> {
	await admin.goto('/boards');
	await hydrated(admin);
	await admin.getByRole('link', { name: boardName, exact: true }).click();
	await admin.getByLabel('Personne').selectOption({ label: person });
	await admin.getByLabel('Rôle').selectOption({ label: role });
	await admin.getByRole('button', { name: 'Appliquer' }).click();
	await expect(admin.getByRole('region', { name: 'Membres' })).toContainText(person.split(' ').reverse().join(' '), { ignoreCase: true });
}
