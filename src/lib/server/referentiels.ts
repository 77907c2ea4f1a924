/**
 * The network's référentiels library: référentiels, their working groups, versions
 * (draft → submitted → validated → published → superseded) and situations, the unit a
 * proposal cites.
 */
import { and, asc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { GuidelineCitation } from '../domain/decision.ts';
import { isUuid } from '../validation.ts';
import type { Database } from './db/index.ts';
import { referentiels, referentielSituations, referentielVersions } from './db/schema.ts';

/** A situation a proposal may cite now: of a published (current) version. */
export interface CitableSituation extends GuidelineCitation {
	organ: string;
	recommendation: string;
}

const citable = (db: Database) =>
	db
		.select({
			situationId: referentielSituations.id,
			versionId: referentielVersions.id,
			referentielId: referentiels.id,
			title: referentiels.title,
			versionLabel: referentielVersions.label,
			situationCode: referentielSituations.code,
			situationHeading: referentielSituations.heading,
			publishedAt: referentielVersions.publishedAt,
			status: referentielVersions.status,
			organ: referentiels.organ,
			recommendation: referentielSituations.recommendation
		})
		.from(referentielSituations)
		.innerJoin(referentielVersions, eq(referentielVersions.id, referentielSituations.versionId))
		.innerJoin(referentiels, eq(referentiels.id, referentielVersions.referentielId));

type CitableRow = Awaited<ReturnType<ReturnType<typeof citable>['where']>>[number];

const toCitation = ({ status: _status, publishedAt, ...row }: CitableRow): CitableSituation & { status: string } => ({
	...row,
	status: _status,
	publishedAt: publishedAt?.toISOString() ?? null
});

/**
 * The situation `situationId` as a proposal cites it, with its version's status, or null
 * when there is none. The caller decides what it accepts: a new citation must be of a
 * published version; a proposal keeps a version it cited before it was superseded.
 */
export async function resolveSituation(db: Database, situationId: string): Promise<(CitableSituation & { status: string }) | null> {
	if (!isUuid(situationId)) return null;
	const [row] = await citable(db).where(eq(referentielSituations.id, situationId));
	return row ? toCitation(row) : null;
}

/**
 * The situations of published versions, for the proposal's picker: those of `organ`
 * (JDV_RCP_Organe code) when given, matching `query` in the title, the situation's code or
 * heading; at most `limit`, by référentiel then position. Every member of the network
 * reads published versions.
 */
export async function searchSituations(db: Database, filter: { organ?: string | null; query?: string; limit?: number }): Promise<CitableSituation[]> {
	const conditions: (SQL | undefined)[] = [eq(referentielVersions.status, 'published')];
	if (filter.organ) conditions.push(eq(referentiels.organ, filter.organ));
	const query = filter.query?.trim();
	if (query) {
		const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		conditions.push(or(ilike(referentiels.title, pattern), ilike(referentielSituations.code, pattern), ilike(referentielSituations.heading, pattern)));
	}
	const rows = await citable(db)
		.where(and(...conditions))
		.orderBy(asc(referentiels.title), asc(referentielSituations.position))
		.limit(filter.limit ?? 50);
	return rows.map((row) => {
		const { status: _status, ...citation } = toCitation(row);
		return citation;
	});
}

// The library's services, split by concern under ./referentiels/.
export { actorFor, isCited, type LibraryRefusal } from './referentiels/access.ts';
export {
	createReferentiel,
	deleteReferentiel,
	getReferentiel,
	historyOf,
	listReferentiels,
	networkMembers,
	setGroupMember,
	updateReferentiel,
	type GroupMember,
	type HistoryEntry,
	type ReferentielSummary,
	type ReferentielView,
	type Requester,
	type VersionLine
} from './referentiels/library.ts';
export {
	addSituation,
	changeVersionState,
	createVersion,
	deleteSituation,
	deleteVersion,
	getVersion,
	updateSituation,
	updateVersion,
	type VersionStep,
	type VersionView
} from './referentiels/versions.ts';
export { readVersionDocument, uploadVersionDocument, type DocumentRead, type DocumentUpload } from './referentiels/documents.ts';
export { versionFeedback, type OffGuidelineProposal, type VersionFeedback } from './referentiels/feedback.ts';
