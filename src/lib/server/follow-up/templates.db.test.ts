import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../../../../tests/helpers/database.ts';
import { DEFAULT_FOLLOW_UP_TEMPLATES } from '../../domain/follow-up-templates.ts';
import { auditEvents, followUpTemplates, users } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';
import { getTemplate, listTemplates, saveTemplate, setTemplateActive } from './templates.ts';

describe(`follow-up templates (${testDatabaseKind})`, () => {
	let database: TestDatabase;
	const people: Record<string, SessionUser> = {};
	const as = (who: string) => ({ user: people[who], address: null });

	beforeAll(async () => {
		database = await openTestDatabase();
		for (const [key, isAdmin, networkEditor] of [
			['admin', true, false],
			['editor', false, true],
			['member', false, false]
		] as const) {
			const [row] = await database.db.insert(users).values({ givenName: key, familyName: 'T', email: `${key}@chu.fr`, isAdmin, networkEditor }).returning();
			people[key] = { id: row.id, givenName: key, familyName: 'T', email: row.email, specialty: null, isAdmin, networkEditor };
		}
	});
	afterAll(() => database?.dispose());

	it('seeds the defaults once, even when two first readers come together', async () => {
		const [first, second] = await Promise.all([listTemplates(database.db), listTemplates(database.db)]);
		expect(first.map((t) => t.definition.organ).sort()).toEqual(DEFAULT_FOLLOW_UP_TEMPLATES.map((t) => t.organ).sort());
		expect(second).toHaveLength(DEFAULT_FOLLOW_UP_TEMPLATES.length);
		await listTemplates(database.db);
		expect(await database.db.select().from(followUpTemplates)).toHaveLength(DEFAULT_FOLLOW_UP_TEMPLATES.length);
	});

	it('lets editors and administrators create, edit and withdraw; members only read', async () => {
		const draft = { ...DEFAULT_FOLLOW_UP_TEMPLATES[0], name: 'Côlon — suivi allégé', gpAloneAfterYear: 3 };
		expect(await saveTemplate(database.db, as('member'), undefined, draft)).toEqual({ ok: false, reason: 'forbidden' });
		const created = await saveTemplate(database.db, as('editor'), undefined, draft);
		if (!created.ok) throw new Error(created.reason);
		const edited = await saveTemplate(database.db, as('admin'), created.template.id, { ...draft, visitIntervalMonths: 4 });
		expect(edited.ok && edited.template.definition.visitIntervalMonths).toBe(4);
		expect(await setTemplateActive(database.db, as('member'), created.template.id, false)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await setTemplateActive(database.db, as('editor'), created.template.id, false)).toEqual({ ok: true });
		expect((await listTemplates(database.db)).some((t) => t.id === created.template.id)).toBe(false);
		expect((await listTemplates(database.db, { withdrawn: true })).find((t) => t.id === created.template.id)?.active).toBe(false);
		expect((await getTemplate(database.db, created.template.id))?.definition.name).toBe('Côlon — suivi allégé');
		const trail = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, created.template.id));
		expect(trail.map((e) => e.action)).toEqual(['follow-up.template.save', 'follow-up.template.save', 'follow-up.template.save']);
	});

	it('says in French what is wrong, field by field (exam rows by their place)', async () => {
		const bad = {
			...DEFAULT_FOLLOW_UP_TEMPLATES[0],
			name: '',
			durationYears: 2,
			gpAloneAfterYear: 5,
			exams: [{ kind: 'imaging', label: 'Scanner', everyMonths: 0 }]
		};
		const refused = await saveTemplate(database.db, as('editor'), undefined, bad);
		expect(refused).toEqual({
			ok: false,
			reason: 'invalid',
			errors: {
				name: 'Libellé obligatoire',
				gpAloneAfterYear: 'Le relais par le médecin traitant tombe après la fin du suivi',
				'exams.0.everyMonths': 'Intervalle d’au moins 1 mois'
			}
		});
		const late = await saveTemplate(database.db, as('editor'), undefined, { ...bad, name: 'x', gpAloneAfterYear: null, exams: [{ kind: 'imaging', label: 'Scanner', everyMonths: 12, fromMonth: 36 }] });
		expect(late).toEqual({ ok: false, reason: 'invalid', errors: { 'exams.0.fromMonth': '« Scanner » commence après la fin du suivi' } });
	});
});
