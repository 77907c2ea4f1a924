import { describe, expect, it } from 'vitest';
import { GuestInput, guestExpiry, guestMayRequest } from './guest.ts';

describe('guest invitations', () => {
	// 15 December 2026, 14:00 in Paris (13:00 UTC), two hours.
	const meeting = { startsAt: new Date('2026-12-15T13:00:00Z'), durationMinutes: 120 };
	const now = new Date('2026-12-10T09:00:00Z');

	it('reads the form: a name, an optional email, a Paris date and time', () => {
		expect(GuestInput.parse({ name: ' Dr Martin ', email: '', expiresDate: '2026-12-15', expiresTime: '23:59' })).toEqual({
			name: 'Dr Martin',
			email: null,
			expiresDate: '2026-12-15',
			expiresTime: '23:59'
		});
		expect(GuestInput.parse({ name: 'Dr Martin', email: 'A.Martin@Cabinet.fr', expiresDate: '2026-12-15', expiresTime: '18:00' }).email).toBe(
			'a.martin@cabinet.fr'
		);
		const refused = GuestInput.safeParse({ name: 'x', email: 'pas-une-adresse', expiresDate: '15/12/2026', expiresTime: '25:00' });
		expect(refused.success).toBe(false);
		expect(refused.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
			['name', 'Indiquez le nom de l’invité.'],
			['email', 'Adresse électronique invalide.'],
			['expiresDate', 'Date au format AAAA-MM-JJ'],
			['expiresTime', 'Heure au format HH:MM (ex. 14:00)']
		]);
	});

	it('ends after the meeting, at most seven days later, never in the past', () => {
		expect(guestExpiry({ expiresDate: '2026-12-15', expiresTime: '23:59' }, meeting, now)).toEqual({
			ok: true,
			expiresAt: new Date('2026-12-15T22:59:00Z')
		});
		expect(guestExpiry({ expiresDate: '2026-12-15', expiresTime: '15:00' }, meeting, now)).toEqual({
			ok: false,
			message: 'L’échéance doit suivre la fin de la réunion.'
		});
		expect(guestExpiry({ expiresDate: '2026-12-23', expiresTime: '12:00' }, meeting, now).ok).toBe(false);
		expect(guestExpiry({ expiresDate: '2026-12-15', expiresTime: '23:59' }, meeting, new Date('2026-12-16T00:00:00Z'))).toEqual({
			ok: false,
			message: 'L’échéance doit être dans le futur.'
		});
	});

	it('confines a guest to its meeting page', () => {
		const guest = { meetingId: '0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a11' };
		expect(guestMayRequest(guest, `/meetings/${guest.meetingId}`)).toBe(true);
		expect(guestMayRequest(guest, `/meetings/${guest.meetingId}/__data.json`)).toBe(true);
		expect(guestMayRequest(guest, `/meetings/${guest.meetingId}/room`)).toBe(true);
		expect(guestMayRequest(guest, '/meetings/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a13/room')).toBe(false);
		expect(guestMayRequest(guest, `/meetings/${guest.meetingId}/documents/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a15`)).toBe(true);
		expect(guestMayRequest(guest, '/meetings/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a13/documents/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a15')).toBe(false);
		expect(guestMayRequest(guest, '/_app/immutable/entry/start.js')).toBe(true);
		for (const path of [
			'/boards',
			'/cases/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a12',
			'/meetings/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a13',
			`/meetings/${guest.meetingId}/register`,
			'/attachments/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a14',
			'/admin/users'
		]) {
			expect(guestMayRequest(guest, path), path).toBe(false);
		}
	});
});

describe('guest invitation expiry on calendar edges', () => {
	const expiry = (date: string, time: string, meeting: { startsAt: Date; durationMinutes: number }, now: string) =>
		guestExpiry({ expiresDate: date, expiresTime: time }, meeting, new Date(now));

	it('refuses an expiry equal to now, and accepts it when now is one millisecond earlier', () => {
		const meeting = { startsAt: new Date('2027-12-28T13:00:00Z'), durationMinutes: 120 };
		// 31 December 2027 at 12:00 Paris is 11:00 UTC.
		expect(expiry('2027-12-31', '12:00', meeting, '2027-12-31T11:00:00.000Z')).toEqual({ ok: false, message: 'L’échéance doit être dans le futur.' });
		expect(expiry('2027-12-31', '12:00', meeting, '2027-12-31T10:59:59.999Z')).toEqual({ ok: true, expiresAt: new Date('2027-12-31T11:00:00.000Z') });
	});

	it('runs across New Year: a meeting on Tuesday 28 December 2027 may invite until Tuesday 4 January 2028, not later', () => {
		const meeting = { startsAt: new Date('2027-12-28T13:00:00Z'), durationMinutes: 120 };
		// The meeting ends at 15:00 UTC (16:00 Paris); seven days later is 4 January 2028 at 16:00 Paris.
		expect(expiry('2028-01-04', '16:00', meeting, '2027-12-20T09:00:00Z')).toEqual({ ok: true, expiresAt: new Date('2028-01-04T15:00:00Z') });
		expect(expiry('2028-01-04', '16:01', meeting, '2027-12-20T09:00:00Z').ok).toBe(false);
	});

	it('counts the seven days after the meeting as 168 hours: across the autumn change the latest expiry is one hour earlier on the Paris clock', () => {
		// Tuesday 26 October 2027, 14:00–16:00 summer time (12:00–14:00 UTC). 168 hours later is
		// 2 November at 14:00 UTC, which is 15:00 winter time, not 16:00.
		const meeting = { startsAt: new Date('2027-10-26T12:00:00Z'), durationMinutes: 120 };
		expect(expiry('2027-11-02', '15:00', meeting, '2027-10-20T09:00:00Z')).toEqual({ ok: true, expiresAt: new Date('2027-11-02T14:00:00Z') });
		expect(expiry('2027-11-02', '16:00', meeting, '2027-10-20T09:00:00Z')).toEqual({
			ok: false,
			message: 'L’échéance ne peut dépasser sept jours après la fin de la réunion.'
		});
	});

	it('reads an expiry at 02:30 on the spring-forward Sunday 28 March 2027 as 03:30 summer time (01:30 UTC)', () => {
		const meeting = { startsAt: new Date('2027-03-26T13:00:00Z'), durationMinutes: 120 };
		expect(expiry('2027-03-28', '02:30', meeting, '2027-03-20T09:00:00Z')).toEqual({ ok: true, expiresAt: new Date('2027-03-28T01:30:00Z') });
	});

	it('accepts 29 February 2028 as an expiry date and refuses 29 February 2027', () => {
		const meeting = { startsAt: new Date('2028-02-29T13:00:00Z'), durationMinutes: 120 };
		expect(expiry('2028-02-29', '23:59', meeting, '2028-02-20T09:00:00Z')).toEqual({ ok: true, expiresAt: new Date('2028-02-29T22:59:00Z') });
		expect(GuestInput.safeParse({ name: 'Dr Martin', email: '', expiresDate: '2027-02-29', expiresTime: '12:00' }).error?.issues[0].message).toBe(
			'Date au format AAAA-MM-JJ'
		);
	});
});
