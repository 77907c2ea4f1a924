import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { attachmentResponse } from '$lib/server/downloads';
import { auditActor, planFor } from '$lib/server/follow-up/access';
import { followUpViewer } from '$lib/server/follow-up/viewer';
import { PPS_FORMATS, ppsDocument, type PpsFormat } from '$lib/server/pps/documents';
import { renderablePps } from '$lib/server/pps/read';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import { isUuid } from '$lib/validation';
import type { RequestHandler } from './$types';

/** An issued PPS version of the plan's case, in one format, for the plan's readers (the invited GP included). */
export const GET: RequestHandler = async (event) => {
	const { db } = runtime().database;
	const viewer = followUpViewer(event);
	const access = await planFor(db, viewer, event.params.planId);
	if (!access.ok) refuse(access);
	const format = event.params.format as PpsFormat;
	if (!PPS_FORMATS.includes(format)) error(404, `Format inconnu : ${event.params.format}`);
	const snapshot = isUuid(event.params.versionId) ? await renderablePps(db, access.plan.caseId, event.params.versionId) : undefined;
	if (!snapshot) error(404, `Introuvable : ${event.params.versionId}`);
	const file = await ppsDocument(snapshot, format);
	const actor = auditActor(viewer);
	await audit(db, {
		actorUserId: actor.actorUserId,
		action: 'pps.download',
		entityType: 'pps-version',
		entityId: event.params.versionId,
		address: event.getClientAddress(),
		details: { planId: access.plan.id, format, gpLinkId: actor.gpLinkId ?? null }
	});
	const bytes = typeof file.body === 'string' ? new TextEncoder().encode(file.body) : file.body;
	return attachmentResponse(bytes, file.contentType, file.fileName);
};
