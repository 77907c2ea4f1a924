import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, setClock } from '../clock.ts';
import { PpsDraft, overlappingPhases, phaseDatesLabel, phaseEnd, ppsDraftSchema } from './pps.ts';

// The rules read the process clock: it stands on a fixed instant, and every calendar day
// below is counted from it (23:30 UTC is already the next day in Paris).
const NOW = new Date('2031-03-09T23:30:00Z');
const PARIS_TODAY = '2031-03-10';
const day = (offset: number) => format(addDays(new Date(2031, 2, 10), offset), 'yyyy-MM-dd');

beforeEach(() => setClock(new ManualClock(NOW)));
afterEach(() => setClock(undefined));

/** What a form would send; loosely typed, since the tests send codes and values the schema refuses. */
function draft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		diagnosis: 'Adénocarcinome du côlon sigmoïde, pT3 N1a M0.',
		phases: [
			{ type: '387713003', description: 'Colectomie gauche', start: day(7), end: day(12), placeOfCare: 'CHU de Démo' },
			{ type: 'C15632', description: 'FOLFOX', start: day(40), durationWeeks: 24, placeOfCare: 'Hôpital de jour' }
		],
		careTeam: [
			{ role: 'referring', name: 'Dr Claire Dubois', phone: '05 49 00 00 01', email: 'c.dubois@chu.test', rpps: '10002345675' },
			{ role: 'gp', name: 'Dr Louis Petitjean', phone: '', email: '', rpps: '' }
		],
		supportiveCare: { codes: ['ORG-036', 'ORG-175'], note: 'Diététicienne avant la chirurgie.' },
		socialSupport: { codes: ['PAT-024'] },
		associatedMeasures: { codes: [] },
		sideEffects: { codes: ['C20427'] },
		...overrides
	};
}

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
	result.error?.issues.map((issue) => issue.message) ?? [];

describe('PpsDraft', () => {
	it('accepts a full plan and turns emptied contact fields into null', () => {
		const parsed = ppsDraftSchema(1).parse(draft());
		expect(parsed.careTeam[1]).toEqual({ role: 'gp', name: 'Dr Louis Petitjean', phone: null, email: null, rpps: null });
		expect(parsed.phases[1]).toMatchObject({ end: null, durationWeeks: 24 });
		expect(parsed.socialSupport).toEqual({ codes: ['PAT-024'], note: '' });
		expect(parsed.updateReason).toBeNull();
	});

	it('refuses codes outside their value set, naming the list', () => {
		const result = PpsDraft.safeParse(
			draft({
				phases: [{ type: 'ORG-175', start: day(1), placeOfCare: 'CHU' }],
				supportiveCare: { codes: ['C15632'] },
				updateReason: { code: 'rechute' }
			})
		);
		expect(messages(result)).toEqual([
			'Code absent de la liste JDV_TypeTraitementPPS_CISIS',
			'Code absent de la liste JDV_SoinsOncoDeSupport_CISIS',
			'Code absent de la liste JDV_MotifMiseAJour_CISIS'
		]);
	});

	it('refuses an end before the start, and an end date given with a duration', () => {
		const result = PpsDraft.safeParse(
			draft({
				phases: [
					{ type: 'C15313', start: day(10), end: day(9), placeOfCare: 'Centre de radiothérapie' },
					{ type: 'C15632', start: day(20), end: day(30), durationWeeks: 2, placeOfCare: 'HDJ' }
				]
			})
		);
		expect(messages(result)).toEqual(['La date de fin précède la date de début.', 'Indiquez une date de fin ou une durée, pas les deux.']);
	});

	it('refuses overlapping phases, an open phase running on forever', () => {
		const overlapping = PpsDraft.safeParse(
			draft({
				phases: [
					{ type: '387713003', start: day(7), end: day(12), placeOfCare: 'CHU' },
					{ type: 'C15632', start: day(12), durationWeeks: 4, placeOfCare: 'HDJ' }
				]
			})
		);
		expect(messages(overlapping)).toEqual(['Les phases 1 et 2 se chevauchent : une phase commence après la fin de la précédente.']);
		expect(overlapping.error?.issues[0].path).toEqual(['phases', 1]);

		const open = PpsDraft.safeParse(
			draft({
				phases: [
					{ type: 'C15445', start: day(1), placeOfCare: 'Domicile' },
					{ type: 'C15313', start: day(300), end: day(330), placeOfCare: 'CRT' }
				]
			})
		);
		expect(open.success).toBe(false);
	});

	it('counts a duration in weeks up to the day before the same weekday', () => {
		expect(phaseEnd({ start: day(0), end: null, durationWeeks: 2 })).toBe(day(13));
		expect(phaseEnd({ start: day(0), end: day(3), durationWeeks: null })).toBe(day(3));
		expect(phaseEnd({ start: day(0), end: null, durationWeeks: null })).toBeNull();
		// Back to back: the next phase starts the day after the last one.
		expect(overlappingPhases([{ start: day(0), end: null, durationWeeks: 2 }, { start: day(14), end: day(20), durationWeeks: null }])).toEqual([]);
		expect(overlappingPhases([{ start: day(0), end: null, durationWeeks: 2 }, { start: day(13), end: day(20), durationWeeks: null }])).toEqual([
			{ first: 0, second: 1 }
		]);
	});

	it('says the dates of a phase in French', () => {
		expect(phaseDatesLabel({ start: '2031-03-17', end: '2031-03-22', durationWeeks: null })).toBe('du 17/03/2031 au 22/03/2031');
		expect(phaseDatesLabel({ start: '2031-03-17', end: null, durationWeeks: 1 })).toBe('à partir du 17/03/2031, pendant 1 semaine');
		expect(phaseDatesLabel({ start: '2031-03-17', end: null, durationWeeks: null })).toBe('à partir du 17/03/2031');
	});

	it('refuses a phase of a new plan starting before today in Paris, not on later versions', () => {
		const phases = [{ type: 'C15632', start: day(-1), end: day(20), placeOfCare: 'HDJ' }];
		expect(messages(ppsDraftSchema(1).safeParse(draft({ phases })))).toEqual(['Un nouveau programme ne peut pas commencer avant aujourd’hui.']);
		expect(ppsDraftSchema(1).safeParse(draft({ phases: [{ ...phases[0], start: day(0) }] })).success).toBe(true);
		// Still the 9th in UTC, already the 10th in Paris.
		expect(NOW.toISOString().slice(0, 10)).toBe('2031-03-09');
		const utcToday = [{ ...phases[0], start: '2031-03-09' }];
		expect(messages(ppsDraftSchema(1).safeParse(draft({ phases: utcToday })))).toHaveLength(1);
		expect(day(0)).toBe(PARIS_TODAY);
		const update = draft({ phases, updateReason: { code: 'GEN-176', note: 'Chimiothérapie décalée d’une semaine.' } });
		expect(ppsDraftSchema(2).safeParse(update).success).toBe(true);
	});

	it('asks the reason of an update from version 2', () => {
		expect(messages(ppsDraftSchema(2).safeParse(draft()))).toEqual(['Indiquez le motif de la mise à jour.']);
		expect(ppsDraftSchema(2).parse(draft({ updateReason: { code: '263855007' } })).updateReason).toEqual({ code: '263855007', note: '' });
	});

	it('refuses an invalid contact, a missing place of care and a box ticked twice', () => {
		const result = PpsDraft.safeParse(
			draft({
				phases: [{ type: 'C15632', start: day(1), end: day(2), placeOfCare: ' ' }],
				careTeam: [{ role: 'nurse-coordinator', name: 'Mme Roux', phone: 'abc', email: 'roux@', rpps: '123' }],
				supportiveCare: { codes: ['ORG-175', 'ORG-175'] }
			})
		);
		const found = messages(result);
		expect(found).toContain('Indiquez le lieu de prise en charge.');
		expect(found).toContain('Numéro de téléphone invalide');
		expect(found).toContain('Adresse de courriel invalide');
		expect(found).toContain('Un même élément est coché deux fois.');
		expect(found.length).toBe(5);
	});
});
