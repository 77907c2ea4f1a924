import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { verifyPassword } from './auth/password.ts';
import { auditEvents } from './db/schema.ts';
import { countUsers, createFirstAdmin, findUserByEmail, findUserById, toSessionUser } from './users.ts';

describe(`accounts (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(() => database?.dispose());

	const input = (email: string) => ({
		givenName: 'Claire',
		familyName: 'Martin',
		email,
		password: 'un mot de passe solide',
		passwordConfirm: 'un mot de passe solide'
	});

	it('creates exactly one first administrator, even when two requests race', async () => {
		const [a, b] = await Promise.all([
			createFirstAdmin(database.db, input('premiere@chu.fr'), '127.0.0.1'),
			createFirstAdmin(database.db, input('seconde@chu.fr'), '127.0.0.2')
		]);
		expect([a.ok, b.ok].sort()).toEqual([false, true]);
		expect(await countUsers(database.db)).toBe(1);
		const loser = a.ok ? b : a;
		expect(loser).toEqual({ ok: false, reason: 'already-initialised' });
	});

	it('stores a verifiable hash, never the password, and audits the creation', async () => {
		const [admin] = [(await findUserByEmail(database.db, 'premiere@chu.fr')) ?? (await findUserByEmail(database.db, 'seconde@chu.fr'))];
		expect(admin?.isAdmin).toBe(true);
		expect(admin?.passwordHash).not.toContain('un mot de passe solide');
		expect(await verifyPassword('un mot de passe solide', admin!.passwordHash!)).toBe(true);
		const events = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, admin!.id));
		expect(events.map((e) => e.action)).toEqual(['user.create-first-admin']);
		expect(JSON.stringify(toSessionUser(admin!))).not.toContain('scrypt');
	});

	it('finds accounts by email whatever the case, and tolerates malformed ids', async () => {
		const admin = (await findUserByEmail(database.db, 'PREMIERE@CHU.FR')) ?? (await findUserByEmail(database.db, ' Seconde@chu.fr '));
		expect(admin).toBeDefined();
		expect((await findUserById(database.db, admin!.id))?.email).toBe(admin!.email);
		expect(await findUserById(database.db, "1' or '1'='1")).toBeUndefined();
		expect(await findUserByEmail(database.db, 'inconnu@chu.fr')).toBeUndefined();
	});
});
