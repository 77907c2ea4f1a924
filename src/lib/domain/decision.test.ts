import { describe, expect, it } from 'vitest';
import { DecisionDraft, decisionProblems, emptyDecision, ReadBackAnswer, treatmentLabel } from './decision.ts';

describe('the proposal (decision)', () => {
	const complete = DecisionDraft.parse({
		treatmentTypes: ['C15313', 'C15632', 'C15313'],
		proposal: 'Radiochimiothérapie concomitante.',
		guidelineFollowed: 'yes',
		guidelineName: 'Référentiel régional poumon',
		trialProposed: false,
		fileComplete: true
	});

	it('takes treatment types from the official value set, once each', () => {
		expect(complete.treatmentTypes).toEqual(['C15313', 'C15632']);
		expect(treatmentLabel('C15313')).toBe('radiothérapie');
		const refused = DecisionDraft.safeParse({ treatmentTypes: ['chimio'] });
		expect(refused.success).toBe(false);
		expect(refused.error?.issues[0].message).toBe('Code absent de la liste JDV_TypeTraitement_FRCP_CISIS');
		expect(DecisionDraft.safeParse({ proposal: 'x', unknown: 1 }).success).toBe(false);
	});

	it('says what a final proposal lacks, in French', () => {
		expect(decisionProblems(complete, true)).toEqual([]);
		expect(decisionProblems(emptyDecision(), true).map((p) => p.field)).toEqual(['treatmentTypes', 'proposal', 'guidelineFollowed', 'trialProposed', 'fileComplete']);
		expect(decisionProblems({ ...complete, guidelineFollowed: 'no' }, true)).toEqual([{ field: 'guidelineJustification', message: 'Justifiez l’écart au référentiel.' }]);
		expect(decisionProblems({ ...complete, trialProposed: true }, true).map((p) => p.field)).toEqual(['trialName']);
		expect(decisionProblems({ ...complete, guidelineFollowed: 'not-applicable', recordedWithoutDiscussion: true }, true).map((p) => p.field)).toEqual([
			'recordedWithoutDiscussion'
		]);
		// A postponement needs no treatment type.
		expect(decisionProblems({ ...complete, treatmentTypes: [], representationMeetingId: '0b6f4e1e-8f4a-4c57-9d43-2f1a9b1c1a11' }, true)).toEqual([]);
	});

	it('takes a cited situation or trial for a name, and still wants a justification when hors référentiel', () => {
		const situation = {
			situationId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e11',
			versionId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e12',
			referentielId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e13',
			title: 'Cancer bronchique',
			versionLabel: '2026',
			situationCode: 'POUMON-III',
			situationHeading: 'Poumon, stade III non résécable'
		};
		const cited = DecisionDraft.parse({ ...complete, guidelineName: '', guidelineCitation: situation, trialProposed: true, trialCitation: { trialId: '0b8f5c3e-4d7a-4f51-9a53-3c8c2a1d9e10', title: 'Consolidation' } });
		// Defaults fill what the client may leave out; the server fills the labels anyway.
		expect(cited.guidelineCitation?.publishedAt).toBeNull();
		expect(cited.trialCitation).toMatchObject({ acronym: null, nctId: null, sponsor: '' });
		expect(decisionProblems(cited, true)).toEqual([]);
		expect(decisionProblems({ ...cited, guidelineFollowed: 'no' }, true).map((p) => p.field)).toEqual(['guidelineJustification']);
		expect(decisionProblems({ ...cited, guidelineCitation: null }, true).map((p) => p.message)).toEqual(['Choisissez la situation du référentiel suivie, ou nommez le référentiel.']);
		expect(decisionProblems({ ...cited, trialCitation: null }, true).map((p) => p.field)).toEqual(['trialName']);
		expect(DecisionDraft.safeParse({ guidelineCitation: { ...situation, situationId: 'pas-un-uuid' } }).error?.issues[0].message).toBe('Situation de référentiel invalide');
	});

	it('accepts a decision without quorum only with the explicit mark', () => {
		expect(decisionProblems(complete, false).map((p) => p.field)).toEqual(['quorum']);
		expect(decisionProblems({ ...complete, quorumNotMetAcknowledged: true }, false)).toEqual([]);
	});

	it('reads a read-back answer', () => {
		expect(ReadBackAnswer.parse({ answer: 'disagree', comment: '  pas d’accord  ' })).toEqual({ answer: 'disagree', comment: 'pas d’accord' });
		expect(ReadBackAnswer.safeParse({ answer: 'peut-être' }).success).toBe(false);
	});
});
