import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { useManualClock } from '../../../../tests/helpers/clock.ts';
import { createFollowUpFixture, type FollowUpFixture } from '../../../../tests/helpers/follow-up-fixture.ts';
import { gpMayRequest } from '../../domain/follow-up-gp.ts';
import { auditEvents, followUpGpLinks } from '../db/schema.ts';
import { planFor } from './access.ts';
import { claimGpLink, endGpSession, gpFromSession, inviteGp, listGpLinks, peekGpLink, revokeGpLink } from './gp-links.ts';
import { openPlan } from './plans.ts';
import { listTemplates } from './templates.ts';

useManualClock('2027-03-01T09:00:00Z');

describe(`the GP's link (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: FollowUpFixture;
	let planId: string;
	let otherPlanId: string;
	let otherCaseId: string;
	const as = (who: keyof FollowUpFixture['people']) => ({ user: fixture.people[who], address: '192.0.2.7' });
	const now = new Date('2027-03-01T09:00:00Z');
	const input = { name: 'Dr Louis Petitjean', email: 'L.Petitjean@medecin.test', rpps: '', expiresOn: '2028-03-01' };

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createFollowUpFixture(database.db);
		const templateId = (await listTemplates(database.db))[0].id;
		const open = async () => {
			const caseId = await fixture.signedCase();
			const opened = await openPlan(database.db, as('member'), caseId, { templateId, startOn: '2027-03-01' });
			if (!opened.ok) throw new Error(opened.reason);
			return { caseId, planId: opened.plan.id };
		};
		planId = (await open()).planId;
		({ planId: otherPlanId, caseId: otherCaseId } = await open());
	});
	afterAll(() => database?.dispose());

	it('is given by a writer of the plan, until a day not in the past; the link is shown once', async () => {
		expect(await inviteGp(database.db, as('secretary'), planId, input, now)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await inviteGp(database.db, as('otherBoardMember'), planId, input, now)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await inviteGp(database.db, as('member'), planId, { ...input, name: 'X', expiresOn: '2027-02-28' }, now)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { name: 'Indiquez le nom du médecin traitant.' }
		});
		expect(await inviteGp(database.db, as('member'), planId, { ...input, expiresOn: '2027-02-28' }, now)).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { expiresOn: 'L’échéance ne peut pas être dans le passé.' }
		});
		const invited = await inviteGp(database.db, as('coordinator'), planId, input, now);
		if (!invited.ok) throw new Error(invited.reason);
		expect(invited.link).toMatchObject({ name: 'Dr Louis Petitjean', email: 'l.petitjean@medecin.test', rpps: null });
		const [stored] = await database.db.select().from(followUpGpLinks).where(eq(followUpGpLinks.id, invited.link.id));
		expect(JSON.stringify(stored)).not.toContain(invited.token);
		expect(await peekGpLink(database.db, invited.token, now)).toMatchObject({ planId, name: 'Dr Louis Petitjean', boardName: 'RCP digestive' });
		const listed = await listGpLinks(database.db, fixture.people.member, planId);
		expect(listed.ok && listed.links.map((l) => l.id)).toEqual([invited.link.id]);
		expect(await listGpLinks(database.db, fixture.people.secretary, planId)).toEqual({ ok: false, reason: 'forbidden' });
	});

	it('a GP link opens that patient’s follow-up and nothing else', async () => {
		const invited = await inviteGp(database.db, as('member'), planId, input, now);
		if (!invited.ok) throw new Error(invited.reason);
		const claimed = await claimGpLink(database.db, invited.token, '198.51.100.1', now);
		if (!claimed) throw new Error('link not opened');
		const gp = await gpFromSession(database.db, claimed.secret, now);
		expect(gp).toEqual({ linkId: invited.link.id, name: 'Dr Louis Petitjean', planId, expiresAt: invited.link.expiresAt });
		const viewer = { kind: 'gp' as const, gp: gp! };

		// Its plan: read, and record visits, but not adjust it nor invite.
		const own = await planFor(database.db, viewer, planId);
		expect(own.ok && [own.writer, own.recorder, own.case.id !== otherCaseId]).toEqual([false, true, true]);
		// Another patient's plan, even of the same board: refused.
		expect(await planFor(database.db, viewer, otherPlanId)).toEqual({ ok: false, reason: 'forbidden' });
		// Pages: its plan, its fiche and PPS under it; no case page, agenda, indicators, other plan, dashboard.
		for (const path of [`/suivi/${planId}`, `/suivi/${planId}/__data.json`, `/suivi/${planId}/fiche.pdf`, `/suivi/${planId}/pps/x/cda`, '/medecin/abc']) {
			expect(gpMayRequest(gp!, path), path).toBe(true);
		}
		for (const path of [
			`/suivi/${otherPlanId}`,
			`/suivi/${otherPlanId}/fiche.pdf`,
			'/suivi',
			'/suivi/modeles',
			`/cases/${otherCaseId}`,
			`/meetings/${fixture.meetingId}`,
			'/indicators',
			'/boards',
			'/attendance',
			`/suivi/${planId}x`
		]) {
			expect(gpMayRequest(gp!, path), path).toBe(false);
		}

		// Opening the link again (another browser) ends the first session.
		const second = await claimGpLink(database.db, invited.token, '198.51.100.2', now);
		expect(await gpFromSession(database.db, claimed.secret, now)).toBeUndefined();
		expect(await gpFromSession(database.db, second!.secret, now)).toMatchObject({ planId });
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, planId));
		expect(trail.filter((e) => e.action === 'follow-up.gp.claim').map((e) => [e.actorUserId, e.address, (e.details as { gpLinkId: string }).gpLinkId])).toEqual([
			[null, '198.51.100.1', invited.link.id],
			[null, '198.51.100.2', invited.link.id]
		]);
		expect(JSON.stringify(trail)).not.toContain('Petitjean');

		// Leaving ends the session in that browser; the link opens a new one.
		await endGpSession(database.db, second!.secret, '198.51.100.2', now);
		expect(await gpFromSession(database.db, second!.secret, now)).toBeUndefined();
		expect(await claimGpLink(database.db, invited.token, '198.51.100.2', now)).toBeDefined();
	});

	it('stops working once revoked or expired', async () => {
		const invited = await inviteGp(database.db, as('member'), planId, { ...input, expiresOn: '2027-06-30' }, now);
		if (!invited.ok) throw new Error(invited.reason);
		const claimed = await claimGpLink(database.db, invited.token, null, now);
		// After its last day (30 June, Paris) neither the link nor the session works.
		const after = new Date('2027-06-30T22:30:00Z');
		expect(await gpFromSession(database.db, claimed!.secret, new Date('2027-06-30T21:00:00Z'))).toMatchObject({ planId });
		expect(await gpFromSession(database.db, claimed!.secret, after)).toBeUndefined();
		expect(await claimGpLink(database.db, invited.token, null, after)).toBeUndefined();
		expect(await peekGpLink(database.db, invited.token, after)).toBeUndefined();

		// Revoking through another plan's id finds nothing; through its own, the session ends at once.
		expect((await revokeGpLink(database.db, as('member'), otherPlanId, invited.link.id)).ok).toBe(false);
		expect(await revokeGpLink(database.db, as('secretary'), planId, invited.link.id)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await revokeGpLink(database.db, as('member'), planId, invited.link.id)).toEqual({ ok: true });
		expect(await gpFromSession(database.db, claimed!.secret, now)).toBeUndefined();
		expect(await claimGpLink(database.db, invited.token, null, now)).toBeUndefined();
		expect(await claimGpLink(database.db, 'not-a-token', null, now)).toBeUndefined();
		const actions = (await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, planId))).map((e) => e.action);
		expect(actions).toEqual(expect.arrayContaining(['follow-up.gp.invite', 'follow-up.gp.revoke']));
	});
});
