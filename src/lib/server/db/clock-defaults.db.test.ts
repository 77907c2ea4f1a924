import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { ManualClock, setClock } from '../../clock.ts';
import { auditEvents, users } from './schema.ts';

// The database server may run on another clock than Concerto (faketime moves only the
// app's process, a test moves only its ManualClock): inserts take the app's time.
describe(`timestamps written without a value (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterEach(() => setClock(undefined));
	afterAll(() => database?.dispose());

	it('take the instant of Concerto’s clock, not the database server’s', async () => {
		setClock(new ManualClock('2032-02-29T23:30:00.000Z'));
		const [user] = await database.db.insert(users).values({ givenName: 'Anne', familyName: 'Horloge', email: 'anne@horloge.test' }).returning();
		expect(user.createdAt.toISOString()).toBe('2032-02-29T23:30:00.000Z');
		expect(user.updatedAt.toISOString()).toBe('2032-02-29T23:30:00.000Z');

		await database.db.insert(auditEvents).values({ actorUserId: user.id, action: 'user.sign-in' });
		const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, user.id));
		expect(event.at.toISOString()).toBe('2032-02-29T23:30:00.000Z');
	});
});
