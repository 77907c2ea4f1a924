/**
 * Writes the audit trail. Details carry identifiers and field names only: never a
 * patient's data, never a password.
 */
import { and, desc, eq, gte, lt } from 'drizzle-orm';
import type { Database } from './db/index.ts';
import { auditEvents, meetingGuests, users } from './db/schema.ts';
import { clock } from '../clock.ts';

/** Who changes something, and from where (for the audit row). */
export interface Actor {
	userId: string;
	address: string | null;
}

export interface AuditEntry {
	actorUserId: string | null;
	/** When a meeting's guest acted (then actorUserId is null). */
	actorGuestId?: string;
	/** What happened, e.g. `user.sign-in`, `user.create`, `case.read`. */
	action: string;
	entityType?: string;
	entityId?: string;
	address?: string | null;
	details?: Record<string, unknown>;
}

export async function audit(db: Database, entry: AuditEntry, at: Date = clock.now()): Promise<void> {
	await db.insert(auditEvents).values({
		at,
		actorUserId: entry.actorUserId,
		actorGuestId: entry.actorGuestId ?? null,
		action: entry.action,
		entityType: entry.entityType ?? null,
		entityId: entry.entityId ?? null,
		address: entry.address ?? null,
		details: entry.details ?? null
	});
}

/** Filters of the administrator's audit page. */
export interface AuditFilter {
	action?: string;
	actorUserId?: string;
	from?: Date;
	to?: Date;
	limit: number;
	offset: number;
}

export interface AuditRow {
	id: string;
	at: Date;
	action: string;
	entityType: string | null;
	entityId: string | null;
	address: string | null;
	/** A user, or a meeting's guest (`guest: true`, id of the invitation). */
	actor: { id: string; name: string; guest?: true } | null;
}

/** The most recent events first, matching every given filter. */
export async function listAuditEvents(db: Database, filter: AuditFilter): Promise<AuditRow[]> {
	const conditions = [
		filter.action ? eq(auditEvents.action, filter.action) : undefined,
		filter.actorUserId ? eq(auditEvents.actorUserId, filter.actorUserId) : undefined,
		filter.from ? gte(auditEvents.at, filter.from) : undefined,
		filter.to ? lt(auditEvents.at, filter.to) : undefined
	].filter((c) => c !== undefined);
	const rows = await db
		.select({
			id: auditEvents.id,
			at: auditEvents.at,
			action: auditEvents.action,
			entityType: auditEvents.entityType,
			entityId: auditEvents.entityId,
			address: auditEvents.address,
			actorId: users.id,
			givenName: users.givenName,
			familyName: users.familyName,
			guestId: meetingGuests.id,
			guestName: meetingGuests.name
		})
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.actorUserId))
		.leftJoin(meetingGuests, eq(meetingGuests.id, auditEvents.actorGuestId))
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(filter.limit)
		.offset(filter.offset);
	return rows.map(({ actorId, givenName, familyName, guestId, guestName, ...row }) => ({
		...row,
		actor: actorId
			? { id: actorId, name: `${givenName} ${familyName}` }
			: guestId
				? { id: guestId, name: guestName ?? '', guest: true as const }
				: null
	}));
}

/** The distinct actions recorded so far, for the filter's choices. */
export async function auditActions(db: Database): Promise<string[]> {
	const rows = await db.selectDistinct({ action: auditEvents.action }).from(auditEvents).orderBy(auditEvents.action);
	return rows.map((r) => r.action);
}
