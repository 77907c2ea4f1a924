import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { auditEvents, users } from '../db/schema.ts';
import { findUserById } from '../users.ts';
import { completeOidcSignIn, matchOidcIdentity, type OidcMatchSettings } from './oidc.ts';

const PSC: OidcMatchSettings = { rppsClaim: 'SubjectNameID', emailVerifiedRequired: true };
// Valid RPPS numbers (Luhn key).
const RPPS_A = '10999888778';
const RPPS_B = '10999888661';
const RPPS_C = '10999888554';

describe(`OpenID Connect identity matching (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	const ids: Record<string, string> = {};
	beforeAll(async () => {
		database = await openTestDatabase();
		const rows = await database.db
			.insert(users)
			.values([
				{ email: 'oncologue@chu.fr', givenName: 'Anne', familyName: 'Durand', rpps: RPPS_A },
				{ email: 'radiologue@chu.fr', givenName: 'Marc', familyName: 'Petit' },
				{ email: 'parti@chu.fr', givenName: 'Luc', familyName: 'Ancien', rpps: RPPS_C, active: false }
			])
			.returning();
		for (const row of rows) ids[row.email!] = row.id;
	});
	afterAll(() => database?.dispose());

	it('matches by RPPS, read from a Pro Santé Connect "8" + RPPS id, whatever the email says', async () => {
		const match = await matchOidcIdentity(database.db, { SubjectNameID: `8${RPPS_A}`, email: 'autre@ailleurs.fr' }, PSC);
		expect(match).toMatchObject({ ok: true, by: 'rpps', user: { id: ids['oncologue@chu.fr'] } });
	});

	it('falls back to a verified email, case-insensitively', async () => {
		const match = await matchOidcIdentity(database.db, { email: 'Radiologue@CHU.fr', email_verified: true }, PSC);
		expect(match).toMatchObject({ ok: true, by: 'email', user: { id: ids['radiologue@chu.fr'] } });
	});

	it('ignores an unverified email unless the configuration allows it', async () => {
		const profile = { email: 'radiologue@chu.fr', email_verified: false };
		expect(await matchOidcIdentity(database.db, profile, PSC)).toEqual({ ok: false, reason: 'no-account' });
		const lax = await matchOidcIdentity(database.db, profile, { ...PSC, emailVerifiedRequired: false });
		expect(lax).toMatchObject({ ok: true, user: { id: ids['radiologue@chu.fr'] } });
	});

	it('refuses an identity nobody was invited for, and a deactivated account', async () => {
		const stranger = { SubjectNameID: `8${RPPS_B}`, email: 'inconnu@chu.fr', email_verified: true };
		expect(await matchOidcIdentity(database.db, stranger, PSC)).toEqual({ ok: false, reason: 'no-account' });
		expect(await matchOidcIdentity(database.db, { SubjectNameID: RPPS_C }, PSC)).toEqual({ ok: false, reason: 'inactive' });
		const byEmail = { email: 'parti@chu.fr', email_verified: true };
		expect(await matchOidcIdentity(database.db, byEmail, PSC)).toEqual({ ok: false, reason: 'inactive' });
	});

	it('refuses an email whose account holds a different RPPS number', async () => {
		const profile = { SubjectNameID: `8${RPPS_B}`, email: 'oncologue@chu.fr', email_verified: true };
		expect(await matchOidcIdentity(database.db, profile, PSC)).toEqual({ ok: false, reason: 'rpps-mismatch' });
	});

	it('reads no RPPS when no claim is configured', async () => {
		const match = await matchOidcIdentity(database.db, { SubjectNameID: `8${RPPS_A}` }, { ...PSC, rppsClaim: undefined });
		expect(match).toEqual({ ok: false, reason: 'no-account' });
	});

	it('on success fills an empty RPPS, keeps the names, records and audits the sign-in', async () => {
		const id = ids['radiologue@chu.fr'];
		const profile = {
			SubjectNameID: `8${RPPS_B}`,
			email: 'radiologue@chu.fr',
			email_verified: true,
			given_name: 'MARC',
			family_name: 'PETIT-IDP'
		};
		const match = await completeOidcSignIn(database.db, profile, PSC, '10.0.0.7');
		expect(match).toMatchObject({ ok: true, user: { id } });
		const user = await findUserById(database.db, id);
		expect(user).toMatchObject({ rpps: RPPS_B, givenName: 'Marc', familyName: 'Petit' });
		expect(user?.lastSignInAt).toBeInstanceOf(Date);
		const events = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, id));
		expect(events).toMatchObject([
			{ action: 'user.sign-in-oidc', actorUserId: id, address: '10.0.0.7', details: { matchedBy: 'email', filled: ['rpps'] } }
		]);
	});

	it('audits a refusal with its reason only', async () => {
		const match = await completeOidcSignIn(database.db, { email: 'inconnu@chu.fr', email_verified: true }, PSC, null);
		expect(match).toEqual({ ok: false, reason: 'no-account' });
		const events = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.sign-in-oidc-refused'));
		expect(events).toMatchObject([{ actorUserId: null, details: { reason: 'no-account' } }]);
		expect(JSON.stringify(events)).not.toContain('inconnu@chu.fr');
	});
});
