import { describe, expect, it } from 'vitest';
import {
	allowedActions,
	GroupMemberInput,
	latestVersion,
	mayReadVersion,
	mayStartVersion,
	REFERENTIEL_VERSION_STATES,
	ReferentielInput,
	SituationInput,
	VERSION_ACTIONS,
	VersionInput,
	versionAction,
	type ReferentielActor,
	type ReferentielVersionState,
	type VersionAction
} from './referentiel.ts';

const ACTORS = {
	editor: { editor: true, groupRole: null },
	coordinator: { editor: false, groupRole: 'coordinator' },
	groupMember: { editor: false, groupRole: 'member' },
	member: { editor: false, groupRole: null }
} satisfies Record<string, ReferentielActor>;
type ActorName = keyof typeof ACTORS;

/**
 * The whole matrix: for each action, each state it applies to and who may do it there;
 * everything else must be refused.
 */
const ALLOWED: Record<VersionAction, { states: ReferentielVersionState[]; actors: ActorName[]; to: ReferentielVersionState | null }> = {
	edit: { states: ['draft'], actors: ['editor', 'coordinator', 'groupMember'], to: null },
	submit: { states: ['draft'], actors: ['editor', 'coordinator', 'groupMember'], to: 'submitted' },
	return: { states: ['submitted', 'validated'], actors: ['editor', 'coordinator'], to: 'draft' },
	validate: { states: ['submitted'], actors: ['coordinator'], to: 'validated' },
	publish: { states: ['validated'], actors: ['editor'], to: 'published' },
	delete: { states: ['draft'], actors: ['editor', 'coordinator'], to: null }
};

describe('version lifecycle', () => {
	for (const action of VERSION_ACTIONS) {
		for (const state of REFERENTIEL_VERSION_STATES) {
			for (const name of Object.keys(ACTORS) as ActorName[]) {
				const rule = ALLOWED[action];
				const may = rule.actors.includes(name);
				const inState = rule.states.includes(state);
				const expected = !may
					? { ok: false, reason: 'forbidden' }
					: !inState
						? { ok: false, reason: state === 'published' || state === 'superseded' ? 'published' : 'state' }
						: { ok: true, to: rule.to };
				it(`${action} of a ${state} version by ${name}: ${expected.ok ? 'allowed' : expected.reason}`, () => {
					expect(versionAction(ACTORS[name], action, state)).toEqual(expected);
				});
			}
		}
	}

	it('lets an editor who also coordinates the group validate (as coordinator) and publish', () => {
		const both: ReferentielActor = { editor: true, groupRole: 'coordinator' };
		expect(versionAction(both, 'validate', 'submitted')).toEqual({ ok: true, to: 'validated' });
		expect(versionAction(both, 'publish', 'validated')).toEqual({ ok: true, to: 'published' });
	});

	it('lists the buttons each person sees', () => {
		expect(allowedActions(ACTORS.groupMember, 'draft')).toEqual(['edit', 'submit']);
		expect(allowedActions(ACTORS.coordinator, 'submitted')).toEqual(['return', 'validate']);
		expect(allowedActions(ACTORS.editor, 'validated')).toEqual(['return', 'publish']);
		expect(allowedActions(ACTORS.editor, 'published')).toEqual([]);
		expect(allowedActions(ACTORS.member, 'draft')).toEqual([]);
	});

	it('shows published and superseded versions to every member, the others to the group and editors only', () => {
		for (const state of REFERENTIEL_VERSION_STATES) {
			const published = state === 'published' || state === 'superseded';
			expect(mayReadVersion(ACTORS.member, state)).toBe(published);
			expect(mayReadVersion(ACTORS.groupMember, state)).toBe(true);
			expect(mayReadVersion(ACTORS.editor, state)).toBe(true);
		}
	});

	it('starts a new version for writers only, one in preparation at a time', () => {
		expect(mayStartVersion(ACTORS.groupMember, [])).toEqual({ ok: true });
		expect(mayStartVersion(ACTORS.editor, ['superseded', 'published'])).toEqual({ ok: true });
		expect(mayStartVersion(ACTORS.coordinator, ['published', 'validated'])).toEqual({ ok: false, reason: 'state' });
		expect(mayStartVersion(ACTORS.member, ['published'])).toEqual({ ok: false, reason: 'forbidden' });
	});

	it('copies from the most recently created version', () => {
		const v = (label: string, day: number) => ({ label, createdAt: new Date(Date.UTC(2026, 0, day)) });
		expect(latestVersion([v('2024', 1), v('2026', 20), v('2025', 10)])?.label).toBe('2026');
		expect(latestVersion([])).toBeUndefined();
	});
});

describe('inputs', () => {
	it('takes a référentiel with an organ of the FRCP value set, the apparatus optional', () => {
		expect(ReferentielInput.parse({ title: '  Cancer du côlon ', organ: 'MED-251', apparatus: '', description: '' })).toEqual({
			title: 'Cancer du côlon',
			organ: 'MED-251',
			apparatus: null,
			description: ''
		});
		const bad = ReferentielInput.safeParse({ title: '', organ: 'colon' });
		expect(bad.success).toBe(false);
		const messages = Object.fromEntries(bad.error!.issues.map((i) => [i.path[0], i.message]));
		expect(messages.title).toBe('Le titre est obligatoire.');
		expect(messages.organ).toMatch(/^Code absent de la liste JDV_RCP_Organe/);
		expect(ReferentielInput.safeParse({ title: 'x', organ: 'MED-251', apparatus: 'nope' }).success).toBe(false);
	});

	it('takes a version label such as 2026 or v3.1, and refuses an empty or odd one', () => {
		expect(VersionInput.parse({ label: ' v3.1 ', changeSummary: 'Immunothérapie adjuvante' })).toEqual({ label: 'v3.1', changeSummary: 'Immunothérapie adjuvante' });
		expect(VersionInput.parse({ label: '2026' }).changeSummary).toBe('');
		expect(VersionInput.safeParse({ label: '' }).error?.issues[0].message).toBe('Le libellé de version est obligatoire.');
		expect(VersionInput.safeParse({ label: '<script>' }).error?.issues[0].message).toMatch(/^Libellé de version :/);
	});

	it('takes a situation with a short uppercase code (typed in any case), a heading and a position', () => {
		expect(SituationInput.parse({ code: 'colon-iii-r0', heading: 'Côlon, stade III, après résection R0', recommendation: 'FOLFOX 6 mois', position: '2' })).toEqual({
			code: 'COLON-III-R0',
			heading: 'Côlon, stade III, après résection R0',
			recommendation: 'FOLFOX 6 mois',
			position: 2
		});
		expect(SituationInput.safeParse({ code: 'COLON III', heading: 'x' }).error?.issues[0].message).toMatch(/^Code : lettres majuscules/);
		expect(SituationInput.safeParse({ code: 'A-', heading: 'x' }).success).toBe(false);
		expect(SituationInput.safeParse({ code: 'A1', heading: ' ' }).error?.issues[0].message).toBe('L’intitulé de la situation est obligatoire.');
		expect(SituationInput.safeParse({ code: 'A1', heading: 'x', position: '1.5' }).error?.issues[0].message).toBe('Position : un nombre entier.');
	});

	it('takes a working-group change: a role, or a removal', () => {
		const id = '0190a5b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b';
		expect(GroupMemberInput.parse({ userId: id, role: 'coordinator' })).toEqual({ userId: id, role: 'coordinator' });
		expect(GroupMemberInput.parse({ userId: id, role: '' })).toEqual({ userId: id, role: null });
		expect(GroupMemberInput.safeParse({ userId: id, role: 'chair' }).success).toBe(false);
		expect(GroupMemberInput.safeParse({ userId: 'x', role: 'member' }).error?.issues[0].message).toBe('Choisissez un membre du réseau.');
	});
});
