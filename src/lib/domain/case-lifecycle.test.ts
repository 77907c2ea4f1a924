import { describe, expect, it } from 'vitest';
import { CASE_STATES, CASE_STATE_LABELS, CASE_TRANSITIONS, CaseState, canTransition, transition } from './case-lifecycle.ts';

describe('case lifecycle', () => {
	it('follows the main path draft → … → sent, for discussed and recorded cases', () => {
		const discussed = ['draft', 'registered', 'complete', 'discussed', 'decided', 'validated', 'sent'] as const;
		const recorded = ['complete', 'recorded-without-discussion', 'decided'] as const;
		for (const path of [discussed, recorded]) {
			for (let i = 1; i < path.length; i++) {
				expect(transition(path[i - 1], path[i]), `${path[i - 1]} → ${path[i]}`).toEqual({ ok: true, state: path[i] });
			}
		}
	});

	it('refuses skipping steps and going back after the decision', () => {
		expect(transition('draft', 'discussed')).toEqual({ ok: false, reason: 'invalid-transition' });
		expect(transition('registered', 'recorded-without-discussion')).toEqual({ ok: false, reason: 'invalid-transition' });
		expect(canTransition('decided', 'sent')).toBe(false);
		expect(canTransition('validated', 'decided')).toBe(false);
	});

	it('lets the board discuss a file still incomplete (the fiche will say so)', () => {
		expect(transition('registered', 'discussed')).toEqual({ ok: true, state: 'discussed' });
	});

	it('lets a postponed case be registered again, and ends at sent or withdrawn', () => {
		expect(canTransition('discussed', 'postponed')).toBe(true);
		expect(canTransition('postponed', 'registered')).toBe(true);
		for (const to of CASE_STATES) {
			expect(canTransition('sent', to)).toBe(false);
			expect(canTransition('withdrawn', to)).toBe(false);
		}
	});

	it('never allows staying in place, and reaches every state from draft', () => {
		for (const state of CASE_STATES) expect(canTransition(state, state), state).toBe(false);
		const reached = new Set<CaseState>(['draft']);
		for (const state of reached) {
			// A Set iterates over entries added during the loop: a breadth-first walk.
			for (const next of CASE_TRANSITIONS[state]) reached.add(next);
		}
		expect([...reached].sort()).toEqual([...CASE_STATES].sort());
	});

	it('has a French label for each state and a schema', () => {
		for (const state of CASE_STATES) expect(CASE_STATE_LABELS[state].length).toBeGreaterThan(0);
		expect(CaseState.safeParse('archived').error?.issues[0].message).toBe('État de dossier inconnu');
	});
});
