/**
 * The proposal's citations of the network's library (a référentiel situation) and
 * directory (a trial), as a save stores them: the labels and identifiers are the library's,
 * never the client's copy. A new citation must be citable now (a published version, an
 * open trial); a citation the stored proposal already holds is kept as it was cited, even
 * after a newer version was published or the trial closed (a proposal keeps what it cited).
 */
import { trialCitationName, type DecisionDraft, type GuidelineCitation, type TrialCitation } from '../domain/decision.ts';
import { eq } from 'drizzle-orm';
import type { Database } from './db/index.ts';
import { trials } from './db/schema.ts';
import { resolveSituation } from './referentiels.ts';
import { resolveTrial } from './trials.ts';

/** The fields a refusal names (the editor shows the message next to them). */
export type CitationField = 'guidelineCitation' | 'trialCitation';

export type CitationResult = { ok: true; content: DecisionDraft } | { ok: false; errors: Partial<Record<CitationField, string>> };

const MESSAGES = {
	unknownSituation: 'Cette situation de référentiel n’existe pas (ou plus).',
	unpublished: 'Cette version du référentiel n’est pas publiée',
	unknownTrial: 'Cet essai n’est pas dans l’annuaire.',
	notOpen: 'Cet essai n’est pas ouvert aux inclusions.'
} as const;

/** The library's copy of a situation as a proposal stores it (without the search-only fields). */
async function libraryGuideline(db: Database, situationId: string): Promise<{ citation: GuidelineCitation; published: boolean } | null> {
	const found = await resolveSituation(db, situationId);
	if (!found) return null;
	const { situationId: id, versionId, referentielId, title, versionLabel, situationCode, situationHeading, publishedAt, status } = found;
	return { citation: { situationId: id, versionId, referentielId, title, versionLabel, situationCode, situationHeading, publishedAt }, published: status === 'published' };
}

/**
 * `content` with its citations checked against `stored` (the proposal as saved before,
 * null for the first save) and their labels taken from the library. "Aucun référentiel ne
 * s'applique" (or no answer) drops the guideline citation; a trial not proposed drops the
 * trial citation. With a citation, `guidelineName`/`guidelineVersion` and `trialName` are
 * the cited ones.
 */
export async function applyCitations(db: Database, content: DecisionDraft, stored: DecisionDraft | null): Promise<CitationResult> {
	const errors: Partial<Record<CitationField, string>> = {};
	const next = { ...content };

	const citesGuideline = next.guidelineFollowed === 'yes' || next.guidelineFollowed === 'no';
	if (!citesGuideline || next.guidelineCitation === null) {
		next.guidelineCitation = null;
	} else {
		const kept = stored?.guidelineCitation;
		if (kept && kept.situationId === next.guidelineCitation.situationId) {
			next.guidelineCitation = kept;
		} else {
			const found = await libraryGuideline(db, next.guidelineCitation.situationId);
			if (!found) errors.guidelineCitation = MESSAGES.unknownSituation;
			else if (!found.published) errors.guidelineCitation = MESSAGES.unpublished;
			else next.guidelineCitation = found.citation;
		}
	}
	if (next.guidelineCitation && !errors.guidelineCitation) {
		next.guidelineName = next.guidelineCitation.title;
		next.guidelineVersion = next.guidelineCitation.versionLabel;
	}

	if (next.trialProposed !== true || next.trialCitation === null) {
		next.trialCitation = null;
	} else {
		const kept = stored?.trialCitation;
		if (kept && kept.trialId === next.trialCitation.trialId) {
			next.trialCitation = kept;
		} else {
			const found = await resolveTrialWithStatus(db, next.trialCitation.trialId);
			if (!found) errors.trialCitation = MESSAGES.unknownTrial;
			else if (found.status !== 'open') errors.trialCitation = MESSAGES.notOpen;
			else next.trialCitation = found.citation;
		}
	}
	if (next.trialCitation && !errors.trialCitation) next.trialName = trialCitationName(next.trialCitation);

	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, content: next };
}

/** The directory's trial with its status (resolveTrial gives the citation; the status decides whether it may be newly cited). */
async function resolveTrialWithStatus(db: Database, trialId: string): Promise<{ citation: TrialCitation; status: string } | null> {
	const citation = await resolveTrial(db, trialId);
	if (!citation) return null;
	const [row] = await db.select({ status: trials.status }).from(trials).where(eq(trials.id, trialId));
	return row ? { citation, status: row.status } : null;
}

/**
 * Full citations from the ids the "enregistré sans discussion" form carries (its pickers
 * set hidden inputs): '' means none. The save then checks them like any citation.
 */
export async function citationsFromIds(
	db: Database,
	ids: { situationId: string; trialId: string }
): Promise<{ ok: true; guidelineCitation: GuidelineCitation | null; trialCitation: TrialCitation | null } | { ok: false; errors: Partial<Record<CitationField, string>> }> {
	const errors: Partial<Record<CitationField, string>> = {};
	let guidelineCitation: GuidelineCitation | null = null;
	let trialCitation: TrialCitation | null = null;
	if (ids.situationId !== '') {
		const found = await libraryGuideline(db, ids.situationId);
		if (found) guidelineCitation = found.citation;
		else errors.guidelineCitation = MESSAGES.unknownSituation;
	}
	if (ids.trialId !== '') {
		trialCitation = await resolveTrial(db, ids.trialId);
		if (!trialCitation) errors.trialCitation = MESSAGES.unknownTrial;
	}
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, guidelineCitation, trialCitation };
}
