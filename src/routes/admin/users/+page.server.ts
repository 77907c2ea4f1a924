import { fail } from '@sveltejs/kit';
import { requireAdmin } from '$lib/server/auth/guards';
import { runtime } from '$lib/server/runtime';
import { createUser, listUsers } from '$lib/server/user-admin';
import { UserInput } from '$lib/users/schemas';
import { fieldErrors } from '$lib/validation';
import type { Actions, PageServerLoad } from './$types';
import { takenMessage } from './messages';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const users = await listUsers(runtime().database.db);
	return {
		users: users.map((u) => ({
			id: u.id,
			name: `${u.familyName.toUpperCase()} ${u.givenName}`,
			email: u.email,
			specialty: u.specialty,
			isAdmin: u.isAdmin,
			networkEditor: u.networkEditor,
			active: u.active,
			invited: u.passwordHash === null
		}))
	};
};

export const actions: Actions = {
	create: async (event) => {
		const admin = requireAdmin(event);
		const form = Object.fromEntries(await event.request.formData());
		const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)]));
		const parsed = UserInput.safeParse(form);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const result = await createUser(runtime().database.db, parsed.data, { userId: admin.id, address: event.getClientAddress() });
		if (!result.ok) return fail(409, { values, errors: takenMessage(result.reason) });
		return { created: { name: `${result.user.givenName} ${result.user.familyName}`, link: `${event.url.origin}/invitation/${result.token}` } };
	}
};
