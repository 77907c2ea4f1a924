/**
 * What the CSV and FHIR readers of a trials import share: the problems they report, the
 * check of one trial, and the identifiers one file may not repeat.
 */
import type { z } from 'zod';
import { TrialInput } from './trial.ts';

/** One thing wrong in an import file: its line (CSV) or entry (FHIR, from 1), the column or element, why. */
export interface ImportProblem {
	line: number;
	field: string;
	message: string;
}

/** Where the trials of an import come from (the `source` of a trial). */
export type ImportFormat = 'csv' | 'fhir';

/** A whole file read: every trial, or the problems that keep it from being imported. */
export type TrialImport = { ok: true; format: ImportFormat; trials: TrialInput[]; /** The line (entry) of each trial. */ lines: number[] } | { ok: false; problems: ImportProblem[] };

/** The largest import file accepted, in bytes. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The most trials one file may hold. */
export const MAX_IMPORT_TRIALS = 2000;

/** The problems of one parsed record, or its trial. */
export function checkTrial(line: number, input: unknown, fieldOf: (path: readonly PropertyKey[]) => string): { trial: TrialInput } | { problems: ImportProblem[] } {
	const parsed = TrialInput.safeParse(input);
	if (parsed.success) return { trial: parsed.data };
	return { problems: parsed.error.issues.map((issue: z.core.$ZodIssue) => ({ line, field: fieldOf(issue.path), message: issue.message })) };
}

/** Two trials of one file with the same identifier would overwrite each other. */
export function duplicateProblems(trials: { line: number; trial: TrialInput }[], fieldNames: Record<'euCtNumber' | 'nctId' | 'localNumber', string>): ImportProblem[] {
	const problems: ImportProblem[] = [];
	for (const key of ['euCtNumber', 'nctId', 'localNumber'] as const) {
		const seen = new Map<string, number>();
		for (const { line, trial } of trials) {
			const value = trial[key];
			if (!value) continue;
			const first = seen.get(value);
			if (first === undefined) seen.set(value, line);
			else problems.push({ line, field: fieldNames[key], message: `Identifiant ${value} déjà présent ligne ${first}` });
		}
	}
	return problems;
}

