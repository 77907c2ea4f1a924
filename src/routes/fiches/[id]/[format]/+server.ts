import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { attachmentResponse } from '$lib/server/downloads';
import { ficheFile, isFicheFormat } from '$lib/server/fiches/exports';
import { ficheFor } from '$lib/server/fiches/service';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { isUuid } from '$lib/validation';
import type { RequestHandler } from './$types';

/** One signed fiche as PDF, CDA R2 or FHIR R4, for the members of its board; audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const { id, format } = event.params;
	if (!isUuid(id) || !isFicheFormat(format)) error(404, 'Cette fiche ou ce format n’existe pas.');
	const { db } = runtime().database;
	const found = await ficheFor(db, user, id);
	if (!found.ok) refuse({ reason: found.reason, id });
	const file = ficheFile(found.fiche, format);
	await audit(db, {
		actorUserId: user.id,
		action: format === 'pdf' ? 'fiche.download' : 'fiche.export',
		entityType: 'case',
		entityId: found.fiche.caseId,
		address: event.getClientAddress(),
		details: { ficheId: id, version: found.fiche.version, format }
	});
	return attachmentResponse(file.bytes, file.mediaType, file.fileName);
};
