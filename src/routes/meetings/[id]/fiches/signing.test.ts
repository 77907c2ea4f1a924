import { describe, expect, it, vi } from 'vitest';
import { refusalMessage, refusalStatus, requestValidation, signInSequence, stopsBatch, ValidateRequest, type ValidateAnswer } from './signing';

const CASE = '0b9d6a2e-7c1f-4a53-9a4e-2f6f1c1d5e01';

describe('ValidateRequest', () => {
	it('accepts a case alone, with a password, or with an amendment whose reason is trimmed', () => {
		expect(ValidateRequest.parse({ caseId: CASE })).toEqual({ caseId: CASE });
		expect(ValidateRequest.parse({ caseId: CASE, password: 'secret', amendment: { reason: '  erreur de stade  ' } })).toEqual({
			caseId: CASE,
			password: 'secret',
			amendment: { reason: 'erreur de stade' }
		});
	});

	it('refuses a case id that is not a UUID', () => {
		expect(ValidateRequest.safeParse({ caseId: '../../admin' }).success).toBe(false);
		expect(ValidateRequest.safeParse({}).success).toBe(false);
	});
});

describe('refusalMessage', () => {
	it('says each refusal in French', () => {
		expect(refusalMessage({ reason: 'forbidden' })).toBe('Réservé au coordonnateur de la RCP.');
		expect(refusalMessage({ reason: 'already-validated' })).toBe('Cette fiche est déjà validée.');
		expect(refusalMessage({ reason: 'wrong-password' })).toMatch(/^Mot de passe incorrect/);
		expect(refusalMessage({ reason: 'locked', until: '14:35' })).toBe('Trop de mots de passe erronés. Réessayez après 14:35.');
	});

	it('lists what an incomplete fiche lacks', () => {
		expect(refusalMessage({ reason: 'incomplete', problems: ['Le stade TNM manque.', 'Le quorum n’est pas renseigné.'] })).toBe(
			'Fiche incomplète : Le stade TNM manque. Le quorum n’est pas renseigné.'
		);
	});

	it('passes on the signing error’s own message', () => {
		const message = 'Le certificat de signature a expiré : aucune fiche n’a été signée.';
		expect(refusalMessage({ reason: 'signing-unavailable', message })).toBe(message);
		expect(refusalMessage({ reason: 'signing', message: 'Horodatage impossible.' })).toBe('La signature a échoué : Horodatage impossible.');
	});
});

describe('refusalStatus and stopsBatch', () => {
	it('answers 403 for an identity refusal and 503 when nothing can be signed, and both stop the batch', () => {
		expect(refusalStatus('wrong-password')).toBe(403);
		expect(refusalStatus('signing-unavailable')).toBe(503);
		expect(stopsBatch('wrong-password')).toBe(true);
		expect(stopsBatch('signing-unavailable')).toBe(true);
	});

	it('lets the batch go on after a refusal of one case', () => {
		expect(refusalStatus('incomplete')).toBe(409);
		expect(refusalStatus('not-in-meeting')).toBe(404);
		expect(stopsBatch('incomplete')).toBe(false);
		expect(stopsBatch('already-validated')).toBe(false);
		expect(stopsBatch('not-in-meeting')).toBe(false);
	});
});

describe('requestValidation', () => {
	it('posts the request as JSON and returns the answer, refusals included', async () => {
		const refusal: ValidateAnswer = { ok: false, reason: 'already-validated', message: 'Cette fiche est déjà validée.' };
		const fetchFn = vi.fn(async () => Response.json(refusal, { status: 409 }));
		const answer = await requestValidation(fetchFn, '/meetings/m/fiches/validate', { caseId: CASE, password: 'pw' });
		expect(answer).toEqual(refusal);
		expect(fetchFn).toHaveBeenCalledWith('/meetings/m/fiches/validate', expect.objectContaining({ method: 'POST', body: JSON.stringify({ caseId: CASE, password: 'pw' }) }));
	});

	it('turns a network failure or an answer that is not ours into "unavailable"', async () => {
		const down = await requestValidation(async () => Promise.reject(new TypeError('Failed to fetch')), '/v', { caseId: CASE });
		expect(down).toMatchObject({ ok: false, reason: 'unavailable' });
		const html = await requestValidation(async () => new Response('<html>erreur</html>', { status: 500 }), '/v', { caseId: CASE });
		expect(html).toMatchObject({ ok: false, reason: 'unavailable' });
		const claimsSuccess = await requestValidation(async () => Response.json({ ok: true }, { status: 500 }), '/v', { caseId: CASE });
		expect(claimsSuccess).toMatchObject({ ok: false, reason: 'unavailable' });
	});
});

describe('signInSequence', () => {
	const cases = ['a', 'b', 'c', 'd'].map((id) => ({ caseId: id, name: id.toUpperCase() }));

	it('signs one case at a time, reporting before each', async () => {
		let inFlight = 0;
		let most = 0;
		const progress: string[] = [];
		const summary = await signInSequence(
			cases,
			async (caseId) => {
				inFlight += 1;
				most = Math.max(most, inFlight);
				await new Promise((resolve) => setTimeout(resolve, 1));
				inFlight -= 1;
				return { ok: true, ficheId: `f-${caseId}`, version: 1 };
			},
			({ index, total, current }) => progress.push(`${index + 1}/${total} ${current.name}`)
		);
		expect(most).toBe(1);
		expect(progress).toEqual(['1/4 A', '2/4 B', '3/4 C', '4/4 D']);
		expect(summary.signed.map((item) => item.caseId)).toEqual(['a', 'b', 'c', 'd']);
		expect(summary).toMatchObject({ refused: [], stopped: null, skipped: [] });
	});

	it('goes on after a refusal of one case and stops at one that would refuse them all', async () => {
		const answers: Record<string, ValidateAnswer> = {
			a: { ok: true, ficheId: 'f-a', version: 1 },
			b: { ok: false, reason: 'incomplete', message: 'Fiche incomplète : Le stade TNM manque.' },
			c: { ok: false, reason: 'signing-unavailable', message: 'Le certificat a expiré.' },
			d: { ok: true, ficheId: 'f-d', version: 1 }
		};
		const sign = vi.fn(async (caseId: string) => answers[caseId]);
		const summary = await signInSequence(cases, sign, () => {});
		expect(sign).toHaveBeenCalledTimes(3);
		expect(summary.signed).toEqual([{ caseId: 'a', name: 'A', version: 1 }]);
		expect(summary.refused).toEqual([
			{ caseId: 'b', name: 'B', message: 'Fiche incomplète : Le stade TNM manque.' },
			{ caseId: 'c', name: 'C', message: 'Le certificat a expiré.' }
		]);
		expect(summary.stopped).toEqual({ reason: 'signing-unavailable', message: 'Le certificat a expiré.' });
		expect(summary.skipped).toEqual([{ caseId: 'd', name: 'D' }]);
	});
});
