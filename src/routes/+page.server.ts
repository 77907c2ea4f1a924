import { listUpcomingMeetings } from '$lib/server/meetings';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** A signed-in user's next meetings, across the boards they belong to. */
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) return { upcoming: null };
	// From the start of today (a meeting under way stays listed).
	const upcoming = await listUpcomingMeetings(runtime().database.db, locals.user, new Date(Date.now() - 12 * 3600_000));
	return {
		upcoming: upcoming.map((m) => ({ id: m.id, boardName: m.boardName, startsAt: m.startsAt, status: m.status, registrationDeadline: m.registrationDeadline, caseCount: m.caseCount }))
	};
};
