import { describe, expect, it } from 'vitest';
import {
	HAEMATOLOGY_QUORUM,
	QuorumRule,
	STANDARD_QUORUM,
	THREE_SPECIALTIES_QUORUM,
	evaluateQuorum
} from './quorum.ts';

describe('evaluateQuorum with the standard rule', () => {
	it('is met by a surgeon of any organ, a medical oncologist and a radiation oncologist', () => {
		for (const surgeon of ['digestive-surgery', 'urology', 'thoracic-surgery'] as const) {
			const result = evaluateQuorum(STANDARD_QUORUM, [surgeon, 'medical-oncology', 'radiation-oncology']);
			expect(result, surgeon).toEqual({ met: true, status: 'met', distinct: 3, distinctShortfall: 0, missing: [] });
		}
	});

	it('counts each specialty once however many of its physicians attend', () => {
		const result = evaluateQuorum(STANDARD_QUORUM, [
			'medical-oncology',
			'medical-oncology',
			'radiation-oncology',
			'radiation-oncology'
		]);
		expect(result.distinct).toBe(2);
		expect(result.status).toBe('not-met');
		expect(result.missing.map((m) => m.label)).toEqual(['Chirurgie (toute spécialité du groupe)']);
	});

	it('is partial when enough specialties attend but a required one is missing, and names it', () => {
		const result = evaluateQuorum(STANDARD_QUORUM, ['digestive-surgery', 'radiology', 'pathology', 'medical-oncology']);
		expect(result.met).toBe(false);
		expect(result.status).toBe('partial');
		expect(result.distinct).toBe(4);
		expect(result.missing).toEqual([
			{ requirement: { specialty: 'radiation-oncology' }, label: 'Oncologie radiothérapie' }
		]);
	});

	it('is not met with nobody present', () => {
		const result = evaluateQuorum(STANDARD_QUORUM, []);
		expect(result).toMatchObject({ met: false, status: 'not-met', distinct: 0, distinctShortfall: 3 });
		expect(result.missing).toHaveLength(3);
	});

	it('ignores non-physician professions', () => {
		const result = evaluateQuorum(THREE_SPECIALTIES_QUORUM, ['pharmacy', 'coordinating-nurse', 'radiology']);
		expect(result).toMatchObject({ met: false, distinct: 1, distinctShortfall: 2 });
	});
});

describe('other rules', () => {
	it('is partial when every required specialty attends but too few specialties do', () => {
		const result = evaluateQuorum(HAEMATOLOGY_QUORUM, ['haematology', 'pathology']);
		expect(result).toMatchObject({ met: false, status: 'partial', missing: [], distinctShortfall: 1 });
	});

	it('a haematologist does not stand in for a medical oncologist', () => {
		const result = evaluateQuorum(STANDARD_QUORUM, ['urology', 'haematology', 'radiation-oncology']);
		expect(result.missing.map((m) => m.label)).toEqual(['Oncologie médicale']);
	});
});

describe('QuorumRule schema', () => {
	it('accepts the default rules and a group requirement', () => {
		expect(QuorumRule.parse(STANDARD_QUORUM)).toEqual(STANDARD_QUORUM);
		expect(QuorumRule.safeParse(HAEMATOLOGY_QUORUM).success).toBe(true);
	});

	it('refuses unknown specialties, unknown groups and a zero minimum', () => {
		expect(QuorumRule.safeParse({ minDistinctSpecialties: 3, requiredSpecialties: [{ specialty: 'astrology' }] }).success).toBe(false);
		expect(QuorumRule.safeParse({ minDistinctSpecialties: 3, requiredSpecialties: [{ group: 'magic' }] }).success).toBe(false);
		expect(QuorumRule.safeParse({ minDistinctSpecialties: 0, requiredSpecialties: [] }).success).toBe(false);
		expect(
			QuorumRule.safeParse({ minDistinctSpecialties: 3, requiredSpecialties: [{ specialty: 'urology', group: 'surgery' }] }).success
		).toBe(false);
	});
});
