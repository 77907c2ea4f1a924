import { describe, expect, it } from 'vitest';
import { fullPps } from '../../../tests/helpers/pps-samples.ts';
import { PpsDraft } from '../domain/pps.ts';
import { compactRows, draftFromForm, editRows, formValuesOfDraft, ppsFieldName, rowCount } from './form.ts';

describe('the PPS form', () => {
	it('round-trips a draft through its flat fields', () => {
		const content = fullPps().content;
		expect(PpsDraft.parse(draftFromForm(formValuesOfDraft(content)))).toEqual(content);
	});

	it('drops blank rows, and renumbers the rest so that errors line up with the rows shown again', () => {
		const values = { ...formValuesOfDraft(fullPps().content), 'phases.3.type': '', 'phases.3.start': '', 'careTeam.4.role': 'other', 'careTeam.4.name': '' };
		expect(rowCount(values, 'phases')).toBe(4);
		expect((draftFromForm(values) as { phases: unknown[] }).phases).toHaveLength(3);
		const removed = editRows(values, { remove: 'phases', index: 0 });
		expect(removed['phases.0.description']).toBe('FOLFOX, une cure tous les 15 jours');
		expect(rowCount(compactRows(removed), 'phases')).toBe(2);
		expect(rowCount(editRows(values, { add: 'careTeam' }), 'careTeam')).toBe(6);
	});

	it('names the field of each issue path as the form posts it', () => {
		expect(ppsFieldName(['phases', 1])).toBe('phases.1.start');
		expect(ppsFieldName(['phases', 0, 'end'])).toBe('phases.0.end');
		expect(ppsFieldName(['supportiveCare', 'codes', 2])).toBe('supportiveCare.codes');
		expect(ppsFieldName(['updateReason'])).toBe('updateReason.code');
		expect(ppsFieldName(['careTeam', 0, 'email'])).toBe('careTeam.0.email');
	});
});
