import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { attachmentResponse } from '$lib/server/downloads';
import { auditActor, planFor } from '$lib/server/follow-up/access';
import { followUpViewer } from '$lib/server/follow-up/viewer';
import { currentFiche } from '$lib/server/fiches/service';
import { refuse } from '$lib/server/refusals';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The current signed fiche of the plan's case, for its readers (the invited GP included). */
export const GET: RequestHandler = async (event) => {
	const { db } = runtime().database;
	const viewer = followUpViewer(event);
	const access = await planFor(db, viewer, event.params.planId);
	if (!access.ok) refuse(access);
	const fiche = await currentFiche(db, access.plan.caseId);
	if (!fiche) error(404, 'Aucune fiche signée pour ce dossier.');
	const actor = auditActor(viewer);
	await audit(db, {
		actorUserId: actor.actorUserId,
		action: 'fiche.download',
		entityType: 'fiche',
		entityId: fiche.id,
		address: event.getClientAddress(),
		details: { planId: access.plan.id, version: fiche.version, gpLinkId: actor.gpLinkId ?? null }
	});
	return attachmentResponse(fiche.pdf, 'application/pdf', `fiche-rcp-v${fiche.version}.pdf`);
};
