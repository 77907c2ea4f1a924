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
