/**
 * Who asks for a follow-up page: the signed-in user, or the GP's session; anyone else is
 * sent to sign in (requireUser).
 */
import type { RequestEvent } from '@sveltejs/kit';
import { requireUser } from '../auth/guards.ts';
import type { FollowUpViewer } from './access.ts';

export function followUpViewer(event: Pick<RequestEvent, 'locals' | 'url'>): FollowUpViewer {
	if (event.locals.user) return { kind: 'user', user: event.locals.user };
	if (event.locals.gp) return { kind: 'gp', gp: event.locals.gp };
	return { kind: 'user', user: requireUser(event) };
}
