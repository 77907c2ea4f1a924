/**
 * A meeting's states and what may follow what. Registration is open from the creation of
 * a scheduled meeting until its deadline; `live` while the video meeting runs.
 */
import { z } from 'zod';

export const MEETING_STATES = ['scheduled', 'live', 'closed', 'cancelled'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];
export const MeetingState = z.enum(MEETING_STATES);

export const MEETING_STATE_LABELS: Record<MeetingState, string> = {
	scheduled: 'Programmée',
	live: 'En cours',
	closed: 'Terminée',
	cancelled: 'Annulée'
};

const NEXT: Record<MeetingState, readonly MeetingState[]> = {
	scheduled: ['live', 'cancelled'],
	live: ['closed'],
	closed: [],
	cancelled: ['scheduled']
};

export function canMeetingTransition(from: MeetingState, to: MeetingState): boolean {
	return NEXT[from].includes(to);
}

/** Whether members may still register a case (secretaries and coordinators may override). */
export function registrationOpen(meeting: { status: string; registrationDeadline: Date }, now: Date): boolean {
	return meeting.status === 'scheduled' && now.getTime() <= meeting.registrationDeadline.getTime();
}

/**
 * The state shown to people: a scheduled meeting reads "open for registration" until its
 * deadline, then "registration closed". `now` is the server's instant (pages receive it
 * with their data), so the page reads the same before and after hydration.
 */
export function meetingStateLabel(meeting: { status: string; registrationDeadline: Date | string }, now: Date | string): string {
	if (meeting.status === 'scheduled') {
		return registrationOpen({ status: meeting.status, registrationDeadline: new Date(meeting.registrationDeadline) }, new Date(now))
			? 'Inscriptions ouvertes'
			: 'Programmée, inscriptions closes';
	}
	return MEETING_STATE_LABELS[meeting.status as MeetingState] ?? meeting.status;
}

/** A meeting created by hand: a date and time in Paris, a duration. */
export const MeetingInput = z.object({
	date: z.iso.date({ error: 'Date au format AAAA-MM-JJ.' }),
	time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Heure au format HH:MM.'),
	durationMinutes: z.coerce.number().int().min(15, 'Durée minimale : 15 minutes.').max(720, 'Durée maximale : 12 heures.')
});
export type MeetingInput = z.infer<typeof MeetingInput>;

/** A meeting rescheduled by hand: its new date, time and duration, and its registration deadline. */
export const MeetingEdit = MeetingInput.extend({
	deadlineDate: z.iso.date({ error: 'Date limite au format AAAA-MM-JJ.' }),
	deadlineTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Heure limite au format HH:MM.')
});
export type MeetingEdit = z.infer<typeof MeetingEdit>;

/** A copy of a meeting at another date and time (same board, same duration). */
export const MeetingCopy = MeetingInput.pick({ date: true, time: true });
export type MeetingCopy = z.infer<typeof MeetingCopy>;
