import { parisDate } from '$lib/domain/attendance';
import { meetingAttendance } from '$lib/server/attendance';
import { attendanceSheetPdf, pdfDownload } from '$lib/server/attendance-pdf';
import { audit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The meeting's attendance sheet (feuille de présence) as a PDF, for the members of its board; audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const result = await meetingAttendance(db, user, event.params.id);
	if (!result.ok) refuse(result);
	const sheet = result.attendance;
	const pdf = await attendanceSheetPdf(sheet);
	await audit(db, {
		actorUserId: user.id,
		action: 'attendance.sheet',
		entityType: 'meeting',
		entityId: sheet.meeting.id,
		address: event.getClientAddress(),
		details: { lines: sheet.lines.length }
	});
	return pdfDownload(pdf, `feuille-de-presence_${parisDate(sheet.meeting.startsAt)}.pdf`);
};
