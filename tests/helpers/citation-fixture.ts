/**
 * Rows of the référentiels library and the trials directory, inserted directly, for the
 * tests of what a proposal cites: a référentiel with a superseded and a published version,
 * a draft version, and trials open and closed.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/index.ts';
import { referentiels, referentielSituations, referentielVersions, trials, trialSites } from '../../src/lib/server/db/schema.ts';

export interface CitationFixture {
	referentielId: string;
	/** Situations of the 2025 version (superseded), the 2026 version (published) and a draft. */
	superseded: { versionId: string; situationId: string };
	published: { versionId: string; situationId: string };
	draft: { versionId: string; situationId: string };
	/** A published situation of a lung référentiel (another organ). */
	lung: { situationId: string };
	openTrialId: string;
	otherOpenTrialId: string;
	closedTrialId: string;
}

/** A version with one situation; its status is set after the situation (a published version's situations cannot change). */
async function version(
	db: Database,
	referentielId: string,
	label: string,
	status: 'draft' | 'published' | 'superseded',
	situation: { code: string; heading: string; recommendation: string },
	publishedAt: Date | null
) {
	const [row] = await db.insert(referentielVersions).values({ referentielId, label }).returning();
	const [placed] = await db.insert(referentielSituations).values({ versionId: row.id, ...situation }).returning();
	if (status !== 'draft') await db.update(referentielVersions).set({ status: 'published', publishedAt }).where(eq(referentielVersions.id, row.id));
	if (status === 'superseded') await db.update(referentielVersions).set({ status: 'superseded' }).where(eq(referentielVersions.id, row.id));
	return { versionId: row.id, situationId: placed.id };
}

export async function createCitationFixture(db: Database, now: Date = new Date()): Promise<CitationFixture> {
	const stamp = Math.random().toString(36).slice(2, 8);
	const [colon] = await db.insert(referentiels).values({ title: `Cancer du côlon ${stamp}`, organ: 'MED-251' }).returning();
	const earlier = new Date(now.getTime() - 400 * 86_400_000);
	const situation = { code: 'COLON-III-R0', heading: 'Côlon, stade III, après résection R0', recommendation: 'FOLFOX 6 mois ou CAPOX 3 mois.' };
	const superseded = await version(db, colon.id, '2025', 'superseded', situation, earlier);
	const published = await version(db, colon.id, '2026', 'published', { ...situation, recommendation: 'CAPOX 3 mois (T1-3 N1), FOLFOX 6 mois sinon.' }, new Date(now.getTime() - 30 * 86_400_000));
	const draft = await version(db, colon.id, '2027-projet', 'draft', situation, null);
	const [lungRef] = await db.insert(referentiels).values({ title: `Cancer bronchique ${stamp}`, organ: 'MED-255' }).returning();
	const lung = await version(db, lungRef.id, '2026', 'published', { code: 'POUMON-IV', heading: 'Poumon, stade IV, sans addiction', recommendation: 'Immunothérapie.' }, earlier);

	const trial = (values: Partial<typeof trials.$inferInsert>) =>
		db
			.insert(trials)
			.values({ title: 'Essai', status: 'open', criteria: {}, ...values })
			.returning()
			.then(([row]) => row.id);
	const openTrialId = await trial({
		title: `Chimiothérapie adjuvante guidée par l’ADN tumoral circulant ${stamp}`,
		acronym: `CIRCULATE-${stamp}`,
		euCtNumber: `2024-5${stamp.slice(0, 5).replace(/\D/g, '0').padEnd(5, '0')}-12-00`,
		nctId: `NCT0${Math.floor(Math.random() * 9_999_999).toString().padStart(7, '0')}`,
		localNumber: `CHU-${stamp}`,
		sponsor: 'UNICANCER',
		phase: 'III'
	});
	await db.insert(trialSites).values({ trialId: openTrialId, site: 'CHU de Test', investigator: 'Dr Essai', contact: 'arc@chu.test' });
	const otherOpenTrialId = await trial({ title: `Essai sans acronyme ${stamp}`, phase: 'II' });
	const closedTrialId = await trial({ title: `Essai clos ${stamp}`, acronym: `CLOS-${stamp}`, status: 'closed' });
	return { referentielId: colon.id, superseded, published, draft, lung: { situationId: lung.situationId }, openTrialId, otherOpenTrialId, closedTrialId };
}
