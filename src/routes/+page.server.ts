import { listUpcomingMeetings } from '$lib/server/meetings';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';
import { clock } from '$lib/clock';
import { startOfParisDay } from '$lib/domain/schedule';

/** A signed-in user's next meetings, across the boards they belong to. */
export const load: PageServerLoad = async ({ locals }) => {
	const now = clock.now();
	if (!locals.user) return { upcoming: null, now };
	// From the start of today in Paris (a meeting under way stays listed).
	const upcoming = await listUpcomingMeetings(runtime().database.db, locals.user, startOfParisDay(now));
	return {
		now,
		upcoming: upcoming.map((m) => ({ id: m.id, boardName: m.boardName, startsAt: m.startsAt, status: m.status, registrationDeadline: m.registrationDeadline, caseCount: m.caseCount }))
	};
};
