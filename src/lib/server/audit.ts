/**
 * Writes the audit trail. Details carry identifiers and field names only: never a
 * patient's data, never a password.
 */
import type { Database } from './db/index.ts';
import { auditEvents } from './db/schema.ts';

export interface AuditEntry {
	actorUserId: string | null;
	/** What happened, e.g. `user.sign-in`, `user.create`, `case.read`. */
	action: string;
	entityType?: string;
	entityId?: string;
	address?: string | null;
	details?: Record<string, unknown>;
}

export async function audit(db: Database, entry: AuditEntry, at: Date = new Date()): Promise<void> {
	await db.insert(auditEvents).values({
		at,
		actorUserId: entry.actorUserId,
		action: entry.action,
		entityType: entry.entityType ?? null,
		entityId: entry.entityId ?? null,
		address: entry.address ?? null,
		details: entry.details ?? null
	});
}
