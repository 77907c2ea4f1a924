import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCitationFixture, type CitationFixture } from '../../../tests/helpers/citation-fixture.ts';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, FULL_DECISION, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { clock } from '../clock.ts';
import { citationsFromIds } from './decision-citations.ts';
import { openTrialChoices } from './trial-choices.ts';
import { getDecision, saveDecision } from './decisions.ts';
import { referentielVersions, trials } from './db/schema.ts';

describe(`a proposal's citations of the library and the directory (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let library: CitationFixture;
	const as = () => ({ user: fixture.people.secretary, address: null });

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db, clock.now());
		library = await createCitationFixture(database.db, clock.now());
	});
	afterAll(() => database?.dispose());

	/** What the client sends: the ids, with labels it made up (the server must not keep them). */
	const forgedGuideline = (situationId: string) => ({
		situationId,
		versionId: library.superseded.versionId,
		referentielId: library.referentielId,
		title: 'Titre inventé',
		versionLabel: '1999',
		situationCode: 'FAUX',
		situationHeading: 'Faux',
		publishedAt: null
	});
	const forgedTrial = (trialId: string) => ({ trialId, title: 'Inventé', acronym: 'FAUX', euCtNumber: null, nctId: 'NCT00000000', localNumber: null, sponsor: '', phase: null });

	async function stored(caseId: string) {
		const decision = await getDecision(database.db, fixture.people.member, caseId);
		if (!decision.ok) throw new Error(decision.reason);
		return decision;
	}

	it('stores the library’s labels for a cited situation and the directory’s identifiers for a cited trial, whatever the client sent', async () => {
		const caseId = (await addCase(database.db, fixture)).id;
		const saved = await saveDecision(database.db, as(), caseId, 0, {
			...FULL_DECISION,
			guidelineName: 'autre',
			guidelineCitation: forgedGuideline(library.published.situationId),
			trialProposed: true,
			trialName: 'autre',
			trialCitation: forgedTrial(library.openTrialId)
		});
		expect(saved).toMatchObject({ ok: true, version: 1 });
		const { content } = await stored(caseId);
		expect(content.guidelineCitation).toMatchObject({
			situationId: library.published.situationId,
			versionId: library.published.versionId,
			referentielId: library.referentielId,
			versionLabel: '2026',
			situationCode: 'COLON-III-R0',
			situationHeading: 'Côlon, stade III, après résection R0'
		});
		expect(content.guidelineCitation?.title).toMatch(/^Cancer du côlon/);
		expect(content.guidelineCitation?.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		expect(content.guidelineName).toBe(content.guidelineCitation?.title);
		expect(content.guidelineVersion).toBe('2026');
		const [trial] = await database.db.select().from(trials).where(eq(trials.id, library.openTrialId));
		expect(content.trialCitation).toEqual({
			trialId: trial.id,
			title: trial.title,
			acronym: trial.acronym,
			euCtNumber: trial.euCtNumber,
			nctId: trial.nctId,
			localNumber: trial.localNumber,
			sponsor: 'UNICANCER',
			phase: 'III'
		});
		expect(content.trialName).toBe(`${trial.acronym} — ${trial.title}`);
	});

	it('refuses a new citation of a version that is not published, of an unknown situation, of a closed or unknown trial', async () => {
		const caseId = (await addCase(database.db, fixture)).id;
		const save = (more: Record<string, unknown>) => saveDecision(database.db, as(), caseId, 0, { ...FULL_DECISION, ...more });
		expect(await save({ guidelineCitation: forgedGuideline(library.draft.situationId) })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { guidelineCitation: 'Cette version du référentiel n’est pas publiée' }
		});
		expect(await save({ guidelineCitation: forgedGuideline(library.superseded.situationId) })).toMatchObject({ ok: false, reason: 'invalid', errors: { guidelineCitation: 'Cette version du référentiel n’est pas publiée' } });
		expect(await save({ guidelineCitation: forgedGuideline(crypto.randomUUID()) })).toMatchObject({ ok: false, reason: 'invalid', errors: { guidelineCitation: expect.any(String) } });
		expect(await save({ trialProposed: true, trialCitation: forgedTrial(library.closedTrialId) })).toMatchObject({ ok: false, reason: 'invalid', errors: { trialCitation: expect.stringContaining('ouvert') } });
		expect(await save({ trialProposed: true, trialCitation: forgedTrial(crypto.randomUUID()) })).toMatchObject({ ok: false, reason: 'invalid', errors: { trialCitation: expect.any(String) } });
		// Nothing was written.
		expect((await stored(caseId)).version).toBe(0);
	});

	it('keeps what a proposal cited after its version is superseded and its trial closed; a new citation of them is refused', async () => {
		const caseId = (await addCase(database.db, fixture)).id;
		// The published version is cited, then superseded (for good: the trigger allows no way back).
		const { versionId } = library.published;
		const first = await saveDecision(database.db, as(), caseId, 0, {
			...FULL_DECISION,
			guidelineCitation: forgedGuideline(library.published.situationId),
			trialProposed: true,
			trialCitation: forgedTrial(library.otherOpenTrialId)
		});
		if (!first.ok) throw new Error(first.reason);
		const cited = (await stored(caseId)).content;
		await database.db.update(referentielVersions).set({ status: 'superseded' }).where(eq(referentielVersions.id, versionId));
		await database.db.update(trials).set({ status: 'closed' }).where(eq(trials.id, library.otherOpenTrialId));
		try {
			const again = await saveDecision(database.db, as(), caseId, 1, { ...cited, proposal: 'Texte revu.', guidelineCitation: forgedGuideline(library.published.situationId) });
			expect(again).toMatchObject({ ok: true, version: 2 });
			const kept = (await stored(caseId)).content;
			expect(kept.guidelineCitation).toEqual(cited.guidelineCitation);
			expect(kept.trialCitation).toEqual(cited.trialCitation);
			expect(kept.proposal).toBe('Texte revu.');
			// Another case cannot cite them now.
			const other = (await addCase(database.db, fixture)).id;
			expect(await saveDecision(database.db, as(), other, 0, { ...cited })).toMatchObject({
				ok: false,
				errors: { guidelineCitation: 'Cette version du référentiel n’est pas publiée', trialCitation: expect.any(String) }
			});
		} finally {
			await database.db.update(trials).set({ status: 'open' }).where(eq(trials.id, library.otherOpenTrialId));
		}
	});

	it('drops the guideline citation with "aucun référentiel", keeps the one departed from with "hors référentiel", drops the trial citation when no trial is proposed', async () => {
		const caseId = (await addCase(database.db, fixture)).id;
		const base = {
			...FULL_DECISION,
			guidelineCitation: forgedGuideline(library.lung.situationId),
			trialProposed: true,
			trialCitation: forgedTrial(library.openTrialId)
		};
		expect(await saveDecision(database.db, as(), caseId, 0, { ...base, guidelineFollowed: 'no', guidelineJustification: 'Patient âgé, fragile.' })).toMatchObject({ ok: true });
		const departed = (await stored(caseId)).content;
		expect(departed.guidelineCitation?.situationCode).toBe('POUMON-IV');
		expect(departed.guidelineVersion).toBe('2026');
		expect(await saveDecision(database.db, as(), caseId, 1, { ...base, guidelineFollowed: 'not-applicable', trialProposed: false })).toMatchObject({ ok: true });
		const none = (await stored(caseId)).content;
		expect(none.guidelineCitation).toBeNull();
		expect(none.trialCitation).toBeNull();
		expect(none.trialProposed).toBe(false);
		// A guideline outside the library: free text, as before.
		expect(await saveDecision(database.db, as(), caseId, 2, { ...FULL_DECISION })).toMatchObject({ ok: true });
		expect((await stored(caseId)).content).toMatchObject({ guidelineCitation: null, guidelineName: FULL_DECISION.guidelineName, guidelineVersion: '2024' });
	});

	it('builds citations from the ids of the recorded form, refusing unknown ids', async () => {
		const found = await citationsFromIds(database.db, { situationId: library.published.situationId, trialId: library.openTrialId });
		expect(found).toMatchObject({ ok: true, guidelineCitation: { versionLabel: '2026' }, trialCitation: { trialId: library.openTrialId } });
		expect(await citationsFromIds(database.db, { situationId: '', trialId: '' })).toEqual({ ok: true, guidelineCitation: null, trialCitation: null });
		expect(await citationsFromIds(database.db, { situationId: 'pas-un-uuid', trialId: crypto.randomUUID() })).toMatchObject({
			ok: false,
			errors: { guidelineCitation: expect.any(String), trialCitation: expect.any(String) }
		});
	});

	it('offers every open trial of the directory to the picker, never a closed one', async () => {
		const offered = (await openTrialChoices(database.db)).map((trial) => trial.trialId);
		expect(offered).toEqual(expect.arrayContaining([library.openTrialId, library.otherOpenTrialId]));
		expect(offered).not.toContain(library.closedTrialId);
	});
});
