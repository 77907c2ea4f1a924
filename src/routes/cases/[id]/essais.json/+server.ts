import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { openTrialChoices } from '$lib/server/trial-choices';
import { matchingTrials } from '$lib/server/trials';
import type { RequestHandler } from './$types';

/**
 * The open trials that may fit the case (with what matched and what is unknown), and the
 * directory's other open trials (for the proposal's trial picker), for the members of the
 * case's board; guests get nothing.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const result = await matchingTrials(db, user, event.params.id);
	if (!result.ok) refuse({ reason: result.reason, id: event.params.id });
	const matched = new Set(result.matches.map((match) => match.trial.id));
	const others = (await openTrialChoices(db)).filter((trial) => !matched.has(trial.trialId));
	return json({ matches: result.matches, others }, { headers: { 'cache-control': 'private, no-store' } });
};
