import { fail, redirect } from '@sveltejs/kit';
import { runtime } from '$lib/server/runtime';
import { countUsers, createFirstAdmin } from '$lib/server/users';
import { FirstAdminInput } from '$lib/users/schemas';
import { fieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	if ((await countUsers(runtime().database.db)) > 0) redirect(303, '/login');
	return {};
};

export const actions: Actions = {
	default: async ({ request, getClientAddress }) => {
		const form = Object.fromEntries(await request.formData());
		// What was typed comes back with the errors, passwords excepted.
		const typed = { givenName: String(form.givenName ?? ''), familyName: String(form.familyName ?? ''), email: String(form.email ?? '') };
		const parsed = FirstAdminInput.safeParse(form);
		if (!parsed.success) return fail(400, { ...typed, errors: fieldErrors(parsed.error) });
		const result = await createFirstAdmin(runtime().database.db, parsed.data, getClientAddress());
		if (!result.ok) redirect(303, '/login');
		redirect(303, `/login?created=1&email=${encodeURIComponent(parsed.data.email)}`);
	}
};
