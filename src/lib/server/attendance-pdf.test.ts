import { describe, expect, it } from 'vitest';
import { poppler } from '../../../tests/helpers/poppler.ts';
import { mergePresence, minutesPresent, type OpenEnd } from '../domain/attendance.ts';
import { attendanceCertificatePdf, attendanceSheetPdf, CERTIFICATE_TITLE } from './attendance-pdf.ts';
import type { AttendanceLine, MeetingAttendance, YearlyAttendance } from './attendance.ts';

const NETWORK = { name: 'Réseau régional de cancérologie Démo (fictif)', region: 'Région Démo' };
const GENERATED = new Date('2026-12-15T16:00:00Z');
const OPEN_END: OpenEnd = { at: new Date('2026-12-15T15:00:00Z'), kind: 'meeting-end' };
const at = (time: string) => new Date(`2026-12-15T${time}:00Z`);

function line(name: string, familyName: string, specialty: [string, string] | null, rpps: string | null, role: string, spans: [string, string | null][]): AttendanceLine {
	const intervals = mergePresence(
		spans.map(([from, to]) => ({ joinedAt: at(from), leftAt: to ? at(to) : null })),
		OPEN_END
	);
	return {
		participantKey: `user:${name}`,
		userId: null,
		guestId: null,
		name,
		familyName,
		rpps,
		specialty: specialty?.[0] ?? null,
		specialtyLabel: specialty?.[1] ?? null,
		role,
		intervals,
		firstArrival: intervals[0].from,
		lastDeparture: intervals.at(-1)!.to,
		minutes: minutesPresent(intervals)
	};
}

function sheet(extra = 0): MeetingAttendance {
	const lines = [
		line('Dr Julie BERNARD', 'Bernard', ['medical-oncology', 'Oncologie médicale'], '10003456786', 'member', [['13:05', '13:20'], ['13:45', '14:30']]),
		line('Dr Paul DURAND', 'Durand', ['digestive-surgery', 'Chirurgie digestive'], '10001234565', 'coordinator', [['13:00', '14:10']]),
		line('Dr Louis Petitjean', 'Petitjean', ['general-practice', 'Médecine générale'], null, 'guest', [['13:30', '13:50']]),
		line('Anne MARTIN', 'Martin', null, null, 'secretary', [['13:00', null]]),
		...Array.from({ length: extra }, (_, i) =>
			line(`Dr Médecin ${i + 1} ZÉLÉ`, 'Zélé', ['radiation-oncology', 'Oncologie radiothérapie'], `1000000${String(i).padStart(4, '0')}`, 'member', [['13:00', '13:40'], ['14:00', '14:20']])
		)
	];
	return {
		network: NETWORK,
		board: { id: 'b', name: 'RCP digestive — CHU de Démo-sur-Loire (fictif)', site: 'CHU de Démo-sur-Loire' },
		meeting: { id: 'm', startsAt: at('13:00'), durationMinutes: 120, status: 'closed' },
		openEnd: OPEN_END,
		lines,
		physicians: 3 + extra,
		specialties: ['medical-oncology', 'digestive-surgery', 'general-practice', ...(extra ? ['radiation-oncology'] : [])],
		generatedAt: GENERATED
	};
}

const certificate = (): YearlyAttendance => ({
	network: NETWORK,
	physician: { id: 'p', givenName: 'Julie', familyName: 'Bernard', rpps: '10003456786', specialty: 'medical-oncology', specialtyLabel: 'Oncologie médicale' },
	year: 2026,
	meetings: [
		{ meetingId: 'a', boardName: 'RCP digestive', startsAt: new Date('2026-01-06T13:00:00Z'), minutes: 95 },
		{ meetingId: 'b', boardName: 'RCP thoracique', startsAt: new Date('2026-06-09T12:30:00Z'), minutes: 40 },
		{ meetingId: 'c', boardName: 'RCP digestive', startsAt: new Date('2026-12-31T22:00:00Z'), minutes: 20 }
	],
	count: 3,
	totalMinutes: 155,
	totalHours: 2.6,
	generatedAt: GENERATED
});

/** What a reader sees, page by page (pdftotext -layout separates pages with a form feed). */
const pages = (pdf: Uint8Array) => poppler('pdftotext', pdf, ['-layout', '-enc', 'UTF-8'], 'out.txt').split('\f').slice(0, -1);
const pageCount = (pdf: Uint8Array) => Number(/^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', pdf))?.[1]);
const squash = (text: string) => text.replace(/\s+/g, ' ');

/** Every page says "Page k sur N", and the page count is pdfinfo's. */
function expectNumbered(pdf: Uint8Array, text: string[]) {
	const count = pageCount(pdf);
	expect(text).toHaveLength(count);
	text.forEach((page, i) => expect(page).toContain(`Page ${i + 1} sur ${count}`));
	return count;
}

describe('the attendance sheet as a PDF', () => {
	it('prints the meeting and one row per person: name, specialty, RPPS, role, each interval, minutes; then the counts', async () => {
		const pdf = await attendanceSheetPdf(sheet());
		const text = pages(pdf);
		const all = text.join('\n');
		for (const expected of [
			'Réseau régional de cancérologie Démo (fictif) — Région Démo',
			'RCP digestive — CHU de Démo-sur-Loire (fictif)',
			'Feuille de présence',
			'mardi 15 décembre 2026',
			'14:00 – 16:00 (120 min)',
			'Feuille de présence — séance du mardi 15 décembre 2026',
			'Document généré le mardi 15 décembre 2026 à 17:00'
		]) {
			expect(all).toContain(expected);
		}
		expect(all).toMatch(/Nom\s+Spécialité\s+RPPS\s+Rôle\s+Présence\s+Minutes/);
		// Paris time; an interval per line of the presence cell.
		expect(all).toMatch(/Dr Julie BERNARD\s+Oncologie médicale\s+10003456786\s+Membre\s+14:05 – 14:20\s+60\n\s+14:45 – 15:30\n/);
		expect(all).toMatch(/Dr Paul DURAND\s+Chirurgie digestive\s+10001234565\s+Médecin\s+14:00 – 15:10\s+70\n\s+coordonnateur\n/);
		expect(all).toMatch(/Dr Louis Petitjean\s+Médecine générale\s+—\s+Invité\s+14:30 – 14:50\s+20/);
		expect(all).toMatch(/Anne MARTIN\s+—\s+—\s+Secrétaire\s+14:00 – 16:00 \*\s+120/);
		expect(squash(all)).toContain('* Départ non enregistré : présence comptée jusqu’à la fin prévue de la séance (16:00).');
		expect(all).toMatch(/Personnes présentes\s+4/);
		expect(all).toMatch(/Médecins présents\s+3/);
		expect(all).toMatch(/Spécialités représentées\s+3 \(Oncologie médicale, Chirurgie digestive, Médecine générale\)/);
		expect(all).not.toMatch(/undefined|null|NaN|Invalid/);
		expectNumbered(pdf, text);
	});

	it('runs over pages with every row and the header repeated, numbered "Page k sur N"', async () => {
		const pdf = await attendanceSheetPdf(sheet(40));
		const text = pages(pdf);
		expect(expectNumbered(pdf, text)).toBeGreaterThan(1);
		const all = text.join('\n');
		for (let i = 1; i <= 40; i++) {
			expect(all).toMatch(new RegExp(`Dr Médecin ${i} ZÉLÉ\\s+Oncologie\\s+1000000${String(i - 1).padStart(4, '0')}\\s+Membre\\s+14:00 – 14:40\\s+60\\n.*15:00 – 15:20`));
		}
		for (const page of text.filter((p) => p.includes('ZÉLÉ'))) expect(page).toMatch(/Nom\s+Spécialité\s+RPPS\s+Rôle\s+Présence\s+Minutes/);
		expect(all).toMatch(/Médecins présents\s+43/);
	});

	it('says so when nobody was recorded, and gives the same bytes for the same sheet', async () => {
		const empty = { ...sheet(), lines: [], physicians: 0, specialties: [] };
		const all = pages(await attendanceSheetPdf(empty)).join('\n');
		expect(all).toContain('Aucune présence enregistrée.');
		expect(all).toMatch(/Personnes présentes\s+0/);
		expect(all).toMatch(/Spécialités représentées\s+0/);
		const pdf = await attendanceSheetPdf(sheet());
		expect(Buffer.from(await attendanceSheetPdf(sheet())).equals(Buffer.from(pdf))).toBe(true);
		const info = poppler('pdfinfo', pdf, ['-isodates']);
		expect(info).toMatch(/^Title:\s+Feuille de présence RCP$/m);
		expect(info).toMatch(/^CreationDate:\s+2026-12-15T16:00:00/m);
	});
});

describe('the certificate of participation as a PDF', () => {
	it('states the participation in one sentence and lists the meetings with their minutes', async () => {
		const pdf = await attendanceCertificatePdf(certificate());
		const text = pages(pdf);
		const all = text.join('\n');
		expect(squash(all)).toContain(CERTIFICATE_TITLE);
		expect(all).toContain('Année 2026');
		expect(squash(all)).toContain(
			'Le Réseau régional de cancérologie Démo (fictif) atteste que Dr Julie BERNARD (RPPS 10003456786), oncologie médicale, a participé à 3 réunions de concertation pluridisciplinaire en 2026, pour une durée totale de 2,6 heures.'
		);
		expect(all).toMatch(/Date\s+RCP\s+Minutes/);
		expect(all).toMatch(/mardi 6 janvier 2026 à 14:00\s+RCP digestive\s+95/);
		expect(all).toMatch(/mardi 9 juin 2026 à 14:30\s+RCP thoracique\s+40/);
		expect(all).toMatch(/jeudi 31 décembre 2026 à 23:00\s+RCP digestive\s+20/);
		expect(all).toContain('Total : 155 minutes');
		expect(all).toContain('Fait le mardi 15 décembre 2026.');
		expect(all).toContain('Document généré le mardi 15 décembre 2026 à 17:00');
		expect(all).not.toMatch(/undefined|null|NaN|Invalid/);
		expectNumbered(pdf, text);
		expect(Buffer.from(await attendanceCertificatePdf(certificate())).equals(Buffer.from(pdf))).toBe(true);
	});

	it('speaks in the singular of one meeting and less than two hours, names another network as « le réseau », and keeps a specialty’s capitals', async () => {
		const single = {
			...certificate(),
			network: { name: 'Onco Démo', region: '' },
			physician: { ...certificate().physician, rpps: null, specialtyLabel: 'ORL et chirurgie cervico-faciale' },
			meetings: certificate().meetings.slice(0, 1),
			count: 1,
			totalMinutes: 95,
			totalHours: 1.6
		};
		const all = squash(pages(await attendanceCertificatePdf(single)).join('\n'));
		expect(all).toContain(
			'Le réseau Onco Démo atteste que Dr Julie BERNARD, ORL et chirurgie cervico-faciale, a participé à 1 réunion de concertation pluridisciplinaire en 2026, pour une durée totale de 1,6 heure.'
		);
	});
});
