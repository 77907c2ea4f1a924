import { describe, expect, it } from 'vitest';
import { defaultGpExpiry, GpInvite, gpMayRequest } from './follow-up-gp.ts';

describe('the GP invited to a follow-up', () => {
	const gp = { planId: '0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a11' };

	it('confines the GP to its plan, what lies under it, and the open paths', () => {
		for (const path of [
			`/suivi/${gp.planId}`,
			`/suivi/${gp.planId}/__data.json`,
			`/suivi/${gp.planId}/fiche.pdf`,
			`/suivi/${gp.planId}/pps/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a12/pdf`,
			'/medecin/un-jeton',
			'/_app/immutable/entry/start.js',
			'/favicon.png',
			'/verifier'
		]) {
			expect(gpMayRequest(gp, path), path).toBe(true);
		}
		for (const path of [
			'/',
			'/login',
			'/suivi',
			'/suivi/__data.json',
			'/suivi/modeles',
			`/suivi/${gp.planId}0`,
			'/suivi/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a13',
			'/cases/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a12',
			'/cases/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a12/suivi',
			'/meetings/0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a13',
			'/indicators',
			'/admin/users',
			'/invite/x'
		]) {
			expect(gpMayRequest(gp, path), path).toBe(false);
		}
	});

	it('reads the invitation: a name, optional email and RPPS, a day; a year by default', () => {
		expect(GpInvite.parse({ name: ' Dr Petitjean ', email: '', rpps: '', expiresOn: '2028-03-01' })).toEqual({
			name: 'Dr Petitjean',
			email: null,
			rpps: null,
			expiresOn: '2028-03-01'
		});
		const refused = GpInvite.safeParse({ name: 'x', email: 'pas-une-adresse', rpps: '123', expiresOn: '01/03/2028' });
		expect(refused.error?.issues.map((i) => i.path[0])).toEqual(['name', 'email', 'rpps', 'expiresOn']);
		expect(defaultGpExpiry('2027-02-28')).toBe('2028-02-28');
	});
});
