/**
 * The référentiels themselves: the list each person sees, one référentiel's page (working
 * group, versions, history), and the editors' changes (create, edit, delete, working group).
 */
import { and, asc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { isPublishedState, type ReferentielActor, type ReferentielGroupRole, type ReferentielInput, type ReferentielVersionState, type GroupMemberInput, mayStartVersion } from '../../domain/referentiel.ts';
import { audit } from '../audit.ts';
import { isNetworkEditor } from '../auth/guards.ts';
import type { Database } from '../db/index.ts';
import { auditEvents, referentielGroupMembers, referentiels, referentielSituations, referentielVersions, users, type Referentiel } from '../db/schema.ts';
import type { AttachmentStorage } from '../storage.ts';
import type { SessionUser } from '../users.ts';
import { clock } from '../../clock.ts';
import { asDatabase, isCited, referentielEvents, referentielFor, type LibraryRefusal } from './access.ts';

/** Who asks, and from where (for the audit). */
export interface Requester {
	user: SessionUser;
	address: string | null;
}

/** A line of the library's list. */
export interface ReferentielSummary {
	id: string;
	title: string;
	organ: string;
	apparatus: string | null;
	description: string;
	/** The version proposals cite now. */
	current: { id: string; label: string; publishedAt: Date } | null;
	/** The version being prepared, for those who may see it. */
	preparing: { id: string; label: string; status: ReferentielVersionState } | null;
	groupRole: ReferentielGroupRole | null;
}

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The référentiels `user` may see, by title: those with a published version for every
 * member; all of them for editors; those of their working groups for group members.
 */
export async function listReferentiels(db: Database, user: SessionUser, filter: { organ?: string | null; query?: string } = {}): Promise<ReferentielSummary[]> {
	const conditions: SQL[] = [];
	if (filter.organ) conditions.push(eq(referentiels.organ, filter.organ));
	const query = filter.query?.trim();
	if (query) conditions.push(ilike(referentiels.title, escapeLike(query)));
	const rows = await db
		.select()
		.from(referentiels)
		.where(conditions.length ? and(...conditions) : undefined)
		.orderBy(asc(referentiels.title));
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const versions = await db
		.select({ id: referentielVersions.id, referentielId: referentielVersions.referentielId, label: referentielVersions.label, status: referentielVersions.status, publishedAt: referentielVersions.publishedAt })
		.from(referentielVersions)
		.where(inArray(referentielVersions.referentielId, ids))
		.orderBy(asc(referentielVersions.createdAt));
	const roles = new Map(
		(
			await db
				.select({ referentielId: referentielGroupMembers.referentielId, role: referentielGroupMembers.role })
				.from(referentielGroupMembers)
				.where(and(eq(referentielGroupMembers.userId, user.id), inArray(referentielGroupMembers.referentielId, ids)))
		).map((r) => [r.referentielId, r.role as ReferentielGroupRole])
	);
	const editor = isNetworkEditor(user);
	return rows.flatMap((row) => {
		const own = versions.filter((v) => v.referentielId === row.id);
		const groupRole = roles.get(row.id) ?? null;
		const writer = editor || groupRole !== null;
		const current = own.find((v) => v.status === 'published');
		if (!writer && !own.some((v) => isPublishedState(v.status as ReferentielVersionState))) return [];
		const preparing = writer ? own.find((v) => !isPublishedState(v.status as ReferentielVersionState)) : undefined;
		return [
			{
				id: row.id,
				title: row.title,
				organ: row.organ,
				apparatus: row.apparatus,
				description: row.description,
				current: current ? { id: current.id, label: current.label, publishedAt: current.publishedAt! } : null,
				preparing: preparing ? { id: preparing.id, label: preparing.label, status: preparing.status as ReferentielVersionState } : null,
				groupRole
			}
		];
	});
}

/** A member of a working group. */
export interface GroupMember {
	userId: string;
	name: string;
	specialty: string | null;
	role: ReferentielGroupRole;
}

/** A version as the référentiel's page lists it. */
export interface VersionLine {
	id: string;
	label: string;
	status: ReferentielVersionState;
	createdAt: Date;
	submittedAt: Date | null;
	validatedAt: Date | null;
	publishedAt: Date | null;
	supersededAt: Date | null;
}

/** One event of a référentiel's history (from its audit trail). */
export interface HistoryEntry {
	at: Date;
	action: string;
	actor: string | null;
	/** The version concerned, as it was labelled then. */
	versionLabel: string | null;
	/** Why a version went back to the working group. */
	reason: string | null;
}

export type ReferentielView =
	| {
			ok: true;
			referentiel: Referentiel;
			actor: ReferentielActor;
			group: GroupMember[];
			versions: VersionLine[];
			history: HistoryEntry[];
			/** May this person start a new version now? */
			canStartVersion: boolean;
	  }
	| Extract<LibraryRefusal, { reason: 'not-found' | 'forbidden' }>;

/** The events of a référentiel's history that every member sees. */
const PUBLIC_EVENTS = ['referentiel.create', 'referentiel.version.validate', 'referentiel.version.publish'];

/** A référentiel's page: published versions for every member, all of them for its group and editors. */
export async function getReferentiel(db: Database, user: SessionUser, referentielId: string): Promise<ReferentielView> {
	const found = await referentielFor(db, user, referentielId);
	if (!found.ok) return found;
	const { referentiel, actor } = found;
	const writer = actor.editor || actor.groupRole !== null;
	const all = await db.select().from(referentielVersions).where(eq(referentielVersions.referentielId, referentielId)).orderBy(asc(referentielVersions.createdAt));
	const versions = all.filter((v) => writer || isPublishedState(v.status as ReferentielVersionState));
	if (versions.length === 0 && !writer) return { ok: false, reason: 'forbidden' };
	return {
		ok: true,
		referentiel,
		actor,
		group: await groupOf(db, referentielId),
		versions: versions.map((v) => ({
			id: v.id,
			label: v.label,
			status: v.status as ReferentielVersionState,
			createdAt: v.createdAt,
			submittedAt: v.submittedAt,
			validatedAt: v.validatedAt,
			publishedAt: v.publishedAt,
			supersededAt: v.supersededAt
		})),
		// Plain members see what was validated and published, not the drafts' comings and goings.
		history: (await historyOf(db, referentielId)).filter((h) => writer || PUBLIC_EVENTS.includes(h.action)),
		canStartVersion: mayStartVersion(actor, all.map((v) => v.status as ReferentielVersionState)).ok
	};
}

async function groupOf(db: Database, referentielId: string): Promise<GroupMember[]> {
	const rows = await db
		.select({ userId: users.id, givenName: users.givenName, familyName: users.familyName, specialty: users.specialty, role: referentielGroupMembers.role })
		.from(referentielGroupMembers)
		.innerJoin(users, eq(users.id, referentielGroupMembers.userId))
		.where(eq(referentielGroupMembers.referentielId, referentielId))
		.orderBy(sql`${referentielGroupMembers.role} = 'coordinator' desc`, asc(users.familyName), asc(users.givenName));
	return rows.map((r) => ({ userId: r.userId, name: `${r.givenName} ${r.familyName}`, specialty: r.specialty, role: r.role as ReferentielGroupRole }));
}

/** The référentiel's audit trail, oldest first. */
export async function historyOf(db: Database, referentielId: string): Promise<HistoryEntry[]> {
	const rows = await db
		.select({ at: auditEvents.at, action: auditEvents.action, details: auditEvents.details, givenName: users.givenName, familyName: users.familyName })
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.actorUserId))
		.where(referentielEvents(referentielId))
		.orderBy(asc(auditEvents.at), asc(auditEvents.id));
	return rows.map((r) => ({
		at: r.at,
		action: r.action,
		actor: r.givenName ? `${r.givenName} ${r.familyName}` : null,
		versionLabel: typeof r.details?.label === 'string' ? r.details.label : null,
		reason: typeof r.details?.reason === 'string' ? r.details.reason : null
	}));
}

/** The active members of the network, for the working group's picker. */
export async function networkMembers(db: Database): Promise<{ id: string; name: string; specialty: string | null }[]> {
	const rows = await db
		.select({ id: users.id, givenName: users.givenName, familyName: users.familyName, specialty: users.specialty })
		.from(users)
		.where(eq(users.active, true))
		.orderBy(asc(users.familyName), asc(users.givenName));
	return rows.map((r) => ({ id: r.id, name: `${r.familyName.toUpperCase()} ${r.givenName}`, specialty: r.specialty }));
}

// ---------------------------------------------------------------------------------------
// Editors' changes

export type ReferentielChange = { ok: true; referentiel: Referentiel } | Extract<LibraryRefusal, { reason: 'not-found' | 'forbidden' }>;

/** A new référentiel (editors), without versions or working group yet. */
export async function createReferentiel(db: Database, { user, address }: Requester, input: ReferentielInput): Promise<ReferentielChange> {
	if (!isNetworkEditor(user)) return { ok: false, reason: 'forbidden' };
	const [referentiel] = await db.insert(referentiels).values({ ...input, createdBy: user.id }).returning();
	await audit(db, { actorUserId: user.id, action: 'referentiel.create', entityType: 'referentiel', entityId: referentiel.id, address });
	return { ok: true, referentiel };
}

/** Changes a référentiel's title, organ, apparatus or description (editors). */
export async function updateReferentiel(db: Database, { user, address }: Requester, referentielId: string, input: ReferentielInput): Promise<ReferentielChange> {
	const found = await referentielFor(db, user, referentielId);
	if (!found.ok) return found;
	if (!found.actor.editor) return { ok: false, reason: 'forbidden' };
	const [referentiel] = await db
		.update(referentiels)
		.set({ ...input, updatedAt: clock.now() })
		.where(eq(referentiels.id, referentielId))
		.returning();
	const fields = (Object.keys(input) as (keyof ReferentielInput)[]).filter((k) => input[k] !== found.referentiel[k]);
	await audit(db, { actorUserId: user.id, action: 'referentiel.update', entityType: 'referentiel', entityId: referentielId, address, details: { fields } });
	return { ok: true, referentiel };
}

/**
 * Deletes a référentiel that nothing cites and that was never published (editors): a
 * published version stays readable for the fiches of its time, so it is never deleted.
 */
export async function deleteReferentiel(
	db: Database,
	storage: AttachmentStorage,
	{ user, address }: Requester,
	referentielId: string
): Promise<{ ok: true } | Extract<LibraryRefusal, { reason: 'not-found' | 'forbidden' | 'cited' | 'published' }>> {
	const found = await referentielFor(db, user, referentielId);
	if (!found.ok) return found;
	if (!found.actor.editor) return { ok: false, reason: 'forbidden' };
	if (await isCited(db, { referentielId })) return { ok: false, reason: 'cited' };
	const versions = await db.select().from(referentielVersions).where(eq(referentielVersions.referentielId, referentielId));
	if (versions.some((v) => isPublishedState(v.status as ReferentielVersionState))) return { ok: false, reason: 'published' };
	await db.transaction(async (transaction) => {
		const tx = asDatabase(transaction);
		const ids = versions.map((v) => v.id);
		if (ids.length) {
			await tx.delete(referentielSituations).where(inArray(referentielSituations.versionId, ids));
			await tx.delete(referentielVersions).where(inArray(referentielVersions.id, ids));
		}
		await tx.delete(referentielGroupMembers).where(eq(referentielGroupMembers.referentielId, referentielId));
		await tx.delete(referentiels).where(eq(referentiels.id, referentielId));
		await audit(tx, { actorUserId: user.id, action: 'referentiel.delete', entityType: 'referentiel', entityId: referentielId, address, details: { versions: ids.length } });
	});
	for (const v of versions) if (v.documentKey) await storage.delete(v.documentKey).catch(() => {});
	return { ok: true };
}

type GroupChange = { ok: true } | Extract<LibraryRefusal, { reason: 'not-found' | 'forbidden' | 'invalid' }>;

/** Refusal of a working-group change that would leave the group without exactly one coordinator. */
const NEEDS_COORDINATOR = 'Le groupe de travail a toujours un coordinateur : désignez d’abord quelqu’un d’autre comme coordinateur.';

/**
 * Adds someone to the working group, changes their role, or removes them (`role` null);
 * editors only. The group keeps exactly one coordinator: naming a new one makes the
 * previous one a member; the coordinator leaves or steps down only once another is named
 * (or when nobody else is left).
 */
export async function setGroupMember(
	db: Database,
	{ user, address }: Requester,
	referentielId: string,
	input: GroupMemberInput
): Promise<GroupChange> {
	const found = await referentielFor(db, user, referentielId);
	if (!found.ok) return found;
	if (!found.actor.editor) return { ok: false, reason: 'forbidden' };
	const [target] = await db.select({ id: users.id, active: users.active }).from(users).where(eq(users.id, input.userId));
	if (!target?.active) return { ok: false, reason: 'invalid', errors: { userId: 'Ce membre du réseau est introuvable ou désactivé.' } };
	return db.transaction(async (transaction): Promise<GroupChange> => {
		const tx = asDatabase(transaction);
		// One change of a group at a time: two editors naming two coordinators at once would leave two.
		await tx.execute(sql`select id from referentiels where id = ${referentielId} for update`);
		const group = await tx.select().from(referentielGroupMembers).where(eq(referentielGroupMembers.referentielId, referentielId));
		const current = group.find((g) => g.userId === input.userId);
		const coordinator = group.find((g) => g.role === 'coordinator');
		const others = group.filter((g) => g.userId !== input.userId);
		if (input.role === null) {
			if (!current) return { ok: true };
			if (current.role === 'coordinator' && others.length > 0) return { ok: false, reason: 'invalid', errors: { userId: NEEDS_COORDINATOR } };
			await tx.delete(referentielGroupMembers).where(and(eq(referentielGroupMembers.referentielId, referentielId), eq(referentielGroupMembers.userId, input.userId)));
		} else {
			if (input.role === 'member' && (!coordinator || coordinator.userId === input.userId)) {
				return { ok: false, reason: 'invalid', errors: { role: coordinator ? NEEDS_COORDINATOR : 'Le groupe de travail n’a pas encore de coordinateur : désignez-le d’abord.' } };
			}
			if (input.role === 'coordinator' && coordinator && coordinator.userId !== input.userId) {
				await tx
					.update(referentielGroupMembers)
					.set({ role: 'member' })
					.where(and(eq(referentielGroupMembers.referentielId, referentielId), eq(referentielGroupMembers.userId, coordinator.userId)));
			}
			await tx
				.insert(referentielGroupMembers)
				.values({ referentielId, userId: input.userId, role: input.role })
				.onConflictDoUpdate({ target: [referentielGroupMembers.referentielId, referentielGroupMembers.userId], set: { role: input.role } });
		}
		await audit(tx, {
			actorUserId: user.id,
			action: input.role ? 'referentiel.group.set' : 'referentiel.group.remove',
			entityType: 'referentiel',
			entityId: referentielId,
			address,
			details: { userId: input.userId, role: input.role }
		});
		return { ok: true };
	});
}
