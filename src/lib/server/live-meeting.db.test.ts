import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { firstView } from '../realtime/live.ts';
import { caseAttachments } from './db/schema.ts';
import { closeCase, liveState, meetingSummary, openCase, setEditor, setPresenter, showDocument } from './live-meeting.ts';
import { roomEntryFor, type RoomParticipant } from './meeting-room.ts';

describe(`the live meeting (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	const caseIds: string[] = [];
	let attachmentId: string;
	let chair: RoomParticipant;
	let member: RoomParticipant;

	const participant = async (who: keyof MeetingFixture['people']) => {
		const entry = await roomEntryFor(database.db, { kind: 'user', user: fixture.people[who] }, fixture.meetingId);
		if (!entry.ok) throw new Error(entry.reason);
		return entry.participant;
	};

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db);
		for (const [position, name] of ['PREMIER', 'DEUXIEME', 'TROISIEME'].entries()) {
			caseIds.push((await addCase(database.db, fixture, { position: position + 1, fiche: { familyName: name } })).id);
		}
		const [attachment] = await database.db
			.insert(caseAttachments)
			.values({ caseId: caseIds[0], fileName: 'scanner.pdf', mediaType: 'application/pdf', sizeBytes: 10, sha256: 'x', storageKey: 'k', uploadedBy: fixture.people.member.id })
			.returning();
		attachmentId = attachment.id;
		chair = await participant('coordinator');
		member = await participant('member');
	});
	afterAll(() => database?.dispose());

	it('the chair opens a case: its requesting physician presents, the chair holds the pen; members cannot open', async () => {
		expect(await openCase(database.db, member, caseIds[0])).toEqual({ ok: false, reason: 'forbidden' });
		expect(await openCase(database.db, chair, '00000000-0000-4000-8000-000000000000')).toEqual({ ok: false, reason: 'not-found' });
		const opened = await openCase(database.db, chair, caseIds[0], new Date('2026-12-15T13:00:00Z'));
		expect(opened).toEqual({
			ok: true,
			state: { meetingId: fixture.meetingId, currentCaseId: caseIds[0], presenterKey: member.key, editorKey: chair.key, document: null }
		});
		// What a refresh or a restart reads back.
		expect(await liveState(database.db, fixture.meetingId)).toMatchObject({ currentCaseId: caseIds[0], presenterKey: member.key });
	});

	it('only the presenter (or a moderator) moves the documents, and only documents of the current case', async () => {
		const secretary = await participant('secretary');
		const nonPresenter = { ...secretary, moderator: false, key: 'user:someone-else' };
		expect(await showDocument(database.db, nonPresenter, firstView(attachmentId))).toEqual({ ok: false, reason: 'not-presenter' });
		const view = { ...firstView(attachmentId), page: 3, zoom: 2, center: { x: 0.4, y: 0.6 } };
		expect(await showDocument(database.db, member, view)).toMatchObject({ ok: true, state: { document: view } });
		expect(await showDocument(database.db, member, firstView('00000000-0000-4000-8000-000000000000'))).toEqual({ ok: false, reason: 'not-found' });
		expect((await liveState(database.db, fixture.meetingId)).document).toEqual(view);

		expect(await setPresenter(database.db, member, secretary.key)).toEqual({ ok: false, reason: 'forbidden' });
		const handed = await setPresenter(database.db, chair, secretary.key);
		expect(handed).toMatchObject({ ok: true, state: { presenterKey: secretary.key, document: null } });
		expect(await setEditor(database.db, chair, secretary.key)).toMatchObject({ ok: true, state: { editorKey: secretary.key } });
	});

	it('closing a case opens the next one not yet discussed; the summary lists outcomes and time spent', async () => {
		const first = await closeCase(database.db, chair, 'decided', new Date('2026-12-15T13:12:00Z'));
		expect(first).toMatchObject({ ok: true, next: caseIds[1], state: { currentCaseId: caseIds[1] } });
		const second = await closeCase(database.db, chair, 'postponed', new Date('2026-12-15T13:20:00Z'));
		expect(second).toMatchObject({ ok: true, next: caseIds[2] });
		expect(await meetingSummary(database.db, fixture.meetingId, new Date('2026-12-15T13:25:00Z'))).toEqual([
			{ caseId: caseIds[0], outcome: 'decided', minutes: 12 },
			{ caseId: caseIds[1], outcome: 'postponed', minutes: 8 },
			{ caseId: caseIds[2], outcome: 'not-discussed', minutes: 5 }
		]);
		const last = await closeCase(database.db, chair, 'decided', new Date('2026-12-15T13:30:00Z'));
		expect(last).toMatchObject({ ok: true, next: null, state: { currentCaseId: null } });
		expect(await closeCase(database.db, chair, 'decided')).toEqual({ ok: false, reason: 'no-case' });
	});
});
