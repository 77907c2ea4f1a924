import { describe, expect, it } from 'vitest';
import { SPECIALTIES, SPECIALTY_GROUPS, Specialty, specialtiesIn, specialty } from './specialties.ts';

describe('specialties', () => {
	it('have unique kebab-case codes and both labels', () => {
		const codes = SPECIALTIES.map((s) => s.code);
		expect(new Set(codes).size).toBe(codes.length);
		for (const s of SPECIALTIES) {
			expect(s.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
			expect(s.labelFr.length).toBeGreaterThan(0);
			expect(s.labelEn.length).toBeGreaterThan(0);
		}
	});

	it('cover the three specialties the 2023 référentiel requires', () => {
		expect(specialtiesIn('surgery').map((s) => s.code)).toContain('digestive-surgery');
		expect(specialty('medical-oncology').group).toBe('medical-oncology');
		expect(specialty('radiation-oncology').labelFr).toBe('Oncologie radiothérapie');
		for (const group of SPECIALTY_GROUPS) expect(specialtiesIn(group).length, group).toBeGreaterThan(0);
	});

	it('mark non-physician professions', () => {
		expect(specialty('pharmacy').physician).toBe(false);
		expect(specialty('general-practice').physician).toBe(true);
	});

	it('Specialty schema accepts known codes and refuses others in French', () => {
		expect(Specialty.parse('urology')).toBe('urology');
		expect(Specialty.safeParse('Urologie').error?.issues[0].message).toBe('Spécialité inconnue');
	});
});
