import { describe, expect, it } from 'vitest';
import { MeetingEdit, canMeetingTransition, meetingStateLabel, registrationOpen } from './meeting.ts';

describe('meeting states', () => {
	const deadline = new Date('2026-12-11T11:00:00Z');

	it('reads a scheduled meeting as open for registration until its deadline, then closed', () => {
		expect(registrationOpen({ status: 'scheduled', registrationDeadline: deadline }, new Date('2026-12-11T10:59:59Z'))).toBe(true);
		expect(meetingStateLabel({ status: 'scheduled', registrationDeadline: deadline }, new Date('2026-12-11T10:59:59Z'))).toBe('Inscriptions ouvertes');
		expect(meetingStateLabel({ status: 'scheduled', registrationDeadline: deadline.toISOString() }, new Date('2026-12-11T11:00:01Z'))).toBe(
			'Programmée, inscriptions closes'
		);
		expect(meetingStateLabel({ status: 'live', registrationDeadline: deadline })).toBe('En cours');
		expect(meetingStateLabel({ status: 'cancelled', registrationDeadline: deadline })).toBe('Annulée');
	});

	it('allows only the lifecycle’s transitions', () => {
		expect(canMeetingTransition('scheduled', 'live')).toBe(true);
		expect(canMeetingTransition('live', 'closed')).toBe(true);
		expect(canMeetingTransition('cancelled', 'scheduled')).toBe(true);
		expect(canMeetingTransition('closed', 'scheduled')).toBe(false);
		expect(canMeetingTransition('scheduled', 'closed')).toBe(false);
	});

	it('reads a rescheduling form and says what is wrong, in French', () => {
		const refused = MeetingEdit.safeParse({ date: '2026-12-15', time: '25:00', durationMinutes: '5', deadlineDate: 'hier', deadlineTime: '12:00' });
		expect(refused.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
			['time', 'Heure au format HH:MM.'],
			['durationMinutes', 'Durée minimale : 15 minutes.'],
			['deadlineDate', 'Date limite au format AAAA-MM-JJ.']
		]);
	});
});
