import { z } from 'zod';
import { parisInstant } from '$lib/domain/schedule';
import { auditActions, listAuditEvents } from '$lib/server/audit';
import { requireAdmin } from '$lib/server/auth/guards';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const Filter = z.object({
	action: z.string().max(64).optional().catch(undefined),
	// Dates of the form (yyyy-mm-dd), read as whole days in Paris time.
	from: z.iso.date().optional().catch(undefined),
	to: z.iso.date().optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).catch(1)
});

/** The calendar date after `date` ('YYYY-MM-DD'). */
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { url } = event;
	const filter = Filter.parse(Object.fromEntries(url.searchParams));
	const { db } = runtime().database;
	// Whole Paris days: from midnight of `from` to midnight after `to` (23 or 25 hours on DST days).
	const to = filter.to ? parisInstant(nextDate(filter.to), '00:00') : undefined;
	const [rows, actions] = await Promise.all([
		listAuditEvents(db, {
			action: filter.action || undefined,
			from: filter.from ? parisInstant(filter.from, '00:00') : undefined,
			to,
			limit: PAGE_SIZE + 1,
			offset: (filter.page - 1) * PAGE_SIZE
		}),
		auditActions(db)
	]);
	return {
		filter,
		actions,
		rows: rows.slice(0, PAGE_SIZE),
		hasNext: rows.length > PAGE_SIZE
	};
};
