/**
 * The network's follow-up templates. Every member reads them; its editors and
 * administrators create, edit and withdraw them. The defaults are written the first time
 * the templates are listed, once (a transaction-scoped advisory lock serialises two
 * first calls; the second finds the rows of the first).
 */
import { asc, count, eq, sql } from 'drizzle-orm';
import { FollowUpTemplate } from '../../domain/follow-up.ts';
import { DEFAULT_FOLLOW_UP_TEMPLATES } from '../../domain/follow-up-templates.ts';
import { fieldErrors, isUuid } from '../../validation.ts';
import { audit } from '../audit.ts';
import { isNetworkEditor } from '../auth/guards.ts';
import type { Database } from '../db/index.ts';
import { followUpTemplates, type FollowUpTemplateRow } from '../db/schema.ts';
import type { SessionUser } from '../users.ts';
import { clock } from '../../clock.ts';

/** A stored template with its definition parsed. */
export interface StoredTemplate {
	id: string;
	active: boolean;
	definition: FollowUpTemplate;
	updatedAt: Date;
}

const SEED_LOCK = 160_016; // any constant: the id of the "seed the templates" lock

const stored = (row: FollowUpTemplateRow): StoredTemplate => ({
	id: row.id,
	active: row.active,
	definition: row.definition as FollowUpTemplate,
	updatedAt: row.updatedAt
});

/** Writes the default templates if the network has none yet. */
export async function seedDefaultTemplates(db: Database): Promise<void> {
	const [{ existing }] = await db.select({ existing: count() }).from(followUpTemplates);
	if (existing > 0) return;
	await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
		const [{ again }] = await tx.select({ again: count() }).from(followUpTemplates);
		if (again > 0) return;
		await tx.insert(followUpTemplates).values(DEFAULT_FOLLOW_UP_TEMPLATES.map((t) => ({ organ: t.organ, name: t.name, definition: { ...t } })));
	});
}

/** The templates, active ones first then by name; withdrawn ones only when asked. */
export async function listTemplates(db: Database, options: { withdrawn?: boolean } = {}): Promise<StoredTemplate[]> {
	await seedDefaultTemplates(db);
	const rows = await db.select().from(followUpTemplates).orderBy(asc(followUpTemplates.name), asc(followUpTemplates.id));
	return rows.filter((row) => options.withdrawn || row.active).map(stored).sort((a, b) => Number(b.active) - Number(a.active));
}

/** One template, active or withdrawn. */
export async function getTemplate(db: Database, id: string): Promise<StoredTemplate | undefined> {
	if (!isUuid(id)) return undefined;
	const [row] = await db.select().from(followUpTemplates).where(eq(followUpTemplates.id, id));
	return row && stored(row);
}

/** The active templates offered for an organ: that organ's first. */
export function templatesForOrgan(templates: readonly StoredTemplate[], organ: string | null | undefined): StoredTemplate[] {
	return [...templates].filter((t) => t.active).sort((a, b) => Number(b.definition.organ === organ) - Number(a.definition.organ === organ));
}

export type SaveTemplateResult =
	| { ok: true; template: StoredTemplate }
	| { ok: false; reason: 'forbidden' }
	| { ok: false; reason: 'not-found'; id: string }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** Where a template's issue goes on the form: "exams.2.fromMonth" for an exam row's field. */
const fieldOf = (path: PropertyKey[]) => path.map(String).join('.') || 'form';

/** Creates (`id` undefined) or replaces a template; editors and administrators only. */
export async function saveTemplate(
	db: Database,
	ctx: { user: SessionUser; address: string | null },
	id: string | undefined,
	input: unknown
): Promise<SaveTemplateResult> {
	if (!isNetworkEditor(ctx.user)) return { ok: false, reason: 'forbidden' };
	const parsed = FollowUpTemplate.safeParse(input);
	if (!parsed.success) return { ok: false, reason: 'invalid', errors: fieldErrors(parsed.error, fieldOf) };
	const definition = parsed.data;
	const now = clock.now();
	const values = { organ: definition.organ, name: definition.name, definition: { ...definition }, updatedAt: now, updatedBy: ctx.user.id };
	let row: FollowUpTemplateRow | undefined;
	if (id === undefined) {
		[row] = await db.insert(followUpTemplates).values({ ...values, createdBy: ctx.user.id, createdAt: now }).returning();
	} else {
		if (!isUuid(id)) return { ok: false, reason: 'not-found', id };
		[row] = await db.update(followUpTemplates).set(values).where(eq(followUpTemplates.id, id)).returning();
		if (!row) return { ok: false, reason: 'not-found', id };
	}
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'follow-up.template.save',
		entityType: 'follow-up-template',
		entityId: row.id,
		address: ctx.address,
		details: { created: id === undefined, fields: Object.keys(definition) }
	});
	return { ok: true, template: stored(row) };
}

/** Withdraws a template (it stays for the plans made from it) or offers it again. */
export async function setTemplateActive(
	db: Database,
	ctx: { user: SessionUser; address: string | null },
	id: string,
	active: boolean
): Promise<{ ok: true } | { ok: false; reason: 'forbidden' } | { ok: false; reason: 'not-found'; id: string }> {
	if (!isNetworkEditor(ctx.user)) return { ok: false, reason: 'forbidden' };
	if (!isUuid(id)) return { ok: false, reason: 'not-found', id };
	const [row] = await db
		.update(followUpTemplates)
		.set({ active, updatedAt: clock.now(), updatedBy: ctx.user.id })
		.where(eq(followUpTemplates.id, id))
		.returning({ id: followUpTemplates.id });
	if (!row) return { ok: false, reason: 'not-found', id };
	await audit(db, {
		actorUserId: ctx.user.id,
		action: 'follow-up.template.save',
		entityType: 'follow-up-template',
		entityId: id,
		address: ctx.address,
		details: { active }
	});
	return { ok: true };
}
