import { z } from 'zod';
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

/** Midnight in Paris on that date, as an instant (winter +01:00, summer +02:00). */
function parisMidnight(date: string): Date {
	const utcMidnight = new Date(`${date}T00:00:00Z`);
	const offset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
		.formatToParts(utcMidnight)
		.find((p) => p.type === 'timeZoneName')?.value;
	const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offset ?? '');
	const minutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
	return new Date(utcMidnight.getTime() - minutes * 60_000);
}

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { url } = event;
	const filter = Filter.parse(Object.fromEntries(url.searchParams));
	const { db } = runtime().database;
	const to = filter.to ? new Date(parisMidnight(filter.to).getTime() + 24 * 3600_000) : undefined;
	const [rows, actions] = await Promise.all([
		listAuditEvents(db, {
			action: filter.action || undefined,
			from: filter.from ? parisMidnight(filter.from) : undefined,
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
