// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionGp } from '$lib/server/follow-up/access';
import type { SessionGuest } from '$lib/server/guests';
import type { SessionUser } from '$lib/server/users';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quote it to find the server's log line of an unexpected error. */
			errorId?: string;
		}
		interface Locals {
			/** The signed-in, active account, or null. */
			user: SessionUser | null;
			/** When the session signed in (ms since epoch): validating fiches asks for a recent one. */
			signedInAt: number | null;
			/** A meeting's guest (only when no account is signed in), confined to that meeting. */
			guest: SessionGuest | null;
			/** The GP invited to one patient's follow-up (only when no account is signed in), confined to that plan. */
			gp: SessionGp | null;
		}
	}
}

export {};
