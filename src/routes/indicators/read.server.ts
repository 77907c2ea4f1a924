/**
 * What the indicators page and its CSV export share: the filter read from the URL, the
 * reader's boards, the check that the chosen boards are among them, the computation and
 * its audit.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { lastTwelveMonths } from '$lib/domain/schedule';
import type { ReportScope } from '$lib/indicators/report';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { computeIndicators, IndicatorQuery, indicatorBoards, indicatorFilter, type Indicators } from '$lib/server/indicators';
import { computeNetworkIndicators, type NetworkIndicators } from '$lib/server/indicators-network';
import { computeAfterRcpIndicators, type AfterRcpIndicators } from '$lib/server/indicators-after-rcp';
import { runtime } from '$lib/server/runtime';
import { fieldErrors } from '$lib/validation';
import { clock } from '$lib/clock';

/** The filter as typed, to show it back in the form. */
export interface FilterValues {
	boardIds: string[];
	from: string;
	to: string;
	organ: string;
}

/** The filter's values from the URL; a period absent from it is the last 12 months. */
function filterValues(url: URL, now: Date): FilterValues {
	const period = lastTwelveMonths(now);
	return {
		boardIds: url.searchParams.getAll('boardIds'),
		from: url.searchParams.get('from') ?? period.from,
		to: url.searchParams.get('to') ?? period.to,
		organ: url.searchParams.get('organ') ?? ''
	};
}

export type IndicatorsRead = {
	boards: { id: string; name: string }[];
	allBoards: ReportScope['allBoards'];
	values: FilterValues;
} & ({ ok: false; errors: Record<string, string> } | { ok: true; indicators: Indicators; network: NetworkIndicators; afterRcp: AfterRcpIndicators; scope: ReportScope });

/**
 * Reads the filter and computes the indicators, audited as `action`. An invalid filter is
 * answered with its errors (nothing computed); a board outside the reader's is a 403.
 */
export async function readIndicators(event: RequestEvent, action: 'indicators.read' | 'indicators.export'): Promise<IndicatorsRead> {
	const user = requireUser(event);
	const { db } = runtime().database;
	const boards = await indicatorBoards(db, user);
	const now = clock.now();
	const values = filterValues(event.url, now);
	const allBoards = user.isAdmin || user.networkEditor ? 'network' : 'mine';
	const parsed = IndicatorQuery.safeParse(values);
	if (!parsed.success) return { ok: false, boards, allBoards, values, errors: fieldErrors(parsed.error) };
	const query = parsed.data;
	const checked = indicatorFilter(
		query,
		boards.map((board) => board.id),
		now
	);
	if (!checked.ok) error(403, m.indicators_forbidden());
	const indicators = await computeIndicators(db, checked.filter);
	const network = await computeNetworkIndicators(db, checked.filter);
	const afterRcp = await computeAfterRcpIndicators(db, checked.filter);
	await audit(db, {
		actorUserId: user.id,
		action,
		address: event.getClientAddress(),
		details: { boardIds: checked.filter.boardIds, from: query.from, to: query.to, organ: query.organ ?? null }
	});
	const names = new Map(boards.map((board) => [board.id, board.name]));
	return {
		ok: true,
		boards,
		allBoards,
		values,
		indicators,
		network,
		afterRcp,
		scope: {
			boardNames: [...new Set(query.boardIds)].map((id) => names.get(id) ?? id),
			allBoards,
			from: query.from,
			to: query.to,
			organ: query.organ ?? null
		}
	};
}
