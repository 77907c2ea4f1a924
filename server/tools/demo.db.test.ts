import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../tests/helpers/database.ts';
import { checkIns } from '../../src/lib/domain/identifiers.ts';
import { CaseFicheDraft, identityMismatches, missingFields } from '../../src/lib/domain/case-fiche.ts';
import { verifyPassword } from '../../src/lib/server/auth/password.ts';
import {
	boardMembers,
	boards,
	caseAttachments,
	caseDecisions,
	cases,
	caseTrialOutcomes,
	fiches,
	followUpGpLinks,
	followUpPlans,
	followUpVisits,
	meetings,
	ppsVersions,
	referentielGroupMembers,
	referentiels,
	referentielSituations,
	referentielVersions,
	trials,
	trialSites,
	users
} from '../../src/lib/server/db/schema.ts';
import { computeNetworkIndicators } from '../../src/lib/server/indicators-network.ts';
import { indicatorFilter, IndicatorQuery } from '../../src/lib/server/indicators.ts';
import { peekInvitation } from '../../src/lib/server/guests.ts';
import { getNetwork } from '../../src/lib/server/settings.ts';
import { overdueForUser } from '../../src/lib/server/follow-up/dashboard.ts';
import { toSessionUser } from '../../src/lib/server/users.ts';
import { fileSystemStorage } from '../../src/lib/server/storage.ts';
import { meetingFiches } from '../../src/lib/server/fiches/service.ts';
import { meetingSummary } from '../../src/lib/server/live-meeting.ts';
import { AFTER_RCP_NAME, DEMO_PASSWORD, DemoRefused, fillDemo, PAST_NAMES } from './demo.ts';

describe(`npm run demo (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let dataDir: string;
	// A Sunday: the next Tuesday's registration closed on Friday, so cases go to later meetings.
	const now = new Date('2026-11-22T10:00:00Z');
	const signing = () => ({ p12: undefined, developmentDir: join(dataDir, 'signing'), tsaUrl: undefined });

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
		const result = await fillDemo(database.db, storage, 'https://rcp.example.org', signing(), now);
		const { db } = database;

		expect((await getNetwork(db)).name).toContain('fictif');
		const boardRows = await db.select().from(boards);
		expect(boardRows.map((b) => b.name).sort()).toEqual(['RCP digestive — CHU de Démo-sur-Loire (fictif)', 'RCP thoracique — CHU de Démo-sur-Loire (fictif)']);
		expect(boardRows.every((b) => b.quorumRule.requiredSpecialties.length > 0)).toBe(true);

		// One account per role, each able to sign in with the printed password.
		const accounts = await db.select().from(users);
		expect(accounts).toHaveLength(11);
		expect(accounts.filter((u) => u.isAdmin)).toHaveLength(1);
		expect(await verifyPassword(DEMO_PASSWORD, accounts[0].passwordHash!)).toBe(true);
		const roles = await db.select().from(boardMembers);
		expect(new Set(roles.map((r) => r.role))).toEqual(new Set(['coordinator', 'secretary', 'member']));
		expect(accounts.every((u) => u.email!.endsWith('.test'))).toBe(true);

		// Meetings of the next three months; cases only where registration is still open.
		const meetingRows = await db.select().from(meetings);
		expect(meetingRows.length).toBeGreaterThan(15);
		const allCases = await db.select().from(cases);
		expect(allCases).toHaveLength(17);
		// The meeting held four weeks ago (the other closed one, a year ago, decided the patient followed after the RCP).
		const heldMeeting = meetingRows.filter((m) => m.status === 'closed').sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())[0];
		const caseRows = allCases.filter((row) => ![...PAST_NAMES, AFTER_RCP_NAME].includes(String((row.fiche as { familyName?: string }).familyName)));
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
		// decided, one postponed to the next meeting; the first fiche signed, two ready to sign.
		expect(heldMeeting.startsAt.getTime()).toBeLessThan(now.getTime());
		const summary = await meetingSummary(db, heldMeeting.id, now);
		expect(summary.map((line) => line.outcome).sort()).toEqual(['decided', 'decided', 'postponed', 'recorded']);
		const fiches = await meetingFiches(db, heldMeeting.id);
		expect(fiches.map((line) => [line.patientName.split(' ')[0], line.status, line.problems]).sort()).toEqual([
			[PAST_NAMES[0], 'validated', []],
			[PAST_NAMES[1], 'decided', []],
			[PAST_NAMES[2], 'decided', []]
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

	it('adds the network editor, the référentiels library and the trials directory, cited by the meeting already held', async () => {
		const { db } = database;
		const storage = fileSystemStorage(dataDir);
		const editors = await db.select().from(users).where(eq(users.networkEditor, true));
		expect(editors.map((u) => [u.givenName, u.familyName, u.isAdmin])).toEqual([['Nadia', 'Éditrice', false]]);

		// Two published référentiels (the colorectal one with last year's version superseded), one draft.
		const library = await db.select({ title: referentiels.title, version: referentielVersions }).from(referentielVersions).innerJoin(referentiels, eq(referentiels.id, referentielVersions.referentielId));
		const states = library.map((row) => `${row.title} ${row.version.label} ${row.version.status}`).sort();
		expect(states).toEqual(['Cancer colorectal 2025 superseded', 'Cancer colorectal 2026 published', 'Cancer du pancréas 2026 draft', 'Cancer du sein 2026 published']);
		const current = library.find((row) => row.title === 'Cancer colorectal' && row.version.status === 'published')!.version;
		const old = library.find((row) => row.version.status === 'superseded')!.version;
		expect(old.supersededById).toBe(current.id);
		expect(old.publishedAt!.getTime()).toBeLessThan(current.publishedAt!.getTime());
		expect(current.publishedAt!.getTime()).toBeLessThan(now.getTime());
		const situations = await db.select().from(referentielSituations);
		for (const row of library) expect(situations.filter((s) => s.versionId === row.version.id).length).toBeGreaterThanOrEqual(3);
		// Each published version's PDF is in the storage, as recorded.
		for (const { version } of library.filter((row) => row.version.status !== 'draft')) {
			const bytes = new Uint8Array(await new Response(await storage.get(version.documentKey!)).arrayBuffer());
			expect(new TextDecoder('latin1').decode(bytes.slice(0, 8))).toBe('%PDF-1.4');
			expect(bytes.length).toBe(version.documentBytes);
		}
		const groups = await db.select().from(referentielGroupMembers);
		expect(groups.filter((g) => g.role === 'coordinator')).toHaveLength(3);

		// Five trials, one closed (with its closing date), each with a site.
		const directory = await db.select().from(trials);
		expect(directory).toHaveLength(5);
		expect(directory.filter((t) => t.status === 'closed').map((t) => [t.acronym, Boolean(t.closedAt)])).toEqual([['PANC-INDUCT', true]]);
		const sites = await db.select().from(trialSites);
		expect(new Set(sites.map((s) => s.trialId)).size).toBe(5);

		// The held meeting's proposals cite the library and the directory; the patient proposed for the trial was included.
		const decided = (await db.select().from(caseDecisions).where(eq(caseDecisions.status, 'decided'))).map((d) => d.content as Record<string, { situationCode?: string; trialId?: string } | string | null>);
		expect(decided.map((c) => `${c.guidelineFollowed} ${(c.guidelineCitation as { situationCode: string } | null)?.situationCode ?? '(hors bibliothèque)'}`).sort()).toEqual([
			'no RECTUM-LA',
			'yes (hors bibliothèque)',
			'yes (hors bibliothèque)',
			'yes COLON-LOC'
		]);
		const rectoTotal = directory.find((t) => t.acronym === 'RECTOTOTAL')!;
		expect(decided.filter((c) => (c.trialCitation as { trialId: string } | null)?.trialId === rectoTotal.id)).toHaveLength(1);
		expect((await db.select().from(caseTrialOutcomes)).map((o) => [o.trialId, o.outcome])).toEqual([[rectoTotal.id, 'included']]);

		// So the indicators have something to count.
		const boardIds = (await db.select().from(boards)).map((b) => b.id);
		const filter = indicatorFilter(IndicatorQuery.parse({ from: '2026-01-01', to: '2026-12-31' }), boardIds, now);
		if (!filter.ok) throw new Error(filter.reason);
		const network = await computeNetworkIndicators(db, filter.filter);
		expect(network.conformity.versions).toMatchObject([{ title: 'Cancer colorectal', versionLabel: '2026', followed: 1, departed: 1 }]);
		expect(network.trials.byTrial).toMatchObject([{ acronym: 'RECTOTOTAL', proposals: 1, outcomes: { included: 1, pending: 0 } }]);
	});

	it('follows a patient after the RCP: a PPS in two versions handed over, a follow-up with the GP invited, one visit done and one overdue', async () => {
		const { db } = database;
		const [patient] = (await db.select().from(cases)).filter((row) => (row.fiche as { familyName?: string }).familyName === AFTER_RCP_NAME);
		expect(patient.status).toBe('validated');
		const versions = await db.select().from(ppsVersions).where(eq(ppsVersions.caseId, patient.id)).orderBy(ppsVersions.version);
		expect(versions.map((v) => [v.version, v.status, v.handedOverAt !== null, v.updateReason])).toEqual([
			[1, 'issued', true, null],
			[2, 'issued', true, 'MED-560']
		]);
		expect(versions.every((v) => v.handedOverAt!.getTime() < now.getTime())).toBe(true);

		const [plan] = await db.select().from(followUpPlans).where(eq(followUpPlans.caseId, patient.id));
		expect(plan.status).toBe('active');
		const visits = await db.select().from(followUpVisits).where(eq(followUpVisits.planId, plan.id));
		expect(visits.map((v) => [v.by, v.itemId?.startsWith('added:'), v.recordedByGpLink !== null])).toEqual([['gp', true, true]]);
		const links = await db.select().from(followUpGpLinks).where(eq(followUpGpLinks.planId, plan.id));
		expect(links.map((l) => [l.revokedAt, l.expiresAt.getTime() > now.getTime()])).toEqual([[null, true]]);

		// On the coordinator's dashboard: the specialist's six-month visit is overdue.
		const coordinator = (await db.select().from(users)).find((u) => u.email === 'paul.durand@concerto-demo.test')!;
		const overdue = await overdueForUser(db, toSessionUser(coordinator), now);
		expect(overdue.filter((row) => row.planId === plan.id && row.kind === 'visit').map((row) => row.who)).toEqual(['specialist']);

		// The fiche of the past meeting's first case is signed: its requester can write its PPS.
		const [papa] = (await db.select().from(cases)).filter((row) => (row.fiche as { familyName?: string }).familyName === PAST_NAMES[0]);
		expect(await db.select().from(fiches).where(eq(fiches.caseId, papa.id))).toHaveLength(1);
		expect(await db.select().from(ppsVersions).where(eq(ppsVersions.caseId, papa.id))).toHaveLength(0);
	});

	it('refuses a database that already has boards, and leaves it untouched', async () => {
		const before = await database.db.select({ id: cases.id }).from(cases);
		await expect(fillDemo(database.db, fileSystemStorage(dataDir), 'https://rcp.example.org', signing(), now)).rejects.toBeInstanceOf(DemoRefused);
		expect(await database.db.select({ id: cases.id }).from(cases)).toHaveLength(before.length);
		expect(await database.db.select().from(users).where(eq(users.isAdmin, true))).toHaveLength(1);
	});
});
