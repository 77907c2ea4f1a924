import { fail, redirect } from '@sveltejs/kit';
import { runtime } from '$lib/server/runtime';
import { acceptInvitation, findInvitation } from '$lib/server/user-admin';
import { ChoosePasswordInput } from '$lib/users/schemas';
import { fieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = await findInvitation(runtime().database.db, params.token);
	return { valid: user !== undefined, givenName: user?.givenName ?? '', email: user?.email ?? '' };
};

export const actions: Actions = {
	default: async ({ params, request, getClientAddress }) => {
		const parsed = ChoosePasswordInput.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
		const { db } = runtime().database;
		const user = await findInvitation(db, params.token);
		const accepted = await acceptInvitation(db, params.token, parsed.data.password, getClientAddress());
		if (!accepted || !user) return fail(410, { errors: { form: 'expired' } });
		redirect(303, `/login?email=${encodeURIComponent(user.email ?? '')}`);
	}
};
