import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, FULL_DECISION, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { firstView } from '../realtime/live.ts';
import { listAgenda, moveCase } from './cases.ts';
import { caseAttachments, caseMeetingHistory, cases } from './db/schema.ts';
import { finalizeDecision, readDecision, saveDecision } from './decisions.ts';
import { closeCase, liveState, meetingSummary, openCase, recordedCandidates, recordWithoutDiscussion, setEditor, setPresenter, showDocument } from './live-meeting.ts';
import { roomEntryFor, type RoomParticipant } from './meeting-room.ts';
import type { SessionUser } from './users.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-12-15T12:30:00Z');

describe(`the live meeting (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	const caseIds: string[] = [];
	let attachmentId: string;
	let chair: RoomParticipant;
	let member: RoomParticipant;
	/** The chair's account (the coordinator). */
	let account: SessionUser;

	const caseRow = async (id: string) => (await database.db.select().from(cases).where(eq(cases.id, id)))[0];

	const participant = async (who: keyof MeetingFixture['people']) => {
		const entry = await roomEntryFor(database.db, { kind: 'user', user: fixture.people[who] }, fixture.meetingId);
		if (!entry.ok) throw new Error(entry.reason);
		return entry.participant;
	};

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db);
		for (const [position, name] of ['PREMIER', 'DEUXIEME', 'TROISIEME', 'QUATRIEME'].entries()) {
			caseIds.push((await addCase(database.db, fixture, { position: position + 1, fiche: { familyName: name } })).id);
		}
		const [attachment] = await database.db
			.insert(caseAttachments)
			.values({ caseId: caseIds[0], fileName: 'scanner.pdf', mediaType: 'application/pdf', sizeBytes: 10, sha256: 'x', storageKey: 'k', uploadedBy: fixture.people.member.id })
			.returning();
		attachmentId = attachment.id;
		chair = await participant('coordinator');
		member = await participant('member');
		account = fixture.people.coordinator;
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

	it('closing a case: decided needs a final proposal; postponed moves the case to the chosen meeting; the next case opens', async () => {
		const as = { user: fixture.people.coordinator, address: null };
		expect((await caseRow(caseIds[0])).status).toBe('discussed');
		expect(await closeCase(database.db, member, fixture.people.member, 'decided')).toEqual({ ok: false, reason: 'forbidden' });
		// Nothing read back yet: the case cannot be closed as decided.
		expect(await closeCase(database.db, chair, account, 'decided')).toEqual({ ok: false, reason: 'not-final' });
		const saved = await saveDecision(database.db, as, caseIds[0], 0, { ...FULL_DECISION, quorumNotMetAcknowledged: true });
		if (!saved.ok) throw new Error(saved.reason);
		expect(await finalizeDecision(database.db, as, caseIds[0], saved.version)).toMatchObject({ ok: true });

		const first = await closeCase(database.db, chair, account, 'decided', new Date('2026-12-15T13:12:00Z'));
		expect(first).toMatchObject({ ok: true, next: caseIds[1], state: { currentCaseId: caseIds[1] } });
		expect((await caseRow(caseIds[0])).status).toBe('decided');
		expect((await readDecision(database.db, caseIds[0])).status).toBe('decided');
		// A decided proposal is closed to edits.
		expect(await saveDecision(database.db, as, caseIds[0], saved.version, FULL_DECISION)).toEqual({ ok: false, reason: 'closed' });

		// The board postpones the second case to the next meeting, named in the proposal.
		const postponement = await saveDecision(database.db, as, caseIds[1], 0, { furtherTests: 'IRM hépatique', representationMeetingId: fixture.otherMeetingId });
		expect(postponement).toMatchObject({ ok: true });
		const second = await closeCase(database.db, chair, account, 'postponed', new Date('2026-12-15T13:20:00Z'));
		expect(second).toMatchObject({ ok: true, next: caseIds[2] });
		const moved = await caseRow(caseIds[1]);
		expect({ meetingId: moved.meetingId, status: moved.status }).toEqual({ meetingId: fixture.otherMeetingId, status: 'registered' });
		const history = await database.db.select().from(caseMeetingHistory).where(eq(caseMeetingHistory.caseId, caseIds[1]));
		expect(history.map((h) => [h.meetingId, h.reason])).toEqual([[fixture.otherMeetingId, 'postponed']]);
		// Its proposal waits, as a draft, for the next meeting.
		expect(await readDecision(database.db, caseIds[1])).toMatchObject({ status: 'draft', content: { furtherTests: 'IRM hépatique' } });

		expect(await meetingSummary(database.db, fixture.meetingId, new Date('2026-12-15T13:25:00Z'))).toEqual([
			{ caseId: caseIds[0], outcome: 'decided', minutes: 12 },
			{ caseId: caseIds[2], outcome: 'not-discussed', minutes: 5 },
			{ caseId: caseIds[3], outcome: 'not-discussed', minutes: 0 },
			{ caseId: caseIds[1], outcome: 'postponed', minutes: 8 }
		]);
		// The meeting's agenda still lists the postponed case, after its own, with where it went.
		const agenda = await listAgenda(database.db, fixture.people.secretary, fixture.meetingId);
		expect(agenda.ok && agenda.items.map((item) => [item.caseId, item.movedTo?.meetingId ?? null])).toEqual([
			[caseIds[0], null],
			[caseIds[2], null],
			[caseIds[3], null],
			[caseIds[1], fixture.otherMeetingId]
		]);
	});

	it('postponing without a meeting chosen leaves the case postponed; the secretary registers it later', async () => {
		// The third case is open; nothing names where it goes.
		const closed = await closeCase(database.db, chair, account, 'postponed', new Date('2026-12-15T13:30:00Z'));
		// The fourth one is prepared to be recorded without discussion, so the agenda is done.
		expect(closed).toMatchObject({ ok: true, next: caseIds[3] });
		expect((await caseRow(caseIds[2])).status).toBe('postponed');
		const again = await moveCase(database.db, fixture.people.secretary, caseIds[2], fixture.otherMeetingId, 'moved');
		expect(again).toMatchObject({ ok: true, case: { status: 'registered', meetingId: fixture.otherMeetingId } });
		const last = await closeCase(database.db, chair, account, 'postponed', new Date('2026-12-15T13:31:00Z'));
		expect(last).toMatchObject({ ok: true, next: null, state: { currentCaseId: null } });
		expect(await closeCase(database.db, chair, account, 'decided')).toEqual({ ok: false, reason: 'no-case' });
	});

	it('records the prepared cases without discussion in one batch; an incomplete one is refused with what it lacks', async () => {
		const as = { user: fixture.people.secretary, address: null };
		const ready = (await addCase(database.db, fixture, { position: 10, fiche: { familyName: 'ENREGISTRE' } })).id;
		const lacking = (await addCase(database.db, fixture, { position: 11, fiche: { familyName: 'INCOMPLET' } })).id;
		const registeredOnly = (await addCase(database.db, fixture, { position: 12, status: 'registered', fiche: { familyName: 'INSCRIT' } })).id;
		const recorded = { ...FULL_DECISION, recordedWithoutDiscussion: true };
		for (const [id, content] of [
			[ready, recorded],
			[lacking, { ...recorded, guidelineName: '' }],
			[registeredOnly, recorded]
		] as const) {
			expect(await saveDecision(database.db, as, id, 0, content)).toMatchObject({ ok: true });
		}
		expect((await recordedCandidates(database.db, fixture.meetingId)).map((c) => c.caseId)).toEqual([ready, lacking, registeredOnly]);
		expect(await recordWithoutDiscussion(database.db, member, null)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await recordWithoutDiscussion(database.db, chair, [caseIds[0]])).toEqual({ ok: false, reason: 'not-found' });

		// Nobody is in the room: without the quorum, the batch refuses, unless the chair acknowledges it.
		const withoutQuorum = await recordWithoutDiscussion(database.db, chair, [ready]);
		expect(withoutQuorum).toMatchObject({ ok: true, batch: { recorded: [], refused: [{ caseId: ready, problems: [expect.objectContaining({ field: 'quorum' })] }] } });
		const done = await recordWithoutDiscussion(database.db, chair, null, { quorumNotMetAcknowledged: true }, new Date('2026-12-15T13:40:00Z'));
		if (!done.ok) throw new Error(done.reason);
		expect(done.batch.quorum.met).toBe(false);
		expect(done.batch.recorded).toEqual([ready]);
		expect(done.batch.refused).toEqual([
			{ caseId: lacking, problems: [{ field: 'guidelineName', message: 'Choisissez la situation du référentiel suivie, ou nommez le référentiel.' }] },
			{ caseId: registeredOnly, problems: [expect.objectContaining({ field: 'fileComplete', message: expect.stringContaining('incomplet') })] }
		]);
		expect((await caseRow(ready)).status).toBe('decided');
		// Decided with the quorum of that moment, and a new version carrying the acknowledgement.
		expect(await readDecision(database.db, ready)).toMatchObject({ status: 'decided', version: 2, content: { quorumNotMetAcknowledged: true }, quorum: { met: false } });
		const summary = await meetingSummary(database.db, fixture.meetingId);
		expect(summary.find((line) => line.caseId === ready)).toEqual({ caseId: ready, outcome: 'recorded', minutes: 0 });
		expect(summary.find((line) => line.caseId === lacking)?.outcome).toBe('not-discussed');
		// Recorded once: the batch does not take it again.
		expect((await recordedCandidates(database.db, fixture.meetingId)).map((c) => c.caseId)).toEqual([lacking, registeredOnly]);
	});
});
