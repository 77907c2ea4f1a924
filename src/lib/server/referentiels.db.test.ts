import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useManualClock } from '../../../tests/helpers/clock.ts';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { createMeetingFixture, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { readAll } from '../../../tests/helpers/storage-contract.ts';
import { ReferentielInput, SituationInput, VersionInput } from '../domain/referentiel.ts';
import { databaseStorage } from './database-storage.ts';
import { auditEvents, caseDecisions, cases, fiches, meetings, referentielSituations, referentielVersions, users } from './db/schema.ts';
import {
	addSituation,
	changeVersionState,
	createReferentiel,
	createVersion,
	deleteReferentiel,
	deleteSituation,
	deleteVersion,
	getReferentiel,
	getVersion,
	listReferentiels,
	readVersionDocument,
	searchSituations,
	setGroupMember,
	updateReferentiel,
	updateSituation,
	updateVersion,
	uploadVersionDocument,
	versionFeedback
} from './referentiels.ts';
import type { AttachmentStorage } from './storage.ts';
import type { SessionUser } from './users.ts';

type Who = 'editor' | 'admin' | 'groupCoordinator' | 'groupMember' | 'member';
const DAY = 86_400_000;
const T0 = '2026-03-02T09:00:00.000Z';
const PDF = new TextEncoder().encode('%PDF-1.7\n% référentiel côlon\n%%EOF\n');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

describe(`référentiels library (${testDatabaseKind})`, () => {
	const time = useManualClock(T0);
	let database: TestDatabase;
	let storage: AttachmentStorage;
	let fixture: MeetingFixture;
	const people = {} as Record<Who, SessionUser>;
	// Each request a second after the previous one, so that the history has an order.
	const as = (who: Who) => {
		time.advance(1000);
		return { user: people[who], address: '192.0.2.7' };
	};
	const db = () => database.db;
	let colonId: string;

	const person = async (name: string, networkEditor = false): Promise<SessionUser> => {
		const [row] = await db().insert(users).values({ givenName: name, familyName: 'Réf', email: `${name}@reseau.test`, networkEditor }).returning();
		return { id: row.id, givenName: name, familyName: 'Réf', email: row.email, specialty: null, isAdmin: false, networkEditor };
	};
	const newReferentiel = async (title: string) => {
		const created = await createReferentiel(db(), as('editor'), ReferentielInput.parse({ title, organ: 'MED-251' }));
		if (!created.ok) throw new Error(created.reason);
		await setGroupMember(db(), as('editor'), created.referentiel.id, { userId: people.groupCoordinator.id, role: 'coordinator' });
		await setGroupMember(db(), as('editor'), created.referentiel.id, { userId: people.groupMember.id, role: 'member' });
		return created.referentiel.id;
	};
	/** A version of the référentiel taken to publication, with `codes` as its situations (added to those copied). */
	const publishVersion = async (referentielId: string, label: string, codes: string[]) => {
		const created = await createVersion(db(), as('groupMember'), referentielId, VersionInput.parse({ label }));
		if (!created.ok) throw new Error(`version not created: ${created.reason}`);
		for (const code of codes) await addSituation(db(), as('groupMember'), created.version.id, SituationInput.parse({ code, heading: `Situation ${code}` }));
		for (const [who, step] of [['groupMember', 'submit'], ['groupCoordinator', 'validate'], ['editor', 'publish']] as const) {
			const moved = await changeVersionState(db(), as(who), created.version.id, step);
			if (!moved.ok) throw new Error(`${step}: ${moved.reason}`);
		}
		return created.version.id;
	};

	beforeAll(async () => {
		database = await openTestDatabase();
		storage = databaseStorage(database.db);
		fixture = await createMeetingFixture(database.db, new Date(T0));
		people.editor = await person('editrice', true);
		people.admin = fixture.people.admin;
		people.groupCoordinator = await person('coordinatrice');
		people.groupMember = await person('redacteur');
		people.member = fixture.people.member;
		colonId = await newReferentiel('Cancer du côlon');
	});
	afterAll(() => database?.dispose());

	it('lets editors and administrators create and edit référentiels, nobody else', async () => {
		const input = ReferentielInput.parse({ title: 'Cancer du rectum', organ: 'MED-251' });
		expect(await createReferentiel(db(), as('groupCoordinator'), input)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await createReferentiel(db(), as('member'), input)).toEqual({ ok: false, reason: 'forbidden' });
		const byAdmin = await createReferentiel(db(), as('admin'), input);
		expect(byAdmin).toMatchObject({ ok: true, referentiel: { title: 'Cancer du rectum', organ: 'MED-251' } });
		const id = byAdmin.ok ? byAdmin.referentiel.id : '';
		const renamed = ReferentielInput.parse({ title: 'Cancer du rectum et de l’anus', organ: 'MED-251' });
		expect(await updateReferentiel(db(), as('groupCoordinator'), colonId, renamed)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await updateReferentiel(db(), as('editor'), id, renamed)).toMatchObject({ ok: true, referentiel: { title: 'Cancer du rectum et de l’anus' } });
		const trail = await db().select().from(auditEvents).where(eq(auditEvents.entityId, id));
		expect(trail.map((e) => [e.action, e.details])).toEqual([
			['referentiel.create', null],
			['referentiel.update', { fields: ['title'] }]
		]);
	});

	it('keeps exactly one coordinator in a working group, managed by editors only', async () => {
		const created = await createReferentiel(db(), as('editor'), ReferentielInput.parse({ title: 'Cancer du sein', organ: '76752008' }));
		const id = created.ok ? created.referentiel.id : '';
		const [a, b] = [people.groupCoordinator.id, people.groupMember.id];
		expect(await setGroupMember(db(), as('editor'), id, { userId: b, role: 'member' })).toMatchObject({ ok: false, reason: 'invalid', errors: { role: expect.stringContaining('coordinateur') } });
		expect(await setGroupMember(db(), as('groupCoordinator'), id, { userId: a, role: 'coordinator' })).toEqual({ ok: false, reason: 'forbidden' });
		expect(await setGroupMember(db(), as('editor'), id, { userId: a, role: 'coordinator' })).toEqual({ ok: true });
		expect(await setGroupMember(db(), as('editor'), id, { userId: b, role: 'member' })).toEqual({ ok: true });
		// Naming b coordinator makes a a member.
		expect(await setGroupMember(db(), as('editor'), id, { userId: b, role: 'coordinator' })).toEqual({ ok: true });
		const view = await getReferentiel(db(), people.editor, id);
		expect(view.ok && view.group.map((g) => [g.userId, g.role])).toEqual([
			[b, 'coordinator'],
			[a, 'member']
		]);
		expect(await setGroupMember(db(), as('editor'), id, { userId: b, role: null })).toMatchObject({ ok: false, reason: 'invalid' });
		expect(await setGroupMember(db(), as('editor'), id, { userId: b, role: 'member' })).toMatchObject({ ok: false, reason: 'invalid' });
		expect(await setGroupMember(db(), as('editor'), id, { userId: a, role: null })).toEqual({ ok: true });
		expect(await setGroupMember(db(), as('editor'), id, { userId: b, role: null })).toEqual({ ok: true });
	});

	it('takes a version through draft → submitted → validated → published, each step by whom the rule says', async () => {
		time.set(new Date(Date.parse(T0) - 3 * DAY));
		expect(await createVersion(db(), as('member'), colonId, VersionInput.parse({ label: '2025' }))).toEqual({ ok: false, reason: 'forbidden' });
		const created = await createVersion(db(), as('groupMember'), colonId, VersionInput.parse({ label: '2025', changeSummary: 'Première version' }));
		expect(created).toMatchObject({ ok: true, version: { status: 'draft', label: '2025' } });
		const id = created.ok ? created.version.id : '';
		expect(await createVersion(db(), as('editor'), colonId, VersionInput.parse({ label: '2026' }))).toEqual({ ok: false, reason: 'state', state: 'draft' });

		// The draft: its group and editors read and write it; a plain member neither.
		expect(await getVersion(db(), people.member, id)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await updateVersion(db(), as('member'), id, VersionInput.parse({ label: '2025' }))).toEqual({ ok: false, reason: 'forbidden' });
		const situation = SituationInput.parse({ code: 'colon-iii-r0', heading: 'Côlon, stade III, après résection R0', recommendation: 'FOLFOX 6 mois' });
		expect(await addSituation(db(), as('member'), id, situation)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await addSituation(db(), as('groupMember'), id, situation)).toMatchObject({ ok: true, situation: { code: 'COLON-III-R0' } });
		expect(await addSituation(db(), as('editor'), id, situation)).toEqual({ ok: false, reason: 'invalid', errors: { code: 'Ce code existe déjà dans cette version.' } });
		const extra = await addSituation(db(), as('groupCoordinator'), id, SituationInput.parse({ code: 'COLON-II', heading: 'Côlon, stade II' }));
		const extraId = extra.ok ? extra.situation.id : '';
		expect(await updateSituation(db(), as('editor'), extraId, SituationInput.parse({ code: 'COLON-II', heading: 'Côlon, stade II sans facteur de risque' }))).toMatchObject({ ok: true });
		expect(await deleteSituation(db(), as('member'), extraId)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await deleteSituation(db(), as('groupMember'), extraId)).toEqual({ ok: true });
		expect(await changeVersionState(db(), as('member'), id, 'submit')).toEqual({ ok: false, reason: 'forbidden' });
		expect(await changeVersionState(db(), as('groupCoordinator'), id, 'validate')).toEqual({ ok: false, reason: 'state', state: 'draft' });

		expect(await changeVersionState(db(), as('groupMember'), id, 'submit')).toMatchObject({ ok: true, version: { status: 'submitted', submittedBy: people.groupMember.id } });
		expect(await updateVersion(db(), as('groupMember'), id, VersionInput.parse({ label: '2025 bis' }))).toEqual({ ok: false, reason: 'state', state: 'submitted' });
		expect(await changeVersionState(db(), as('groupMember'), id, 'return', 'à revoir')).toEqual({ ok: false, reason: 'forbidden' });
		expect(await changeVersionState(db(), as('groupCoordinator'), id, 'return', '  ')).toMatchObject({ ok: false, reason: 'invalid', errors: { reason: expect.any(String) } });
		expect(await changeVersionState(db(), as('groupCoordinator'), id, 'return', 'Préciser la durée du FOLFOX')).toMatchObject({ ok: true, version: { status: 'draft', submittedAt: null } });
		await changeVersionState(db(), as('editor'), id, 'submit');
		// Validation is the coordinator's alone, not an editor's or a member's.
		expect(await changeVersionState(db(), as('editor'), id, 'validate')).toEqual({ ok: false, reason: 'forbidden' });
		expect(await changeVersionState(db(), as('admin'), id, 'validate')).toEqual({ ok: false, reason: 'forbidden' });
		expect(await changeVersionState(db(), as('groupMember'), id, 'validate')).toEqual({ ok: false, reason: 'forbidden' });
		time.set(new Date(Date.parse(T0) - 2 * DAY));
		const validated = await changeVersionState(db(), as('groupCoordinator'), id, 'validate');
		expect(validated).toMatchObject({ ok: true, version: { status: 'validated', validatedBy: people.groupCoordinator.id, validatedAt: time.now() } });
		// Publication is the network's: the coordinator cannot.
		expect(await changeVersionState(db(), as('groupCoordinator'), id, 'publish')).toEqual({ ok: false, reason: 'forbidden' });
		time.set(new Date(Date.parse(T0) - DAY));
		expect(await changeVersionState(db(), as('editor'), id, 'publish')).toMatchObject({ ok: true, version: { status: 'published', publishedBy: people.editor.id } });

		// Published: every member reads it; nobody changes it, through the service or in SQL.
		expect(await getVersion(db(), people.member, id)).toMatchObject({ ok: true, state: 'published', actions: [] });
		expect(await updateVersion(db(), as('editor'), id, VersionInput.parse({ label: '2025' }))).toEqual({ ok: false, reason: 'published' });
		expect(await addSituation(db(), as('groupCoordinator'), id, SituationInput.parse({ code: 'X1', heading: 'x' }))).toEqual({ ok: false, reason: 'published' });
		expect(await changeVersionState(db(), as('editor'), id, 'return', 'oubli')).toEqual({ ok: false, reason: 'published' });
		await expect(db().update(referentielVersions).set({ changeSummary: 'changé en douce' }).where(eq(referentielVersions.id, id))).rejects.toThrow();
		await expect(db().update(referentielSituations).set({ heading: 'changé' }).where(eq(referentielSituations.versionId, id))).rejects.toThrow();
		await expect(db().delete(referentielVersions).where(eq(referentielVersions.id, id))).rejects.toThrow();
		const [stored] = await db().select().from(referentielVersions).where(eq(referentielVersions.id, id));
		expect(stored.changeSummary).toBe('Première version');

		const view = await getReferentiel(db(), people.groupMember, colonId);
		expect(view.ok && view.history.map((h) => [h.action, h.versionLabel, h.reason]).filter(([a]) => String(a).startsWith('referentiel.version.') && !String(a).includes('situation'))).toEqual([
			['referentiel.version.create', '2025', null],
			['referentiel.version.submit', '2025', null],
			['referentiel.version.return', '2025', 'Préciser la durée du FOLFOX'],
			['referentiel.version.submit', '2025', null],
			['referentiel.version.validate', '2025', null],
			['referentiel.version.publish', '2025', null]
		]);
		time.set(T0);
	});

	it('starts the next version from the latest situations; publishing it supersedes the previous one', async () => {
		const [v1] = await db().select().from(referentielVersions).where(eq(referentielVersions.referentielId, colonId));
		time.set(new Date(Date.parse(T0) + DAY));
		const v2 = await publishVersion(colonId, '2026', ['COLON-IV']);
		const situations = await db().select().from(referentielSituations).where(eq(referentielSituations.versionId, v2));
		expect(situations.map((s) => s.code).sort()).toEqual(['COLON-III-R0', 'COLON-IV']);
		const [old] = await db().select().from(referentielVersions).where(eq(referentielVersions.id, v1.id));
		const [current] = await db().select().from(referentielVersions).where(eq(referentielVersions.id, v2));
		expect(current.publishedAt!.getTime()).toBeGreaterThan(Date.parse(T0) + DAY);
		expect(old).toMatchObject({ status: 'superseded', supersededById: v2, supersededAt: current.publishedAt });
		// Proposals now cite the 2026 version only; the 2025 one stays readable.
		const citable = await searchSituations(db(), { organ: 'MED-251', query: 'colon-iii' });
		expect(citable.map((s) => [s.versionLabel, s.situationCode])).toEqual([['2026', 'COLON-III-R0']]);
		expect(await getVersion(db(), people.member, v1.id)).toMatchObject({ ok: true, state: 'superseded' });
		time.set(T0);
	});

	it('lists published référentiels to every member, drafts to their group and editors', async () => {
		const draftOnly = await newReferentiel('Cancer de l’anus');
		await createVersion(db(), as('groupMember'), draftOnly, VersionInput.parse({ label: 'v1' }));
		const titles = async (who: Who) => (await listReferentiels(db(), people[who], { organ: 'MED-251' })).map((r) => r.title);
		expect(await titles('member')).toEqual(['Cancer du côlon']);
		expect(await titles('groupMember')).toEqual(['Cancer de l’anus', 'Cancer du côlon']);
		expect(await titles('editor')).toEqual(['Cancer de l’anus', 'Cancer du côlon', 'Cancer du rectum et de l’anus']);
		expect(await titles('admin')).toEqual(await titles('editor'));
		expect((await listReferentiels(db(), people.member, { query: 'du côlon' })).map((r) => r.current?.label)).toEqual(['2026']);
		expect(await getReferentiel(db(), people.member, draftOnly)).toEqual({ ok: false, reason: 'forbidden' });
		const seen = await getReferentiel(db(), people.member, colonId);
		expect(seen.ok && seen.versions.map((v) => [v.label, v.status])).toEqual([
			['2025', 'superseded'],
			['2026', 'published']
		]);
		expect(seen.ok && seen.canStartVersion).toBe(false);
		// The members see what was validated and published, not the drafts' comings and goings (nor the reasons of a return).
		expect(seen.ok && [...new Set(seen.history.map((h) => h.action))].sort()).toEqual(['referentiel.create', 'referentiel.version.publish', 'referentiel.version.validate']);
	});

	it('keeps a version’s PDF behind the version’s reading rights, and only a PDF', async () => {
		const rectum = await newReferentiel('Cancer du rectum (document)');
		const created = await createVersion(db(), as('groupMember'), rectum, VersionInput.parse({ label: '2026' }));
		const id = created.ok ? created.version.id : '';
		const upload = (who: Who, bytes: Uint8Array) => uploadVersionDocument(db(), storage, as(who), id, { fileName: 'C:\\docs\\rectum 2026.pdf', bytes });
		expect(await upload('member', PDF)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await upload('groupMember', PNG)).toEqual({ ok: false, reason: 'unsupported-type' });
		expect(await upload('groupMember', PDF)).toEqual({ ok: true, name: 'rectum 2026.pdf', bytes: PDF.byteLength });
		expect(await readVersionDocument(db(), storage, people.member, id)).toEqual({ ok: false, reason: 'forbidden' });
		const read = await readVersionDocument(db(), storage, people.groupCoordinator, id);
		expect(read.ok && Buffer.from(await readAll(read.stream)).equals(Buffer.from(PDF))).toBe(true);
		await addSituation(db(), as('groupMember'), id, SituationInput.parse({ code: 'RECTUM-T3', heading: 'Rectum T3' }));
		for (const [who, step] of [['groupMember', 'submit'], ['groupCoordinator', 'validate'], ['admin', 'publish']] as const) await changeVersionState(db(), as(who), id, step);
		const published = await readVersionDocument(db(), storage, people.member, id);
		expect(published).toMatchObject({ ok: true, name: 'rectum 2026.pdf', bytes: PDF.byteLength });
		if (published.ok) await published.stream.cancel();
		expect(await upload('editor', PDF)).toEqual({ ok: false, reason: 'published' });
	});

	it('refuses to delete what a proposal or a signed fiche cites, and what was published', async () => {
		const citation = (versionId: string, referentielId: string) => ({ guidelineFollowed: 'yes', guidelineCitation: { versionId, referentielId, situationId: versionId } });
		// A draft that a proposal cites (imported from elsewhere, say) stays.
		const breast = await newReferentiel('Cancer du sein (brouillon cité)');
		const draft = await createVersion(db(), as('groupMember'), breast, VersionInput.parse({ label: 'v1' }));
		const draftId = draft.ok ? draft.version.id : '';
		const caseA = await addCaseWith(fixture.meetingId, { organ: 'MED-251' });
		await db().insert(caseDecisions).values({ caseId: caseA, meetingId: fixture.meetingId, content: citation(draftId, breast), version: 1, status: 'draft' });
		expect(await deleteVersion(db(), storage, as('groupMember'), draftId)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await deleteVersion(db(), storage, as('groupCoordinator'), draftId)).toEqual({ ok: false, reason: 'cited' });
		expect(await deleteReferentiel(db(), storage, as('editor'), breast)).toEqual({ ok: false, reason: 'cited' });

		// The colon référentiel, cited by a signed fiche only.
		const [v1] = await db().select().from(referentielVersions).where(eq(referentielVersions.referentielId, colonId));
		const caseB = await addCaseWith(fixture.closedMeetingId, { organ: 'MED-251' });
		await db().insert(fiches).values({ caseId: caseB, meetingId: fixture.closedMeetingId, boardId: fixture.boardId, version: 1, content: { decision: citation(v1.id, colonId) }, pdf: PDF, sha256: 'ab', developmentSignature: true, validatedBy: people.admin.id, validatedAt: new Date(T0) });
		expect(await deleteReferentiel(db(), storage, as('groupCoordinator'), colonId)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await deleteReferentiel(db(), storage, as('editor'), colonId)).toEqual({ ok: false, reason: 'cited' });
		// Published but cited by nobody: still kept (the version is on record).
		const [rectum] = (await listReferentiels(db(), people.editor, { query: 'document' })).map((r) => r.id);
		expect(await deleteReferentiel(db(), storage, as('editor'), rectum)).toEqual({ ok: false, reason: 'published' });

		const anus = (await listReferentiels(db(), people.editor, { query: 'Cancer de l’anus' }))[0].id;
		expect(await deleteReferentiel(db(), storage, as('editor'), anus)).toEqual({ ok: true });
		expect(await getReferentiel(db(), people.editor, anus)).toMatchObject({ ok: false, reason: 'not-found' });
	});

	async function addCaseWith(meetingId: string, fiche: Record<string, unknown>, boardId = fixture.boardId): Promise<string> {
		const [row] = await db().insert(cases).values({ boardId, meetingId, status: 'decided', requestedBy: fixture.people.member.id, fiche }).returning();
		return row.id;
	}

	it('gives each version its feedback: citations, and the “hors référentiel” proposals of its period with links for board members only', async () => {
		const versions = await db().select().from(referentielVersions).where(eq(referentielVersions.referentielId, colonId));
		const v2025 = versions.find((v) => v.label === '2025')!;
		const v2026 = versions.find((v) => v.label === '2026')!;
		const decision = async (meetingId: string, fiche: Record<string, unknown>, content: Record<string, unknown>, status = 'decided', boardId?: string) => {
			const caseId = await addCaseWith(meetingId, { familyName: 'PATIENTE', ...fiche }, boardId);
			await db().insert(caseDecisions).values({ caseId, meetingId, content, version: 1, status });
			return caseId;
		};
		const cite = (v: typeof v2025, code: string) => ({ versionId: v.id, referentielId: colonId, situationId: v.id, situationCode: code });
		// 2025 was current from T0 − 1 day to T0 + 1 day: the meetings at T0 − 10 min (both boards) fall in it.
		await decision(fixture.meetingId, { organ: 'MED-251' }, { guidelineFollowed: 'yes', guidelineCitation: cite(v2025, 'COLON-III-R0') });
		await decision(fixture.meetingId, { organ: 'MED-251' }, { guidelineFollowed: 'yes', guidelineCitation: cite(v2025, 'COLON-III-R0') }, 'final');
		const offOwn = await decision(fixture.meetingId, { organ: 'MED-251' }, { guidelineFollowed: 'no', guidelineJustification: 'Patiente de 92 ans', guidelineCitation: cite(v2025, 'COLON-III-R0') });
		await decision(fixture.otherBoardMeetingId, { organ: 'MED-251' }, { guidelineFollowed: 'no', guidelineJustification: 'Refus de la chimiothérapie' }, 'decided', await boardOf(fixture.otherBoardMeetingId));
		// Not counted: another organ, still in progress, or before the version was published.
		await decision(fixture.meetingId, { organ: '76752008' }, { guidelineFollowed: 'no', guidelineJustification: 'sein' });
		await decision(fixture.meetingId, { organ: 'MED-251' }, { guidelineFollowed: 'no', guidelineJustification: 'en cours' }, 'draft');
		await decision(fixture.closedMeetingId, { organ: 'MED-251' }, { guidelineFollowed: 'no', guidelineJustification: 'trop tôt' });

		const member = await versionFeedback(db(), people.member, v2025.id);
		expect(member).toMatchObject({ ok: true, citations: { decided: 1, inProgress: 1 }, period: { from: v2025.publishedAt, to: v2025.supersededAt } });
		// By meeting date; the member may open the case of their own board only.
		expect(member.ok && member.offGuideline.map((o) => [o.justification, o.caseId, o.boardName, o.situationCode])).toEqual([
			['Patiente de 92 ans', offOwn, 'RCP digestive', 'COLON-III-R0'],
			['Refus de la chimiothérapie', null, 'RCP thoracique', null]
		]);
		expect(JSON.stringify(member)).not.toContain('PATIENTE');
		const admin = await versionFeedback(db(), people.admin, v2025.id);
		expect(admin.ok && admin.offGuideline.every((o) => o.caseId !== null)).toBe(true);
		const later = await versionFeedback(db(), people.member, v2026.id);
		expect(later).toMatchObject({ ok: true, citations: { decided: 0, inProgress: 0 }, offGuideline: [] });
	});

	async function boardOf(meetingId: string): Promise<string> {
		const [row] = await db().select({ boardId: meetings.boardId }).from(meetings).where(eq(meetings.id, meetingId));
		return row.boardId;
	}
});
