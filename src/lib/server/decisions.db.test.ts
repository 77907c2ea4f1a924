import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, FULL_DECISION, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { auditEvents, users } from './db/schema.ts';
import { answerReadBack, decisionHistory, finalizeDecision, getDecision, meetingQuorum, readBackAnswers, saveDecision } from './decisions.ts';
import { recordJoin, recordLeave } from './presence.ts';

describe(`decisions (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let caseId: string;
	let boardId: string;
	const as = (who: keyof MeetingFixture['people']) => ({ user: fixture.people[who], address: '192.0.2.9' });

	const FULL = FULL_DECISION;

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db);
		boardId = fixture.boardId;
		caseId = (await addCase(database.db, fixture, { fiche: { familyName: 'FICTIF' } })).id;
	});
	afterAll(() => database?.dispose());

	it('saves each change as a new version (who, when), detects a stale base, refuses members and other boards', async () => {
		expect(await getDecision(database.db, fixture.people.member, caseId)).toMatchObject({ ok: true, version: 0, status: 'draft' });
		const first = await saveDecision(database.db, as('secretary'), caseId, 0, { proposal: 'Colectomie' });
		expect(first).toMatchObject({ ok: true, version: 1 });
		const second = await saveDecision(database.db, as('coordinator'), caseId, 1, { proposal: 'Colectomie gauche', treatmentTypes: ['387713003'] });
		expect(second).toMatchObject({ ok: true, version: 2 });
		// Someone saved in between: the change based on version 1 is refused, not lost silently.
		expect(await saveDecision(database.db, as('secretary'), caseId, 1, { proposal: 'autre chose' })).toEqual({ ok: false, reason: 'stale', version: 2 });
		expect(await saveDecision(database.db, as('member'), caseId, 2, { proposal: 'x' })).toEqual({ ok: false, reason: 'forbidden' });
		expect(await saveDecision(database.db, as('otherBoardMember'), caseId, 2, { proposal: 'x' })).toEqual({ ok: false, reason: 'forbidden' });
		expect(await saveDecision(database.db, as('secretary'), caseId, 2, { treatmentTypes: ['pas-un-code'] })).toMatchObject({ ok: false, reason: 'invalid' });

		const history = await decisionHistory(database.db, fixture.people.member, caseId);
		expect(history.ok && history.versions.map((v) => [v.version, v.by, (v.content as { proposal: string }).proposal])).toEqual([
			[1, fixture.people.secretary.id, 'Colectomie'],
			[2, fixture.people.coordinator.id, 'Colectomie gauche']
		]);
		const current = await getDecision(database.db, fixture.people.member, caseId);
		expect(current.ok && current.content.treatmentTypes).toEqual(['387713003']);
		// The audit names the versions, never their text.
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, caseId));
		expect(trail.filter((e) => e.action === 'decision.save')).toHaveLength(2);
		expect(JSON.stringify(trail)).not.toContain('Colectomie');
	});

	it('evaluates the quorum of the case from who is in the room, as specialists come and go', async () => {
		const join = (who: keyof MeetingFixture['people'], peer: string) =>
			recordJoin(database.db, { roomId: fixture.meetingId, peerId: peer, displayName: who, meetingId: fixture.meetingId, userId: fixture.people[who].id, specialty: fixture.people[who].specialty, role: who });
		expect((await meetingQuorum(database.db, fixture.meetingId, boardId)).status).toBe('not-met');
		// A surgeon and a medical oncologist: two of the three required, two specialties of three.
		await join('coordinator', 'p-surgeon');
		await join('member', 'p-oncologist');
		await join('member', 'p-oncologist-second-tab');
		const partial = await meetingQuorum(database.db, fixture.meetingId, boardId);
		expect(partial).toMatchObject({ status: 'not-met', distinct: 2, present: ['digestive-surgery', 'medical-oncology'] });
		expect(partial.missing).toEqual(['Oncologie radiothérapie', '1 spécialité(s) de plus']);
		// A radiation oncologist joins: met.
		const [radiotherapist] = await database.db
			.insert(users)
			.values({ givenName: 'Rad', familyName: 'Test', email: `rad.${caseId}@chu.test`, specialty: 'radiation-oncology' })
			.returning();
		await recordJoin(database.db, { roomId: fixture.meetingId, peerId: 'p-radio', displayName: 'Rad', meetingId: fixture.meetingId, userId: radiotherapist.id, specialty: 'radiation-oncology', role: 'member' });
		expect(await meetingQuorum(database.db, fixture.meetingId, boardId)).toMatchObject({ status: 'met', met: true, missing: [] });
		await recordLeave(database.db, 'p-radio');
		expect((await meetingQuorum(database.db, fixture.meetingId, boardId)).met).toBe(false);
	});

	it('makes a proposal final only when complete, and without quorum only with the explicit mark; the quorum is stored with it', async () => {
		const current = await getDecision(database.db, fixture.people.secretary, caseId);
		const base = current.ok ? current.version : 0;
		const incomplete = await finalizeDecision(database.db, as('secretary'), caseId, base);
		expect(incomplete.ok).toBe(false);
		expect(!incomplete.ok && incomplete.reason === 'incomplete' && incomplete.problems.map((p) => p.field)).toEqual([
			'guidelineFollowed',
			'trialProposed',
			'fileComplete',
			'quorum'
		]);
		const saved = await saveDecision(database.db, as('secretary'), caseId, base, FULL);
		if (!saved.ok) throw new Error(saved.reason);
		// The radiation oncologist left: the quorum is not met.
		const refused = await finalizeDecision(database.db, as('secretary'), caseId, saved.version);
		expect(!refused.ok && refused.reason === 'incomplete' && refused.problems.map((p) => p.field)).toEqual(['quorum']);
		expect(await finalizeDecision(database.db, as('member'), caseId, saved.version)).toEqual({ ok: false, reason: 'forbidden' });

		const acknowledged = await saveDecision(database.db, as('secretary'), caseId, saved.version, { ...FULL, quorumNotMetAcknowledged: true });
		if (!acknowledged.ok) throw new Error(acknowledged.reason);
		const final = await finalizeDecision(database.db, as('secretary'), caseId, acknowledged.version);
		expect(final).toMatchObject({ ok: true, version: acknowledged.version, quorum: { status: 'not-met', met: false } });
		const stored = await getDecision(database.db, fixture.people.member, caseId);
		expect(stored).toMatchObject({ ok: true, status: 'final', quorum: { met: false, missing: ['Oncologie radiothérapie', '1 spécialité(s) de plus'] } });
	});

	it('records each participant’s read-back answer with its time; a disagreement needs a comment; an edit starts the read-back again', async () => {
		const current = await getDecision(database.db, fixture.people.member, caseId);
		if (!current.ok) throw new Error(current.reason);
		const respondent = (who: 'coordinator' | 'member' | 'secretary') => ({
			key: `user:${fixture.people[who].id}`,
			displayName: `${who} Test`,
			specialty: fixture.people[who].specialty,
			userId: fixture.people[who].id,
			guestId: null
		});
		expect(await answerReadBack(database.db, respondent('coordinator'), caseId, current.version, { answer: 'confirm', comment: '' }, null)).toMatchObject({ ok: true });
		expect(await answerReadBack(database.db, respondent('member'), caseId, current.version, { answer: 'disagree', comment: '' }, null)).toEqual({ ok: false, reason: 'comment-required' });
		expect(
			await answerReadBack(database.db, respondent('member'), caseId, current.version, { answer: 'disagree', comment: 'Je préférerais une chimiothérapie première.' }, null)
		).toMatchObject({ ok: true });
		const guest = { key: `guest:${fixture.guest.id}`, displayName: 'Dr Invitée', specialty: null, userId: null, guestId: fixture.guest.id };
		expect(await answerReadBack(database.db, guest, caseId, current.version, { answer: 'confirm', comment: '' }, null)).toMatchObject({ ok: true });
		expect(await answerReadBack(database.db, guest, caseId, current.version - 1, { answer: 'confirm', comment: '' }, null)).toEqual({ ok: false, reason: 'stale' });

		const answers = await readBackAnswers(database.db, caseId, current.version);
		expect(answers.map((a) => [a.displayName, a.answer, a.specialty])).toEqual([
			['coordinator Test', 'confirm', 'digestive-surgery'],
			['member Test', 'disagree', 'medical-oncology'],
			['Dr Invitée', 'confirm', null]
		]);
		expect(answers.every((a) => a.at instanceof Date)).toBe(true);

		// Changing the final proposal takes it back to draft: no answer to the new text yet.
		const edited = await saveDecision(database.db, as('secretary'), caseId, current.version, { ...FULL, quorumNotMetAcknowledged: true, proposal: 'Chimiothérapie première.' });
		expect(edited.ok).toBe(true);
		expect(await answerReadBack(database.db, guest, caseId, current.version + 1, { answer: 'confirm', comment: '' }, null)).toEqual({ ok: false, reason: 'not-final' });
		// The answers to the earlier version stay, with it.
		expect(await readBackAnswers(database.db, caseId, current.version)).toHaveLength(3);
	});
});
