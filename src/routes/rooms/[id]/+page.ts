import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { RoomId } from '$lib/realtime/protocol';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ params }) => {
	const parsed = RoomId.safeParse(params.id);
	if (!parsed.success) error(404, m.room_not_found({ roomId: params.id }));
	return { roomId: parsed.data };
};
