import { calendarYear, parisYearOf } from '$lib/domain/attendance';
import { attendanceYears, yearlyAttendance } from '$lib/server/attendance';
import { requireUser } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';
import { clock } from '$lib/clock';

/** The signed-in user's meetings of one year (`?year=`; by default this year, or the latest with a presence). */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const found = await attendanceYears(db, user, user.id);
	if (!found.ok) refuse(found);
	const { years } = found;
	const thisYear = parisYearOf(clock.now());
	const year = calendarYear(event.url.searchParams.get('year')) ?? (years.includes(thisYear) ? thisYear : (years[0] ?? thisYear));
	const result = await yearlyAttendance(db, user, user.id, year);
	if (!result.ok) refuse(result);
	const { meetings, count, totalMinutes, totalHours } = result.attendance;
	return { years, year, meetings, count, totalMinutes, totalHours };
};
