// See https://svelte.dev/docs/kit/types#app.d.ts
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
		}
	}
}

export {};
