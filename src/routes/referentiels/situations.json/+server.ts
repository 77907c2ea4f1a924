import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guards';
import { searchSituations } from '$lib/server/referentiels';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const Query = z.object({
	/** JDV_RCP_Organe code; empty or absent: every organ. */
	organ: z.string().trim().max(40).default(''),
	q: z.string().max(200).default('')
});

/**
 * The situations of published référentiel versions a proposal may cite, for the
 * proposal's pickers: every member of the network reads published versions; guests get
 * nothing (requireUser refuses them).
 */
export const GET: RequestHandler = async (event) => {
	requireUser(event);
	const parsed = Query.safeParse(Object.fromEntries(event.url.searchParams));
	if (!parsed.success) error(400, 'Recherche invalide : organe ou texte trop long.');
	const situations = await searchSituations(runtime().database.db, { organ: parsed.data.organ || null, query: parsed.data.q, limit: 50 });
	return json({ situations }, { headers: { 'cache-control': 'private, no-store' } });
};
