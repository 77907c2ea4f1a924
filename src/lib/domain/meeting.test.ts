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
		expect(meetingStateLabel({ status: 'live', registrationDeadline: deadline }, deadline)).toBe('En cours');
		expect(meetingStateLabel({ status: 'cancelled', registrationDeadline: deadline }, deadline)).toBe('Annulée');
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

describe('registration at the deadline instant', () => {
	// Tuesday 2 November 2027 at 14:00 Paris; "two working days before, 12:00" closes on
	// Thursday 28 October at 12:00 summer time (schedule.test.ts), 10:00 UTC.
	const meeting = { status: 'scheduled', registrationDeadline: new Date('2027-10-28T10:00:00.000Z') };
	const at = (instant: string) => new Date(instant);

	it('is still open at the exact deadline instant and closed one millisecond later', () => {
		expect(registrationOpen(meeting, at('2027-10-28T10:00:00.000Z'))).toBe(true);
		expect(registrationOpen(meeting, at('2027-10-28T10:00:00.001Z'))).toBe(false);
		expect(meetingStateLabel(meeting, at('2027-10-28T10:00:00.000Z'))).toBe('Inscriptions ouvertes');
		expect(meetingStateLabel(meeting, at('2027-10-28T10:00:00.001Z'))).toBe('Programmée, inscriptions closes');
	});

	it('reads a deadline sent as an ISO string the same way, to the millisecond', () => {
		const serialized = { status: 'scheduled', registrationDeadline: '2027-10-28T10:00:00.000Z' };
		expect(meetingStateLabel(serialized, at('2027-10-28T10:00:00.000Z'))).toBe('Inscriptions ouvertes');
		expect(meetingStateLabel(serialized, at('2027-10-28T10:00:00.001Z'))).toBe('Programmée, inscriptions closes');
	});

	it('answers from the instant it is given only: a clock moved backwards after a later check reopens registration, and moving it forward closes it again', () => {
		// Checks in the order a server would make them while its clock is corrected backwards by an hour, then runs on.
		const checks = ['2027-10-28T10:00:00.001Z', '2027-10-28T09:00:00.001Z', '2027-10-28T10:00:00.000Z', '2027-10-28T10:00:00.001Z'];
		expect(checks.map((instant) => registrationOpen(meeting, at(instant)))).toEqual([false, true, true, false]);
		expect(checks.map((instant) => meetingStateLabel(meeting, at(instant)))).toEqual([
			'Programmée, inscriptions closes',
			'Inscriptions ouvertes',
			'Inscriptions ouvertes',
			'Programmée, inscriptions closes'
		]);
	});

	it('is closed whatever the instant once the meeting is no longer scheduled', () => {
		for (const status of ['live', 'closed', 'cancelled']) {
			expect(registrationOpen({ ...meeting, status }, at('2027-10-01T00:00:00.000Z')), status).toBe(false);
		}
		expect(meetingStateLabel({ ...meeting, status: 'closed' }, at('2027-10-01T00:00:00.000Z'))).toBe('Terminée');
	});
});
