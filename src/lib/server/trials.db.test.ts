import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../tests/helpers/database.ts';
import { addCase, createMeetingFixture, FULL_DECISION, type MeetingFixture } from '../../../tests/helpers/meeting-fixture.ts';
import { parisDate } from '../domain/schedule.ts';
import { clock } from '../clock.ts';
import { auditEvents, caseDecisions, caseTrialOutcomes, fiches, trials, trialSites, users } from './db/schema.ts';
import { commitImport, previewImport } from './trial-import.ts';
import { recordTrialOutcome, trialOutcome } from './trial-outcomes.ts';
import { deleteTrial, getTrial, listTrials, matchingTrials, resolveTrial, saveTrial } from './trials.ts';
import type { SessionUser } from './users.ts';

const COLON = 'MED-251';
const LUNG = 'MED-255';
const csv = (...lines: string[]) => ({ name: 'essais.csv', bytes: new TextEncoder().encode(lines.join('\n')) });
const HEADER = 'titre;acronyme;numero_eu_ct;nct;numero_local;statut;ferme_le;organes;sites';

describe(`trials directory (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let editor: SessionUser;
	const as = (user: SessionUser) => ({ user, address: '192.0.2.7' });
	const trialCount = async () => (await database.db.select({ id: trials.id }).from(trials)).length;

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db);
		const [row] = await database.db.insert(users).values({ givenName: 'Éditrice', familyName: 'Réseau', email: `editor.${Date.now()}@rrc.test`, networkEditor: true }).returning();
		editor = { id: row.id, givenName: row.givenName, familyName: row.familyName, email: row.email, specialty: null, isAdmin: false, networkEditor: true };
	});
	afterAll(() => database?.dispose());

	it('lets editors and administrators create and edit trials, members only read them', async () => {
		const input = { title: 'Essai côlon', acronym: 'COLO1', nctId: 'NCT01000001', status: 'open', criteria: { organs: [COLON] }, sites: [{ site: 'CHU de Poitiers', investigator: 'Dr Martin' }] };
		expect(await saveTrial(database.db, as(fixture.people.member), null, input)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await saveTrial(database.db, as(fixture.people.coordinator), null, input)).toEqual({ ok: false, reason: 'forbidden' });
		const created = await saveTrial(database.db, as(editor), null, input);
		if (!created.ok) throw new Error(created.reason);
		const byAdmin = await saveTrial(database.db, as(fixture.people.admin), null, { title: 'Essai poumon', localNumber: 'LOC-P1', status: 'suspended', criteria: { organs: [LUNG] } });
		expect(byAdmin.ok).toBe(true);

		// Bad input: French messages by field; an NCT already held by another trial.
		expect(await saveTrial(database.db, as(editor), null, { title: '', status: 'closed', euCtNumber: '2023-1' })).toMatchObject({
			ok: false,
			reason: 'invalid',
			errors: { title: 'Donnez le titre de l’essai', euCtNumber: expect.stringMatching(/AAAA-NNNNNN-NN-NN/), closedAt: 'Un essai clos a une date de clôture' }
		});
		expect(await saveTrial(database.db, as(editor), null, { ...input, title: 'Doublon' })).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { nctId: 'Ce numéro est déjà celui de l’essai « Essai côlon »' }
		});

		const updated = await saveTrial(database.db, as(fixture.people.admin), created.id, { ...input, phase: 'III', sites: [{ site: 'CH de Niort' }, { site: 'CHU de Poitiers', open: false }] });
		expect(updated).toEqual({ ok: true, id: created.id });
		expect(await saveTrial(database.db, as(fixture.people.member), created.id, input)).toEqual({ ok: false, reason: 'forbidden' });
		const read = await getTrial(database.db, created.id);
		expect(read.ok && read.trial).toMatchObject({ phase: 'III', source: 'manual', criteria: { organs: [COLON] }, sites: [{ site: 'CH de Niort', open: true }, { site: 'CHU de Poitiers', open: false }] });
		expect(await resolveTrial(database.db, created.id)).toMatchObject({ trialId: created.id, acronym: 'COLO1', phase: 'III' });

		expect((await listTrials(database.db, { status: 'open' })).map((t) => t.title)).toEqual(['Essai côlon']);
		expect((await listTrials(database.db, { organ: LUNG })).map((t) => t.title)).toEqual(['Essai poumon']);
		expect((await listTrials(database.db, { query: 'nct01000' })).map((t) => t.acronym)).toEqual(['COLO1']);
		expect((await listTrials(database.db, { query: '100%' })).length).toBe(0);

		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, created.id));
		expect(trail.map((e) => [e.action, e.actorUserId])).toEqual([
			['trial.create', editor.id],
			['trial.update', fixture.people.admin.id]
		]);
	});

	it('previews an import without writing, commits it in one go, and upserts by EU CT number, NCT or local number', async () => {
		const file = csv(
			HEADER,
			'Essai côlon, version importée;COLO1;2024-500001-10-00;NCT01000001;;ouvert;;MED-251;CHU de Poitiers: Dr Martin (05 49 00 00 00)',
			'Nouvel essai sein;SEIN1;;;LOC-S1;ouvert;;76752008;',
			'Essai poumon;;;;LOC-P1;clos;2025-06-30;MED-255;'
		);
		const before = await trialCount();
		expect(await previewImport(database.db, fixture.people.member, file)).toEqual({ ok: false, reason: 'forbidden' });
		const preview = await previewImport(database.db, editor, file);
		if (!preview.ok) throw new Error(JSON.stringify(preview));
		expect([preview.created, preview.updated]).toEqual([1, 2]);
		expect(preview.rows.map((r) => [r.trial.title, r.action, r.existing?.title ?? null])).toEqual([
			['Essai côlon, version importée', 'update', 'Essai côlon'],
			['Nouvel essai sein', 'create', null],
			['Essai poumon', 'update', 'Essai poumon']
		]);
		expect(await trialCount()).toBe(before);

		expect(await commitImport(database.db, as(fixture.people.member), file)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await commitImport(database.db, as(editor), file)).toEqual({ ok: true, created: 1, updated: 2 });
		expect(await trialCount()).toBe(before + 1);
		const colon = (await listTrials(database.db, { query: 'COLO1' }))[0];
		expect(colon).toMatchObject({ title: 'Essai côlon, version importée', euCtNumber: '2024-500001-10-00', sites: [{ site: 'CHU de Poitiers', investigator: 'Dr Martin', contact: '05 49 00 00 00' }] });
		const lung = await getTrial(database.db, (await listTrials(database.db, { query: 'LOC-P1' }))[0].id);
		expect(lung.ok && [lung.trial.status, lung.trial.closedAt, lung.trial.source]).toEqual(['closed', '2025-06-30', 'csv']);

		// The same file again: everything is an update, found now by its EU CT number.
		expect(await commitImport(database.db, as(editor), file)).toEqual({ ok: true, created: 0, updated: 3 });
		const [imported] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'trial.import'));
		expect(imported.details).toMatchObject({ format: 'csv', created: 1, updated: 2 });
	});

	it('writes nothing when one line of the file is bad, or when it mixes the identifiers of two trials', async () => {
		const before = await database.db.select().from(trials);
		const bad = csv(HEADER, 'Essai neuf;NEUF;;NCT09000009;;ouvert;;;', 'Sans identifiant;;;;;ouvert;;;');
		const expected = { ok: false, reason: 'invalid', problems: [{ line: 3, field: 'numero_eu_ct', message: 'Donnez au moins un identifiant : numéro EU CT, NCT ou numéro local' }] };
		expect(await previewImport(database.db, editor, bad)).toEqual(expected);
		expect(await commitImport(database.db, as(editor), bad)).toEqual(expected);
		// The sein trial's local number with the côlon trial's NCT.
		const mixed = csv(HEADER, 'Mélange;;;NCT01000001;LOC-S1;ouvert;;;');
		const refused = await commitImport(database.db, as(editor), mixed);
		expect(!refused.ok && refused.reason === 'invalid' && refused.problems).toEqual([
			{ line: 2, field: 'numero_local', message: 'Ce numéro est celui de l’essai « Nouvel essai sein », un autre identifiant de la ligne celui de « Essai côlon, version importée »' }
		]);
		// Two lines of one file updating the same trial.
		const twice = await previewImport(database.db, editor, csv(HEADER, 'Un;;2024-500001-10-00;;;ouvert;;;', 'Deux;;;NCT01000001;;ouvert;;;'));
		expect(!twice.ok && twice.reason === 'invalid' && twice.problems).toEqual([{ line: 3, field: 'numero_eu_ct', message: 'Met à jour le même essai que la ligne 2' }]);
		expect(await database.db.select().from(trials)).toEqual(before);
	});

	it('refuses to delete a trial a proposal, a signed fiche or a follow-up cites; deletes the others with their sites', async () => {
		const id = async (query: string) => (await listTrials(database.db, { query }))[0].id;
		const cited = await id('COLO1');
		const inFiche = await id('SEIN1');
		const free = await id('LOC-P1');
		const citation = (await resolveTrial(database.db, cited))!;
		const caseId = (await addCase(database.db, fixture)).id;
		await database.db.insert(caseDecisions).values({ caseId, meetingId: fixture.meetingId, version: 1, status: 'draft', content: { ...FULL_DECISION, trialProposed: true, trialCitation: citation } });
		const ficheCase = (await addCase(database.db, fixture)).id;
		await database.db.insert(fiches).values({
			caseId: ficheCase,
			meetingId: fixture.meetingId,
			boardId: fixture.boardId,
			version: 1,
			content: { decision: { trialCitation: { trialId: inFiche } } },
			pdf: new Uint8Array([37, 80, 68, 70]),
			sha256: `test-${inFiche}`,
			developmentSignature: true,
			validatedBy: fixture.people.coordinator.id,
			validatedAt: clock.now()
		});

		expect(await deleteTrial(database.db, as(fixture.people.member), free)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await deleteTrial(database.db, as(editor), cited)).toEqual({ ok: false, reason: 'cited' });
		expect(await deleteTrial(database.db, as(fixture.people.admin), inFiche)).toEqual({ ok: false, reason: 'cited' });
		expect(await deleteTrial(database.db, as(editor), free)).toEqual({ ok: true });
		expect(await getTrial(database.db, free)).toEqual({ ok: false, reason: 'not-found', id: free });
		expect(await database.db.select().from(trialSites).where(eq(trialSites.trialId, free))).toEqual([]);
		expect(await deleteTrial(database.db, as(editor), free)).toEqual({ ok: false, reason: 'not-found', id: free });
		expect(await getTrial(database.db, cited)).toMatchObject({ ok: true });
	});

	it('records the inclusion follow-up for the requester and the managers; other members read it; outsiders see nothing', async () => {
		const trialId = (await listTrials(database.db, { query: 'COLO1' }))[0].id;
		const citation = (await resolveTrial(database.db, trialId))!;
		const decided = async (requestedBy: string, content: Record<string, unknown>) => {
			const caseId = (await addCase(database.db, fixture, { requestedBy, status: 'decided' })).id;
			await database.db.insert(caseDecisions).values({ caseId, meetingId: fixture.meetingId, version: 3, status: 'decided', content });
			return caseId;
		};
		// Requested by the coordinator: the member is neither requester nor manager.
		const caseId = await decided(fixture.people.coordinator.id, { ...FULL_DECISION, trialProposed: true, trialCitation: citation });
		const input = { outcome: 'not-included', reason: 'Critère de non-inclusion biologique', on: parisDate(clock.now()) };

		expect(await recordTrialOutcome(database.db, as(fixture.people.member), caseId, input)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await recordTrialOutcome(database.db, as(fixture.people.otherBoardMember), caseId, input)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await recordTrialOutcome(database.db, as(editor), caseId, input)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await recordTrialOutcome(database.db, as(fixture.people.coordinator), caseId, { outcome: 'peut-être' })).toMatchObject({ ok: false, reason: 'invalid', errors: { outcome: 'Indiquez si le patient a été inclus' } });
		const tomorrow = parisDate(new Date(clock.now().getTime() + 36 * 3_600_000));
		expect(await recordTrialOutcome(database.db, as(fixture.people.coordinator), caseId, { ...input, on: tomorrow })).toEqual({ ok: false, reason: 'invalid', errors: { on: 'La date est dans le futur' } });

		expect(await recordTrialOutcome(database.db, as(fixture.people.coordinator), caseId, input)).toEqual({ ok: true });
		// A manager corrects it: one outcome per case.
		expect(await recordTrialOutcome(database.db, as(fixture.people.secretary), caseId, { outcome: 'included', on: input.on })).toEqual({ ok: true });
		const rows = await database.db.select().from(caseTrialOutcomes).where(eq(caseTrialOutcomes.caseId, caseId));
		expect(rows.map((r) => [r.trialId, r.outcome, r.reason, r.recordedBy])).toEqual([[trialId, 'included', '', fixture.people.secretary.id]]);

		const seen = await trialOutcome(database.db, fixture.people.member, caseId);
		expect(seen).toMatchObject({ ok: true, view: { trial: { trialId }, outcome: { outcome: 'included', recordedBy: 'secretary Test' }, canRecord: false } });
		expect(await trialOutcome(database.db, fixture.people.otherBoardMember, caseId)).toEqual({ ok: false, reason: 'forbidden' });
		expect((await trialOutcome(database.db, fixture.people.admin, caseId)).ok && (await trialOutcome(database.db, fixture.people.admin, caseId))).toMatchObject({ view: { canRecord: true } });
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'trial.outcome'));
		expect(trail).toHaveLength(2);
		expect(JSON.stringify(trail)).not.toMatch(/included|biologique/);

		// The requester of a case records its outcome; a proposal without a directory trial has none to record.
		const ownCase = await decided(fixture.people.member.id, { ...FULL_DECISION, trialProposed: true, trialCitation: citation });
		expect(await recordTrialOutcome(database.db, as(fixture.people.member), ownCase, input)).toEqual({ ok: true });
		const noTrial = await decided(fixture.people.member.id, { ...FULL_DECISION, trialProposed: true, trialName: 'Essai hors annuaire' });
		expect(await recordTrialOutcome(database.db, as(fixture.people.member), noTrial, input)).toEqual({ ok: false, reason: 'no-trial' });
		expect(await trialOutcome(database.db, fixture.people.member, noTrial)).toEqual({ ok: true, view: null });
		// A trial with an inclusion recorded is cited by it.
		expect(await deleteTrial(database.db, as(editor), trialId)).toEqual({ ok: false, reason: 'cited' });
	});

	it('puts beside a case the open trials no criterion rules out, best match first, with their sites and checks', async () => {
		const birthDate = parisDate(new Date(clock.now().getTime() - 60 * 365.25 * 86_400_000));
		const fiche = { organ: COLON, tumourSiteCode: 'C18.7', birthDate, performanceStatus: 1, clinicalT: 'T3', clinicalN: 'N1', clinicalM: 'M0' };
		const caseId = (await addCase(database.db, fixture, { fiche })).id;
		const make = async (title: string, nct: string, status: string, criteria: Record<string, unknown>) => {
			const saved = await saveTrial(database.db, as(editor), null, { title, nctId: nct, status, closedAt: status === 'closed' ? '2025-01-01' : '', criteria, sites: [{ site: `Site ${title}` }] });
			if (!saved.ok) throw new Error(JSON.stringify(saved));
			return saved.id;
		};
		await database.db.delete(trials).where(eq(trials.status, 'suspended'));
		const best = await make('Adjuvant stade III', 'NCT02000001', 'open', { organs: [COLON], icd10: ['C18'], stage: { n: { min: 'N1' }, m: ['M0'] }, age: { min: 18, max: 80 }, performanceStatusMax: 1 });
		const vague = await make('Biomarqueur', 'NCT02000002', 'open', { icd10: ['C18', 'C19', 'C20'], biomarkers: 'MSI', histology: ['8140/3'] });
		await make('Poumon', 'NCT02000003', 'open', { organs: [LUNG] });
		await make('Côlon clos', 'NCT02000004', 'closed', { organs: [COLON] });
		await make('Trop jeune', 'NCT02000005', 'open', { organs: [COLON], age: { max: 50 } });
		await make('État général', 'NCT02000006', 'open', { performanceStatusMax: 0 });

		const result = await matchingTrials(database.db, fixture.people.member, caseId);
		if (!result.ok) throw new Error(result.reason);
		const titles = result.matches.map((m) => m.trial.title);
		// Not the lung, breast, closed, age- or WHO-excluded trials; one match and no unknown before one match and two unknowns.
		expect(titles).toEqual(['Adjuvant stade III', 'Essai côlon, version importée', 'Biomarqueur']);
		const [first, , second] = result.matches;
		expect(first.trial).toMatchObject({ id: best, status: 'open', sites: [{ site: 'Site Adjuvant stade III', open: true }] });
		expect(first.checks.map((c) => [c.criterion, c.result])).toEqual([
			['organ', 'match'],
			['icd10', 'match'],
			['stage', 'match'],
			['age', 'match'],
			['performanceStatus', 'match']
		]);
		expect(first.checks.find((c) => c.criterion === 'age')?.actual).toMatch(/^(59|60)$/);
		expect(second.trial.id).toBe(vague);
		expect(second.checks.map((c) => [c.criterion, c.result])).toEqual([
			['icd10', 'match'],
			['histology', 'unknown'],
			['biomarkers', 'unknown']
		]);
		expect(await matchingTrials(database.db, fixture.people.otherBoardMember, caseId)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await matchingTrials(database.db, fixture.people.member, 'pas-un-id')).toEqual({ ok: false, reason: 'not-found' });
	});
});
