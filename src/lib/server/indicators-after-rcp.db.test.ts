import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';
import { caseDecisions, fiches, followUpPlans, followUpVisits, meetings, ppsVersions } from './db/schema.ts';
import { computeAfterRcpIndicators } from './indicators-after-rcp.ts';
import { indicatorFilter, IndicatorQuery } from './indicators.ts';

/**
 * Read on 1 June 2026 over March–May 2026. The board's meeting of 10 March decided three
 * colon cases and one breast case:
 * - c1: PPS v1 handed over ten days after the meeting, v2 later; follow-up opened on
 *   25 March with visits due 30 March (done 10 April: on time), 5 April (done 20 May:
 *   late), 15 April (not done: overdue), 10 May (not done, within 30 days: pending),
 *   1 July (not yet due), and an exam (not a visit);
 * - c2: PPS issued, never handed over; follow-up opened in February, two relapses
 *   suspected in April, one registered again at the board;
 * - c3: no PPS; c4 (breast): PPS handed over 30 days after, no follow-up.
 * The other board's case has a PPS and a running follow-up that its figures never show.
 */
useManualClock('2026-06-01T10:00:00Z');

describe(`after-RCP indicators (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let otherBoardId: string;
	const period = { from: '2026-03-01', to: '2026-05-31' };
	const at = (iso: string) => new Date(iso);

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db, at('2026-06-01T10:00:00Z'));
		const { db } = database;
		const [otherMeeting] = await db.select().from(meetings).where(eq(meetings.id, fixture.otherBoardMeetingId));
		otherBoardId = otherMeeting.boardId;
		const meeting = async (boardId: string) =>
			(await db.insert(meetings).values({ boardId, startsAt: at('2026-03-10T13:00:00Z'), durationMinutes: 120, registrationDeadline: at('2026-03-09T13:00:00Z'), status: 'closed' }).returning())[0].id;
		const m1 = await meeting(fixture.boardId);
		const o1 = await meeting(otherBoardId);
		let signed = 0;
		const decide = async (meetingId: string, boardId: string, tumourSiteCode: string) => {
			const row = await addCase(db, fixture, { boardId, meetingId, status: 'signed', fiche: { familyName: 'AFTERIND', tumourSiteCode } });
			await db.insert(caseDecisions).values({ caseId: row.id, meetingId, content: { guidelineFollowed: 'yes' }, version: 2, status: 'decided', quorum: { met: true } });
			signed += 1;
			const [fiche] = await db
				.insert(fiches)
				.values({
					caseId: row.id,
					meetingId,
					boardId,
					version: 1,
					content: {},
					pdf: new Uint8Array([37, 80, 68, 70]),
					sha256: `after-rcp-${signed}-${row.id}`,
					developmentSignature: true,
					validatedBy: fixture.people.coordinator.id,
					validatedAt: at('2026-03-11T09:00:00Z')
				})
				.returning();
			return { caseId: row.id, ficheId: fiche.id, boardId };
		};
		const setIds = new Map<string, string>();
		const pps = async (c: { caseId: string; ficheId: string; boardId: string }, version: number, handedOverAt: string | null) => {
			const setId = setIds.get(c.caseId) ?? crypto.randomUUID();
			setIds.set(c.caseId, setId);
			await db.insert(ppsVersions).values({
				setId,
				caseId: c.caseId,
				boardId: c.boardId,
				ficheId: c.ficheId,
				version,
				status: 'issued',
				content: {},
				snapshot: {},
				createdBy: fixture.people.member.id,
				issuedAt: at('2026-03-15T09:00:00Z'),
				issuedBy: fixture.people.member.id,
				handedOverAt: handedOverAt ? at(handedOverAt) : null,
				handedOverBy: handedOverAt ? fixture.people.member.id : null
			});
		};
		const plan = async (c: { caseId: string; boardId: string }, openedAt: string, status: string, items: { id: string; kind: string; due: string }[]) =>
			(
				await db
					.insert(followUpPlans)
					.values({ caseId: c.caseId, boardId: c.boardId, template: {}, startOn: openedAt.slice(0, 10), items, status, openedBy: fixture.people.member.id, openedAt: at(openedAt) })
					.returning()
			)[0].id;
		const visit = (planId: string, itemId: string | null, doneOn: string, relapse: { caseId: string | null } | null = null) =>
			db.insert(followUpVisits).values({
				planId,
				itemId,
				doneOn,
				by: 'gp',
				examsDone: [],
				relapseSuspected: relapse !== null,
				relapseNote: relapse ? 'nodule' : null,
				relapseCaseId: relapse?.caseId ?? null,
				recordedByUser: fixture.people.member.id
			});

		const c1 = await decide(m1, fixture.boardId, 'C18.7');
		await pps(c1, 1, '2026-03-20T13:00:00Z');
		await pps(c1, 2, '2026-04-20T13:00:00Z');
		const p1 = await plan(c1, '2026-03-25T09:00:00Z', 'active', [
			{ id: 'visit:a', kind: 'visit', due: '2026-03-30' },
			{ id: 'exam:0:M1', kind: 'exam', due: '2026-04-01' },
			{ id: 'visit:b', kind: 'visit', due: '2026-04-05' },
			{ id: 'visit:c', kind: 'visit', due: '2026-04-15' },
			{ id: 'visit:d', kind: 'visit', due: '2026-05-10' },
			{ id: 'visit:e', kind: 'visit', due: '2026-07-01' }
		]);
		await visit(p1, 'visit:a', '2026-04-10');
		await visit(p1, 'visit:b', '2026-05-20');

		const c2 = await decide(m1, fixture.boardId, 'C20');
		await pps(c2, 1, null);
		const p2 = await plan(c2, '2026-02-01T09:00:00Z', 'relapse', []);
		const again = await addCase(db, fixture, { fiche: { familyName: 'AFTERIND', tumourSiteCode: 'C20' } });
		await visit(p2, null, '2026-04-12', { caseId: again.id });
		await visit(p2, null, '2026-04-28', { caseId: null });

		await decide(m1, fixture.boardId, 'C18.2');
		const c4 = await decide(m1, fixture.boardId, 'C50.4');
		await pps(c4, 1, '2026-04-09T13:00:00Z');

		const o = await decide(o1, otherBoardId, 'C18.7');
		await pps(o, 1, '2026-03-11T13:00:00Z');
		const po = await plan(o, '2026-03-20T09:00:00Z', 'active', [{ id: 'visit:x', kind: 'visit', due: '2026-04-01' }]);
		await visit(po, null, '2026-04-02', { caseId: null });
	});
	afterAll(() => database?.dispose());

	const compute = async (query: Record<string, unknown>) => {
		const filter = indicatorFilter(IndicatorQuery.parse(query), [fixture.boardId, otherBoardId]);
		if (!filter.ok) throw new Error(filter.reason);
		return computeAfterRcpIndicators(database.db, filter.filter);
	};
	const ratio = (count: number, total: number) => ({ count, total, ratio: total > 0 ? count / total : null });

	it('counts the decided cases whose PPS was handed over, and the delay to the first handover', async () => {
		const after = await compute({ ...period, boardIds: [fixture.boardId] });
		expect(after.ppsHandedOver).toEqual(ratio(2, 4));
		expect(after.meetingToPps.n).toBe(2);
		expect(after.meetingToPps.median).toBeCloseTo(20, 5);
	});

	it('counts the patients in follow-up now and the plans opened in the period', async () => {
		const after = await compute({ ...period, boardIds: [fixture.boardId] });
		expect(after.patientsInFollowUp).toBe(1);
		expect(after.followUpsOpened).toBe(1);
	});

	it('sorts the planned visits due in the period into on time, late, overdue and still pending', async () => {
		const { visits } = await compute({ ...period, boardIds: [fixture.boardId] });
		expect(visits).toEqual({ onTime: 1, late: 1, overdue: 1, pending: 1, onTimeShare: ratio(1, 3) });
	});

	it('counts the suspected relapses and those presented again to a board', async () => {
		const after = await compute({ ...period, boardIds: [fixture.boardId] });
		expect(after.relapsesPresented).toEqual(ratio(1, 2));
	});

	it('keeps to the chosen boards, organ and period', async () => {
		const other = await compute({ ...period, boardIds: [otherBoardId] });
		expect(other.ppsHandedOver).toEqual(ratio(1, 1));
		expect(other.relapsesPresented).toEqual(ratio(0, 1));
		const breast = await compute({ ...period, boardIds: [fixture.boardId], organ: 'C50' });
		expect(breast.ppsHandedOver).toEqual(ratio(1, 1));
		expect(breast.patientsInFollowUp).toBe(0);
		expect(breast.visits.onTimeShare).toEqual(ratio(0, 0));
		const january = await compute({ from: '2026-01-01', to: '2026-01-31', boardIds: [fixture.boardId] });
		expect(january.ppsHandedOver).toEqual(ratio(0, 0));
		expect(january.meetingToPps).toEqual({ n: 0, median: null, p90: null });
		expect(january.followUpsOpened).toBe(0);
		expect(january.patientsInFollowUp).toBe(1);
	});
});
