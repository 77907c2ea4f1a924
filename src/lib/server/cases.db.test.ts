import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { ManualClock, setClock } from '../clock.ts';
import { BoardInput, type BoardRole } from '../domain/board.ts';
import { conceptsOf } from '../domain/value-sets.ts';
import { createBoard, setMembership } from './boards.ts';
import {
	addAttachment,
	createCase,
	getCase,
	listAgenda,
	moveCase,
	readAttachment,
	reorderAgenda,
	setEstimatedMinutes,
	updateFiche
} from './cases.ts';
import type { Database } from './db/index.ts';
import { auditEvents, caseAttachments, caseMeetingHistory, cases, meetings, users } from './db/schema.ts';
import { fileSystemStorage, type AttachmentStorage } from './storage.ts';
import type { SessionUser } from './users.ts';

const DAY = 24 * 3600_000;
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n');

/** A complete fiche (every required field). */
const completeFiche = (familyName = 'MARTIN') => ({
	familyName,
	givenNames: 'Claire',
	birthDate: '1961-04-12',
	sex: 'F',
	requestingPhysicianId: 'dr-requester',
	presentationType: 'first-presentation',
	discussionMode: 'discussion',
	question: 'Chirurgie première ou chimiothérapie néoadjuvante ?',
	tumourSiteCode: 'C18.7',
	tumourSiteLabel: 'Côlon sigmoïde',
	performanceStatus: 1
});

/** Who acts in the matrix. */
type Role = 'admin' | 'coordinator' | 'secretary' | 'member' | 'otherBoardMember' | 'nonMember';
type Action =
	| 'create'
	| 'read'
	| 'update own'
	| "update other's"
	| 'reorder'
	| 'move'
	| 'add attachment'
	| 'read attachment';

describe(`cases (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let db: Database;
	let dataDir: string;
	let storage: AttachmentStorage;
	const people = {} as Record<Role | 'colleague', SessionUser>;
	let boardId: string;
	let otherBoardId: string;
	let openMeeting: string;
	let laterMeeting: string;
	let pastDeadlineMeeting: string;

	async function insertMeeting(board: string, startsInDays: number, deadlineInDays: number): Promise<string> {
		const startsAt = new Date(Date.now() + startsInDays * DAY);
		const [row] = await db
			.insert(meetings)
			.values({
				boardId: board,
				startsAt,
				durationMinutes: 120,
				registrationDeadline: new Date(Date.now() + deadlineInDays * DAY),
				status: 'scheduled'
			})
			.returning();
		return row.id;
	}

	/** A case registered by `who` (a member of the board, or directly in the table for anyone). */
	async function caseOf(who: SessionUser, meetingId = openMeeting, familyName = 'MARTIN'): Promise<string> {
		const created = await createCase(db, people.secretary, { boardId, meetingId, fiche: completeFiche(familyName) });
		if (!created.ok) throw new Error(`fixture case: ${created.reason}`);
		// As if `who` had registered it: the requester and the fiche's requesting physician.
		await db
			.update(cases)
			.set({ requestedBy: who.id, fiche: { ...created.case.fiche, requestingPhysicianId: who.id } })
			.where(eq(cases.id, created.case.id));
		return created.case.id;
	}

	async function versionOf(caseId: string): Promise<number> {
		const [row] = await db.select({ version: cases.version }).from(cases).where(eq(cases.id, caseId));
		return row.version;
	}

	async function auditOf(action: string, entityId: string) {
		return db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, entityId)));
	}

	beforeAll(async () => {
		database = await openTestDatabase();
		db = database.db;
		dataDir = await mkdtemp(join(tmpdir(), 'concerto-cases-'));
		storage = fileSystemStorage(dataDir);
		for (const key of ['admin', 'coordinator', 'secretary', 'member', 'colleague', 'otherBoardMember', 'nonMember'] as const) {
			const [row] = await db
				.insert(users)
				.values({ givenName: key, familyName: 'Test', email: `${key}@chu.fr`, isAdmin: key === 'admin' })
				.returning();
			people[key] = { id: row.id, givenName: key, familyName: 'Test', email: row.email, specialty: null, isAdmin: row.isAdmin, networkEditor: false };
		}
		const actor = { userId: people.admin.id, address: null };
		const input = (name: string) =>
			BoardInput.parse({ name, apparatus: conceptsOf('JDV_RCP_Appareil')[0].code, site: 'CHU de Poitiers', type: 'standard' });
		boardId = (await createBoard(db, input('RCP digestive'), actor)).id;
		otherBoardId = (await createBoard(db, input('RCP thoracique'), actor)).id;
		const roles: [Role | 'colleague', BoardRole][] = [
			['coordinator', 'coordinator'],
			['secretary', 'secretary'],
			['member', 'member'],
			['colleague', 'member']
		];
		for (const [who, role] of roles) await setMembership(db, boardId, people[who].id, role, actor);
		await setMembership(db, otherBoardId, people.otherBoardMember.id, 'member', actor);

		openMeeting = await insertMeeting(boardId, 14, 12);
		laterMeeting = await insertMeeting(boardId, 28, 26);
		pastDeadlineMeeting = await insertMeeting(boardId, 2, -1);
	});
	afterAll(async () => {
		await database?.dispose();
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	});

	describe('authorisation matrix', () => {
		const actions: Record<Action, (actor: SessionUser) => Promise<{ ok: boolean; reason?: string }>> = {
			create: (actor) => createCase(db, actor, { boardId, meetingId: openMeeting, fiche: completeFiche() }),
			read: async (actor) => getCase(db, actor, await caseOf(people.colleague), null),
			// A former member or an outsider named as requester gains nothing from it.
			'update own': async (actor) => {
				const id = await caseOf(actor);
				return updateFiche(db, actor, id, await versionOf(id), { ...completeFiche(), history: 'HTA' });
			},
			"update other's": async (actor) => {
				const id = await caseOf(people.colleague);
				return updateFiche(db, actor, id, await versionOf(id), { ...completeFiche(), history: 'HTA' });
			},
			reorder: async (actor) => {
				await caseOf(people.colleague, laterMeeting);
				const rows = await db.select({ id: cases.id }).from(cases).where(eq(cases.meetingId, laterMeeting));
				return reorderAgenda(db, actor, laterMeeting, rows.map((r) => r.id).reverse());
			},
			move: async (actor) => moveCase(db, actor, await caseOf(people.colleague), laterMeeting, 'moved'),
			'add attachment': async (actor) => addAttachment(db, storage, actor, await caseOf(actor), { fileName: 'scanner.pdf', bytes: PDF }),
			'read attachment': async (actor) => {
				const added = await addAttachment(db, storage, people.secretary, await caseOf(people.colleague), { fileName: 'cr.pdf', bytes: PDF });
				if (!added.ok) throw new Error(added.reason);
				const read = await readAttachment(db, storage, actor, added.attachment.id, null);
				if (read.ok) await read.stream.cancel();
				return read;
			}
		};
		const all = Object.keys(actions) as Action[];
		const allowed: Record<Role, Action[]> = {
			admin: all,
			coordinator: all,
			secretary: all,
			member: ['create', 'read', 'update own', 'add attachment', 'read attachment'],
			otherBoardMember: [],
			nonMember: []
		};
		const matrix = (Object.keys(allowed) as Role[]).flatMap((role) =>
			all.map((action) => ({ role, action, expected: allowed[role].includes(action) ? 'allowed' : 'forbidden' }))
		);

		it.each(matrix)('$role: $action → $expected', async ({ role, action, expected }) => {
			const result = await actions[action](people[role]);
			expect(result.ok ? 'allowed' : result.reason).toBe(expected);
		});
	});

	it('refuses a member after the deadline, with the deadline, and lets the secretary register late', async () => {
		const [meeting] = await db.select().from(meetings).where(eq(meetings.id, pastDeadlineMeeting));
		const late = await createCase(db, people.member, { boardId, meetingId: pastDeadlineMeeting, fiche: completeFiche() });
		expect(late).toEqual({ ok: false, reason: 'deadline-passed', deadline: meeting.registrationDeadline });
		expect(await db.select().from(cases).where(eq(cases.meetingId, pastDeadlineMeeting))).toEqual([]);

		const accepted = await createCase(db, people.secretary, { boardId, meetingId: pastDeadlineMeeting, fiche: completeFiche() });
		expect(accepted.ok && accepted.case.status).toBe('complete');
	});

	it('judges the deadline on the clock at the moment of asking: a clock that jumps back and forth changes what is open, never what was saved', async () => {
		const meetingId = await insertMeeting(boardId, 20, 10);
		const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
		const clock = new ManualClock(meeting.registrationDeadline);
		setClock(clock);
		try {
			// At the deadline's instant registration is still open.
			const onTime = await createCase(db, people.member, { boardId, meetingId, fiche: completeFiche('AVANT') });
			expect(onTime.ok).toBe(true);
			// A jump forwards (a resumed VM): one millisecond late is late.
			clock.advance(3 * DAY + 1);
			expect(await createCase(db, people.member, { boardId, meetingId, fiche: completeFiche('APRES') })).toEqual({
				ok: false,
				reason: 'deadline-passed',
				deadline: meeting.registrationDeadline
			});
			// A correction backwards: open again; the case saved before is untouched.
			clock.set(meeting.registrationDeadline.getTime() - 60_000);
			const again = await createCase(db, people.member, { boardId, meetingId, fiche: completeFiche('ENCORE') });
			expect(again.ok).toBe(true);
			// Each row carries the clock's time of its writing, even when the clock went back.
			const saved = await db.select().from(cases).where(eq(cases.meetingId, meetingId));
			const rows = saved.map((row) => [(row.fiche as { familyName?: string }).familyName, row.status, row.createdAt.toISOString()]);
			expect(rows.sort()).toEqual([
				['AVANT', 'complete', meeting.registrationDeadline.toISOString()],
				['ENCORE', 'complete', new Date(meeting.registrationDeadline.getTime() - 60_000).toISOString()]
			]);
		} finally {
			setClock(undefined);
		}
	});

	it('registers an incomplete case as registered, at the end of the agenda, with its history and a patient-free audit row', async () => {
		const meetingId = await insertMeeting(boardId, 40, 38);
		const first = await createCase(db, people.member, { boardId, meetingId, fiche: completeFiche('PREMIER') });
		const { question: _q, performanceStatus: _ps, ...partial } = completeFiche('DURAND');
		const second = await createCase(db, people.member, { boardId, meetingId, fiche: partial });
		if (!first.ok || !second.ok) throw new Error('creation failed');
		expect([first.case.position, second.case.position]).toEqual([1, 2]);
		expect(second.case.status).toBe('registered');
		expect(second.missing.map((m) => m.field)).toEqual(['question', 'performanceStatus']);

		const history = await db.select().from(caseMeetingHistory).where(eq(caseMeetingHistory.caseId, second.case.id));
		expect(history.map((h) => [h.meetingId, h.reason])).toEqual([[meetingId, 'registered']]);
		const [row] = await auditOf('case.create', second.case.id);
		expect(row.actorUserId).toBe(people.member.id);
		expect(JSON.stringify(row.details)).not.toContain('DURAND');
		expect(JSON.stringify(row.details)).not.toContain('1961');
	});

	it('answers field errors for an invalid fiche and a missing meeting, creating nothing', async () => {
		const invalid = await createCase(db, people.member, {
			boardId,
			meetingId: openMeeting,
			fiche: { ...completeFiche(), birthDate: '2999-01-01', performanceStatus: 7 }
		});
		expect(invalid.ok).toBe(false);
		expect(!invalid.ok && invalid.reason).toBe('invalid');
		expect(!invalid.ok && invalid.reason === 'invalid' && Object.keys(invalid.errors).sort()).toEqual(['birthDate', 'performanceStatus']);

		const otherBoardMeeting = await insertMeeting(otherBoardId, 14, 12);
		expect(await createCase(db, people.secretary, { boardId, meetingId: otherBoardMeeting, fiche: completeFiche() })).toEqual({
			ok: false,
			reason: 'meeting-not-found',
			meetingId: otherBoardMeeting
		});
	});

	it('detects a stale edit: the second edit from the same version is refused and the first stays', async () => {
		const id = await caseOf(people.member);
		const version = await versionOf(id);
		const first = await updateFiche(db, people.member, id, version, { ...completeFiche(), history: 'Diabète de type 2' });
		expect(first.ok && first.changed).toEqual(['history']);
		const second = await updateFiche(db, people.secretary, id, version, { ...completeFiche(), history: 'Aucun antécédent' });
		expect(second).toEqual({
			ok: false,
			reason: 'stale',
			current: { version: version + 1, updatedAt: expect.any(Date), updatedBy: { id: people.member.id, name: 'member Test' } }
		});
		const read = await getCase(db, people.member, id, '10.0.0.1');
		expect(read.ok && read.fiche.history).toBe('Diabète de type 2');
		expect(read.ok && read.case.version).toBe(version + 1);
	});

	it('follows completeness both ways when the fiche changes', async () => {
		const id = await caseOf(people.member);
		const { question: _q, ...withoutQuestion } = completeFiche();
		const emptied = await updateFiche(db, people.member, id, await versionOf(id), withoutQuestion);
		expect(emptied.ok && [emptied.case.status, emptied.missing.map((m) => m.field)]).toEqual(['registered', ['question']]);
		const filled = await updateFiche(db, people.member, id, await versionOf(id), completeFiche());
		expect(filled.ok && filled.case.status).toBe('complete');
	});

	it('audits creation, reading, editing and downloading, with field names only', async () => {
		const created = await createCase(db, people.member, { boardId, meetingId: openMeeting, fiche: completeFiche('AUDIT') });
		if (!created.ok) throw new Error(created.reason);
		const id = created.case.id;
		await getCase(db, people.coordinator, id, '192.0.2.7');
		await updateFiche(db, people.member, id, created.case.version, { ...completeFiche('AUDIT'), comorbidities: 'BPCO' });
		const added = await addAttachment(db, storage, people.member, id, { fileName: 'AUDIT Claire — scanner.pdf', bytes: PDF });
		if (!added.ok) throw new Error(added.reason);
		const download = await readAttachment(db, storage, people.colleague, added.attachment.id, '192.0.2.8');
		if (!download.ok) throw new Error(download.reason);
		expect(Buffer.from(await new Response(download.stream).arrayBuffer())).toEqual(Buffer.from(PDF));

		const rows = await db.select().from(auditEvents).where(eq(auditEvents.entityId, id)).orderBy(asc(auditEvents.at));
		expect(rows.map((r) => [r.action, r.actorUserId])).toEqual([
			['case.create', people.member.id],
			['case.read', people.coordinator.id],
			['case.update', people.member.id],
			['case.attachment-add', people.member.id],
			['case.attachment-download', people.colleague.id]
		]);
		expect(rows[1].address).toBe('192.0.2.7');
		expect(rows[2].details).toMatchObject({ fields: ['comorbidities'] });
		expect(rows[4].details).toEqual({ attachmentId: added.attachment.id });
		expect(JSON.stringify(rows.map((r) => r.details))).not.toMatch(/AUDIT|BPCO|Claire/);
	});

	it('lists the agenda in the new order after a reorder, and audits the listing', async () => {
		const meetingId = await insertMeeting(boardId, 50, 48);
		const ids = [];
		for (const name of ['ALPHA', 'BRAVO', 'CHARLIE']) ids.push(await caseOf(people.member, meetingId, name));
		const { question: _q, ...incomplete } = completeFiche('BRAVO');
		await updateFiche(db, people.member, ids[1], await versionOf(ids[1]), { ...incomplete, question: undefined });

		expect(await reorderAgenda(db, people.secretary, meetingId, [ids[0], ids[1]])).toEqual({ ok: false, reason: 'agenda-mismatch' });
		expect(await reorderAgenda(db, people.secretary, meetingId, [ids[0], ids[0], ids[1]])).toEqual({ ok: false, reason: 'agenda-mismatch' });
		expect(await reorderAgenda(db, people.secretary, meetingId, [ids[2], ids[0], ids[1]])).toEqual({ ok: true });

		const agenda = await listAgenda(db, people.member, meetingId, '192.0.2.9');
		if (!agenda.ok) throw new Error(agenda.reason);
		expect(agenda.items.map((i) => [i.patientName, i.position, i.status, i.complete])).toEqual([
			['CHARLIE Claire', 1, 'complete', true],
			['ALPHA Claire', 2, 'complete', true],
			['BRAVO Claire', 3, 'registered', false]
		]);
		expect(agenda.items[0].question).toBe(completeFiche().question);
		expect((await auditOf('meeting.agenda-read', meetingId)).map((r) => r.address)).toEqual(['192.0.2.9']);
		expect(await listAgenda(db, people.otherBoardMember, meetingId)).toEqual({ ok: false, reason: 'forbidden' });
	});

	it('postpones a case to a later meeting and keeps its history', async () => {
		const id = await caseOf(people.member);
		const sameMeeting = await moveCase(db, people.secretary, id, openMeeting, 'postponed');
		expect(sameMeeting).toEqual({ ok: false, reason: 'same-meeting' });
		const postponed = await moveCase(db, people.secretary, id, laterMeeting, 'postponed');
		if (!postponed.ok) throw new Error(postponed.reason);
		expect(postponed.case.meetingId).toBe(laterMeeting);
		expect(postponed.case.status).toBe('complete');

		const view = await getCase(db, people.member, id, null);
		expect(view.ok && view.history.map((h) => [h.meetingId, h.reason])).toEqual([
			[openMeeting, 'registered'],
			[laterMeeting, 'postponed']
		]);
		const agenda = await listAgenda(db, people.secretary, laterMeeting);
		expect(agenda.ok && agenda.items.at(-1)?.caseId).toBe(id);
		expect(await auditOf('case.postpone', id)).toHaveLength(1);

		// A case already decided cannot be postponed.
		await db.update(cases).set({ status: 'decided' }).where(eq(cases.id, id));
		expect(await moveCase(db, people.secretary, id, openMeeting, 'postponed')).toEqual({
			ok: false,
			reason: 'invalid-transition',
			status: 'decided'
		});
	});

	it('records when the fiche became complete (the indicators’ « complet à la date limite »)', async () => {
		const id = await caseOf(people.member);
		const completeAt = async () => (await db.select({ at: cases.completeAt }).from(cases).where(eq(cases.id, id)))[0].at;
		const first = await completeAt();
		expect(first).toBeInstanceOf(Date);
		// Still complete after an edit: the moment stays.
		await updateFiche(db, people.member, id, await versionOf(id), { ...completeFiche(), history: 'HTA' });
		expect(await completeAt()).toEqual(first);
		// A required field removed: not complete any more; completed again: a new moment.
		await updateFiche(db, people.member, id, await versionOf(id), { ...completeFiche(), question: '' });
		expect(await completeAt()).toBeNull();
		await updateFiche(db, people.member, id, await versionOf(id), completeFiche());
		expect((await completeAt())!.getTime()).toBeGreaterThanOrEqual(first!.getTime());
		const partial = await createCase(db, people.member, { boardId, meetingId: openMeeting, fiche: { familyName: 'PARTIEL' } });
		expect(partial.ok && partial.case.completeAt).toBeNull();
	});

	it('after the discussion and until the fiche is signed, only managers complete the fiche', async () => {
		const id = await caseOf(people.member);
		for (const status of ['discussed', 'decided'] as const) {
			await db.update(cases).set({ status }).where(eq(cases.id, id));
			expect(await updateFiche(db, people.member, id, await versionOf(id), { ...completeFiche(), history: 'HTA' })).toMatchObject({ ok: false, reason: 'not-editable' });
			const completed = await updateFiche(db, people.secretary, id, await versionOf(id), { ...completeFiche(), gpName: `Dr Généraliste ${status}` });
			expect(completed).toMatchObject({ ok: true, case: { status } });
		}
		await db.update(cases).set({ status: 'validated' }).where(eq(cases.id, id));
		expect(await updateFiche(db, people.secretary, id, await versionOf(id), completeFiche())).toMatchObject({ ok: false, reason: 'not-editable', status: 'validated' });
	});

	it('refuses an attachment of the wrong type or size before storing anything', async () => {
		const id = await caseOf(people.member);
		const before = await readdir(dataDir, { recursive: true });
		const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
		expect(await addAttachment(db, storage, people.member, id, { fileName: 'scan.pdf', bytes: html })).toEqual({
			ok: false,
			reason: 'unsupported-type'
		});
		const huge = new Uint8Array(50 * 1024 * 1024 + 1);
		huge.set(PDF);
		expect(await addAttachment(db, storage, people.member, id, { fileName: 'gros.pdf', bytes: huge })).toMatchObject({
			ok: false,
			reason: 'too-large'
		});
		expect(await readdir(dataDir, { recursive: true })).toEqual(before);
		expect(await db.select().from(caseAttachments).where(eq(caseAttachments.caseId, id))).toEqual([]);
		expect(await auditOf('case.attachment-add', id)).toEqual([]);
	});

	it('keeps only the displayable part of a file name and stores the bytes under a random key', async () => {
		const id = await caseOf(people.member);
		const added = await addAttachment(db, storage, people.member, id, { fileName: '../../etc/IRM\u0000.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]) });
		if (!added.ok) throw new Error(added.reason);
		expect([added.attachment.fileName, added.attachment.mediaType, added.attachment.sizeBytes]).toEqual(['IRM.png', 'image/png', 9]);
		const [row] = await db.select().from(caseAttachments).where(eq(caseAttachments.id, added.attachment.id));
		expect(row.storageKey).toMatch(/^[0-9a-f]{32}$/);
		const view = await getCase(db, people.member, id, null);
		expect(view.ok && view.attachments.map((a) => a.id)).toEqual([added.attachment.id]);
	});

	it('sets the estimated time (managers only, within bounds)', async () => {
		const id = await caseOf(people.member);
		expect(await setEstimatedMinutes(db, people.member, id, 10)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await setEstimatedMinutes(db, people.secretary, id, 0)).toMatchObject({ ok: false, reason: 'invalid' });
		const set = await setEstimatedMinutes(db, people.secretary, id, 12);
		expect(set.ok && set.case.estimatedMinutes).toBe(12);
	});

	it('says which id was not found', async () => {
		const missing = '00000000-0000-4000-8000-000000000000';
		expect(await getCase(db, people.admin, missing, null)).toEqual({ ok: false, reason: 'not-found', id: missing });
		expect(await getCase(db, people.admin, 'not-a-uuid', null)).toEqual({ ok: false, reason: 'not-found', id: 'not-a-uuid' });
		expect(await readAttachment(db, storage, people.admin, missing, null)).toEqual({ ok: false, reason: 'not-found', id: missing });
	});
});
