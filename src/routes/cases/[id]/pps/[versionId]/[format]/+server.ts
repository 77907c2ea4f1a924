import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { attachmentResponse } from '$lib/server/downloads';
import { PPS_FORMATS, ppsDocument, type PpsFormat } from '$lib/server/pps/documents';
import { renderablePps } from '$lib/server/pps/read';
import { ppsAccess } from '$lib/server/pps/service';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { isUuid } from '$lib/validation';
import type { RequestHandler } from './$types';

const isFormat = (value: string): value is PpsFormat => (PPS_FORMATS as readonly string[]).includes(value);

/** An issued PPS version as the patient's PDF, CDA R2 or FHIR R4, for the members of the case's board; audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const { id, versionId, format } = event.params;
	if (!isUuid(versionId) || !isFormat(format)) error(404, 'Cette version du PPS ou ce format n’existe pas.');
	const { db } = runtime().database;
	const access = await ppsAccess(db, user, id);
	if (!access.ok) refuse(access);
	const snapshot = await renderablePps(db, id, versionId);
	if (!snapshot) error(404, `Version du PPS introuvable : ${versionId}`);
	const file = await ppsDocument(snapshot, format);
	await audit(db, { actorUserId: user.id, action: 'pps.download', entityType: 'case', entityId: id, address: event.getClientAddress(), details: { versionId, version: snapshot.version, format } });
	const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
	return attachmentResponse(bytes, file.contentType, file.fileName);
};
