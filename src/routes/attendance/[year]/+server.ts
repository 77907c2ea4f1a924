import { error } from '@sveltejs/kit';
import { calendarYear } from '$lib/domain/attendance';
import { yearlyAttendance } from '$lib/server/attendance';
import { attendanceCertificatePdf, pdfDownload } from '$lib/server/attendance-pdf';
import { audit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * The signed-in physician's certificate of participation for a year, as a PDF; an
 * administrator may ask for another physician's (`?physician=<userId>`). Audited.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const year = calendarYear(event.params.year);
	if (year === null) error(404, `Année invalide : ${event.params.year}`);
	const physicianId = event.url.searchParams.get('physician') ?? user.id;
	const { db } = runtime().database;
	const result = await yearlyAttendance(db, user, physicianId, year);
	if (!result.ok) refuse(result);
	const certificate = result.attendance;
	if (certificate.count === 0) error(404, `Aucune présence enregistrée en ${year}.`);
	const pdf = await attendanceCertificatePdf(certificate);
	await audit(db, {
		actorUserId: user.id,
		action: 'attendance.certificate',
		entityType: 'user',
		entityId: physicianId,
		address: event.getClientAddress(),
		details: { year, meetings: certificate.count }
	});
	return pdfDownload(pdf, `attestation-rcp_${year}.pdf`);
};
