import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { UserInput } from '../users/schemas.ts';
import { verifyPassword } from './auth/password.ts';
import { auditEvents, users } from './db/schema.ts';
import { acceptInvitation, createUser, findInvitation, INVITATION_TTL_MS, listUsers, setActive, updateUser } from './user-admin.ts';

describe(`account administration (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let adminId: string;
	const actor = () => ({ userId: adminId, address: '127.0.0.1' });
	const input = (over: Record<string, unknown> = {}) =>
		UserInput.parse({ givenName: 'Jean', familyName: 'Chirurgien', email: 'jean@chu.fr', specialty: 'digestive-surgery', rpps: '', ...over });

	beforeAll(async () => {
		database = await openTestDatabase();
		[{ id: adminId }] = await database.db
			.insert(users)
			.values({ givenName: 'Ada', familyName: 'Admin', email: 'ada@chu.fr', isAdmin: true })
			.returning({ id: users.id });
	});
	afterAll(() => database?.dispose());

	it('creates an account with a one-time invitation that sets its password', async () => {
		const created = await createUser(database.db, input(), actor());
		expect(created.ok).toBe(true);
		if (!created.ok || !created.token) throw new Error('expected a user and a token');
		expect(created.user.passwordHash).toBeNull();
		expect((await findInvitation(database.db, created.token))?.id).toBe(created.user.id);

		expect(await acceptInvitation(database.db, created.token, 'un mot de passe choisi', null)).toBe(true);
		const [stored] = (await listUsers(database.db)).filter((u) => u.id === created.user.id);
		expect(await verifyPassword('un mot de passe choisi', stored.passwordHash!)).toBe(true);
		// One use only.
		expect(await acceptInvitation(database.db, created.token, 'un autre mot de passe', null)).toBe(false);
	});

	it('refuses a taken email or RPPS, and an expired invitation', async () => {
		expect(await createUser(database.db, input({ email: 'JEAN@chu.fr' }), actor())).toEqual({ ok: false, reason: 'email-taken' });
		const withRpps = await createUser(database.db, input({ email: 'marie@chu.fr', rpps: '10003456786' }), actor());
		expect(withRpps.ok).toBe(true);
		expect(await createUser(database.db, input({ email: 'autre@chu.fr', rpps: '10003456786' }), actor())).toEqual({
			ok: false,
			reason: 'rpps-taken'
		});
		const later = new Date(Date.now() + INVITATION_TTL_MS + 60_000);
		expect(withRpps.ok && (await findInvitation(database.db, withRpps.token!, later))).toBeUndefined();
	});

	it('edits and deactivates accounts but never the last active administrator', async () => {
		const [jean] = (await listUsers(database.db)).filter((u) => u.email === 'jean@chu.fr');
		const updated = await updateUser(database.db, jean.id, input({ familyName: 'Chirurgien-Dupont' }), actor());
		expect(updated.ok && updated.user.familyName).toBe('Chirurgien-Dupont');
		expect((await setActive(database.db, jean.id, false, actor())).ok).toBe(true);
		expect(await setActive(database.db, adminId, false, actor())).toEqual({ ok: false, reason: 'last-admin' });
		const demote = UserInput.parse({ givenName: 'Ada', familyName: 'Admin', email: 'ada@chu.fr', isAdmin: false });
		expect(await updateUser(database.db, adminId, demote, actor())).toEqual({ ok: false, reason: 'last-admin' });
	});

	it('makes an account a network editor from the form’s checkbox, and back', async () => {
		const created = await createUser(database.db, input({ email: 'editrice@reseau.fr', networkEditor: 'on' }), actor());
		if (!created.ok) throw new Error(created.reason);
		expect(created.user.networkEditor).toBe(true);
		// An unticked checkbox is absent from the form.
		const updated = await updateUser(database.db, created.user.id, input({ email: 'editrice@reseau.fr' }), actor());
		expect(updated.ok && updated.user.networkEditor).toBe(false);
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, created.user.id));
		expect(trail.find((e) => e.action === 'user.update')?.details).toEqual({ fields: ['networkEditor'] });
	});
});
