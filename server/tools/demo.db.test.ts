import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../tests/helpers/database.ts';
import { checkIns } from '../../src/lib/domain/identifiers.ts';
import { CaseFicheDraft, identityMismatches, missingFields } from '../../src/lib/domain/case-fiche.ts';
import { verifyPassword } from '../../src/lib/server/auth/password.ts';
import { boardMembers, boards, caseAttachments, cases, meetings, users } from '../../src/lib/server/db/schema.ts';
import { peekInvitation } from '../../src/lib/server/guests.ts';
import { getNetwork } from '../../src/lib/server/settings.ts';
import { fileSystemStorage } from '../../src/lib/server/storage.ts';
import { meetingFiches } from '../../src/lib/server/fiches/service.ts';
import { meetingSummary } from '../../src/lib/server/live-meeting.ts';
import { DEMO_PASSWORD, DemoRefused, fillDemo, PAST_NAMES } from './demo.ts';

describe(`npm run demo (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let dataDir: string;
	// A Sunday: the next Tuesday's registration closed on Friday, so cases go to later meetings.
	const now = new Date('2026-11-22T10:00:00Z');

	beforeAll(async () => {
		database = await openTestDatabase();
		dataDir = await mkdtemp(join(tmpdir(), 'concerto-demo-'));
	});
	afterAll(async () => {
		await database?.dispose();
		await rm(dataDir, { recursive: true, force: true });
	});

	it('fills an empty database with a network, two boards, their meetings, twelve fictitious cases and a guest', async () => {
		const storage = fileSystemStorage(dataDir);
		const result = await fillDemo(database.db, storage, 'https://rcp.example.org', now);
		const { db } = database;

		expect((await getNetwork(db)).name).toContain('fictif');
		const boardRows = await db.select().from(boards);
		expect(boardRows.map((b) => b.name).sort()).toEqual(['RCP digestive — CHU de Démo-sur-Loire (fictif)', 'RCP thoracique — CHU de Démo-sur-Loire (fictif)']);
		expect(boardRows.every((b) => b.quorumRule.requiredSpecialties.length > 0)).toBe(true);

		// One account per role, each able to sign in with the printed password.
		const accounts = await db.select().from(users);
		expect(accounts).toHaveLength(10);
		expect(accounts.filter((u) => u.isAdmin)).toHaveLength(1);
		expect(await verifyPassword(DEMO_PASSWORD, accounts[0].passwordHash!)).toBe(true);
		const roles = await db.select().from(boardMembers);
		expect(new Set(roles.map((r) => r.role))).toEqual(new Set(['coordinator', 'secretary', 'member']));
		expect(accounts.every((u) => u.email!.endsWith('.test'))).toBe(true);

		// Meetings of the next three months; cases only where registration is still open.
		const meetingRows = await db.select().from(meetings);
		expect(meetingRows.length).toBeGreaterThan(15);
		const allCases = await db.select().from(cases);
		expect(allCases).toHaveLength(16);
		const heldMeeting = meetingRows.find((m) => m.status === 'closed')!;
		const caseRows = allCases.filter((row) => !PAST_NAMES.includes(String((row.fiche as { familyName?: string }).familyName)));
		expect(caseRows).toHaveLength(12);
		for (const row of caseRows) {
			const meeting = meetingRows.find((m) => m.id === row.meetingId)!;
			expect(meeting.registrationDeadline.getTime()).toBeGreaterThan(now.getTime());
			const fiche = CaseFicheDraft.parse(row.fiche);
			expect(String(fiche.familyName)).toMatch(/^DÉMO-/);
			expect(identityMismatches(fiche)).toEqual([]);
			expect(checkIns(String(fiche.ins)).ok).toBe(true);
		}
		// Ten complete cases and two left incomplete to show the completeness check.
		const incomplete = caseRows.filter((row) => missingFields(CaseFicheDraft.parse(row.fiche)).length > 0);
		expect(incomplete).toHaveLength(2);

		// A meeting already held: a case recorded without discussion, two discussed and
		// decided (fiches ready to sign), one postponed to the next meeting.
		expect(heldMeeting.startsAt.getTime()).toBeLessThan(now.getTime());
		const summary = await meetingSummary(db, heldMeeting.id, now);
		expect(summary.map((line) => line.outcome).sort()).toEqual(['decided', 'decided', 'postponed', 'recorded']);
		const fiches = await meetingFiches(db, heldMeeting.id);
		expect(fiches.map((line) => [line.status, line.problems])).toEqual([
			['decided', []],
			['decided', []],
			['decided', []]
		]);

		// Documents: a report for each case, an image for six; readable from the storage.
		const attachments = await db.select().from(caseAttachments);
		expect(attachments.filter((a) => a.mediaType === 'application/pdf')).toHaveLength(12);
		expect(attachments.filter((a) => a.mediaType === 'image/png')).toHaveLength(6);
		const [pdf] = attachments;
		const stream = await storage.get(pdf.storageKey);
		const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
		expect(new TextDecoder('latin1').decode(bytes.slice(0, 8))).toBe('%PDF-1.4');
		expect(bytes.length).toBe(pdf.sizeBytes);

		// The guest link printed for the first open digestive meeting works.
		const token = result.guest.link.split('/invite/')[1];
		expect(result.guest.link.startsWith('https://rcp.example.org/invite/')).toBe(true);
		expect(await peekInvitation(db, token, now)).toMatchObject({ name: expect.stringContaining('fictive') });
	});

	it('refuses a database that already has boards, and leaves it untouched', async () => {
		const before = await database.db.select({ id: cases.id }).from(cases);
		await expect(fillDemo(database.db, fileSystemStorage(dataDir), 'https://rcp.example.org', now)).rejects.toBeInstanceOf(DemoRefused);
		expect(await database.db.select({ id: cases.id }).from(cases)).toHaveLength(before.length);
		expect(await database.db.select().from(users).where(eq(users.isAdmin, true))).toHaveLength(1);
	});
});
