/**
 * The French (or English) words for what went wrong in the room: a session problem
 * (why the room could not be entered or ended) and a refused request (an action button).
 */
import type { SessionProblem } from '$lib/client/room-session.svelte';
import { RequestError } from '$lib/client/signaling';
import { m } from '$lib/paraglide/messages';

const PROBLEMS: Record<SessionProblem, () => string> = {
	'media-denied': m.room_problem_media_denied,
	'media-unavailable': m.room_problem_media_unavailable,
	'server-unreachable': m.room_problem_server_unreachable,
	'room-full': m.room_problem_room_full,
	'server-full': m.room_problem_server_full,
	forbidden: m.room_problem_forbidden,
	'meeting-closed': m.room_problem_meeting_closed,
	'media-failed': m.room_problem_media_failed,
	'screen-failed': m.room_problem_screen_failed,
	'sfu-failure': m.room_problem_sfu_failure,
	'server-shutdown': m.room_problem_server_shutdown,
	ended: m.room_problem_ended,
	removed: m.room_problem_removed,
	replaced: m.room_problem_replaced,
	unauthorized: m.room_problem_unauthorized,
	unexpected: m.room_problem_unexpected
};

export function problemMessage(problem: SessionProblem): string {
	return PROBLEMS[problem]();
}

/** A short sentence for an action that failed (a request the server refused or did not answer). */
export function failureMessage(error: unknown): string {
	if (!(error instanceof RequestError)) return m.room_error_failed();
	switch (error.reason) {
		case 'rate-limited':
			return m.room_error_rate_limited();
		case 'forbidden':
			return m.room_error_forbidden();
		case 'not-found':
			return m.room_error_not_found();
		case 'timeout':
		case 'unavailable':
			return m.room_error_timeout();
		case 'not-in-room':
			return m.room_error_not_in_room();
		case 'invalid-payload':
			return m.room_error_invalid();
		case 'server-error':
			return error.errorId ? `${m.room_error_server()} ${m.room_error_reference({ errorId: error.errorId })}` : m.room_error_server();
		default:
			return m.room_error_failed();
	}
}
