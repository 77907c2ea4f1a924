import { describe, expect, it } from 'vitest';
import { FollowUpTemplate } from '$lib/domain/follow-up';
import { LUNG_FOLLOW_UP } from '$lib/domain/follow-up-templates';
import { templateFormValues, templateInput, valuesOfTemplate } from './template-form';

describe('the template form', () => {
	const form = (values: Record<string, string>) => {
		const body = new FormData();
		for (const [name, value] of Object.entries(values)) body.set(name, value);
		return body;
	};

	it('gives back a stored template unchanged, blank rows left out', () => {
		const values = valuesOfTemplate(LUNG_FOLLOW_UP);
		const body = new FormData();
		for (const [name, value] of Object.entries(values)) if (name !== 'exams') body.set(name, typeof value === 'boolean' ? (value ? 'on' : '') : String(value));
		body.set('examRows', String(values.exams.length));
		values.exams.forEach((row, index) => Object.entries(row).forEach(([field, value]) => body.set(`exams.${index}.${field}`, value)));
		expect(FollowUpTemplate.parse(templateInput(templateFormValues(body)).input)).toEqual(LUNG_FOLLOW_UP);
	});

	it('says which fields are wrong, an empty name included', () => {
		const values = templateFormValues(
			form({ name: '', organ: 'MED-255', durationYears: '5', visitIntervalMonths: '6', examRows: '2', 'exams.0.label': '', 'exams.1.label': 'Scanner', 'exams.1.everyMonths': '0', 'exams.1.kind': 'imaging' })
		);
		const { input, rowOf } = templateInput(values);
		const issues = FollowUpTemplate.safeParse(input).error?.issues.map((i) => i.path.join('.'));
		expect(issues).toEqual(['name', 'exams.0.everyMonths']);
		expect(rowOf).toEqual([1]);
	});
});
