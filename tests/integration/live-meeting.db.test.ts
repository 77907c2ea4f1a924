/**
 * The live meeting over real Socket.IO connections: the chair opens a case, the
 * presenter's document commands reach everyone, only the pen's holder writes the
 * proposal, everyone sees it change, the read-back answers are recorded.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseViewInfo } from '../../src/lib/realtime/protocol.ts';
import { auditEvents, caseAttachments } from '../../src/lib/server/db/schema.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { addCase, createMeetingFixture, type MeetingFixture, type Person } from '../helpers/meeting-fixture.ts';
import { guestCookie, next, send, startTestStack, type Client, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let fixture: MeetingFixture;
let caseId: string;
let attachmentId: string;
const db = () => stack.concerto.runtime.database.db;
const sockets: Partial<Record<Person | 'guest', Client>> = {};
let peers: Partial<Record<Person | 'guest', string>> = {};

const FULL = {
	treatmentTypes: ['387713003'],
	proposal: 'Colectomie gauche.',
	guidelineFollowed: 'yes',
	guidelineName: 'TNCD',
	trialProposed: false,
	fileComplete: true,
	quorumNotMetAcknowledged: true
};

beforeAll(async () => {
	stack = await startTestStack({ MEDIASOUP_NUM_WORKERS: '1' });
	fixture = await createMeetingFixture(db());
	caseId = (await addCase(db(), fixture, { position: 1, fiche: { familyName: 'FICTIF', question: 'Chirurgie ?' } })).id;
	const [attachment] = await db()
		.insert(caseAttachments)
		.values({ caseId, fileName: 'scanner.pdf', mediaType: 'application/pdf', sizeBytes: 10, sha256: 'x', storageKey: 'k', uploadedBy: fixture.people.member.id })
		.returning();
	attachmentId = attachment.id;
	// The coordinator admits the guest ahead (pre-admission), then everyone enters.
	for (const who of ['coordinator', 'secretary', 'member', 'guest'] as const) {
		const cookie = who === 'guest' ? guestCookie(fixture.guest.secret) : await stack.sessionCookie(fixture.people[who].id);
		const socket = await stack.client({ cookie });
		if (who === 'secretary') await send(sockets.coordinator!, 'lobby:admit', { participantKey: `guest:${fixture.guest.id}` });
		const answer = await send(socket, 'room:join', { meetingId: fixture.meetingId });
		if (answer.data?.status !== 'joined') throw new Error(`${who}: ${JSON.stringify(answer)}`);
		sockets[who] = socket;
		peers = { ...peers, [who]: answer.data.peerId };
	}
});

afterAll(() => stack?.close());

const key = (who: Person) => `user:${fixture.people[who].id}`;

describe(`the live meeting (${testDatabaseKind})`, () => {
	it('the chair opens a case: everyone switches to it; its requester presents; members cannot open', async () => {
		expect(await send(sockets.member!, 'case:open', { caseId })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		const seen = next(sockets.guest!, 'live:changed');
		const opened = await send(sockets.coordinator!, 'case:open', { caseId });
		expect(opened.data).toEqual({ currentCaseId: caseId, presenterKey: key('member'), editorKey: key('coordinator'), document: null });
		expect(await seen).toEqual(opened.data);

		// Everyone, the guest included, reads the case in the panel; the read is audited as theirs.
		const view = await send(sockets.guest!, 'case:view', {});
		expect(view.data).toMatchObject({ caseId, fiche: { question: 'Chirurgie ?' }, attachments: [{ id: attachmentId, fileName: 'scanner.pdf' }], decision: { version: 0 } });
		const reads = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'case.read'), eq(auditEvents.actorGuestId, fixture.guest.id)));
		expect(reads.map((r) => r.entityId)).toEqual([caseId]);
	});

	it('the presenter turns pages, zooms and points; the others follow; nobody else may', async () => {
		const view = { attachmentId, page: 3, zoom: 2, center: { x: 0.3, y: 0.7 }, annotations: [{ kind: 'circle', center: { x: 0.3, y: 0.7 }, radius: 0.05 }] };
		const followed = next(sockets.secretary!, 'live:changed');
		expect((await send(sockets.member!, 'doc:show', { view })).ok).toBe(true);
		expect((await followed).document).toEqual(view);
		expect(await send(sockets.guest!, 'doc:show', { view: { ...view, page: 1 } })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		expect(await send(sockets.member!, 'doc:show', { view: { ...view, page: 0 } })).toMatchObject({ ok: false, error: { reason: 'invalid-payload' } });
		const pointed = next(sockets.guest!, 'doc:pointer');
		expect((await send(sockets.member!, 'doc:pointer', { x: 0.5, y: 0.25 })).ok).toBe(true);
		expect(await pointed).toEqual({ x: 0.5, y: 0.25 });
		expect(await send(sockets.guest!, 'doc:pointer', { x: 0.5, y: 0.25 })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		// A late joiner gets the document state at once.
		const late = await stack.client({ cookie: await stack.sessionCookie(fixture.people.admin.id) });
		const joined = await send(late, 'room:join', { meetingId: fixture.meetingId });
		expect(joined.data.state.live).toMatchObject({ currentCaseId: caseId, document: view });
		await send(late, 'room:leave', {});
	});

	it('only the pen’s holder writes the proposal; everyone sees it change; a stale base is refused', async () => {
		const changed = next(sockets.guest!, 'decision:changed');
		const first = await send(sockets.coordinator!, 'decision:save', { caseId, baseVersion: 0, content: { proposal: 'Colectomie' } });
		expect(first.data).toEqual({ version: 1 });
		expect(await changed).toMatchObject({ caseId, version: 1, status: 'draft', content: { proposal: 'Colectomie' }, by: 'coordinator Test' });
		expect(await send(sockets.secretary!, 'decision:save', { caseId, baseVersion: 1, content: { proposal: 'x' } })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		expect(await send(sockets.member!, 'decision:save', { caseId, baseVersion: 1, content: { proposal: 'x' } })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		// The pen goes to the secretary (a moderator), not to a member.
		expect(await send(sockets.coordinator!, 'decision:pen', { participantKey: key('member') })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		expect((await send(sockets.coordinator!, 'decision:pen', { participantKey: key('secretary') })).data.editorKey).toBe(key('secretary'));
		expect(await send(sockets.secretary!, 'decision:save', { caseId, baseVersion: 0, content: { proposal: 'x' } })).toMatchObject({ ok: false, error: { reason: 'conflict' } });
		expect((await send(sockets.secretary!, 'decision:save', { caseId, baseVersion: 1, content: FULL })).data).toEqual({ version: 2 });
	});

	it('final proposal, then two confirmations and one disagreement, each time-stamped, seen by the chair', async () => {
		const incomplete = await send(sockets.secretary!, 'decision:save', { caseId, baseVersion: 2, content: { ...FULL, fileComplete: null } });
		const refused = await send(sockets.secretary!, 'decision:finalize', { caseId, version: incomplete.data.version });
		expect(refused.data.problems.map((p: { field: string }) => p.field)).toEqual(['fileComplete']);
		const complete = await send(sockets.secretary!, 'decision:save', { caseId, baseVersion: incomplete.data.version, content: FULL });
		const final = await send(sockets.secretary!, 'decision:finalize', { caseId, version: complete.data.version });
		expect(final.data).toMatchObject({ status: 'final', quorum: { met: false } });
		const version = complete.data.version;

		expect((await send(sockets.member!, 'decision:answer', { caseId, version, answer: 'confirm' })).ok).toBe(true);
		expect((await send(sockets.guest!, 'decision:answer', { caseId, version, answer: 'confirm' })).ok).toBe(true);
		expect(await send(sockets.coordinator!, 'decision:answer', { caseId, version, answer: 'disagree' })).toMatchObject({ ok: false, error: { reason: 'invalid-payload' } });
		const answers = next(sockets.coordinator!, 'decision:answers');
		expect((await send(sockets.coordinator!, 'decision:answer', { caseId, version, answer: 'disagree', comment: 'Chimiothérapie d’abord.' })).ok).toBe(true);
		const seen = await answers;
		expect(seen.answers.map((a) => [a.displayName, a.answer, a.comment])).toEqual([
			['member Test', 'confirm', ''],
			['Dr Invitée', 'confirm', ''],
			['coordinator Test', 'disagree', 'Chimiothérapie d’abord.']
		]);
		expect(seen.answers.every((a) => !Number.isNaN(Date.parse(a.at)))).toBe(true);
		// A browser that (re)loads the case (a late joiner, a reconnection) gets the answers so far.
		const view = await send(sockets.secretary!, 'case:view', {});
		if (!view.ok || !view.data) throw new Error('no case view');
		expect((view.data as CaseViewInfo).readBack.map((a) => a.displayName)).toEqual(['member Test', 'Dr Invitée', 'coordinator Test']);
	});

	it('announces the quorum as people come and go; closing the case ends the agenda', async () => {
		const quorum = next(sockets.coordinator!, 'quorum:changed');
		await send(sockets.guest!, 'room:leave', {});
		// The guest has no specialty: the quorum does not change, but it is announced.
		expect(await quorum).toMatchObject({ met: false });
		const closed = await send(sockets.coordinator!, 'case:close', { outcome: 'decided' });
		expect(closed.data).toEqual({ currentCaseId: null, presenterKey: null, editorKey: null, document: null });
	});
});
