import { error, fail } from '@sveltejs/kit';
import { requireAdmin } from '$lib/server/auth/guards';
import { runtime } from '$lib/server/runtime';
import { createInvitation, setActive, updateUser } from '$lib/server/user-admin';
import { findUserById } from '$lib/server/users';
import { UserInput } from '$lib/users/schemas';
import { fieldErrors } from '$lib/validation';
import { takenMessage } from '../messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const user = await findUserById(runtime().database.db, event.params.id);
	if (!user) error(404, `Compte introuvable : ${event.params.id}`);
	const { passwordHash, ...shown } = user;
	return { account: { ...shown, invited: passwordHash === null } };
};

export const actions: Actions = {
	update: async (event) => {
		const admin = requireAdmin(event);
		const form = Object.fromEntries(await event.request.formData());
		const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)]));
		const parsed = UserInput.safeParse(form);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const result = await updateUser(runtime().database.db, event.params.id, parsed.data, {
			userId: admin.id,
			address: event.getClientAddress()
		});
		if (!result.ok) return fail(409, { values, errors: takenMessage(result.reason) });
		return { saved: true };
	},
	toggle: async (event) => {
		const admin = requireAdmin(event);
		const active = (await event.request.formData()).get('active') === 'true';
		const result = await setActive(runtime().database.db, event.params.id, active, {
			userId: admin.id,
			address: event.getClientAddress()
		});
		if (!result.ok) return fail(409, { errors: takenMessage(result.reason) });
		// A deactivated account leaves its video room at once.
		if (!active) await runtime().sfu.expel(`user:${event.params.id}`);
		return { saved: true };
	},
	invite: async (event) => {
		const admin = requireAdmin(event);
		const user = await findUserById(runtime().database.db, event.params.id);
		if (!user) error(404, `Compte introuvable : ${event.params.id}`);
		const token = await createInvitation(runtime().database.db, user.id, { userId: admin.id, address: event.getClientAddress() });
		return { link: `${event.url.origin}/invitation/${token}` };
	}
};
