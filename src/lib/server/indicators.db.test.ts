import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { caseDecisions, caseDiscussions, caseMeetingHistory, ficheRecipients, fiches, meetings, roomPresences, users } from './db/schema.ts';
import { computeIndicators, indicatorBoards, indicatorFilter, IndicatorQuery } from './indicators.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';

/**
 * A month of a board with known answers (March 2026):
 * - M1 (3 March, closed): c1 discussed and decided, c2 recorded without discussion, c3 postponed to M2;
 * - M2 (17 March, closed): c3 discussed and decided, c4 registered and not discussed;
 * - M3 (24 March) cancelled; M4 (7 April) outside the period; another board's meeting O1.
 */

// The days named below are in the past of no run: the clock stands on them.
useManualClock('2026-06-01T10:00:00Z');

describe(`indicators (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let otherBoardId: string;
	const at = (iso: string) => new Date(iso);
	const march = { from: '2026-03-01', to: '2026-03-31' };

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db, at('2026-06-01T10:00:00Z'));
		const { db } = database;
		const meeting = async (boardId: string, startsAt: string, status: string) =>
			(
				await db
					.insert(meetings)
					.values({ boardId, startsAt: at(startsAt), durationMinutes: 120, registrationDeadline: new Date(at(startsAt).getTime() - 3 * 86_400_000), status })
					.returning()
			)[0].id;
		const [otherBoardMeeting] = await db.select().from(meetings).where(eq(meetings.id, fixture.otherBoardMeetingId));
		otherBoardId = otherBoardMeeting.boardId;
		const m1 = await meeting(fixture.boardId, '2026-03-03T13:00:00Z', 'closed');
		const m2 = await meeting(fixture.boardId, '2026-03-17T13:00:00Z', 'closed');
		await meeting(fixture.boardId, '2026-03-24T13:00:00Z', 'cancelled');
		const m4 = await meeting(fixture.boardId, '2026-04-07T12:00:00Z', 'closed');
		const o1 = await meeting(otherBoardId, '2026-03-10T13:00:00Z', 'closed');

		const newCase = async (meetingId: string, boardId: string, createdAt: string, completeAt: string | null, site: string, status: string) => {
			const row = await addCase(db, fixture, {
				boardId,
				meetingId,
				status,
				createdAt: at(createdAt),
				completeAt: completeAt ? at(completeAt) : null,
				fiche: { familyName: 'INDIC', tumourSiteCode: site }
			});
			await db.insert(caseMeetingHistory).values({ caseId: row.id, meetingId, reason: 'registered', at: at(createdAt) });
			return row.id;
		};
		const decide = (caseId: string, meetingId: string, content: Record<string, unknown>, present: string[]) =>
			db.insert(caseDecisions).values({ caseId, meetingId, content, version: 3, status: 'decided', quorum: { met: present.length >= 3, present, status: 'x', missing: [], at: '' } });
		const discussion = (caseId: string, meetingId: string, from: string, to: string, outcome: string) =>
			db.insert(caseDiscussions).values({ caseId, meetingId, openedAt: at(from), closedAt: at(to), outcome });
		const fiche = async (caseId: string, meetingId: string, boardId: string, validatedAt: string) =>
			(
				await db
					.insert(fiches)
					.values({ caseId, meetingId, boardId, version: 1, content: {}, pdf: new Uint8Array([1]), sha256: `${caseId}-v1`, developmentSignature: true, validatedBy: fixture.people.coordinator.id, validatedAt: at(validatedAt) })
					.returning()
			)[0].id;

		// c1: 13.125 days before M1, complete in time; discussed 12 min, decided (3 specialties, référentiel, trial); validated after 2 days, sent a day later.
		const c1 = await newCase(m1, fixture.boardId, '2026-02-18T10:00:00Z', '2026-02-25T10:00:00Z', 'C18.7', 'sent');
		await decide(c1, m1, { recordedWithoutDiscussion: false, guidelineFollowed: 'yes', trialProposed: true }, ['digestive-surgery', 'medical-oncology', 'radiation-oncology']);
		await discussion(c1, m1, '2026-03-03T13:00:00Z', '2026-03-03T13:12:00Z', 'decided');
		const f1 = await fiche(c1, m1, fixture.boardId, '2026-03-05T13:00:00Z');
		await db.insert(ficheRecipients).values([
			{ caseId: c1, kind: 'gp', name: 'Dr A', sentFicheId: f1, sentAt: at('2026-03-05T20:00:00Z') },
			{ caseId: c1, kind: 'requester', name: 'Dr B', sentFicheId: f1, sentAt: at('2026-03-06T13:00:00Z') }
		]);
		// c2: 4 days before M1, incomplete at the deadline (lung); recorded without discussion, quorum not met (2 specialties); validated after 4 days, not sent.
		const c2 = await newCase(m1, fixture.boardId, '2026-02-27T13:00:00Z', null, 'C34.1', 'validated');
		await decide(c2, m1, { recordedWithoutDiscussion: true, guidelineFollowed: 'yes', trialProposed: false }, ['digestive-surgery', 'medical-oncology']);
		await fiche(c2, m1, fixture.boardId, '2026-03-07T13:00:00Z');
		await db.insert(ficheRecipients).values({ caseId: c2, kind: 'gp', name: 'Dr C' });
		// c3: 20 days before M2; postponed at M1 (8 min), decided at M2 (10 min, 4 specialties, référentiel not followed).
		const c3 = await newCase(m1, fixture.boardId, '2026-02-25T13:00:00Z', '2026-02-26T13:00:00Z', 'C18.2', 'decided');
		await db.insert(caseMeetingHistory).values({ caseId: c3, meetingId: m2, reason: 'postponed', at: at('2026-03-03T13:20:00Z') });
		await discussion(c3, m1, '2026-03-03T13:12:00Z', '2026-03-03T13:20:00Z', 'postponed');
		await discussion(c3, m2, '2026-03-17T13:00:00Z', '2026-03-17T13:10:00Z', 'decided');
		await decide(c3, m2, { recordedWithoutDiscussion: false, guidelineFollowed: 'no', trialProposed: false }, ['digestive-surgery', 'medical-oncology', 'radiation-oncology', 'radiology']);
		// c4: on M2, complete only after its deadline, not discussed.
		await newCase(m2, fixture.boardId, '2026-03-10T13:00:00Z', '2026-03-16T12:00:00Z', 'C18.0', 'complete');
		// Outside: a case of April, and one of the other board.
		const c5 = await newCase(m4, fixture.boardId, '2026-03-30T13:00:00Z', '2026-03-30T13:00:00Z', 'C18.7', 'decided');
		await decide(c5, m4, { guidelineFollowed: 'yes' }, ['digestive-surgery']);
		const c6 = await newCase(o1, otherBoardId, '2026-03-01T13:00:00Z', '2026-03-01T13:00:00Z', 'C34.1', 'decided');
		await decide(c6, o1, { guidelineFollowed: 'yes', trialProposed: true }, ['pneumology', 'thoracic-surgery', 'medical-oncology']);

		// Presence: the surgeon twice at M1 (a reconnection) and at M2, the oncologist at M1, a radiation oncologist at M2; a guest.
		const [radiotherapist] = await db.insert(users).values({ givenName: 'Rad', familyName: 'Test', email: `rad.${fixture.boardId}@chu.test`, specialty: 'radiation-oncology' }).returning();
		const presence = (meetingId: string, peerId: string, userId: string | null, specialty: string | null) =>
			db.insert(roomPresences).values({ roomId: meetingId, peerId: `${peerId}-${meetingId}`, displayName: peerId, meetingId, userId, specialty, joinedAt: at('2026-03-03T13:00:00Z') });
		await presence(m1, 'surgeon-1', fixture.people.coordinator.id, 'digestive-surgery');
		await presence(m1, 'surgeon-2', fixture.people.coordinator.id, 'digestive-surgery');
		await presence(m1, 'oncologist', fixture.people.member.id, 'medical-oncology');
		await presence(m1, 'guest', null, null);
		await presence(m2, 'surgeon', fixture.people.coordinator.id, 'digestive-surgery');
		await presence(m2, 'radiotherapist', radiotherapist.id, 'radiation-oncology');
	});
	afterAll(() => database?.dispose());

	const compute = async (query: Record<string, unknown>, allowed?: string[]) => {
		const parsed = IndicatorQuery.parse(query);
		const filter = indicatorFilter(parsed, allowed ?? [fixture.boardId]);
		if (!filter.ok) throw new Error(filter.reason);
		return computeIndicators(database.db, filter.filter);
	};

	it('computes every indicator of the board’s month', async () => {
		const indicators = await compute({ ...march, boardIds: [fixture.boardId] });
		expect(indicators.meetingsHeld).toBe(2);
		expect(indicators.cases).toEqual({ registered: 4, discussed: 2, recorded: 1, postponed: 1 });
		expect(indicators.quorumMet).toEqual({ count: 2, total: 3, ratio: 2 / 3 });
		expect(indicators.completeAtDeadline).toEqual({ count: 3, total: 5, ratio: 3 / 5 });
		expect(indicators.guidelineFollowed).toEqual({ count: 2, total: 3, ratio: 2 / 3 });
		expect(indicators.trialProposed).toEqual({ count: 1, total: 3, ratio: 1 / 3 });
		expect(indicators.delays.registrationToMeeting.n).toBe(3);
		expect(indicators.delays.registrationToMeeting.median).toBeCloseTo(13.125, 6);
		expect(indicators.delays.registrationToMeeting.p90).toBeCloseTo(13.125 + 0.8 * (20 - 13.125), 6);
		expect(indicators.delays.meetingToValidation).toEqual({ n: 2, median: 3, p90: expect.closeTo(3.8, 6) });
		expect(indicators.delays.validationToSent).toEqual({ n: 1, median: 1, p90: 1 });
		expect(indicators.attendance).toEqual([
			{ specialty: 'digestive-surgery', label: 'Chirurgie digestive', physicians: 1, presences: 2 },
			{ specialty: 'medical-oncology', label: 'Oncologie médicale', physicians: 1, presences: 1 },
			{ specialty: 'radiation-oncology', label: 'Oncologie radiothérapie', physicians: 1, presences: 1 }
		]);
		expect(indicators.casesPerMeeting).toBe(2);
		expect(indicators.minutesPerCase).toBeCloseTo(10, 6);
		expect(indicators.has).toEqual({ level1: { count: 3, total: 4, ratio: 0.75 }, level2: { count: 2, total: 4, ratio: 0.5 } });
	});

	it('filters by organ (ICD-10 category of the tumour site) and spans boards', async () => {
		const colon = await compute({ ...march, boardIds: [fixture.boardId], organ: 'c18' });
		expect(colon.cases).toEqual({ registered: 3, discussed: 2, recorded: 0, postponed: 1 });
		expect(colon.quorumMet).toEqual({ count: 2, total: 2, ratio: 1 });
		const network = await compute({ ...march }, [fixture.boardId, otherBoardId]);
		expect(network.meetingsHeld).toBe(3);
		expect(network.cases.discussed).toBe(3);
		expect(network.trialProposed).toEqual({ count: 2, total: 4, ratio: 0.5 });
	});

	it('an empty period gives zeros and no ratio, not an error; boards outside the user’s are refused', async () => {
		const empty = await compute({ from: '2025-01-01', to: '2025-01-31', boardIds: [fixture.boardId] });
		expect(empty.meetingsHeld).toBe(0);
		expect(empty.cases).toEqual({ registered: 0, discussed: 0, recorded: 0, postponed: 0 });
		expect(empty.quorumMet).toEqual({ count: 0, total: 0, ratio: null });
		expect(empty.delays.registrationToMeeting).toEqual({ n: 0, median: null, p90: null });
		expect(empty.casesPerMeeting).toBeNull();
		expect(empty.attendance).toEqual([]);
		expect(indicatorFilter(IndicatorQuery.parse({ ...march, boardIds: [otherBoardId] }), [fixture.boardId])).toEqual({ ok: false, reason: 'forbidden' });
		expect(IndicatorQuery.safeParse({ from: '2026-03-31', to: '2026-03-01' }).success).toBe(false);
		expect(IndicatorQuery.safeParse({ ...march, organ: 'côlon' }).success).toBe(false);
	});

	it('each user reads the indicators of their own boards; administrators and network editors, the whole network', async () => {
		const mine = await indicatorBoards(database.db, fixture.people.member);
		expect(mine.map((b) => b.id)).toEqual([fixture.boardId]);
		const all = await indicatorBoards(database.db, fixture.people.admin);
		expect(all.map((b) => b.id).sort()).toEqual([fixture.boardId, otherBoardId].sort());
		const editor = await indicatorBoards(database.db, { ...fixture.people.member, networkEditor: true });
		expect(editor.map((b) => b.id).sort()).toEqual([fixture.boardId, otherBoardId].sort());
	});
});
