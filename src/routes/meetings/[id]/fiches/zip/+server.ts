import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { attachmentResponse } from '$lib/server/downloads';
import { fichesZip, meetingCurrentFiches } from '$lib/server/fiches/exports';
import { meetingFor } from '$lib/server/meetings';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The meeting's signed fiches (current versions) as a zip of PDF + CDA + FHIR per case; audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const { db } = runtime().database;
	const access = await meetingFor(db, user, event.params.id);
	if (!access.ok) refuse(access);
	const fiches = await meetingCurrentFiches(db, access.meeting.id);
	if (fiches.length === 0) error(404, 'Aucune fiche signée dans cette séance pour l’instant.');
	const zip = fichesZip(fiches);
	await audit(db, {
		actorUserId: user.id,
		action: 'fiche.export-zip',
		entityType: 'meeting',
		entityId: access.meeting.id,
		address: event.getClientAddress(),
		details: { fiches: fiches.map((fiche) => ({ ficheId: fiche.id, version: fiche.version })) }
	});
	const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(access.meeting.startsAt);
	return attachmentResponse(zip, 'application/zip', `fiches-rcp_${day}.zip`);
};
