import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { useManualClock } from '../../../tests/helpers/clock.ts';
import { caseDecisions, caseTrialOutcomes, meetings, referentiels, referentielSituations, referentielVersions, trials } from './db/schema.ts';
import { computeNetworkIndicators } from './indicators-network.ts';
import { indicatorFilter, IndicatorQuery } from './indicators.ts';

/**
 * March 2026, the board's meeting M1 and another board's O1, with known answers:
 * - c1 colon, follows "Cancer colorectal" 2026, proposed COLOPREV → included;
 * - c2 colon, follows the 2025 version (cited before 2026 superseded it), COLOPREV → not included;
 * - c3 colon, hors référentiel citing the 2026 situation it departs from, COLOPREV → nothing recorded yet;
 * - c4 colon, follows a national guideline named in free text, a trial named in free text;
 * - c5 breast, no référentiel applies, proposed the trial without acronym → included;
 * - c6 without organ, hors référentiel without citation, no trial;
 * - a draft proposal on M1 (not decided), a case of April and o1 of the other board.
 */

useManualClock('2026-06-01T10:00:00Z');

const COLON = 'MED-251';
const BREAST = '76752008';

describe(`network indicators (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let otherBoardId: string;
	const ids = {} as Record<'colorectal' | 'v2025' | 'v2026' | 'breast' | 'coloprev' | 'untitled', string>;
	const march = { from: '2026-03-01', to: '2026-03-31' };
	const at = (iso: string) => new Date(iso);

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db, at('2026-06-01T10:00:00Z'));
		const { db } = database;
		const [otherMeeting] = await db.select().from(meetings).where(eq(meetings.id, fixture.otherBoardMeetingId));
		otherBoardId = otherMeeting.boardId;
		const meeting = async (boardId: string, startsAt: string) =>
			(await db.insert(meetings).values({ boardId, startsAt: at(startsAt), durationMinutes: 120, registrationDeadline: at(startsAt), status: 'closed' }).returning())[0].id;
		const m1 = await meeting(fixture.boardId, '2026-03-10T13:00:00Z');
		const o1 = await meeting(otherBoardId, '2026-03-12T13:00:00Z');
		const april = await meeting(fixture.boardId, '2026-04-07T12:00:00Z');

		// The library: situations are written while the version is a draft, then it is published.
		const referentiel = async (title: string, organ: string) => (await db.insert(referentiels).values({ title, organ }).returning())[0].id;
		const version = async (referentielId: string, label: string, code: string) => {
			const [row] = await db.insert(referentielVersions).values({ referentielId, label }).returning();
			const [situation] = await db.insert(referentielSituations).values({ versionId: row.id, code, heading: `${code} heading` }).returning();
			await db.update(referentielVersions).set({ status: 'published', publishedAt: at('2026-01-15T10:00:00Z') }).where(eq(referentielVersions.id, row.id));
			return { versionId: row.id, situationId: situation.id, code };
		};
		ids.colorectal = await referentiel('Cancer colorectal', COLON);
		const v2025 = await version(ids.colorectal, '2025', 'COLON-III');
		const v2026 = await version(ids.colorectal, '2026', 'COLON-III-R0');
		await db.update(referentielVersions).set({ status: 'superseded', supersededById: v2026.versionId }).where(eq(referentielVersions.id, v2025.versionId));
		ids.v2025 = v2025.versionId;
		ids.v2026 = v2026.versionId;
		ids.breast = await referentiel('Cancer du sein', BREAST);
		await version(ids.breast, '2026', 'SEIN-RH');
		ids.coloprev = (await db.insert(trials).values({ title: 'Prévention des récidives coliques', acronym: 'COLOPREV', status: 'open', criteria: {} }).returning())[0].id;
		ids.untitled = (await db.insert(trials).values({ title: 'Étude de cohorte sein', status: 'open', criteria: {} }).returning())[0].id;

		const citation = (cited: { versionId: string; situationId: string; code: string }, label: string) => ({
			situationId: cited.situationId,
			versionId: cited.versionId,
			referentielId: ids.colorectal,
			title: 'Cancer colorectal',
			versionLabel: label,
			situationCode: cited.code,
			situationHeading: `${cited.code} heading`,
			publishedAt: null
		});
		const trial = (trialId: string) => ({ trialProposed: true, trialCitation: { trialId, title: 'cité', acronym: null }, trialName: 'cité' });
		const decide = async (meetingId: string, boardId: string, fiche: Record<string, string>, content: Record<string, unknown>, status = 'decided') => {
			const row = await addCase(db, fixture, { boardId, meetingId, status: 'decided', fiche: { familyName: 'NETIND', ...fiche } });
			await db.insert(caseDecisions).values({ caseId: row.id, meetingId, content, version: 2, status, quorum: { met: true, present: [] } });
			return row.id;
		};
		const outcome = (caseId: string, trialId: string, value: 'included' | 'not-included') => db.insert(caseTrialOutcomes).values({ caseId, trialId, outcome: value, on: '2026-04-01' });
		const colon = { organ: COLON, tumourSiteCode: 'C18.7' };

		const c1 = await decide(m1, fixture.boardId, colon, { guidelineFollowed: 'yes', guidelineCitation: citation(v2026, '2026'), ...trial(ids.coloprev) });
		await outcome(c1, ids.coloprev, 'included');
		const c2 = await decide(m1, fixture.boardId, colon, { guidelineFollowed: 'yes', guidelineCitation: citation(v2025, '2025'), ...trial(ids.coloprev) });
		await outcome(c2, ids.coloprev, 'not-included');
		await decide(m1, fixture.boardId, colon, { guidelineFollowed: 'no', guidelineJustification: 'âge', guidelineCitation: citation(v2026, '2026'), ...trial(ids.coloprev) });
		await decide(m1, fixture.boardId, colon, { guidelineFollowed: 'yes', guidelineCitation: null, guidelineName: 'TNCD', trialProposed: true, trialCitation: null, trialName: 'Essai national X' });
		const c5 = await decide(m1, fixture.boardId, { organ: BREAST, tumourSiteCode: 'C50.4' }, { guidelineFollowed: 'not-applicable', ...trial(ids.untitled) });
		await outcome(c5, ids.untitled, 'included');
		await decide(m1, fixture.boardId, { tumourSiteCode: 'C80' }, { guidelineFollowed: 'no', guidelineJustification: 'refus', trialProposed: false });
		// Not counted: a proposal not decided, a case of April (with an outcome).
		await decide(m1, fixture.boardId, colon, { guidelineFollowed: 'yes', guidelineCitation: citation(v2026, '2026'), ...trial(ids.coloprev) }, 'draft');
		const a1 = await decide(april, fixture.boardId, colon, { guidelineFollowed: 'yes', guidelineCitation: citation(v2026, '2026'), ...trial(ids.coloprev) });
		await outcome(a1, ids.coloprev, 'included');
		// The other board: one more colon proposal following 2026, included in COLOPREV.
		const other1 = await decide(o1, otherBoardId, colon, { guidelineFollowed: 'yes', guidelineCitation: citation(v2026, '2026'), ...trial(ids.coloprev) });
		await outcome(other1, ids.coloprev, 'included');
	});
	afterAll(() => database?.dispose());

	const compute = async (query: Record<string, unknown>, allowed: string[] = [fixture.boardId]) => {
		const filter = indicatorFilter(IndicatorQuery.parse(query), allowed);
		if (!filter.ok) throw new Error(filter.reason);
		return computeNetworkIndicators(database.db, filter.filter);
	};
	const ratio = (count: number, total: number) => ({ count, total, ratio: total > 0 ? count / total : null });

	it('counts, per cited référentiel version, the proposals following it and those departing from it', async () => {
		const { conformity } = await compute({ ...march, boardIds: [fixture.boardId] });
		expect(conformity.versions).toEqual([
			{ referentielId: ids.colorectal, versionId: ids.v2025, title: 'Cancer colorectal', versionLabel: '2025', followed: 1, departed: 0 },
			{ referentielId: ids.colorectal, versionId: ids.v2026, title: 'Cancer colorectal', versionLabel: '2026', followed: 1, departed: 1 }
		]);
	});

	it('splits each organ’s answers (library, outside guideline, hors référentiel, none applies) and its conformity', async () => {
		const { conformity } = await compute({ ...march, boardIds: [fixture.boardId] });
		expect(conformity.organs).toEqual([
			{ organ: COLON, label: 'Colon-Rectum-Anus', followedLibrary: 2, followedOutside: 1, departed: 1, notApplicable: 0, conformity: ratio(3, 4) },
			{ organ: BREAST, label: 'sein', followedLibrary: 0, followedOutside: 0, departed: 0, notApplicable: 1, conformity: ratio(0, 0) },
			{ organ: null, label: null, followedLibrary: 0, followedOutside: 0, departed: 1, notApplicable: 0, conformity: ratio(0, 1) }
		]);
	});

	it('counts trial proposals per trial, free-text trials together, with the inclusion rate over recorded outcomes', async () => {
		const { trials: result } = await compute({ ...march, boardIds: [fixture.boardId] });
		expect(result.byTrial).toEqual([
			{ trialId: ids.coloprev, acronym: 'COLOPREV', title: 'Prévention des récidives coliques', proposals: 3, outcomes: { included: 1, notIncluded: 1, pending: 1, inclusionRate: ratio(1, 2) } },
			{ trialId: ids.untitled, acronym: null, title: 'Étude de cohorte sein', proposals: 1, outcomes: { included: 1, notIncluded: 0, pending: 0, inclusionRate: ratio(1, 1) } },
			{ trialId: null, acronym: null, title: null, proposals: 1, outcomes: null }
		]);
		expect(result.byBoard).toEqual([
			{
				boardId: fixture.boardId,
				name: 'RCP digestive',
				decided: 6,
				proposals: ratio(5, 6),
				directoryProposals: 4,
				outcomes: { included: 2, notIncluded: 1, pending: 1, inclusionRate: ratio(2, 3) }
			}
		]);
		expect(result.total).toEqual({ proposals: 5, directoryProposals: 4, outcomes: { included: 2, notIncluded: 1, pending: 1, inclusionRate: ratio(2, 3) } });
	});

	it('spans the boards the reader may see, and filters by the tumour site’s ICD-10 category', async () => {
		const network = await compute({ ...march }, [fixture.boardId, otherBoardId]);
		expect(network.conformity.versions.find((row) => row.versionId === ids.v2026)).toMatchObject({ followed: 2, departed: 1 });
		expect(network.trials.byTrial[0]).toMatchObject({ acronym: 'COLOPREV', proposals: 4, outcomes: { included: 2, notIncluded: 1, pending: 1 } });
		expect(network.trials.byBoard.map((board) => [board.name, board.proposals.count])).toEqual([
			['RCP digestive', 5],
			['RCP thoracique', 1]
		]);
		expect(network.trials.total.outcomes.inclusionRate).toEqual(ratio(3, 4));

		const colon = await compute({ ...march, boardIds: [fixture.boardId], organ: 'C18' });
		expect(colon.conformity.organs.map((row) => row.organ)).toEqual([COLON]);
		expect(colon.trials.byTrial.map((row) => [row.acronym, row.proposals])).toEqual([
			['COLOPREV', 3],
			[null, 1]
		]);
	});

	it('gives empty lists, not an error, for a period without proposals', async () => {
		const empty = await compute({ from: '2025-01-01', to: '2025-01-31', boardIds: [fixture.boardId] });
		expect(empty.conformity).toEqual({ versions: [], organs: [] });
		expect(empty.trials).toEqual({ byTrial: [], byBoard: [], total: { proposals: 0, directoryProposals: 0, outcomes: { included: 0, notIncluded: 0, pending: 0, inclusionRate: ratio(0, 0) } } });
	});
});
