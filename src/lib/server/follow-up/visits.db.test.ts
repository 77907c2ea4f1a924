import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { useManualClock } from '../../../../tests/helpers/clock.ts';
import { createFollowUpFixture, type FollowUpFixture } from '../../../../tests/helpers/follow-up-fixture.ts';
import { auditEvents, caseMeetingHistory, cases, followUpPlans, meetings } from '../db/schema.ts';
import { followUpDashboard } from './dashboard.ts';
import { claimGpLink, gpFromSession, inviteGp } from './gp-links.ts';
import { openPlan } from './plans.ts';
import { listTemplates } from './templates.ts';
import { listVisits, recordVisit, RELAPSE_HISTORY_REASON } from './visits.ts';

// 1 March 2027; the plans start today, so their first visit is on 1 September.
const clock = useManualClock('2027-03-01T09:00:00Z');

describe(`follow-up visits (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: FollowUpFixture;
	const plans: { caseId: string; planId: string }[] = [];
	const member = (who: keyof FollowUpFixture['people']) => ({ viewer: { kind: 'user' as const, user: fixture.people[who] }, address: '192.0.2.7' });
	const visit = { itemId: 'visit:M6', doneOn: '2027-09-02', by: 'specialist', findings: 'Examen normal.', examsDone: ['ACE (antigène carcino-embryonnaire)'], relapseSuspected: false };

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createFollowUpFixture(database.db);
		const templateId = (await listTemplates(database.db)).find((t) => t.definition.organ === 'MED-251')!.id;
		for (let index = 0; index < 3; index++) {
			const caseId = await fixture.signedCase();
			const opened = await openPlan(database.db, { user: fixture.people.member, address: null }, caseId, { templateId, startOn: '2027-03-01' });
			if (!opened.ok) throw new Error(opened.reason);
			plans.push({ caseId, planId: opened.plan.id });
		}
		// 3 September 2027: the next meeting (7 days after the fixture's "now") was long ago; a new one opens.
		clock.set('2027-09-03T08:00:00Z');
	});
	afterAll(() => database?.dispose());

	it('records a visit of a board member; a date in the future, an item not in the plan, outsiders are refused', async () => {
		const { planId } = plans[0];
		expect(await recordVisit(database.db, member('member'), planId, { ...visit, doneOn: '2027-09-04' }, { registerRelapse: false })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { doneOn: 'La date de la consultation est dans le futur' }
		});
		expect(await recordVisit(database.db, member('member'), planId, { ...visit, itemId: 'visit:M7' }, { registerRelapse: false })).toMatchObject({
			ok: false,
			errors: { itemId: 'Cette consultation ne fait pas partie du plan.' }
		});
		expect(await recordVisit(database.db, member('otherBoardMember'), planId, visit, { registerRelapse: false })).toEqual({ ok: false, reason: 'forbidden' });
		const recorded = await recordVisit(database.db, member('secretary'), planId, visit, { registerRelapse: false });
		expect(recorded.ok && recorded.visit).toMatchObject({ itemId: 'visit:M6', by: 'specialist', recordedByUser: fixture.people.secretary.id, recordedByGpLink: null });
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, planId));
		const audited = trail.find((e) => e.action === 'follow-up.visit');
		expect(audited?.details).toMatchObject({ visitId: recorded.ok && recorded.visit.id, itemId: 'visit:M6' });
		expect(JSON.stringify(trail)).not.toContain('Examen normal');
	});

	it('a suspected relapse seen by the GP registers the patient at the board’s next open meeting, pre-filled, in one step', async () => {
		const { planId, caseId } = plans[1];
		const now = clock.now();
		const startsAt = new Date(now.getTime() + 10 * 86_400_000);
		const later = new Date(now.getTime() + 24 * 86_400_000);
		const [next] = await database.db
			.insert(meetings)
			.values([
				{ boardId: fixture.boardId, startsAt: later, durationMinutes: 120, registrationDeadline: new Date(later.getTime() - 86_400_000) },
				{ boardId: fixture.boardId, startsAt, durationMinutes: 120, registrationDeadline: new Date(startsAt.getTime() - 86_400_000) }
			])
			.returning()
			.then((rows) => rows.filter((row) => row.startsAt.getTime() === startsAt.getTime()));
		const invited = await inviteGp(database.db, { user: fixture.people.member, address: null }, planId, { name: 'Dr Petitjean', email: '', rpps: '', expiresOn: '2028-03-01' });
		if (!invited.ok) throw new Error(invited.reason);
		const gp = await gpFromSession(database.db, (await claimGpLink(database.db, invited.token, null))!.secret);
		const ctx = { viewer: { kind: 'gp' as const, gp: gp! }, address: '198.51.100.9' };

		expect(await recordVisit(database.db, ctx, planId, { ...visit, relapseSuspected: true, relapseNote: '' }, { registerRelapse: true })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { relapseNote: 'Décrivez ce qui fait suspecter une récidive' }
		});
		const note = 'Douleurs hépatiques, ACE à 25 ng/mL';
		const recorded = await recordVisit(database.db, ctx, planId, { ...visit, itemId: undefined, by: 'specialist', relapseSuspected: true, relapseNote: note }, { registerRelapse: true });
		if (!recorded.ok) throw new Error(recorded.reason);
		// A GP session records as the GP, whatever the form said.
		expect(recorded.visit).toMatchObject({ by: 'gp', itemId: null, recordedByGpLink: invited.link.id, recordedByUser: null });
		expect(recorded.relapse).toMatchObject({ meetingId: next.id });
		expect(recorded.visit.relapseCaseId).toBe(recorded.relapse!.caseId);

		const [relapseCase] = await database.db.select().from(cases).where(eq(cases.id, recorded.relapse!.caseId));
		const [previous] = await database.db.select().from(cases).where(eq(cases.id, caseId));
		expect(relapseCase).toMatchObject({ boardId: fixture.boardId, meetingId: next.id, requestedBy: previous.requestedBy });
		expect(relapseCase.fiche).toMatchObject({
			presentationType: 'relapse',
			familyName: 'Démo-Martin',
			requestingPhysicianId: previous.requestedBy,
			discoveryCircumstances: `Suspicion de récidive lors du suivi : ${note}.`
		});
		expect(relapseCase.fiche).not.toHaveProperty('clinicalT');
		const history = await database.db.select().from(caseMeetingHistory).where(eq(caseMeetingHistory.caseId, relapseCase.id));
		expect(history.map((h) => [h.meetingId, h.reason])).toEqual([[next.id, RELAPSE_HISTORY_REASON]]);
		const [plan] = await database.db.select().from(followUpPlans).where(eq(followUpPlans.id, planId));
		expect(plan.status).toBe('relapse');
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, planId));
		expect(trail.find((e) => e.action === 'follow-up.relapse')?.details).toMatchObject({ caseId: relapseCase.id, meetingId: next.id, gpLinkId: invited.link.id });
		expect(JSON.stringify(trail)).not.toContain('hépatiques');
	});

	it('with no meeting open to registration the visit is kept, no case is made, and the dashboard shows it not re-presented', async () => {
		const { planId } = plans[2];
		// 1 December 2027: every meeting of the board is behind.
		clock.set('2027-12-01T08:00:00Z');
		const before = await database.db.select({ id: cases.id }).from(cases);
		const recorded = await recordVisit(database.db, member('member'), planId, { ...visit, doneOn: '2027-11-30', relapseSuspected: true, relapseNote: 'Nodule pulmonaire' }, { registerRelapse: true });
		expect(recorded.ok && [recorded.relapse, recorded.noOpenMeeting, recorded.visit.relapseCaseId]).toEqual([null, true, null]);
		expect(await database.db.select({ id: cases.id }).from(cases)).toHaveLength(before.length);
		expect((await listVisits(database.db, planId)).map((v) => v.relapseSuspected)).toEqual([true]);
		const board = await followUpDashboard(database.db, fixture.people.coordinator, null);
		expect(board.relapses.map((r) => [r.planId, r.relapseCaseId !== null])).toEqual(
			expect.arrayContaining([
				[plans[1].planId, true],
				[planId, false]
			])
		);
	});
});
