import { redirect } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { signOut } from '$lib/server/auth/authjs';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		const user = event.locals.user;
		if (user) {
			await audit(runtime().database.db, { actorUserId: user.id, action: 'user.sign-out', address: event.getClientAddress() });
		}
		const headers = new Headers(event.request.headers);
		headers.set('content-type', 'application/x-www-form-urlencoded');
		headers.delete('content-length');
		const body = new URLSearchParams({ redirectTo: '/login' });
		await signOut({ ...event, request: new Request(event.request.url, { method: 'POST', body, headers }) });
	}
};
