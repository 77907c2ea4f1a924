import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { DEFAULT_NETWORK } from '../domain/network.ts';
import { auditEvents, settings, users } from './db/schema.ts';
import { getNetwork, setNetwork } from './settings.ts';

describe(`instance settings (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let adminId: string;
	beforeAll(async () => {
		database = await openTestDatabase();
		const [admin] = await database.db.insert(users).values({ givenName: 'A', familyName: 'B', isAdmin: true }).returning();
		adminId = admin.id;
	});
	afterAll(() => database?.dispose());

	it('names the network, replaces it, audits the change, and falls back on the default for a bad row', async () => {
		expect(await getNetwork(database.db)).toEqual(DEFAULT_NETWORK);
		await setNetwork(database.db, { name: 'Réseau Onco-Test', region: 'Bretagne' }, { userId: adminId, address: null });
		await setNetwork(database.db, { name: 'Réseau Onco-Test Bretagne', region: 'Bretagne' }, { userId: adminId, address: null });
		expect(await getNetwork(database.db)).toEqual({ name: 'Réseau Onco-Test Bretagne', region: 'Bretagne' });
		expect(await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'settings.network'))).toHaveLength(2);
		await database.db.update(settings).set({ value: { name: 1 } }).where(eq(settings.key, 'network'));
		expect(await getNetwork(database.db)).toEqual(DEFAULT_NETWORK);
	});
});
