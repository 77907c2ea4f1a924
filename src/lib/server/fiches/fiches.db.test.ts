import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfsig } from '../../../../tests/helpers/poppler.ts';
import { fullFiche } from '../../../../tests/helpers/fiche-samples.ts';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { createMeetingFixture, decideCase, type MeetingFixture } from '../../../../tests/helpers/meeting-fixture.ts';
import { hashPassword } from '../auth/password.ts';
import { auditEvents, cases, ficheRecipients, fiches, users } from '../db/schema.ts';
import { listPastMeetings } from '../meetings.ts';
import { recordJoin } from '../presence.ts';
import { selfSignedPkcs12, type SigningIdentity } from '../signing/identity.ts';
import { addRecipient, confirmIdentity, currentFiche, manualSender, markSent, meetingFiches, signingIdentity, validateFiche, verifyFiche } from './service.ts';

const PASSWORD = 'le mot de passe du coordonnateur';

describe(`signed fiches (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let decided: string;
	let incomplete: string;
	let identity: SigningIdentity;
	const signingDir = mkdtempSync(join(tmpdir(), 'concerto-signing-'));
	const ctx = (who: keyof MeetingFixture['people']) => ({ user: fixture.people[who], address: '192.0.2.7', identity });

	const decide = (fiche: Record<string, unknown>) => decideCase(database.db, fixture, fiche);

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db);
		const { db } = database;
		await db.update(users).set({ passwordHash: await hashPassword(PASSWORD), rpps: '10001234565' }).where(eq(users.id, fixture.people.coordinator.id));
		for (const [who, peer] of [
			['coordinator', 'p-coord'],
			['member', 'p-member']
		] as const) {
			const person = fixture.people[who];
			await recordJoin(db, { roomId: fixture.meetingId, peerId: `${peer}-${fixture.meetingId}`, displayName: person.givenName, meetingId: fixture.meetingId, userId: person.id, specialty: person.specialty, role: who });
		}
		const sample = fullFiche().fiche;
		decided = await decide({ ...sample, requestingPhysicianId: fixture.people.member.id });
		incomplete = await decide({ familyName: 'INCOMPLET', requestingPhysicianId: fixture.people.member.id });
		const loaded = signingIdentity({ p12: undefined, developmentDir: signingDir, tsaUrl: undefined });
		if (!loaded.ok) throw new Error(loaded.message);
		identity = loaded.identity;
	});
	afterAll(() => database?.dispose());

	it('asks the coordinator to confirm their identity: the password, or a fresh sign-in for an account without one', async () => {
		const { db } = database;
		const coordinator = fixture.people.coordinator;
		expect(await confirmIdentity(db, coordinator, {})).toEqual({ ok: false, reason: 'password-required' });
		expect(await confirmIdentity(db, coordinator, { password: 'pas le bon' })).toEqual({ ok: false, reason: 'wrong-password' });
		expect(await confirmIdentity(db, coordinator, { password: PASSWORD })).toEqual({ ok: true });
		const now = new Date();
		const oidcOnly = fixture.people.admin;
		expect(await confirmIdentity(db, oidcOnly, { signedInAt: now.getTime() - 3_600_000 }, now)).toEqual({ ok: false, reason: 'sign-in-again' });
		expect(await confirmIdentity(db, oidcOnly, { signedInAt: now.getTime() - 60_000 }, now)).toEqual({ ok: true });
	});

	it('refuses the secretary, another board, and says what an incomplete fiche lacks', async () => {
		expect(await validateFiche(database.db, ctx('secretary'), decided)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await validateFiche(database.db, ctx('otherBoardMember'), decided)).toEqual({ ok: false, reason: 'forbidden' });
		const refused = await validateFiche(database.db, ctx('coordinator'), incomplete);
		expect(refused).toMatchObject({ ok: false, reason: 'incomplete' });
		expect(!refused.ok && refused.reason === 'incomplete' && refused.problems).toEqual(
			expect.arrayContaining(['Date de naissance : champ obligatoire non renseigné.', 'Question posée à la RCP : champ obligatoire non renseigné.'])
		);
		const lines = await meetingFiches(database.db, fixture.meetingId);
		expect(lines.find((line) => line.caseId === incomplete)?.problems).toContain('Sexe : champ obligatoire non renseigné.');
		expect(lines.find((line) => line.caseId === decided)?.problems).toEqual([]);
	});

	it('validates and signs: pdfsig accepts the PDF, its SHA-256 is stored, the case is validated, GP and requester are its recipients', async () => {
		const { db } = database;
		const result = await validateFiche(db, ctx('coordinator'), decided);
		if (!result.ok) throw new Error(result.reason);
		const report = pdfsig(result.fiche.pdf);
		expect(report).toContain('Signature Validation: Signature is Valid.');
		expect(report).toContain('Total document signed');
		expect(result.fiche).toMatchObject({ version: 1, supersedesId: null, developmentSignature: true, validatedBy: fixture.people.coordinator.id });
		expect(result.fiche.sha256).toMatch(/^[0-9a-f]{64}$/);
		const snapshot = result.fiche.content as { participants: { familyName: string; quorumMember: boolean }[]; validation: { by: { rpps: string } } };
		expect(snapshot.validation.by.rpps).toBe('10001234565');
		expect(snapshot.participants.map((p) => [p.familyName, p.quorumMember])).toEqual([
			['Test', true],
			['Test', true]
		]);
		const [row] = await db.select().from(cases).where(eq(cases.id, decided));
		expect(row.status).toBe('validated');
		const recipients = await db.select().from(ficheRecipients).where(eq(ficheRecipients.caseId, decided));
		expect(recipients.map((r) => [r.kind, r.name]).sort()).toEqual([
			['gp', 'Dr Louis Petitjean'],
			['requester', 'Dr member TEST']
		]);
		const trail = await db.select().from(auditEvents).where(eq(auditEvents.entityId, decided));
		const validation = trail.find((event) => event.action === 'fiche.validate');
		expect(validation?.details).toMatchObject({ version: 1, sha256: result.fiche.sha256 });
		expect(JSON.stringify(trail)).not.toContain('Démo-Martin');
		// Once only.
		expect(await validateFiche(db, ctx('coordinator'), decided)).toEqual({ ok: false, reason: 'already-validated' });
	});

	it('the database itself refuses to change or delete a signed fiche, even through the application’s connection', async () => {
		const { db } = database;
		const fiche = await currentFiche(db, decided);
		if (!fiche) throw new Error('no fiche');
		// Drizzle wraps the database's error ("Failed query: …"); the trigger's message is its cause.
		const refusal = (query: PromiseLike<unknown>) =>
			Promise.resolve(query).then(
				() => 'accepted',
				(error: Error & { cause?: Error }) => error.cause?.message ?? error.message
			);
		expect(await refusal(db.update(fiches).set({ amendmentReason: 'modifié en douce' }).where(eq(fiches.id, fiche.id)))).toMatch(/cannot be changed/);
		expect(await refusal(db.delete(fiches).where(eq(fiches.id, fiche.id)))).toMatch(/cannot be changed/);
		expect(await refusal(db.execute(sql`truncate table fiches cascade`))).toMatch(/cannot be changed/);
		const [again] = await db.select().from(fiches).where(eq(fiches.id, fiche.id));
		expect(again.sha256).toBe(fiche.sha256);
		expect(again.amendmentReason).toBeNull();
	});

	it('an amendment signs a new version that supersedes the previous one; the verification says which is current', async () => {
		const { db } = database;
		const first = await currentFiche(db, decided);
		if (!first) throw new Error('no fiche');
		expect(await validateFiche(db, ctx('coordinator'), decided, { reason: '  ' })).toEqual({ ok: false, reason: 'reason-required' });
		expect(await validateFiche(db, ctx('coordinator'), incomplete, { reason: 'x' })).toEqual({ ok: false, reason: 'not-validated' });
		const amended = await validateFiche(db, ctx('coordinator'), decided, { reason: 'Version du référentiel corrigée' });
		if (!amended.ok) throw new Error(amended.reason);
		expect(amended.fiche).toMatchObject({ version: 2, supersedesId: first.id, amendmentReason: 'Version du référentiel corrigée' });
		expect((amended.fiche.content as { setId: string }).setId).toBe((first.content as { setId: string }).setId);
		expect((await currentFiche(db, decided))?.id).toBe(amended.fiche.id);
		// Both versions are kept.
		const [{ versions }] = await db.select({ versions: count() }).from(fiches).where(eq(fiches.caseId, decided));
		expect(versions).toBe(2);

		expect(await verifyFiche(db, amended.fiche.pdf)).toMatchObject({ authentic: true, current: true, version: 2, replacedBy: null, development: true });
		expect(await verifyFiche(db, first.pdf)).toMatchObject({ authentic: true, current: false, version: 1, replacedBy: { version: 2 } });
		const tampered = Uint8Array.from(first.pdf);
		tampered[100] ^= 1;
		expect(await verifyFiche(db, tampered)).toEqual({ authentic: false });
	});

	it('a wrong PKCS#12 password or an expired certificate stops signing with a clear message', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'concerto-p12-'));
		const day = 86_400_000;
		const p12 = (from: number, to: number) => selfSignedPkcs12({ commonName: 'CHU', organisation: 'CHU', password: 'juste', notBefore: new Date(Date.now() + from), notAfter: new Date(Date.now() + to) });
		writeFileSync(join(dir, 'valid.p12'), p12(-day, 365 * day));
		writeFileSync(join(dir, 'expired.p12'), p12(-400 * day, -day));
		const settings = (file: string, password: string) => ({ p12: { path: join(dir, file), password }, developmentDir: dir, tsaUrl: undefined });
		expect(signingIdentity(settings('valid.p12', 'faux'))).toEqual({ ok: false, message: expect.stringContaining('mot de passe') });
		expect(signingIdentity(settings('expired.p12', 'juste'))).toEqual({ ok: false, message: expect.stringContaining('a expiré') });
		expect(signingIdentity(settings('absent.p12', 'juste'))).toEqual({ ok: false, message: expect.stringContaining('introuvable') });
		expect(signingIdentity(settings('valid.p12', 'juste'))).toMatchObject({ ok: true, identity: { development: false, commonName: 'CHU' } });
	});

	it('marks the fiche sent per recipient; once every recipient has it, the case is sent', async () => {
		const { db } = database;
		const recipients = await db.select().from(ficheRecipients).where(eq(ficheRecipients.caseId, decided));
		expect(await markSent(db, fixture.people.member, recipients[0].id, manualSender, null)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await markSent(db, fixture.people.secretary, recipients[0].id, manualSender, null)).toEqual({ ok: true });
		expect((await db.select().from(cases).where(eq(cases.id, decided)))[0].status).toBe('validated');
		expect(await markSent(db, fixture.people.secretary, recipients[1].id, manualSender, null)).toEqual({ ok: true });
		expect((await db.select().from(cases).where(eq(cases.id, decided)))[0].status).toBe('sent');
		const line = (await meetingFiches(db, fixture.meetingId)).find((l) => l.caseId === decided);
		expect(line?.recipients.map((r) => r.sentVersion)).toEqual([2, 2]);

		// Another recipient: the case waits for that sending too.
		expect(await addRecipient(db, fixture.people.member, decided, { name: 'Dr Autre', address: null }, null)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await addRecipient(db, fixture.people.secretary, incomplete, { name: 'Dr Autre', address: null }, null)).toEqual({ ok: false, reason: 'not-validated' });
		const added = await addRecipient(db, fixture.people.secretary, decided, { name: 'Dr Autre Hôpital', address: 'autre@hopital.mssante.fr' }, null);
		if (!added.ok) throw new Error(added.reason);
		expect((await db.select().from(cases).where(eq(cases.id, decided)))[0].status).toBe('validated');
		expect(await markSent(db, fixture.people.secretary, added.recipient.id, manualSender, null)).toEqual({ ok: true });
		expect((await db.select().from(cases).where(eq(cases.id, decided)))[0].status).toBe('sent');

		// The board's past meetings say what waits: the incomplete case's fiche is still to sign.
		const past = await listPastMeetings(db, fixture.people.coordinator, fixture.boardId, new Date());
		if (!past.ok) throw new Error(past.reason);
		expect(past.meetings.find((meeting) => meeting.id === fixture.meetingId)).toMatchObject({ toSign: 1, toSend: 0 });
		expect(past.meetings.map((meeting) => meeting.id)).toContain(fixture.closedMeetingId);
		expect(await listPastMeetings(db, fixture.people.otherBoardMember, fixture.boardId, new Date())).toMatchObject({ ok: false, reason: 'forbidden' });
	});
});
