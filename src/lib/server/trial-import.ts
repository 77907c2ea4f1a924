/**
 * Importing a trials file into the directory: a preview that writes nothing, then the
 * commit of the same file in one transaction. Each trial of the file updates the
 * directory's trial with its EU CT number, else its NCT, else its local number; otherwise
 * it is created. Network editors only.
 */
import { readTrialsFile, type ImportFormat, type ImportProblem } from '../domain/trial-import.ts';
import type { TrialInput } from '../domain/trial.ts';
import { audit } from './audit.ts';
import { isNetworkEditor } from './auth/guards.ts';
import type { Database } from './db/index.ts';
import { trialWithIdentifiers, writeTrial, type TrialActor } from './trials.ts';
import type { SessionUser } from './users.ts';

/** An uploaded import file. */
export interface ImportFile {
	name: string;
	bytes: Uint8Array;
}

/** One trial of the file and what the import will do with it. */
export interface ImportRow {
	trial: TrialInput;
	action: 'create' | 'update';
	/** The directory's trial it updates. */
	existing: { id: string; title: string } | null;
}

export type PreviewResult =
	| { ok: true; format: ImportFormat; rows: ImportRow[]; created: number; updated: number }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'invalid'; problems: ImportProblem[] };

export type CommitResult = { ok: true; created: number; updated: number } | Exclude<PreviewResult, { ok: true }>;

const CSV_IDENTIFIER_COLUMNS = { euCtNumber: 'numero_eu_ct', nctId: 'nct', localNumber: 'numero_local' };

// Transactions hand out a narrower handle; the services take the database type.
const asDatabase = (tx: unknown) => tx as Database;

/**
 * What the import would do: read the file, then find each trial's counterpart. A trial
 * whose identifiers belong to two different trials of the directory, or whose counterpart
 * another trial of the file already updates, is a problem of its line.
 */
async function plan(db: Database, file: ImportFile): Promise<Exclude<PreviewResult, { reason: 'forbidden' }>> {
	const read = readTrialsFile(file.name, file.bytes);
	if (!read.ok) return { ok: false, reason: 'invalid', problems: read.problems };
	const rows: ImportRow[] = [];
	const problems: ImportProblem[] = [];
	const updatedBy = new Map<string, number>();
	const lineOf = (index: number) => read.lines[index];
	const fieldNames = read.format === 'csv' ? CSV_IDENTIFIER_COLUMNS : { euCtNumber: 'identifier', nctId: 'identifier', localNumber: 'identifier' };
	for (const [index, trial] of read.trials.entries()) {
		const [existing] = await trialWithIdentifiers(db, trial);
		if (existing) {
			for (const key of ['euCtNumber', 'nctId', 'localNumber'] as const) {
				const value = trial[key];
				if (!value || value === existing[key]) continue;
				const others = await trialWithIdentifiers(db, { euCtNumber: null, nctId: null, localNumber: null, [key]: value });
				const other = others.find((row) => row.id !== existing.id);
				if (other) {
					problems.push({ line: lineOf(index), field: fieldNames[key], message: `Ce numéro est celui de l’essai « ${other.title} », un autre identifiant de la ligne celui de « ${existing.title} »` });
				}
			}
			const earlier = updatedBy.get(existing.id);
			if (earlier !== undefined) problems.push({ line: lineOf(index), field: fieldNames.euCtNumber, message: `Met à jour le même essai que la ligne ${lineOf(earlier)}` });
			updatedBy.set(existing.id, index);
		}
		rows.push({ trial, action: existing ? 'update' : 'create', existing: existing ? { id: existing.id, title: existing.title } : null });
	}
	if (problems.length) return { ok: false, reason: 'invalid', problems };
	const updated = rows.filter((row) => row.action === 'update').length;
	return { ok: true, format: read.format, rows, created: rows.length - updated, updated };
}

/** What importing this file would create and update, or its problems; writes nothing. */
export async function previewImport(db: Database, user: SessionUser, file: ImportFile): Promise<PreviewResult> {
	if (!isNetworkEditor(user)) return { ok: false, reason: 'forbidden' };
	return plan(db, file);
}

/** Imports the file: every trial or, at the first problem, none. */
export async function commitImport(db: Database, actor: TrialActor, file: ImportFile): Promise<CommitResult> {
	if (!isNetworkEditor(actor.user)) return { ok: false, reason: 'forbidden' };
	return db.transaction(async (t): Promise<CommitResult> => {
		const tx = asDatabase(t);
		// Planned again inside the transaction: the directory may have changed since the preview.
		const planned = await plan(tx, file);
		if (!planned.ok) return planned;
		const ids: string[] = [];
		for (const row of planned.rows) ids.push(await writeTrial(tx, row.existing?.id ?? null, row.trial, planned.format, actor.user.id));
		await audit(tx, {
			actorUserId: actor.user.id,
			action: 'trial.import',
			entityType: 'trial',
			address: actor.address,
			details: { format: planned.format, created: planned.created, updated: planned.updated, trialIds: ids }
		});
		return { ok: true, created: planned.created, updated: planned.updated };
	});
}
