/**
 * The proposal pickers' JSON endpoints, called as SvelteKit calls them: who gets what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCitationFixture, type CitationFixture } from '../../../tests/helpers/citation-fixture.ts';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { clock } from '../clock.ts';
import { GET as caseTrials } from '../../routes/cases/[id]/essais.json/+server.ts';
import { GET as situations } from '../../routes/referentiels/situations.json/+server.ts';
import { setRuntime, type Runtime } from './runtime.ts';
import type { SessionUser } from './users.ts';

describe(`the proposal pickers' endpoints (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let library: CitationFixture;
	let caseId: string;

	beforeAll(async () => {
		database = await openTestDatabase();
		setRuntime({ database } as unknown as Runtime);
		fixture = await createMeetingFixture(database.db, clock.now());
		library = await createCitationFixture(database.db, clock.now());
		caseId = (await addCase(database.db, fixture)).id;
	});
	afterAll(async () => {
		setRuntime(undefined);
		await database?.dispose();
	});

	/** A request event as the handlers read it. */
	const event = (path: string, who: { user?: SessionUser; guest?: boolean }, params: Record<string, string> = {}) =>
		({
			url: new URL(`http://concerto.test${path}`),
			params,
			locals: { user: who.user ?? null, guest: who.guest ? { id: fixture.guest.id } : null }
		}) as never;
	const status = (answer: unknown) => Promise.resolve(answer).then(() => 200, (error: { status?: number }) => error.status ?? 500);
	const body = async (response: Response | Promise<Response>) => (await response).json();

	it('gives the published situations of an organ to any signed-in user, matching a search; guests get nothing', async () => {
		const colon = await body(situations(event('/referentiels/situations.json?organ=MED-251&q=stade%20III', { user: fixture.people.otherBoardMember })));
		expect(colon.situations.map((s: { situationId: string }) => s.situationId)).toEqual([library.published.situationId]);
		expect(colon.situations[0]).toMatchObject({ versionLabel: '2026', organ: 'MED-251', recommendation: expect.stringContaining('CAPOX') });
		const all = await body(situations(event('/referentiels/situations.json?organ=&q=', { user: fixture.people.member })));
		expect(all.situations.map((s: { situationId: string }) => s.situationId)).toEqual(expect.arrayContaining([library.published.situationId, library.lung.situationId]));
		expect(all.situations.map((s: { situationId: string }) => s.situationId)).not.toContain(library.draft.situationId);
		expect(await status(situations(event('/referentiels/situations.json', { guest: true })))).toBe(403);
		expect(await status(situations(event(`/referentiels/situations.json?q=${'x'.repeat(201)}`, { user: fixture.people.member })))).toBe(400);
	});

	it('gives the trials beside a case to its board, the matches apart from the other open trials; others get 403 or 404', async () => {
		const trials = await body(caseTrials(event(`/cases/${caseId}/essais.json`, { user: fixture.people.member }, { id: caseId })));
		const ids = [...trials.matches.map((m: { trial: { id: string } }) => m.trial.id), ...trials.others.map((t: { trialId: string }) => t.trialId)];
		expect(ids).toEqual(expect.arrayContaining([library.openTrialId, library.otherOpenTrialId]));
		expect(ids).not.toContain(library.closedTrialId);
		// Each open trial once: a match is not offered again among the others.
		expect(new Set(ids).size).toBe(ids.length);
		expect(await status(caseTrials(event(`/cases/${caseId}/essais.json`, { user: fixture.people.otherBoardMember }, { id: caseId })))).toBe(403);
		expect(await status(caseTrials(event(`/cases/${caseId}/essais.json`, { guest: true }, { id: caseId })))).toBe(403);
		const unknown = crypto.randomUUID();
		expect(await status(caseTrials(event(`/cases/${unknown}/essais.json`, { user: fixture.people.member }, { id: unknown })))).toBe(404);
	});
});
