import { error } from '@sveltejs/kit';
import { csvFileName, indicatorsCsv } from '$lib/indicators/csv';
import { networkReport } from '$lib/indicators/network-report';
import { indicatorReport } from '$lib/indicators/report';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { readIndicators } from '../read.server';
import type { RequestHandler } from './$types';

/** The indicators of the page's filter as a CSV file (same query, same checks); audited. */
export const GET: RequestHandler = async (event) => {
	const read = await readIndicators(event, 'indicators.export');
	if (!read.ok) error(400, m.indicators_invalid({ details: Object.values(read.errors).join(' ') }));
	const locale = getLocale();
	const csv = indicatorsCsv(indicatorReport(read.indicators, locale), read.scope, locale, networkReport(read.network, locale, read.afterRcp));
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${csvFileName(read.scope.from, read.scope.to)}"`,
			'cache-control': 'private, no-store'
		}
	});
};
