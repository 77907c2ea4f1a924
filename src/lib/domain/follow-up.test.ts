import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, setClock } from '../clock.ts';
import {
	FollowUpStart,
	FollowUpTemplate,
	PlanAdjustment,
	addCalendarMonths,
	applyAdjustments,
	generateSchedule,
	openFollowUpPlan,
	type ScheduleItem
} from './follow-up.ts';
import { BREAST_FOLLOW_UP, COLORECTAL_FOLLOW_UP, DEFAULT_FOLLOW_UP_TEMPLATES, LUNG_FOLLOW_UP, defaultTemplateFor } from './follow-up-templates.ts';

/** A small template: a visit every 6 months for 3 years, alternating, the GP alone after year 2. */
const SMALL: FollowUpTemplate = FollowUpTemplate.parse({
	organ: 'MED-251',
	name: 'Essai',
	durationYears: 3,
	visitIntervalMonths: 6,
	alternate: true,
	gpAloneAfterYear: 2,
	exams: [
		{ kind: 'biology', label: 'ACE', everyMonths: 3, untilMonth: 12 },
		{ kind: 'endoscopy', label: 'Coloscopie', everyMonths: 24, fromMonth: 12 }
	],
	indicative: false
});

const visits = (items: ScheduleItem[]) => items.filter((item) => item.kind === 'visit');
const exams = (items: ScheduleItem[], label: string) => items.filter((item) => item.kind === 'exam' && item.label === label);

describe('FollowUpTemplate', () => {
	it('accepts the default templates, all indicative, one per organ', () => {
		expect(DEFAULT_FOLLOW_UP_TEMPLATES.map((template) => template.organ)).toEqual(['MED-251', '76752008', 'MED-255']);
		for (const template of DEFAULT_FOLLOW_UP_TEMPLATES) {
			expect(FollowUpTemplate.safeParse(template).success).toBe(true);
			expect(template.indicative).toBe(true);
		}
		expect(defaultTemplateFor('76752008')).toBe(BREAST_FOLLOW_UP);
		expect(defaultTemplateFor('C88')).toBeUndefined();
	});

	it('refuses unknown organs, a GP takeover after the end and exams that end before they start, in French', () => {
		const result = FollowUpTemplate.safeParse({
			...SMALL,
			organ: 'C18',
			gpAloneAfterYear: 4,
			exams: [{ kind: 'imaging', label: 'Scanner', everyMonths: 12, fromMonth: 24, untilMonth: 12 }]
		});
		expect(result.success).toBe(false);
		const byPath = Object.fromEntries(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]));
		expect(byPath.organ).toBe('Code absent de la liste JDV_RCP_Organe_CISIS');
		expect(byPath['exams.0.untilMonth']).toBe('La fin des examens précède le premier');
		// The cross-field check runs once the fields themselves are valid.
		const late = FollowUpTemplate.safeParse({ ...SMALL, gpAloneAfterYear: 4 });
		expect(late.error?.issues[0].message).toBe('Le relais par le médecin traitant tombe après la fin du suivi');
	});
});

describe('generateSchedule', () => {
	it('alternates specialist and GP from the specialist, every interval after the start', () => {
		const plan = visits(generateSchedule(SMALL, '2027-03-15'));
		expect(plan.slice(0, 4).map(({ due, who }) => [due, who])).toEqual([
			['2027-09-15', 'specialist'],
			['2028-03-15', 'gp'],
			['2028-09-15', 'specialist'],
			['2029-03-15', 'gp']
		]);
		expect(plan[0].label).toBe('Consultation de suivi chez le spécialiste');
		expect(plan[1].label).toBe('Consultation de suivi chez le médecin traitant');
	});

	it('gives every visit after the takeover year to the GP, at its own interval when the template has one', () => {
		expect(visits(generateSchedule(SMALL, '2027-03-15')).map(({ due, who }) => [due, who])).toEqual([
			['2027-09-15', 'specialist'],
			['2028-03-15', 'gp'],
			['2028-09-15', 'specialist'],
			['2029-03-15', 'gp'],
			['2029-09-15', 'gp'],
			['2030-03-15', 'gp']
		]);
		const colorectal = visits(generateSchedule(COLORECTAL_FOLLOW_UP, '2027-03-15'));
		// Ten shared visits over 5 years, then the GP yearly until year 10.
		expect(colorectal.filter((item) => item.who === 'specialist')).toHaveLength(5);
		expect(colorectal.slice(10).map(({ due, who }) => `${due} ${who}`)).toEqual(
			['2033-03-15', '2034-03-15', '2035-03-15', '2036-03-15', '2037-03-15'].map((due) => `${due} gp`)
		);
	});

	it('lets the specialist see every visit when the template does not alternate', () => {
		const plan = visits(generateSchedule({ ...SMALL, alternate: false, gpAloneAfterYear: null }, '2027-03-15'));
		expect(plan).toHaveLength(6);
		expect(plan.every((item) => item.who === 'specialist')).toBe(true);
	});

	it('steps in calendar months: a 31st falls on the last day of shorter months', () => {
		const plan = generateSchedule({ ...SMALL, exams: [] }, '2027-08-31');
		expect(plan.map((item) => item.due)).toEqual(['2028-02-29', '2028-08-31', '2029-02-28', '2029-08-31', '2030-02-28', '2030-08-31']);
		expect(addCalendarMonths('2027-01-31', 1)).toBe('2027-02-28');
		expect(addCalendarMonths('2027-10-31', 6)).toBe('2028-04-30');
	});

	it('dates exams on their own rhythm and gives them to the holder of the visit that reads them', () => {
		const plan = generateSchedule(SMALL, '2027-03-15');
		expect(exams(plan, 'ACE').map(({ due, who }) => [due, who])).toEqual([
			['2027-06-15', 'specialist'],
			['2027-09-15', 'specialist'],
			['2027-12-15', 'gp'],
			['2028-03-15', 'gp']
		]);
		expect(exams(plan, 'Coloscopie').map(({ due, who }) => [due, who])).toEqual([
			['2028-03-15', 'gp'],
			['2030-03-15', 'gp']
		]);
		expect(exams(plan, 'ACE')[0]).toMatchObject({ id: 'exam:0:M3', examKind: 'biology' });
	});

	it('orders the plan by date, the visit before the exams of its day', () => {
		const plan = generateSchedule(SMALL, '2027-03-15');
		expect(plan.map((item) => item.due)).toEqual([...plan.map((item) => item.due)].sort());
		const sameDay = plan.filter((item) => item.due === '2028-03-15').map((item) => item.label);
		expect(sameDay).toEqual(['Consultation de suivi chez le médecin traitant', 'ACE', 'Coloscopie']);
		expect(new Set(plan.map((item) => item.id)).size).toBe(plan.length);
	});

	it('never plans the same exam twice on one day in the default templates', () => {
		for (const template of DEFAULT_FOLLOW_UP_TEMPLATES) {
			const plan = generateSchedule(template, '2027-03-15');
			const keys = plan.map((item) => `${item.kind} ${item.label} ${item.due}`);
			expect(new Set(keys).size, template.name).toBe(keys.length);
			expect(plan.at(-1)!.due <= addCalendarMonths('2027-03-15', template.durationYears * 12), template.name).toBe(true);
		}
	});

	it('plans the colorectal scanner twice a year for 3 years, then yearly until 5 years', () => {
		const scanners = exams(generateSchedule(COLORECTAL_FOLLOW_UP, '2027-03-15'), 'Scanner thoraco-abdomino-pelvien');
		expect(scanners.map((item) => item.due)).toEqual([
			'2027-09-15',
			'2028-03-15',
			'2028-09-15',
			'2029-03-15',
			'2029-09-15',
			'2030-03-15',
			'2031-03-15',
			'2032-03-15'
		]);
		expect(exams(generateSchedule(LUNG_FOLLOW_UP, '2027-03-15'), 'Scanner thoracique faible dose').every((item) => item.who === 'gp')).toBe(true);
	});
});

describe('adjusting a plan', () => {
	// The clock stands in January 2027; every plan below starts after it.
	let now: ManualClock;
	beforeEach(() => {
		now = new ManualClock('2027-01-14T09:00:00Z');
		setClock(now);
	});
	afterEach(() => setClock(undefined));

	const plan = () => generateSchedule(SMALL, '2027-03-15');

	it('moves, removes and adds items, keeping the plan in date order', () => {
		const adjustments = PlanAdjustment.array().parse([
			{ type: 'move', itemId: 'visit:M6', due: '2027-10-04' },
			{ type: 'remove', itemId: 'exam:0:M3' },
			{ type: 'add', item: { kind: 'exam', due: '2027-05-02', who: 'specialist', label: 'TEP-scanner', examKind: 'imaging' } }
		]);
		const result = applyAdjustments(plan(), adjustments);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.items.slice(0, 3).map(({ id, due, label }) => [id, due, label])).toEqual([
			['added:2', '2027-05-02', 'TEP-scanner'],
			['exam:0:M6', '2027-09-15', 'ACE'],
			['visit:M6', '2027-10-04', 'Consultation de suivi chez le spécialiste']
		]);
		expect(result.items.some((item) => item.id === 'exam:0:M3')).toBe(false);
	});

	it('refuses a date in the past and an unknown item, with French messages', () => {
		expect(applyAdjustments(plan(), [{ type: 'move', itemId: 'visit:M6', due: '2027-01-13' }])).toEqual({
			ok: false,
			reason: 'date-in-past',
			message: 'La date du 13/01/2027 est passée : choisissez une date à venir'
		});
		expect(applyAdjustments(plan(), [{ type: 'remove', itemId: 'visit:M99' }])).toEqual({
			ok: false,
			reason: 'unknown-item',
			message: 'Élément du plan introuvable : visit:M99'
		});
	});

	it('does not change the plan it was given', () => {
		const items = plan();
		const before = structuredClone(items);
		applyAdjustments(items, [{ type: 'move', itemId: 'visit:M6', due: '2027-10-04' }]);
		expect(items).toEqual(before);
	});

	it('opens a plan from today on, and refuses one starting in the past (Paris day)', () => {
		expect(openFollowUpPlan(SMALL, '2027-01-14').ok).toBe(true);
		expect(openFollowUpPlan(SMALL, '2027-01-13')).toEqual({
			ok: false,
			reason: 'start-in-past',
			message: 'Le suivi ne peut pas commencer dans le passé (13/01/2027)'
		});
		// 23:30 UTC on the 14th is already the 15th in Paris: the 14th is then in the past.
		now.set('2027-01-14T23:30:00Z');
		expect(openFollowUpPlan(SMALL, '2027-01-14').ok).toBe(false);
		expect(FollowUpStart.safeParse('2027-01-15').success).toBe(true);
		expect(FollowUpStart.safeParse('2027-01-14').error?.issues[0].message).toBe('Le suivi ne peut pas commencer dans le passé');
	});
});
