/**
 * The demonstration network's référentiels library and trials directory (issue 15): the
 * référentiels of network-data.ts with their working groups, versions (one superseded,
 * one draft) and PDF documents, and the trials with their sites. Written straight into
 * the tables, dated relative to the demonstration's day, each step audited as the editor
 * or the coordinator who would have taken it.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { GuidelineCitation, TrialCitation } from '../../../src/lib/domain/decision.ts';
import { TrialCriteria } from '../../../src/lib/domain/trial.ts';
import { audit } from '../../../src/lib/server/audit.ts';
import type { Database } from '../../../src/lib/server/db/index.ts';
import { referentielGroupMembers, referentiels, referentielSituations, referentielVersions, trials, trialSites } from '../../../src/lib/server/db/schema.ts';
import { resolveSituation } from '../../../src/lib/server/referentiels.ts';
import { newStorageKey, type AttachmentStorage } from '../../../src/lib/server/storage.ts';
import { resolveTrial } from '../../../src/lib/server/trials.ts';
import type { SessionUser } from '../../../src/lib/server/users.ts';
import { textPdf } from './documents.ts';
import { DEMO_REFERENTIELS, DEMO_TRIALS, type DemoReferentiel, type DemoVersion } from './network-data.ts';

export interface NetworkDemoInput {
	/** The demonstration's people by key (demo.ts PEOPLE), the network editor among them. */
	people: Map<string, SessionUser>;
	editor: SessionUser;
	storage: AttachmentStorage;
	now: Date;
}

/** What the rest of the demonstration cites: a situation of a current version by référentiel and code, a trial by acronym. */
export interface NetworkDemo {
	situation(referentiel: DemoReferentiel['key'], code: string): Promise<GuidelineCitation>;
	trial(acronym: string): Promise<TrialCitation>;
	/** The référentiels' versions, for the summary: "Cancer colorectal 2026 (publiée)". */
	versions: { title: string; label: string; status: DemoVersion['status'] }[];
}

const DAY = 86_400_000;

/**
 * Lines short enough for the demo's one-page PDF (it does not wrap), in characters its
 * WinAnsi font has (the minus sign and ≤ are not among them).
 */
function wrap(text: string, width = 85): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.replaceAll('−', '-').replaceAll('≤', '<=').split(' ')) {
		if (line && line.length + word.length + 1 > width) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	if (line) lines.push(line);
	return lines;
}

/** Stores a version's PDF: the situations and their recommendations, as the working group wrote them. */
async function storeDocument(storage: AttachmentStorage, referentiel: DemoReferentiel, version: DemoVersion, label: string) {
	const lines = [
		`Référentiel régional — version ${label} — groupe de travail ${referentiel.title.toLowerCase()}`,
		...wrap(referentiel.description),
		'',
		...version.situations.flatMap((situation) => [...wrap(`${situation.code} — ${situation.heading}`), ...wrap(situation.recommendation).map((text) => `    ${text}`), ''])
	];
	const bytes = textPdf(`${referentiel.title} — référentiel ${label} (fictif)`, lines);
	const key = newStorageKey();
	await storage.put(key, bytes);
	const slug = referentiel.title
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-');
	return {
		documentKey: key,
		documentName: `referentiel-${slug}-${label}.pdf`,
		documentBytes: bytes.byteLength,
		documentSha256: createHash('sha256').update(bytes).digest('hex')
	};
}

async function addReferentiel(db: Database, input: NetworkDemoInput, referentiel: DemoReferentiel) {
	const person = (key: string) => {
		const found = input.people.get(key);
		if (!found) throw new Error(`demo: no person ${key} for the référentiel ${referentiel.title}`);
		return found;
	};
	const { now, editor } = input;
	const ago = (days: number) => new Date(now.getTime() - days * DAY);
	const coordinator = person(referentiel.coordinator);
	const createdAt = ago(Math.max(...referentiel.versions.map((version) => version.publishedDaysAgo)) + 60);
	const [row] = await db
		.insert(referentiels)
		.values({ title: referentiel.title, organ: referentiel.organ, apparatus: referentiel.apparatus, description: referentiel.description, createdAt, createdBy: editor.id, updatedAt: createdAt })
		.returning();
	await db.insert(referentielGroupMembers).values([
		{ referentielId: row.id, userId: coordinator.id, role: 'coordinator', since: createdAt },
		...referentiel.members.map((key) => ({ referentielId: row.id, userId: person(key).id, role: 'member', since: createdAt }))
	]);
	const actor = (user: SessionUser, action: string, details: Record<string, unknown>, at: Date) =>
		audit(db, { actorUserId: user.id, action, entityType: 'referentiel', entityId: row.id, address: null, details }, at);
	await actor(editor, 'referentiel.create', { organ: referentiel.organ }, createdAt);

	const versions: NetworkDemo['versions'] = [];
	let previous: { id: string } | null = null;
	for (const version of referentiel.versions) {
		const label = String(now.getUTCFullYear() - version.yearsAgo);
		const publishedAt = ago(version.publishedDaysAgo);
		const writtenAt = version.status === 'draft' ? ago(20) : ago(version.publishedDaysAgo + 45);
		const document = version.withDocument ? await storeDocument(input.storage, referentiel, version, label) : {};
		// Situations are written while the version is a draft: a published one cannot change.
		const [draft] = await db
			.insert(referentielVersions)
			.values({ referentielId: row.id, label, changeSummary: version.changeSummary, createdAt: writtenAt, createdBy: coordinator.id, ...document })
			.returning();
		await db.insert(referentielSituations).values(version.situations.map((situation, position) => ({ versionId: draft.id, position, ...situation })));
		await actor(coordinator, 'referentiel.version.create', { versionId: draft.id, label }, writtenAt);
		versions.push({ title: referentiel.title, label, status: version.status });
		if (version.status === 'draft') continue;

		const member = person(referentiel.members[0]);
		const steps = { submittedAt: ago(version.publishedDaysAgo + 20), validatedAt: ago(version.publishedDaysAgo + 7), publishedAt };
		await db
			.update(referentielVersions)
			.set({ status: 'published', submittedBy: member.id, validatedBy: coordinator.id, publishedBy: editor.id, ...steps })
			.where(eq(referentielVersions.id, draft.id));
		await actor(member, 'referentiel.version.submit', { versionId: draft.id }, steps.submittedAt);
		await actor(coordinator, 'referentiel.version.validate', { versionId: draft.id }, steps.validatedAt);
		await actor(editor, 'referentiel.version.publish', { versionId: draft.id }, publishedAt);
		if (previous) {
			await db.update(referentielVersions).set({ status: 'superseded', supersededAt: publishedAt, supersededById: draft.id }).where(eq(referentielVersions.id, previous.id));
		}
		previous = draft;
	}
	return { id: row.id, versions };
}

async function addTrial(db: Database, input: NetworkDemoInput, trial: (typeof DEMO_TRIALS)[number]): Promise<string> {
	const day = (daysAgo: number) => new Date(input.now.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
	const { sites, openedDaysAgo, closedDaysAgo, criteria, ...fields } = trial;
	const at = new Date(input.now.getTime() - 10 * DAY);
	const [row] = await db
		.insert(trials)
		.values({
			...fields,
			// Parsed as the directory's forms and imports are: a demo trial the pre-screening cannot read fails here.
			criteria: TrialCriteria.parse(criteria) as Record<string, unknown>,
			openedAt: day(openedDaysAgo),
			closedAt: closedDaysAgo === undefined ? null : day(closedDaysAgo),
			source: 'manual',
			createdAt: at,
			updatedAt: at,
			updatedBy: input.editor.id
		})
		.returning();
	await db.insert(trialSites).values(sites.map((site, position) => ({ trialId: row.id, position, ...site })));
	await audit(db, { actorUserId: input.editor.id, action: 'trial.create', entityType: 'trial', entityId: row.id, address: null, details: { status: row.status } }, at);
	return row.id;
}

/** Fills the library and the directory; returns how the rest of the demonstration cites them. */
export async function fillNetwork(db: Database, input: NetworkDemoInput): Promise<NetworkDemo> {
	const versions: NetworkDemo['versions'] = [];
	for (const referentiel of DEMO_REFERENTIELS) versions.push(...(await addReferentiel(db, input, referentiel)).versions);
	const trialIds = new Map<string, string>();
	for (const trial of DEMO_TRIALS) trialIds.set(trial.acronym, await addTrial(db, input, trial));

	return {
		versions,
		async situation(key, code) {
			const referentiel = DEMO_REFERENTIELS.find((candidate) => candidate.key === key)!;
			const [row] = await db
				.select({ id: referentielSituations.id })
				.from(referentielSituations)
				.innerJoin(referentielVersions, eq(referentielVersions.id, referentielSituations.versionId))
				.innerJoin(referentiels, eq(referentiels.id, referentielVersions.referentielId))
				.where(and(eq(referentiels.title, referentiel.title), eq(referentielVersions.status, 'published'), eq(referentielSituations.code, code)));
			const found = row ? await resolveSituation(db, row.id) : null;
			if (!found) throw new Error(`demo: no published situation ${code} in ${referentiel.title}`);
			// The citation as a proposal holds it (GuidelineCitation is strict: no organ, status or recommendation).
			const { situationId, versionId, referentielId, title, versionLabel, situationCode, situationHeading, publishedAt } = found;
			return { situationId, versionId, referentielId, title, versionLabel, situationCode, situationHeading, publishedAt };
		},
		async trial(acronym) {
			const id = trialIds.get(acronym);
			const cited = id ? await resolveTrial(db, id) : null;
			if (!cited) throw new Error(`demo: no trial ${acronym}`);
			return cited;
		}
	};
}
