import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { RoomId } from '$lib/realtime/protocol';
import type { RequestHandler } from './$types';

/** `/rooms?id=…` (the home page's form without script): on to the room's page. */
export const GET: RequestHandler = ({ url }) => {
	const parsed = RoomId.safeParse(url.searchParams.get('id')?.trim());
	if (!parsed.success) error(400, m.room_id_invalid_request());
	redirect(303, `/rooms/${parsed.data}`);
};
