/**
 * A patient of the demonstration whose care went on after the RCP (issue 16): decided at a
 * digestive meeting thirteen months ago, the fiche signed the next day, the PPS written and
 * handed over (version 1), updated two months later when the chemotherapy was shortened
 * (version 2, handed over too), then, at the end of treatment nine months ago, the
 * alternating follow-up opened from the network's colorectal template with a GP visit
 * added at three months. The GP was invited by link and recorded that visit; the
 * specialist's six-month visit and its exams were never recorded, and are overdue.
 *
 * Everything goes through the services with the clock standing at each step's day
 * (`withClockAt`), so that dates, audit rows and the rules (no plan opened in the past, no
 * visit in the future) are what the app would have written then.
 */
import { eq } from 'drizzle-orm';
import { withClockAt } from '../../../src/lib/clock.ts';
import { addCalendarMonths } from '../../../src/lib/domain/follow-up.ts';
import type { PpsDraftInput } from '../../../src/lib/domain/pps.ts';
import { parisDate } from '../../../src/lib/domain/schedule.ts';
import type { Database } from '../../../src/lib/server/db/index.ts';
import { followUpPlans, meetings, type Meeting } from '../../../src/lib/server/db/schema.ts';
import { finalizeDecision, saveDecision } from '../../../src/lib/server/decisions.ts';
import { validateFiche } from '../../../src/lib/server/fiches/service.ts';
import { claimGpLink, inviteGp } from '../../../src/lib/server/follow-up/gp-links.ts';
import { adjustPlan, openPlan, planItems } from '../../../src/lib/server/follow-up/plans.ts';
import { listTemplates } from '../../../src/lib/server/follow-up/templates.ts';
import { recordVisit } from '../../../src/lib/server/follow-up/visits.ts';
import { closeCase, openCase } from '../../../src/lib/server/live-meeting.ts';
import { roomEntryFor } from '../../../src/lib/server/meeting-room.ts';
import { handOverPps, issuePps, newPpsVersion, ppsOfCase, savePpsDraft, startPps } from '../../../src/lib/server/pps/service.ts';
import { recordJoin, recordLeave } from '../../../src/lib/server/presence.ts';
import type { SigningIdentity } from '../../../src/lib/server/signing/identity.ts';
import type { SessionUser } from '../../../src/lib/server/users.ts';

export interface AfterRcpInput {
	boardId: string;
	coordinator: SessionUser;
	secretary: SessionUser;
	/** Physicians in the room besides the coordinator (the quorum). */
	members: SessionUser[];
	/** Who registered the case and writes the PPS (the requesting physician). */
	requester: SessionUser;
	/** Registers the patient's case on `meeting` as of `at`; returns its id. */
	register: (meeting: Meeting, at: Date) => Promise<string>;
	/** The signing identity of the instance (the development certificate in the demo). */
	identity: SigningIdentity;
	now: Date;
	publicOrigin: string;
}

export interface AfterRcpDemo {
	caseId: string;
	planId: string;
	/** The GP's personal link, still valid. */
	gpLink: string;
	gpName: string;
}

const DAY = 86_400_000;
const must = <T extends { ok: boolean }>(result: T, what: string): T => {
	if (!result.ok) throw new Error(`demo: ${what} refused (${JSON.stringify(result)})`);
	return result;
};

export const DEMO_GP_NAME = 'Dr Martine Généraliste (fictive)';

/** The PPS as the requesting physician writes it the day after the meeting. */
function firstPps(diagnosis: string, careTeam: unknown[], day: (offset: number) => string): PpsDraftInput {
	return {
		diagnosis,
		phases: [
			{ type: '387713003', description: 'Colectomie gauche par cœlioscopie.', start: day(14), end: day(20), durationWeeks: null, placeOfCare: 'Chirurgie digestive, CHU de Démo-sur-Loire' },
			{
				type: 'C15632',
				description: 'Chimiothérapie adjuvante (FOLFOX), une cure tous les 14 jours.',
				start: day(42),
				end: null,
				durationWeeks: 24,
				placeOfCare: 'Hôpital de jour d’oncologie, CHU de Démo-sur-Loire'
			}
		],
		careTeam: careTeam as PpsDraftInput['careTeam'],
		supportiveCare: { codes: ['ORG-036', 'ORG-175'], note: 'Consultation diététique avant la chimiothérapie.' },
		socialSupport: { codes: ['PAT-027'], note: '' },
		associatedMeasures: { codes: [], note: '' },
		sideEffects: { codes: [], note: 'Fièvre ≥ 38,5 °C pendant la chimiothérapie : appeler l’hôpital de jour.' },
		updateReason: null
	};
}

/** Fills the patient's story; returns what the summary prints. */
export async function fillAfterRcp(db: Database, input: AfterRcpInput): Promise<AfterRcpDemo> {
	const { now } = input;
	// The meeting: a Tuesday (the board's day) about thirteen months ago, 13:00 UTC (14:00 Paris in winter, 15:00 in summer).
	const aboutThen = new Date(Math.floor((now.getTime() - 395 * DAY) / DAY) * DAY + 13 * 3600_000);
	const startsAt = new Date(aboutThen.getTime() - ((aboutThen.getUTCDay() + 5) % 7) * DAY);
	const at = (days: number) => new Date(startsAt.getTime() + days * DAY);
	const day = (days: number) => parisDate(at(days));
	const [meeting] = await db
		.insert(meetings)
		.values({ boardId: input.boardId, startsAt, durationMinutes: 120, registrationDeadline: at(-3), status: 'scheduled' })
		.returning();
	const caseId = await withClockAt(at(-5), () => input.register(meeting, at(-5)));

	// The meeting: the coordinator, the secretary and three physicians; one case, decided.
	const everyone = [input.coordinator, input.secretary, ...input.members];
	await withClockAt(startsAt, async () => {
		for (const [i, person] of everyone.entries()) {
			const role = i === 0 ? 'coordinator' : i === 1 ? 'secretary' : 'member';
			const peer = { roomId: meeting.id, peerId: `demo-after-${meeting.id}-${i}`, displayName: `${person.givenName} ${person.familyName}`, meetingId: meeting.id, userId: person.id, specialty: person.specialty, role } as const;
			await recordJoin(db, peer, new Date(startsAt.getTime() + i * 60_000));
		}
		const entry = await roomEntryFor(db, { kind: 'user', user: input.coordinator }, meeting.id);
		if (!entry.ok) throw new Error(`demo: the room refused its coordinator (${entry.reason})`);
		const as = { user: input.secretary, address: null };
		must(await openCase(db, entry.participant, caseId, new Date(startsAt.getTime() + 5 * 60_000)), 'opening the case');
		const saved = must(
			await saveDecision(db, as, caseId, 0, {
				treatmentTypes: ['387713003', 'C15632'],
				proposal: 'Colectomie gauche par cœlioscopie, puis chimiothérapie adjuvante (FOLFOX, 6 mois) selon l’histologie définitive.',
				guidelineFollowed: 'yes',
				guidelineName: 'Thésaurus national de cancérologie digestive (TNCD)',
				guidelineVersion: '2024',
				trialProposed: false,
				fileComplete: true
			}),
			'the proposal'
		);
		if (!saved.ok) return;
		must(await finalizeDecision(db, as, caseId, saved.version), 'the final proposal');
		must(await closeCase(db, entry.participant, input.coordinator, 'decided', new Date(startsAt.getTime() + 20 * 60_000)), 'closing the case');
		for (let i = 0; i < everyone.length; i++) await recordLeave(db, `demo-after-${meeting.id}-${i}`, new Date(startsAt.getTime() + (30 + i) * 60_000));
		await db.update(meetings).set({ status: 'closed' }).where(eq(meetings.id, meeting.id));
	});

	// The next day the coordinator signs the fiche; the requesting physician writes the PPS.
	await withClockAt(at(1), async () => must(await validateFiche(db, { user: input.coordinator, address: null, identity: input.identity, now: at(1) }, caseId), 'signing the fiche'));
	const writer = { user: input.requester, address: null };
	await withClockAt(at(2), async () => {
		const started = must(await startPps(db, writer, caseId), 'starting the PPS');
		if (!started.ok) return;
		const versionId = started.versionId;
		const view = await ppsOfCase(db, input.requester, caseId);
		if (!view.ok || !view.draft) throw new Error('demo: the PPS draft is not there');
		const prefilled = view.draft.content;
		must(await savePpsDraft(db, writer, versionId, firstPps(prefilled.diagnosis, prefilled.careTeam, day), view.draft.updatedAt), 'the PPS draft');
		must(await issuePps(db, writer, versionId), 'issuing the PPS');
		must(await handOverPps(db, writer, versionId, day(2)), 'handing the PPS over');
	});
	// Two months later the chemotherapy is shortened to three months (IDEA): version 2.
	await withClockAt(at(70), async () => {
		const next = must(await newPpsVersion(db, writer, caseId), 'a new PPS version');
		if (!next.ok) return;
		const view = await ppsOfCase(db, input.requester, caseId);
		if (!view.ok || !view.draft) throw new Error('demo: the PPS version 2 draft is not there');
		const content = view.draft.content;
		const phases = content.phases.map((phase, index) =>
			index === 1 ? { ...phase, durationWeeks: 12, description: 'Chimiothérapie adjuvante (FOLFOX) ramenée à 3 mois : neuropathie de grade 2.' } : phase
		);
		const updated = { ...content, phases, updateReason: { code: 'MED-560', note: 'Durée de la chimiothérapie ramenée à 3 mois.' } };
		must(await savePpsDraft(db, writer, next.versionId, updated, view.draft.updatedAt), 'the PPS version 2');
		must(await issuePps(db, writer, next.versionId), 'issuing the PPS version 2');
		must(await handOverPps(db, writer, next.versionId, day(70)), 'handing version 2 over');
	});

	// End of treatment: the specialist opens the follow-up, with a GP visit at three months.
	const start = at(125);
	const startOn = parisDate(start);
	const template = (await listTemplates(db)).find((row) => row.definition.organ === 'MED-251');
	if (!template) throw new Error('demo: no colorectal follow-up template');
	const planId = await withClockAt(start, async () => {
		const opened = must(await openPlan(db, writer, caseId, { templateId: template.id, startOn }), 'opening the follow-up');
		if (!opened.ok) throw new Error('unreachable');
		const item = { kind: 'visit', due: addCalendarMonths(startOn, 3), who: 'gp', label: 'Consultation chez le médecin traitant (tolérance, reprise du travail)' };
		must(await adjustPlan(db, writer, opened.plan.id, { type: 'add', item }), 'adjusting the plan');
		return opened.plan.id;
	});

	// Three months on the GP is invited, opens the link and records the visit.
	const gpDay = new Date(Date.parse(`${addCalendarMonths(startOn, 3)}T10:00:00Z`));
	const invited = await withClockAt(gpDay, async () => {
		const result = must(
			await inviteGp(db, writer, planId, { name: DEMO_GP_NAME, email: 'cabinet.generaliste@concerto-demo.test', rpps: '', expiresOn: parisDate(new Date(gpDay.getTime() + 365 * DAY)) }),
			'inviting the GP'
		);
		if (!result.ok) throw new Error('unreachable');
		const claimed = await claimGpLink(db, result.token, null);
		if (!claimed) throw new Error('demo: the GP link did not open');
		const [plan] = await db.select().from(followUpPlans).where(eq(followUpPlans.id, planId));
		const gpVisit = planItems(plan).find((entry) => entry.who === 'gp' && entry.id.startsWith('added:'));
		must(
			await recordVisit(
				db,
				{ viewer: { kind: 'gp', gp: claimed.gp }, address: null },
				planId,
				{
					itemId: gpVisit?.id,
					doneOn: parisDate(gpDay),
					by: 'gp',
					findings: 'Bon état général, poids stable. Neuropathie résiduelle des extrémités en régression. Reprise du travail à mi-temps envisagée.',
					examsDone: [],
					relapseSuspected: false
				},
				{ registerRelapse: false }
			),
			'the GP visit'
		);
		return result.token;
	});
	return { caseId, planId, gpLink: `${input.publicOrigin}/medecin/${invited}`, gpName: DEMO_GP_NAME };
}
