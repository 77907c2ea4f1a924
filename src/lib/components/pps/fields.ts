/** Ids and ARIA attributes of the PPS editor's fields, from their posted names (`phases.0.start`). */
export type Errors = Record<string, string | undefined>;

export const fieldId = (key: string) => `pps-${key.replaceAll('.', '-')}`;
export const invalid = (errors: Errors, key: string) => (errors[key] ? 'true' : undefined);
export const describedBy = (errors: Errors, key: string, hint?: string) =>
	[errors[key] ? `${fieldId(key)}-error` : null, hint ?? null].filter(Boolean).join(' ') || undefined;
