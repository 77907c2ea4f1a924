import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { useManualClock } from '../../../../tests/helpers/clock.ts';
import { createFollowUpFixture, type FollowUpFixture } from '../../../../tests/helpers/follow-up-fixture.ts';
import { auditEvents } from '../db/schema.ts';
import { followUpDashboard, overdueForUser } from './dashboard.ts';
import { adjustPlan, closePlan, openingFor, openPlan, planItems } from './plans.ts';
import { listTemplates } from './templates.ts';

// Monday 1 March 2027, 10:00 in Paris.
const clock = useManualClock('2027-03-01T09:00:00Z');

describe(`follow-up plans (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: FollowUpFixture;
	let signed: string;
	let planId: string;
	const as = (who: keyof FollowUpFixture['people']) => ({ user: fixture.people[who], address: '192.0.2.7' });
	const colorectal = async () => (await listTemplates(database.db)).find((t) => t.definition.organ === 'MED-251')!.id;

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createFollowUpFixture(database.db);
		signed = await fixture.signedCase();
	});
	afterAll(() => database?.dispose());

	it('opens only from a signed fiche, for the requester, the coordinator or an administrator', async () => {
		const unsigned = await fixture.decidedCase();
		expect(await openingFor(database.db, fixture.people.member, unsigned)).toEqual({ ok: false, reason: 'no-signed-fiche' });
		expect(await openPlan(database.db, as('member'), unsigned, { templateId: await colorectal(), startOn: '2027-03-15' })).toEqual({
			ok: false,
			reason: 'no-signed-fiche'
		});
		expect(await openingFor(database.db, fixture.people.secretary, signed)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await openingFor(database.db, fixture.people.otherBoardMember, signed)).toEqual({ ok: false, reason: 'forbidden' });
		const opening = await openingFor(database.db, fixture.people.coordinator, signed);
		// The case's organ's template comes first.
		expect(opening.ok && opening.templates[0].definition.organ).toBe('MED-251');
	});

	it('refuses a start in the past and an unknown template, in French, field by field', async () => {
		const refused = await openPlan(database.db, as('member'), signed, { templateId: 'x', startOn: '2027-02-28' });
		expect(refused).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { templateId: 'Choisissez un modèle de suivi.', startOn: 'Le suivi ne peut pas commencer dans le passé' }
		});
	});

	it('opens one plan per case, with a copy of the template and the generated schedule, audited', async () => {
		const opened = await openPlan(database.db, as('member'), signed, { templateId: await colorectal(), startOn: '2027-03-01' });
		if (!opened.ok) throw new Error(opened.reason);
		expect(opened.created).toBe(true);
		planId = opened.plan.id;
		expect(opened.plan).toMatchObject({ caseId: signed, boardId: fixture.boardId, startOn: '2027-03-01', status: 'active' });
		expect((opened.plan.template as { organ: string }).organ).toBe('MED-251');
		const items = planItems(opened.plan);
		expect(items[0]).toMatchObject({ id: 'visit:M6', due: '2027-09-01', who: 'specialist' });
		expect(items.find((i) => i.id === 'visit:M12')).toMatchObject({ who: 'gp', due: '2028-03-01' });

		const again = await openPlan(database.db, as('coordinator'), signed, { templateId: await colorectal(), startOn: '2027-04-01' });
		expect(again.ok && [again.created, again.plan.id, again.plan.startOn]).toEqual([false, planId, '2027-03-01']);
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, planId));
		expect(trail.map((e) => e.action)).toEqual(['follow-up.open']);
		expect(JSON.stringify(trail)).not.toContain('Démo-Martin');
	});

	it('adjusts per patient: move, remove, add; no date in the past; writers only', async () => {
		const db = database.db;
		expect(await adjustPlan(db, as('secretary'), planId, { type: 'remove', itemId: 'visit:M6' })).toEqual({ ok: false, reason: 'forbidden' });
		expect(await adjustPlan(db, as('member'), planId, { type: 'move', itemId: 'visit:M6', due: '2027-02-01' })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { due: 'La date du 01/02/2027 est passée : choisissez une date à venir' }
		});
		const moved = await adjustPlan(db, as('member'), planId, { type: 'move', itemId: 'visit:M6', due: '2027-09-15' });
		expect(moved.ok && planItems(moved.plan).find((i) => i.id === 'visit:M6')?.due).toBe('2027-09-15');
		const removed = await adjustPlan(db, as('coordinator'), planId, { type: 'remove', itemId: 'exam:3:M12' });
		expect(removed.ok && planItems(removed.plan).some((i) => i.id === 'exam:3:M12')).toBe(false);
		const extra = { kind: 'exam', due: '2027-06-01', who: 'specialist', label: 'TEP-scanner', examKind: 'imaging' };
		await adjustPlan(db, as('member'), planId, { type: 'add', item: extra });
		const twice = await adjustPlan(db, as('member'), planId, { type: 'add', item: { ...extra, due: '2027-07-01' } });
		const added = twice.ok ? planItems(twice.plan).filter((i) => i.id.startsWith('added:')) : [];
		expect(added.map((i) => [i.id, i.due])).toEqual([
			['added:0', '2027-06-01'],
			['added:1', '2027-07-01']
		]);
		expect(await adjustPlan(db, as('member'), planId, { type: 'remove', itemId: 'nope' })).toMatchObject({ ok: false, reason: 'invalid' });
		const actions = (await db.select().from(auditEvents).where(eq(auditEvents.entityId, planId))).map((e) => e.action);
		expect(actions.filter((a) => a === 'follow-up.adjust')).toHaveLength(4);
	});

	it('flags overdue items on the dashboard of the board’s coordinator and secretary, from the clock', async () => {
		const db = database.db;
		// 10 June 2027: the added TEP-scanner (1 June) is due, not yet overdue (60 days of grace for an exam).
		clock.set('2027-06-10T08:00:00Z');
		expect(await overdueForUser(db, fixture.people.coordinator)).toEqual([]);
		// 20 October 2027: the visit of 15 September is 35 days late (30 days of grace), the scanner 141 days.
		clock.set('2027-10-20T08:00:00Z');
		const rows = await overdueForUser(db, fixture.people.secretary);
		expect(rows.map((r) => [r.itemId, r.daysLate, r.who])).toEqual(
			expect.arrayContaining([
				['added:0', 141, 'specialist'],
				['visit:M6', 35, 'specialist']
			])
		);
		expect(rows[0]).toMatchObject({ planId, patientName: 'DÉMO-MARTIN Jeanne Marie', boardName: 'RCP digestive' });
		// A member who is not a manager oversees no board; they see the plans of the cases they requested.
		expect(await overdueForUser(db, fixture.people.member)).toEqual([]);
		const mine = await followUpDashboard(db, fixture.people.member, null);
		expect(mine.managed).toBe(false);
		expect(mine.plans.map((p) => [p.planId, p.overdue > 0])).toEqual([[planId, true]]);
		expect((await followUpDashboard(db, fixture.people.otherBoardMember, null)).plans).toEqual([]);
		// A closed plan is no longer flagged.
		expect((await closePlan(db, as('member'), planId)).ok).toBe(true);
		expect(await overdueForUser(db, fixture.people.secretary)).toEqual([]);
	});
});
