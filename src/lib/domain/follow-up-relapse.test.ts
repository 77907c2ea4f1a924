import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, setClock } from '../clock.ts';
import { CaseFicheDraft, missingFields } from './case-fiche.ts';
import { nextOpenMeeting, relapseRegistration } from './follow-up-relapse.ts';

// The fiches' validation reads the clock (birth dates): it stands still for this file.
const NOW = new Date('2027-06-10T08:00:00Z');
beforeEach(() => setClock(new ManualClock(NOW)));
afterEach(() => setClock(undefined));

const previous = (): CaseFicheDraft =>
	CaseFicheDraft.parse({
		familyName: 'Martin',
		givenNames: 'Claire Anne',
		birthDate: '1979-03-28',
		sex: 'F',
		ins: '2 79 03 51 215 189 89',
		hospitalPatientId: 'IPP-42',
		gpName: 'Dr Louis Petitjean',
		gpPhone: '05 49 00 00 00',
		gpEmail: 'l.petitjean@medecin.test',
		requestingPhysicianId: 'user-42',
		presentationType: 'first-presentation',
		discussionMode: 'registration-only',
		question: 'Chirurgie première ou traitement néoadjuvant ?',
		organ: 'MED-251',
		tumourSiteCode: 'C18.7',
		tumourSiteLabel: 'Côlon sigmoïde',
		histology: 'Adénocarcinome lieberkühnien',
		histologyCode: '8140/3',
		clinicalT: 'cT3',
		clinicalN: 'cN1a',
		clinicalM: 'cM0',
		performanceStatus: '1',
		history: 'Appendicectomie.',
		imagingResults: 'Scanner initial sans métastase.'
	});

describe('relapseRegistration', () => {
	it('carries over identity, GP, requester, tumour site and histology, with "rechute" as the reason', () => {
		const draft = relapseRegistration(previous(), 'ACE en hausse, nodule hépatique au scanner.');
		expect(draft).toMatchObject({
			familyName: 'Martin',
			givenNames: 'Claire Anne',
			birthDate: '1979-03-28',
			sex: 'F',
			ins: '279035121518989',
			hospitalPatientId: 'IPP-42',
			gpName: 'Dr Louis Petitjean',
			gpEmail: 'l.petitjean@medecin.test',
			requestingPhysicianId: 'user-42',
			organ: 'MED-251',
			tumourSiteCode: 'C18.7',
			tumourSiteLabel: 'Côlon sigmoïde',
			histology: 'Adénocarcinome lieberkühnien',
			histologyCode: '8140/3',
			history: 'Appendicectomie.',
			presentationType: 'relapse',
			discussionMode: 'discussion'
		});
		expect(draft.question).toBe(
			'Suspicion de récidive lors du suivi : ACE en hausse, nodule hépatique au scanner. Quels examens et quelle prise en charge proposer ?'
		);
		expect(draft.discoveryCircumstances).toBe('Suspicion de récidive lors du suivi : ACE en hausse, nodule hépatique au scanner.');
	});

	it('leaves staging, performance status and results to be assessed again', () => {
		const draft = relapseRegistration(previous(), 'Douleurs osseuses');
		for (const field of ['clinicalT', 'clinicalN', 'clinicalM', 'performanceStatus', 'imagingResults'] as const) {
			expect(draft[field]).toBeUndefined();
		}
		expect(missingFields(draft).map((missing) => missing.field)).toEqual(['performanceStatus']);
	});

	it('is a valid draft, even from a sparse fiche and an empty note', () => {
		const draft = relapseRegistration(CaseFicheDraft.parse({ familyName: 'Durand' }), '  ');
		expect(CaseFicheDraft.parse(draft)).toEqual(draft);
		expect(draft.question).toBe('Suspicion de récidive lors du suivi. Quels examens et quelle prise en charge proposer ?');
		expect(Object.keys(draft).sort()).toEqual(['discoveryCircumstances', 'discussionMode', 'familyName', 'presentationType', 'question']);
	});
});

describe('nextOpenMeeting', () => {
	const DAY = 86_400_000;
	/** A meeting `days` from the clock, its registration closing two days before. */
	const meeting = (id: string, days: number, status = 'scheduled') => ({
		id,
		status,
		startsAt: new Date(NOW.getTime() + days * DAY),
		registrationDeadline: new Date(NOW.getTime() + (days - 2) * DAY)
	});

	it('chooses the earliest meeting whose registration is still open', () => {
		const meetings = [meeting('later', 21), meeting('closed-deadline', 1), meeting('cancelled', 7, 'cancelled'), meeting('next', 14), meeting('past', -14, 'closed')];
		expect(nextOpenMeeting(meetings, NOW)?.id).toBe('next');
	});

	it('takes a meeting up to its deadline, and none when every deadline has passed', () => {
		const atDeadline = meeting('at-deadline', 2);
		expect(nextOpenMeeting([atDeadline], NOW)?.id).toBe('at-deadline');
		expect(nextOpenMeeting([atDeadline], new Date(NOW.getTime() + 1))).toBeUndefined();
		expect(nextOpenMeeting([], NOW)).toBeUndefined();
	});
});
