import { describe, expect, it } from 'vitest';
import { DecisionDraft, decisionProblems } from './decision.ts';
import { isRecordable, missingRequired, readRecordedForm, readyForBatch, recordedFormOf, recordedProposal, type RecordedForm } from './recorded-decision.ts';

const situation = {
	situationId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e11',
	versionId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e12',
	referentielId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e13',
	title: 'Cancer bronchique',
	versionLabel: '2026',
	situationCode: 'POUMON-III',
	situationHeading: 'Poumon, stade III non résécable',
	publishedAt: '2026-01-15T09:00:00.000Z'
};
const trial = { trialId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e10', title: 'Consolidation', acronym: 'PACIFIC-R', euCtNumber: null, nctId: 'NCT01234567', localNumber: null, sponsor: 'AstraZeneca', phase: 'III' };

function formData(entries: [string, string][]): FormData {
	const form = new FormData();
	for (const [name, value] of entries) form.append(name, value);
	return form;
}

const typed: RecordedForm = {
	treatmentTypes: ['C15313', 'C15632'],
	proposal: 'Radiochimiothérapie concomitante.',
	guidelineSituationId: '',
	guidelineName: 'Référentiel régional poumon',
	guidelineVersion: '2025',
	trialProposed: 'yes',
	trialId: '',
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
			['trialId', ' 0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e10 '],
			['baseVersion', '3']
		]);
		expect(readRecordedForm(form)).toEqual({
			treatmentTypes: ['C15313', 'C15632'],
			proposal: 'Radiochimiothérapie concomitante.',
			guidelineSituationId: '',
			guidelineName: 'Référentiel régional poumon',
			guidelineVersion: '',
			trialProposed: '',
			trialId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e10',
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

	it('requires the proposal and the référentiel’s name, blanks included; a cited situation stands for the name', () => {
		expect(missingRequired(typed)).toEqual([]);
		expect(missingRequired({ ...typed, proposal: '  \n', guidelineName: '' })).toEqual(['proposal', 'guidelineName']);
		expect(missingRequired({ ...typed, guidelineName: ' ', guidelineSituationId: situation.situationId })).toEqual([]);
	});

	it('carries the cited situation and trial (the trial only when one is proposed), and fills the form from them', () => {
		const citations = { guidelineCitation: situation, trialCitation: trial };
		const form = { ...typed, guidelineName: '', guidelineVersion: '', guidelineSituationId: situation.situationId, trialId: trial.trialId, trialName: '' };
		const draft = DecisionDraft.parse(recordedProposal(form, true, citations));
		expect(draft).toMatchObject({ guidelineFollowed: 'yes', guidelineCitation: situation, trialProposed: true, trialCitation: trial });
		// The cited référentiel stands for a name: nothing lacks.
		expect(decisionProblems(draft, true)).toEqual([]);
		expect(recordedFormOf(draft)).toEqual(form);
		expect(recordedProposal({ ...form, trialProposed: 'no' }, true, citations)).toMatchObject({ trialProposed: false, trialCitation: null, trialName: '' });
		// Typed free text for a trial is dropped when a directory trial is cited.
		expect(recordedProposal({ ...form, trialName: 'autre' }, true, citations).trialName).toBe('');
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
