/**
 * Small validation helpers shared by forms and services.
 */
import type { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` has the shape of a UUID (checked before querying by id). */
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * zod issues as `{ field: message }`, the first message of each field. `nameOf` maps an
 * issue path to a form field name (default: the first segment, or `form`).
 */
export function fieldErrors(
	error: z.ZodError,
	nameOf: (path: PropertyKey[]) => string = (path) => String(path[0] ?? 'form')
): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) errors[nameOf(issue.path)] ??= issue.message;
	return errors;
}
