import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, setClock } from '../clock.ts';
import { addCalendarDays, generateSchedule, type ScheduleItem } from './follow-up.ts';
import { COLORECTAL_FOLLOW_UP } from './follow-up-templates.ts';
import { EXAM_MATCH_DAYS, OVERDUE_GRACE_DAYS, VisitRecord, itemStatus, overdueItems, upcomingItems } from './follow-up-visits.ts';
import { parisDate } from './schedule.ts';

// Every date below is computed from this fixed instant, never from the real day.
const NOW = new ManualClock('2027-06-10T08:00:00Z');
const TODAY = parisDate(NOW.now());

beforeEach(() => setClock(new ManualClock(NOW.now())));
afterEach(() => setClock(undefined));

const visit: ScheduleItem = { id: 'visit:M6', kind: 'visit', due: TODAY, who: 'specialist', label: 'Consultation de suivi chez le spécialiste' };
const scanner: ScheduleItem = { id: 'exam:0:M6', kind: 'exam', due: TODAY, who: 'specialist', label: 'Scanner thoraco-abdomino-pelvien', examKind: 'imaging' };

const record = (overrides: Partial<VisitRecord> = {}): VisitRecord => ({
	doneOn: TODAY,
	by: 'specialist',
	findings: 'Examen clinique normal.',
	examsDone: [],
	relapseSuspected: false,
	...overrides
});

describe('VisitRecord', () => {
	it('accepts a visit done today with its findings and exams', () => {
		const parsed = VisitRecord.parse({ ...record({ examsDone: [' ACE '] }), itemId: 'visit:M6' });
		expect(parsed.examsDone).toEqual(['ACE']);
	});

	it('refuses a visit dated tomorrow, and a suspected relapse without a note, in French', () => {
		const result = VisitRecord.safeParse(record({ doneOn: addCalendarDays(TODAY, 1) }));
		expect(result.error?.issues.map((issue) => issue.message)).toEqual(['La date de la consultation est dans le futur']);
		const relapse = VisitRecord.safeParse(record({ relapseSuspected: true, relapseNote: '  ' }));
		expect(relapse.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
			['relapseNote', 'Décrivez ce qui fait suspecter une récidive']
		]);
		expect(VisitRecord.safeParse(record({ relapseSuspected: true, relapseNote: 'ACE en hausse' })).success).toBe(true);
	});
});

describe('itemStatus', () => {
	it('is due until the grace period has passed, then overdue', () => {
		expect(itemStatus(visit, [], TODAY)).toBe('due');
		expect(itemStatus(visit, [], addCalendarDays(TODAY, OVERDUE_GRACE_DAYS.visit))).toBe('due');
		expect(itemStatus(visit, [], addCalendarDays(TODAY, OVERDUE_GRACE_DAYS.visit + 1))).toBe('overdue');
		// An exam gets longer: imaging appointments take weeks.
		expect(itemStatus(scanner, [], addCalendarDays(TODAY, OVERDUE_GRACE_DAYS.visit + 1))).toBe('due');
		expect(itemStatus(scanner, [], addCalendarDays(TODAY, OVERDUE_GRACE_DAYS.exam + 1))).toBe('overdue');
	});

	it('marks a visit done by the record that names it, whenever it took place', () => {
		const late = addCalendarDays(TODAY, 45);
		expect(itemStatus(visit, [record({ itemId: 'visit:M6', doneOn: late })], late)).toBe('done');
		expect(itemStatus(visit, [record({ itemId: 'visit:M12' })], late)).toBe('overdue');
	});

	it('marks an exam done by a record listing it near its date, whatever the case of its label', () => {
		const done = [record({ doneOn: addCalendarDays(TODAY, -20), examsDone: ['scanner thoraco-abdomino-pelvien'] })];
		expect(itemStatus(scanner, done, addCalendarDays(TODAY, 100))).toBe('done');
		const tooEarly = [record({ doneOn: addCalendarDays(TODAY, -EXAM_MATCH_DAYS - 1), examsDone: [scanner.label] })];
		expect(itemStatus(scanner, tooEarly, addCalendarDays(TODAY, 100))).toBe('overdue');
	});
});

describe('a plan on the dashboard', () => {
	// A colorectal plan started some 15 months before the clock's day: its 12-month items are three months late.
	const start = addCalendarDays(TODAY, -366 - 90);
	const plan = generateSchedule(COLORECTAL_FOLLOW_UP, start);
	const firstYear = plan.filter((item) => item.due <= TODAY);

	it('flags the overdue items only, in plan order', () => {
		const sixMonths = plan.filter((item) => item.id.endsWith(':M6'));
		const records = [
			record({ itemId: 'visit:M6', doneOn: sixMonths[0].due, examsDone: ['Scanner thoraco-abdomino-pelvien', 'ACE (antigène carcino-embryonnaire)'] })
		];
		const overdue = overdueItems(plan, records, TODAY);
		expect(overdue.map((item) => item.id)).toEqual(firstYear.filter((item) => !item.id.endsWith(':M6')).map((item) => item.id));
		expect(overdue.map((item) => item.id)).toContain('visit:M12');
	});

	it('lists what the GP holds from today on', () => {
		const upcoming = upcomingItems(plan, [], TODAY, 'gp');
		expect(upcoming.length).toBeGreaterThan(0);
		expect(upcoming.every((item) => item.who === 'gp' && item.due >= TODAY)).toBe(true);
		expect(upcoming[0].id).toBe('visit:M24');
	});
});
