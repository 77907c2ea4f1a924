import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` for forms whose refusal must keep what was typed: no reset after the
 * answer, and `busy(true)` while the submission is in flight (for a progress state).
 */
export function keepingValues(busy?: (inFlight: boolean) => void): SubmitFunction {
	return () => {
		busy?.(true);
		return async ({ update }) => {
			await update({ reset: false });
			busy?.(false);
		};
	};
}
