import { describe, expect, it } from 'vitest';
import { conceptsOf } from '../domain/value-sets.ts';
import { boardErrors, boardToForm, parseBoardForm } from './form.ts';

const apparatus = conceptsOf('JDV_RCP_Appareil')[0].code;

function form(entries: [string, string][]): FormData {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
}

const base: [string, string][] = [
	['name', 'RCP digestive'],
	['apparatus', apparatus],
	['site', 'CHU de Poitiers'],
	['type', 'standard'],
	['quorum.min', '3'],
	['required.group', 'surgery'],
	['required.specialty', 'medical-oncology'],
	['required.specialty', 'radiation-oncology'],
	['deadline.days', '2'],
	['deadline.time', '12:00']
];

describe('board form', () => {
	it('turns the flat form into a valid board, with a fortnightly Tuesday recurrence', () => {
		const parsed = parseBoardForm(
			form([
				...base,
				['recurrence.frequency', 'biweekly'],
				['recurrence.weekday', '2'],
				['recurrence.time', '14:00'],
				['recurrence.duration', '120'],
				['recurrence.anchorDate', '2026-12-01']
			])
		);
		expect(parsed.success).toBe(true);
		if (!parsed.success) return;
		expect(parsed.data.quorumRule).toEqual({
			minDistinctSpecialties: 3,
			requiredSpecialties: [{ group: 'surgery' }, { specialty: 'medical-oncology' }, { specialty: 'radiation-oncology' }]
		});
		expect(parsed.data.recurrence).toEqual({ frequency: 'biweekly', weekday: 2, time: '14:00', durationMinutes: 120, anchorDate: '2026-12-01' });
		// And back: the stored board fills the same form.
		const values = boardToForm({ ...parsed.data, organ: null });
		expect(values['recurrence.frequency']).toBe('biweekly');
		expect(values['required.specialty']).toEqual(['medical-oncology', 'radiation-oncology']);
	});

	it('names the field of each refusal, in French', () => {
		const parsed = parseBoardForm(
			form([
				...base.filter(([k]) => k !== 'site'),
				['recurrence.frequency', 'weekly'],
				['recurrence.weekday', '2'],
				['recurrence.time', '25:00'],
				['recurrence.duration', '120'],
				['recurrence.anchorDate', '2026-12-02']
			])
		);
		expect(parsed.success).toBe(false);
		if (parsed.success) return;
		const errors = boardErrors(parsed.error);
		expect(errors['recurrence.time']).toMatch(/HH:MM/);
		expect(Object.keys(errors)).toContain('site');
	});
});
