import { describe, expect, it } from 'vitest';
import { DecisionDraft, decisionProblems } from './decision.ts';
import { isRecordable, missingRequired, readRecordedForm, readyForBatch, recordedFormOf, recordedProposal, type RecordedForm } from './recorded-decision.ts';

function formData(entries: [string, string][]): FormData {
	const form = new FormData();
	for (const [name, value] of entries) form.append(name, value);
	return form;
}

const typed: RecordedForm = {
	treatmentTypes: ['C15313', 'C15632'],
	proposal: 'Radiochimiothérapie concomitante.',
	guidelineName: 'Référentiel régional poumon',
	guidelineVersion: '2025',
	trialProposed: 'yes',
	trialName: 'NCT01234567',
	fileComplete: 'yes',
	furtherTests: ''
};

describe('preparing a case for registration without discussion', () => {
	it('reads the submitted form; unanswered or unexpected radios read as unanswered', () => {
		const form = formData([
			['treatmentTypes', 'C15313'],
			['treatmentTypes', 'C15632'],
			['proposal', 'Radiochimiothérapie concomitante.'],
			['guidelineName', 'Référentiel régional poumon'],
			['trialProposed', 'peut-être'],
			['baseVersion', '3']
		]);
		expect(readRecordedForm(form)).toEqual({
			treatmentTypes: ['C15313', 'C15632'],
			proposal: 'Radiochimiothérapie concomitante.',
			guidelineName: 'Référentiel régional poumon',
			guidelineVersion: '',
			trialProposed: '',
			trialName: '',
			fileComplete: '',
			furtherTests: ''
		});
	});

	it('builds a proposal that follows the référentiel, is not postponed and leaves the quorum to the meeting', () => {
		const draft = DecisionDraft.parse(recordedProposal(typed, true));
		expect(draft).toMatchObject({
			guidelineFollowed: 'yes',
			representationMeetingId: null,
			quorumNotMetAcknowledged: false,
			recordedWithoutDiscussion: true,
			trialProposed: true,
			trialName: 'NCT01234567',
			fileComplete: true
		});
		expect(recordedFormOf(draft)).toEqual(typed);
		expect(DecisionDraft.parse(recordedProposal(typed, false)).recordedWithoutDiscussion).toBe(false);
	});

	it('keeps a trial’s name only when a trial is proposed', () => {
		expect(recordedProposal({ ...typed, trialProposed: 'no' }, true)).toMatchObject({ trialProposed: false, trialName: '' });
		expect(recordedProposal({ ...typed, trialProposed: '' }, true)).toMatchObject({ trialProposed: null, trialName: '' });
	});

	it('leaves code and length checks to the proposal’s schema', () => {
		expect(DecisionDraft.safeParse(recordedProposal({ ...typed, treatmentTypes: ['chimio'] }, true)).success).toBe(false);
	});

	it('requires the proposal and the référentiel’s name, blanks included', () => {
		expect(missingRequired(typed)).toEqual([]);
		expect(missingRequired({ ...typed, proposal: '  \n', guidelineName: '' })).toEqual(['proposal', 'guidelineName']);
	});

	it('is ready for the batch only when marked, lacking nothing, and the case’s file is complete', () => {
		const draft = DecisionDraft.parse(recordedProposal(typed, true));
		expect(readyForBatch(draft, 'complete')).toBe(true);
		expect(readyForBatch(draft, 'registered')).toBe(false);
		expect(readyForBatch({ ...draft, recordedWithoutDiscussion: false }, 'complete')).toBe(false);
		const unanswered = DecisionDraft.parse(recordedProposal({ ...typed, fileComplete: '' }, true));
		expect(decisionProblems(unanswered, true).map((p) => p.field)).toEqual(['fileComplete']);
		expect(readyForBatch(unanswered, 'complete')).toBe(false);
	});

	it('applies to cases on the agenda that were not yet discussed', () => {
		expect(['registered', 'complete'].every(isRecordable)).toBe(true);
		expect(['draft', 'discussed', 'recorded-without-discussion', 'decided', 'postponed'].some(isRecordable)).toBe(false);
	});
});
