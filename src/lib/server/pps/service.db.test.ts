import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedAsserts, loadSchematron, xmllint } from '../../../../tests/helpers/cda-validation.ts';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { fhirSchemaErrors } from '../../../../tests/helpers/fhir-schema.ts';
import { createMeetingFixture, type MeetingFixture } from '../../../../tests/helpers/meeting-fixture.ts';
import { poppler } from '../../../../tests/helpers/poppler.ts';
import { signedCases, type SignedCases } from '../../../../tests/helpers/signed-case.ts';
import { clock } from '../../clock.ts';
import { addCalendarDays } from '../../domain/follow-up.ts';
import { parisDate } from '../../domain/schedule.ts';
import { formValuesOfDraft, draftFromForm } from '../../pps/form.ts';
import { auditEvents, ppsVersions } from '../db/schema.ts';
import { ppsDocument } from './documents.ts';
import { renderablePps } from './read.ts';
import { discardPpsDraft, handOverPps, issuePps, newPpsVersion, ppsOfCase, savePpsDraft, startPps } from './service.ts';

describe(`the PPS service (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	let fixture: MeetingFixture;
	let signing: SignedCases;
	let caseId: string;
	const as = (who: keyof MeetingFixture['people']) => ({ user: fixture.people[who], address: '192.0.2.9' });
	const today = () => parisDate(clock.now());
	const day = (offset: number) => addCalendarDays(today(), offset);
	const row = async (id: string) => (await database.db.select().from(ppsVersions).where(eq(ppsVersions.id, id)))[0];
	const trail = async (action: string) => database.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, caseId)));

	/** The stored draft with `changes`, as the form would post it. */
	const edited = async (versionId: string, changes: Record<string, unknown>) => ({ ...((await row(versionId)).content as object), ...changes });
	const phase = (start: string, end: string | null, type = 'C15632') => ({ type, description: 'FOLFOX', start, end, durationWeeks: null, placeOfCare: 'Hôpital de jour' });

	beforeAll(async () => {
		database = await openTestDatabase();
		fixture = await createMeetingFixture(database.db);
		signing = await signedCases(database.db, fixture);
		caseId = (await signing.signed()).caseId;
	});
	afterAll(() => database?.dispose());

	it('is written from a signed fiche only, by its requesting physician, the coordinator or an administrator', async () => {
		const { db } = database;
		const unsigned = await signing.decided();
		expect(await startPps(db, as('member'), unsigned)).toEqual({ ok: false, reason: 'no-signed-fiche' });
		expect(await startPps(db, as('secretary'), caseId)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await startPps(db, as('otherBoardMember'), caseId)).toEqual({ ok: false, reason: 'forbidden' });
		// The secretary reads it, without the right to write.
		expect(await ppsOfCase(db, fixture.people.secretary, caseId)).toMatchObject({ ok: true, mayWrite: false, signedFiche: true, draft: null, issued: [] });
		expect(await ppsOfCase(db, fixture.people.nonMember, caseId)).toEqual({ ok: false, reason: 'forbidden' });
		expect((await ppsOfCase(db, fixture.people.member, unsigned)) as object).toMatchObject({ signedFiche: false, mayWrite: true });
	});

	it('starts a draft pre-filled from the fiche: the diagnosis in words, the requesting physician and the GP; no phase', async () => {
		const { db } = database;
		const started = await startPps(db, as('member'), caseId);
		if (!started.ok) throw new Error(started.reason);
		expect(started.created).toBe(true);
		const draft = await row(started.versionId);
		expect(draft).toMatchObject({ version: 1, status: 'draft', setId: started.versionId, createdBy: fixture.people.member.id });
		const content = draft.content as { diagnosis: string; phases: unknown[]; careTeam: { role: string; name: string; phone: string | null }[] };
		expect(content.diagnosis).toContain('Côlon sigmoïde (C18.7)');
		expect(content.diagnosis).toContain('Adénocarcinome lieberkühnien');
		expect(content.diagnosis).toContain('cT3 cN1a cM0');
		expect(content.phases).toEqual([]);
		expect(content.careTeam.map((m) => [m.role, m.name, m.phone])).toEqual([
			['referring', 'Dr member TEST', null],
			['gp', 'Dr Louis Petitjean', '05 49 00 00 00']
		]);
		// Starting again (the coordinator too) opens the same draft.
		expect(await startPps(db, as('coordinator'), caseId)).toEqual({ ok: true, versionId: started.versionId, created: false });
		const view = await ppsOfCase(db, fixture.people.member, caseId);
		expect(view.ok && view.proposalHint).toContain('Colectomie gauche');
		expect(JSON.stringify(await trail('pps.draft.create'))).not.toContain('Démo-Martin');
	});

	it('refuses unknown codes, overlapping phases, a past start on a first version, with French messages per field, and changes nothing', async () => {
		const { db } = database;
		const view = await ppsOfCase(db, fixture.people.member, caseId);
		if (!view.ok || !view.draft) throw new Error('no draft');
		const { id, updatedAt } = view.draft;
		const before = await row(id);
		const errorsOf = async (changes: Record<string, unknown>) => {
			const refused = await savePpsDraft(db, as('member'), id, await edited(id, changes), updatedAt);
			if (refused.ok || refused.reason !== 'invalid') throw new Error(`not refused as invalid: ${JSON.stringify(refused)}`);
			return refused.errors;
		};
		const unknown = await errorsOf({ phases: [phase(day(3), day(40), 'C99999')], supportiveCare: { codes: ['ORG-999'], note: '' } });
		expect(unknown['phases.0.type']).toMatch(/JDV_TypeTraitementPPS|inconnu|code/i);
		expect(unknown['supportiveCare.codes']).toBeDefined();
		const overlapping = await errorsOf({ phases: [phase(day(3), day(40)), phase(day(30), null, 'MED-226')] });
		expect(overlapping).toEqual({ 'phases.1.start': 'Les phases 1 et 2 se chevauchent : une phase commence après la fin de la précédente.' });
		expect(await savePpsDraft(db, as('member'), id, await edited(id, { phases: [phase(day(-1), day(5))] }), updatedAt)).toMatchObject({
			ok: false,
			errors: { 'phases.0.start': 'Un nouveau programme ne peut pas commencer avant aujourd’hui.' }
		});
		expect(await savePpsDraft(db, as('secretary'), id, await edited(id, {}), updatedAt)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await row(id)).toEqual(before);
		expect(await trail('pps.draft.save')).toEqual([]);
	});

	it('saves the draft, names the parts changed in the audit, and refuses a stale edit without changing anything', async () => {
		const { db } = database;
		const view = await ppsOfCase(db, fixture.people.member, caseId);
		if (!view.ok || !view.draft) throw new Error('no draft');
		const { id, updatedAt } = view.draft;
		// The form's round trip: the stored draft as fields, then back.
		const values = formValuesOfDraft(view.draft.content);
		values['phases.0.type'] = '387713003';
		values['phases.0.start'] = day(7);
		values['phases.0.end'] = day(12);
		values['phases.0.placeOfCare'] = 'CHU';
		values['supportiveCare.codes'] = ['ORG-036'];
		const saved = await savePpsDraft(db, as('member'), id, draftFromForm(values), updatedAt, new Date(updatedAt.getTime() + 1000));
		if (!saved.ok) throw new Error(JSON.stringify(saved));
		expect(saved.changed.sort()).toEqual(['phases', 'supportiveCare']);
		expect((await trail('pps.draft.save')).map((event) => event.details)).toEqual([{ versionId: id, version: 1, changed: saved.changed }]);

		// The coordinator had the draft open before that save: theirs is refused, the member's stays.
		const stale = await savePpsDraft(db, as('coordinator'), id, await edited(id, { diagnosis: 'Autre chose' }), updatedAt);
		expect(stale).toEqual({ ok: false, reason: 'stale', updatedAt: saved.updatedAt });
		const stored = await row(id);
		expect(stored.content).toMatchObject({ diagnosis: view.draft.content.diagnosis, phases: [{ type: '387713003', start: day(7) }] });
		expect(stored.updatedAt).toEqual(saved.updatedAt);
	});

	it('issues a version: a snapshot of the fiche, the patient, the author; the CDA passes the XSD and the CANCER-PPS schematron, the FHIR Bundle its schema', { timeout: 60_000 }, async () => {
		const { db } = database;
		const view = await ppsOfCase(db, fixture.people.member, caseId);
		if (!view.ok || !view.draft) throw new Error('no draft');
		const issued = await issuePps(db, as('member'), view.draft.id);
		if (!issued.ok) throw new Error(JSON.stringify(issued));
		const { snapshot } = issued;
		expect(snapshot).toMatchObject({
			version: 1,
			supersedes: null,
			patient: { familyName: 'Démo-Martin', sex: 'F' },
			fiche: { caseId, board: { name: 'RCP digestive' } },
			author: { id: fixture.people.member.id, familyName: 'Test' },
			handedOver: null
		});
		expect(await row(view.draft.id)).toMatchObject({ status: 'issued', issuedBy: fixture.people.member.id });
		expect(await issuePps(db, as('member'), view.draft.id)).toEqual({ ok: false, reason: 'not-draft' });
		expect((await trail('pps.issue')).map((e) => e.details)).toEqual([expect.objectContaining({ versionId: view.draft.id, version: 1 })]);

		const cda = String((await ppsDocument(snapshot, 'cda')).body);
		const path = join(mkdtempSync(join(tmpdir(), 'concerto-pps-service-')), 'pps.xml');
		writeFileSync(path, cda);
		expect(xmllint(path)).toMatchObject({ status: 0 });
		expect(failedAsserts(loadSchematron('CI-SIS_CANCER-PPS_2022.01'), 'CI-SIS_CANCER-PPS_2022.01', cda)).toEqual([]);
		expect(fhirSchemaErrors(JSON.parse(String((await ppsDocument(snapshot, 'fhir')).body)))).toEqual([]);
		const pdf = await ppsDocument(snapshot, 'pdf');
		expect(pdf).toMatchObject({ contentType: 'application/pdf', fileName: 'pps-v1-patient.pdf' });
		const text = poppler('pdftotext', pdf.body as Uint8Array, ['-enc', 'UTF-8'], 'pps.txt');
		expect(text).toContain('Mme Jeanne DÉMO-MARTIN');
		expect(text).toContain('le 15');
	});

	it('marks an issued version handed over once; its documents say so; the database keeps the rest as issued', async () => {
		const { db } = database;
		const view = await ppsOfCase(db, fixture.people.member, caseId);
		if (!view.ok) throw new Error(view.reason);
		const [first] = view.issued;
		expect(await handOverPps(db, as('member'), first.id, day(1))).toEqual({ ok: false, reason: 'invalid', errors: { on: 'La date de remise ne peut pas être dans le futur.' } });
		expect(await handOverPps(db, as('secretary'), first.id)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await handOverPps(db, as('coordinator'), first.id)).toMatchObject({ ok: true });
		expect(await handOverPps(db, as('member'), first.id)).toEqual({ ok: false, reason: 'already-handed-over' });
		const after = await ppsOfCase(db, fixture.people.secretary, caseId);
		expect(after.ok && after.issued[0].handedOver).toMatchObject({ by: 'coordinator TEST' });
		const renderable = await renderablePps(db, caseId, first.id);
		expect(renderable?.handedOver).toMatchObject({ by: { id: fixture.people.coordinator.id } });
		expect(String((await ppsDocument(renderable!, 'cda')).body)).toMatch(/Remis au patient/);
		expect((await trail('pps.handover')).map((e) => e.details)).toEqual([{ versionId: first.id, version: 1, on: today() }]);

		const refusal = (query: PromiseLike<unknown>) =>
			Promise.resolve(query).then(
				() => 'accepted',
				(error: Error & { cause?: Error }) => error.cause?.message ?? error.message
			);
		expect(await discardPpsDraft(db, as('admin'), first.id)).toEqual({ ok: false, reason: 'issued' });
		expect(await refusal(db.update(ppsVersions).set({ content: { diagnosis: 'changé' } }).where(eq(ppsVersions.id, first.id)))).toMatch(/is issued/);
		expect(await refusal(db.update(ppsVersions).set({ handedOverAt: new Date() }).where(eq(ppsVersions.id, first.id)))).toMatch(/is issued/);
		expect(await refusal(db.execute(sql`delete from pps_versions where id = ${first.id}`))).toMatch(/cannot be deleted/);
		expect((await row(first.id)).status).toBe('issued');
	});

	it('makes a new version from the latest issued one: one draft at a time, a reason required, discardable', async () => {
		const { db } = database;
		const first = (await ppsOfCase(db, fixture.people.member, caseId)) as Extract<Awaited<ReturnType<typeof ppsOfCase>>, { ok: true }>;
		const created = await newPpsVersion(db, as('coordinator'), caseId);
		if (!created.ok) throw new Error(created.reason);
		expect(await newPpsVersion(db, as('member'), caseId)).toEqual({ ok: true, versionId: created.versionId, created: false });
		const draft = await row(created.versionId);
		expect(draft).toMatchObject({ version: 2, supersedesId: first.issued[0].id, setId: first.issued[0].id, status: 'draft' });
		expect((draft.content as { phases: unknown[] }).phases).toHaveLength(1);

		const noReason = await savePpsDraft(db, as('coordinator'), draft.id, await edited(draft.id, {}), draft.updatedAt);
		expect(noReason).toMatchObject({ ok: false, errors: { 'updateReason.code': 'Indiquez le motif de la mise à jour.' } });
		expect(await discardPpsDraft(db, as('secretary'), draft.id)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await discardPpsDraft(db, as('coordinator'), draft.id)).toEqual({ ok: true });
		expect(await row(draft.id)).toBeUndefined();

		const again = await newPpsVersion(db, as('member'), caseId);
		if (!again.ok) throw new Error(again.reason);
		const second = await row(again.versionId);
		// A later version keeps the phases already under way, and says why it changes.
		const saved = await savePpsDraft(db, as('member'), second.id, await edited(second.id, { updateReason: { code: '263855007', note: 'Récidive' } }), second.updatedAt);
		expect(saved).toMatchObject({ ok: true, changed: ['updateReason'] });
		const issued = await issuePps(db, as('member'), second.id);
		expect(issued.ok && issued.snapshot).toMatchObject({ version: 2, supersedes: { id: first.issued[0].id, version: 1 }, setId: first.issued[0].id });
		const listed = await ppsOfCase(db, fixture.people.member, caseId);
		expect(listed.ok && listed.issued.map((v) => [v.version, v.updateReason?.code ?? null, Boolean(v.handedOver)])).toEqual([
			[2, '263855007', false],
			[1, null, true]
		]);
	});
});
