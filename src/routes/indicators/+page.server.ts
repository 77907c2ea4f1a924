import { readIndicators } from './read.server';
import type { PageServerLoad } from './$types';

/** The filter's form, and the indicators when the filter is valid (the read is audited). */
export const load: PageServerLoad = async (event) => {
	const read = await readIndicators(event, 'indicators.read');
	return {
		boards: read.boards,
		allBoards: read.allBoards,
		values: read.values,
		errors: read.ok ? {} : read.errors,
		result: read.ok ? { indicators: read.indicators, network: read.network, afterRcp: read.afterRcp, scope: read.scope } : null
	};
};
