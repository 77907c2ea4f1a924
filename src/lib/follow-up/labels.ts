/**
 * Words of the follow-up pages: a day as the reader writes it, statuses and roles in the
 * reader's language (status is never told by colour alone).
 */
import { m } from '$lib/paraglide/messages';

/** "2027-09-01" → "01/09/2027". */
export const dayOf = (isoDate: string | null | undefined): string => (isoDate ? isoDate.split('-').reverse().join('/') : '');

const paris = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'Europe/Paris' });
/** An instant as its Paris day. */
export const dayOfInstant = (instant: Date | string): string => paris.format(new Date(instant));

export const whoLabel = (who: string): string => (who === 'gp' ? m.follow_up_who_gp() : m.follow_up_who_specialist());

export const itemStatusLabel = (status: string): string =>
	status === 'done' ? m.follow_up_item_done() : status === 'overdue' ? m.follow_up_item_overdue() : m.follow_up_item_due();

export const planStatusLabel = (status: string): string =>
	status === 'closed' ? m.follow_up_status_closed() : status === 'relapse' ? m.follow_up_status_relapse() : m.follow_up_status_active();

export const kindLabel = (kind: string): string => (kind === 'exam' ? m.follow_up_kind_exam() : m.follow_up_kind_visit());

export const EXAM_KINDS = ['imaging', 'biology', 'endoscopy', 'other'] as const;
export const examKindLabel = (kind: string): string =>
	({ imaging: m.follow_up_kind_imaging(), biology: m.follow_up_kind_biology(), endoscopy: m.follow_up_kind_endoscopy(), other: m.follow_up_kind_other() })[kind] ??
	kind;
