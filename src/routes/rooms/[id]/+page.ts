import { error } from '@sveltejs/kit';
import { RoomId } from '$lib/realtime/protocol';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ params }) => {
	const parsed = RoomId.safeParse(params.id);
	if (!parsed.success) error(404, `Salle introuvable : ${params.id}`);
	return { roomId: parsed.data };
};
