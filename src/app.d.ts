// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quote it to find the server's log line of an unexpected error. */
			errorId?: string;
		}
	}
}

export {};
