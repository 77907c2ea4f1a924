import { requireUser, isNetworkEditor } from '$lib/server/auth/guards';
import { listTrials, type TrialFilter } from '$lib/server/trials';
import { runtime } from '$lib/server/runtime';
import { TRIAL_STATUSES, type TrialStatus } from '$lib/domain/trial';
import { findConcept } from '$lib/domain/value-sets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const params = event.url.searchParams;
	const status = params.get('status') ?? '';
	const organ = params.get('organ') ?? '';
	const query = (params.get('q') ?? '').slice(0, 200);
	// Unknown filter values are ignored, not refused: the list is a search, not a form.
	const filter: TrialFilter = {
		status: (TRIAL_STATUSES as readonly string[]).includes(status) ? (status as TrialStatus) : undefined,
		organ: organ && findConcept('JDV_RCP_Organe', organ) ? organ : undefined,
		query: query.trim() || undefined
	};
	const trials = await listTrials(runtime().database.db, filter);
	return { trials, filter: { status, organ, query }, canEdit: isNetworkEditor(user) };
};
