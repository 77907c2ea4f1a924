import { describe, expect, it } from 'vitest';
import type { Indicators } from '$lib/server/indicators';
import type { AfterRcpIndicators } from '$lib/server/indicators-after-rcp';
import type { NetworkIndicators } from '$lib/server/indicators-network';
import { csvCell, csvFileName, indicatorsCsv } from './csv';
import { networkReport } from './network-report';
import { indicatorReport, type ReportScope } from './report';

/** Narrow no-break space: the French thousands separator and the space before « % ». */
const NNBSP = '\u202f';
/** No-break space: between a number and its unit. */
const NBSP = '\u00a0';

const indicators: Indicators = {
	meetingsHeld: 2,
	cases: { registered: 6, discussed: 3, recorded: 1, postponed: 1 },
	quorumMet: { count: 2, total: 3, ratio: 2 / 3 },
	completeAtDeadline: { count: 5, total: 6, ratio: 5 / 6 },
	guidelineFollowed: { count: 1, total: 1, ratio: 1 },
	trialProposed: { count: 0, total: 0, ratio: null },
	delays: {
		registrationToMeeting: { n: 3, median: 13.0625, p90: 18.6 },
		meetingToValidation: { n: 1, median: 2, p90: 2 },
		validationToSent: { n: 0, median: null, p90: null }
	},
	attendance: [
		{ specialty: 'medical-oncology', label: 'Oncologie médicale', physicians: 2, presences: 3 },
		{ specialty: 'retired-code', label: 'retired-code', physicians: 1, presences: 1 }
	],
	casesPerMeeting: 2.5,
	minutesPerCase: 4.25,
	has: { level1: { count: 4, total: 5, ratio: 0.8 }, level2: { count: 1234, total: 5000, ratio: 1234 / 5000 } }
};

const scope: ReportScope = { boardNames: [], allBoards: 'network', from: '2026-12-01', to: '2026-12-31', organ: null };

const csvLines = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n');
const lineOf = (csv: string, label: string) => csvLines(csv).find((line) => line.startsWith(`${label};`));

describe('indicatorsCsv', () => {
	const csv = indicatorsCsv(indicatorReport(indicators, 'fr'), scope, 'fr');

	it('is UTF-8 for Excel: a byte order mark, CRLF lines, the filter first, then the column header', () => {
		expect(csv.startsWith('\uFEFFIndicateurs d’activité et de qualité des RCP\r\n')).toBe(true);
		expect(csv.endsWith('\r\n')).toBe(true);
		expect(csvLines(csv).slice(0, 6)).toEqual([
			'Indicateurs d’activité et de qualité des RCP',
			'RCP;Tout le réseau',
			'Période;du 01/12/2026 au 31/12/2026',
			'Organe;tous',
			'',
			'Indicateur;Valeur;Numérateur;Dénominateur;Unité'
		]);
	});

	it('writes one line per indicator, counts then shares with numerator and denominator, decimal commas', () => {
		expect(lineOf(csv, 'Séances tenues')).toBe('Séances tenues;2;;;séances');
		expect(lineOf(csv, 'Cas enregistrés sans discussion')).toBe('Cas enregistrés sans discussion;1;;;dossiers');
		expect(lineOf(csv, 'Dossiers présentés par séance')).toBe('Dossiers présentés par séance;2,5;5;2;dossiers par séance');
		expect(lineOf(csv, 'Durée moyenne de discussion d’un dossier')).toBe('Durée moyenne de discussion d’un dossier;4,3;;;minutes');
		expect(lineOf(csv, 'Quorum atteint')).toBe('Quorum atteint;66,7;2;3;%');
		expect(lineOf(csv, 'Dossier complet à la date limite d’inscription')).toBe('Dossier complet à la date limite d’inscription;83,3;5;6;%');
		expect(lineOf(csv, 'Proposition conforme au référentiel')).toBe('Proposition conforme au référentiel;100,0;1;1;%');
		expect(lineOf(csv, 'Indicateur HAS niveau 1')).toBe('Indicateur HAS niveau 1;80,0;4;5;%');
	});

	it('leaves the value empty where there is nothing to measure (the page says « aucune donnée »)', () => {
		expect(lineOf(csv, 'Essai clinique proposé')).toBe('Essai clinique proposé;;0;0;%');
		expect(lineOf(csv, 'Délai validation → envoi de la fiche — médiane')).toBe('Délai validation → envoi de la fiche — médiane;;;0;jours');
		const trial = indicatorReport(indicators, 'fr').sections.flatMap((section) => section.lines).find((line) => line.id === 'trial');
		expect(trial?.result).toBe('aucune donnée');
	});

	it('gives each delay its median and 90th percentile in days, over the cases measured', () => {
		expect(lineOf(csv, 'Délai inscription → séance — médiane')).toBe('Délai inscription → séance — médiane;13,1;;3;jours');
		expect(lineOf(csv, 'Délai inscription → séance — 90e centile')).toBe('Délai inscription → séance — 90e centile;18,6;;3;jours');
	});

	it('ends with two lines per specialty: physicians present and presences', () => {
		expect(csvLines(csv).slice(-5)).toEqual([
			'Médecins présents — Oncologie médicale;2;;;médecins',
			'Présences — Oncologie médicale;3;;;présences',
			'Médecins présents — retired-code;1;;;médecins',
			'Présences — retired-code;1;;;présences',
			''
		]);
	});

	it('has no thousands separator in a cell, unlike the page', () => {
		expect(lineOf(csv, 'Indicateur HAS niveau 2')).toBe('Indicateur HAS niveau 2;24,7;1234;5000;%');
		const level2 = indicatorReport(indicators, 'fr').sections.flatMap((section) => section.lines).find((line) => line.id === 'has-level2');
		expect(level2?.result).toBe(`1${NNBSP}234 sur 5${NNBSP}000 (24,7${NNBSP}%)`);
	});

	it('says on the page what the file says: same labels, same rounding', () => {
		const report = indicatorReport(indicators, 'fr');
		const lines = report.sections.flatMap((section) => section.lines);
		const byId = (id: string) => lines.find((line) => line.id === id);
		expect(byId('quorum')?.result).toBe(`2 sur 3 (66,7${NNBSP}%)`);
		expect(byId('delay-registration')?.result).toBe(`médiane 13,1${NBSP}j · 90e centile 18,6${NBSP}j · sur 3 dossiers`);
		expect(byId('delay-validation')?.result).toBe(`médiane 2,0${NBSP}j · 90e centile 2,0${NBSP}j · sur 1 dossier`);
		expect(byId('minutes-per-case')?.result).toBe(`4,3${NBSP}min`);
		for (const line of lines) expect(lineOf(csv, line.figures[0].label)).toBeDefined();
	});

	it('quotes board names holding the separator or quotes, one board per line', () => {
		const named = indicatorsCsv(indicatorReport(indicators, 'fr'), { ...scope, boardNames: ['RCP "thorax"; CHU', 'RCP digestive — CHU de Poitiers'], organ: 'C18' }, 'fr');
		expect(csvLines(named).slice(1, 5)).toEqual(['RCP;"RCP ""thorax""; CHU"', 'RCP;RCP digestive — CHU de Poitiers', 'Période;du 01/12/2026 au 31/12/2026', 'Organe;C18']);
	});

	it('names the boards of a member who chose none as their own', () => {
		const mine = indicatorsCsv(indicatorReport(indicators, 'fr'), { ...scope, allBoards: 'mine' }, 'fr');
		expect(csvLines(mine)[1]).toBe('RCP;Toutes mes RCP');
	});

	it('follows the reader’s language, with its decimal point', () => {
		const english = indicatorsCsv(indicatorReport(indicators, 'en'), scope, 'en');
		expect(lineOf(english, 'Quorum met')).toBe('Quorum met;66.7;2;3;%');
		expect(lineOf(english, 'Indicator')).toBe('Indicator;Value;Numerator;Denominator;Unit');
	});
});

describe('csvCell', () => {
	it('leaves plain text and numbers alone', () => {
		expect(csvCell('RCP digestive — CHU de Poitiers')).toBe('RCP digestive — CHU de Poitiers');
		expect(csvCell('-1,5')).toBe('-1,5');
	});

	it('quotes the separator, quotes and line breaks, doubling the quotes', () => {
		expect(csvCell('a;b')).toBe('"a;b"');
		expect(csvCell('le "grand" staff')).toBe('"le ""grand"" staff"');
		expect(csvCell('deux\nlignes')).toBe('"deux\nlignes"');
	});

	it('keeps a spreadsheet from running a name as a formula', () => {
		expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
	});
});

describe('csvFileName', () => {
	it('names the file after the period', () => {
		expect(csvFileName('2026-12-01', '2026-12-31')).toBe('indicateurs-rcp_2026-12-01_2026-12-31.csv');
	});
});

describe('indicatorReport', () => {
	it('is empty when nothing happened in the period', () => {
		const none = { count: 0, total: 0, ratio: null };
		const nothing: Indicators = {
			meetingsHeld: 0,
			cases: { registered: 0, discussed: 0, recorded: 0, postponed: 0 },
			quorumMet: none,
			completeAtDeadline: none,
			guidelineFollowed: none,
			trialProposed: none,
			delays: { registrationToMeeting: { n: 0, median: null, p90: null }, meetingToValidation: { n: 0, median: null, p90: null }, validationToSent: { n: 0, median: null, p90: null } },
			attendance: [],
			casesPerMeeting: null,
			minutesPerCase: null,
			has: { level1: none, level2: none }
		};
		expect(indicatorReport(nothing, 'fr').empty).toBe(true);
		expect(indicatorReport({ ...nothing, cases: { ...nothing.cases, registered: 1 } }, 'fr').empty).toBe(false);
		expect(indicatorReport(indicators, 'fr').empty).toBe(false);
	});

	it('sums up each chart with the table’s figures', () => {
		const { charts } = indicatorReport(indicators, 'fr');
		expect(charts.cases.summary).toBe('Graphique. Dossiers de la période : Dossiers inscrits : 6; Dossiers discutés : 3; Cas enregistrés sans discussion : 1; Dossiers ajournés : 1.');
		expect(charts.quality.percent).toBe(true);
		expect(charts.quality.datasets[0].values[3]).toBeNull();
		expect(charts.attendance.summary).toContain('Oncologie médicale : Médecins présents 2, Présences 3');
	});
});

describe('indicatorsCsv with the référentiel and trial indicators', () => {
	const none = { count: 0, total: 0, ratio: null };
	const network: NetworkIndicators = {
		conformity: {
			versions: [{ referentielId: 'r1', versionId: 'v1', title: 'Cancer colorectal', versionLabel: '2026', followed: 3, departed: 1 }],
			organs: [
				{ organ: 'MED-251', label: 'Colon-Rectum-Anus', followedLibrary: 2, followedOutside: 1, departed: 1, notApplicable: 0, conformity: { count: 3, total: 4, ratio: 0.75 } },
				{ organ: '15776009', label: 'pancréas', followedLibrary: 0, followedOutside: 1, departed: 0, notApplicable: 0, conformity: { count: 1, total: 1, ratio: 1 } },
				{ organ: null, label: null, followedLibrary: 0, followedOutside: 0, departed: 0, notApplicable: 2, conformity: none }
			]
		},
		trials: {
			byTrial: [
				{ trialId: 't1', acronym: 'COLOPREV', title: 'Prévention des récidives', proposals: 3, outcomes: { included: 1, notIncluded: 1, pending: 1, inclusionRate: { count: 1, total: 2, ratio: 0.5 } } },
				{ trialId: null, acronym: null, title: null, proposals: 2, outcomes: null }
			],
			byBoard: [
				{
					boardId: 'b1',
					name: 'RCP digestive',
					decided: 6,
					proposals: { count: 5, total: 6, ratio: 5 / 6 },
					directoryProposals: 3,
					outcomes: { included: 1, notIncluded: 1, pending: 1, inclusionRate: { count: 1, total: 2, ratio: 0.5 } }
				}
			],
			total: { proposals: 5, directoryProposals: 3, outcomes: { included: 1, notIncluded: 1, pending: 1, inclusionRate: { count: 1, total: 2, ratio: 0.5 } } }
		}
	};
	const csv = indicatorsCsv(indicatorReport(indicators, 'fr'), scope, 'fr', networkReport(network, 'fr'));

	it('writes the conformity per organ and per cited référentiel version', () => {
		expect(lineOf(csv, 'Conformité au référentiel — Colon-Rectum-Anus')).toBe('Conformité au référentiel — Colon-Rectum-Anus;75,0;3;4;%');
		expect(lineOf(csv, 'Référentiel du réseau suivi — Colon-Rectum-Anus')).toBe('Référentiel du réseau suivi — Colon-Rectum-Anus;2;;;propositions');
		expect(lineOf(csv, 'Autre référentiel suivi — Colon-Rectum-Anus')).toBe('Autre référentiel suivi — Colon-Rectum-Anus;1;;;propositions');
		expect(lineOf(csv, 'Hors référentiel — Colon-Rectum-Anus')).toBe('Hors référentiel — Colon-Rectum-Anus;1;;;propositions');
		expect(lineOf(csv, 'Conformité au référentiel — Pancréas')).toBe('Conformité au référentiel — Pancréas;100,0;1;1;%');
		expect(lineOf(csv, 'Conformité au référentiel — Organe non renseigné')).toBe('Conformité au référentiel — Organe non renseigné;;0;0;%');
		expect(lineOf(csv, 'Aucun référentiel ne s’applique — Organe non renseigné')).toBe('Aucun référentiel ne s’applique — Organe non renseigné;2;;;propositions');
		expect(lineOf(csv, 'Propositions suivant le référentiel — Cancer colorectal 2026')).toBe('Propositions suivant le référentiel — Cancer colorectal 2026;3;;;propositions');
		expect(lineOf(csv, 'Propositions hors référentiel citant — Cancer colorectal 2026')).toBe('Propositions hors référentiel citant — Cancer colorectal 2026;1;;;propositions');
	});

	it('writes trial proposals per trial and per board with the inclusion rate; trials outside the directory have no outcome', () => {
		expect(lineOf(csv, 'Taux d’inclusion dans les essais de l’annuaire')).toBe('Taux d’inclusion dans les essais de l’annuaire;50,0;1;2;%');
		expect(lineOf(csv, 'Inclusions en attente d’enregistrement')).toBe('Inclusions en attente d’enregistrement;1;;;patients');
		expect(lineOf(csv, 'Propositions d’essai — COLOPREV')).toBe('Propositions d’essai — COLOPREV;3;;;propositions');
		expect(lineOf(csv, 'Taux d’inclusion — COLOPREV')).toBe('Taux d’inclusion — COLOPREV;50,0;1;2;%');
		expect(lineOf(csv, 'Propositions d’essai — Essai hors annuaire')).toBe('Propositions d’essai — Essai hors annuaire;2;;;propositions');
		expect(lineOf(csv, 'Patients inclus — Essai hors annuaire')).toBeUndefined();
		expect(lineOf(csv, 'Propositions d’essai — RCP digestive')).toBe('Propositions d’essai — RCP digestive;83,3;5;6;%');
		expect(lineOf(csv, 'Inclusions en attente — RCP digestive')).toBe('Inclusions en attente — RCP digestive;1;;;patients');
	});

	it('keeps the indicators first and the attendance last', () => {
		const lines = csvLines(csv);
		expect(lines.indexOf('Quorum atteint;66,7;2;3;%')).toBeLessThan(lines.findIndex((line) => line.startsWith('Conformité au référentiel')));
		expect(lines.slice(-2)).toEqual(['Présences — retired-code;1;;;présences', '']);
	});

	it('shows the page the same figures: an empty outcome as a dash, a share as a sentence', () => {
		const [conformity, trials] = networkReport(network, 'fr').sections;
		expect(conformity.tables[0].rows[0]).toEqual({ key: 'MED-251', header: 'Colon-Rectum-Anus', cells: ['2', '1', '1', '0', `3 sur 4 (75,0${NNBSP}%)`] });
		expect(conformity.tables[0].rows[2].cells[4]).toBe('aucune donnée');
		expect(trials.tables[0].rows[0]).toMatchObject({ header: 'COLOPREV', detail: 'Prévention des récidives' });
		expect(trials.tables[0].rows[1]).toEqual({ key: '', header: 'Essai hors annuaire', detail: undefined, cells: ['2', '—', '—', '—', '—'] });
		expect(trials.lines[0].result).toBe(`1 sur 2 (50,0${NNBSP}%)`);
		expect(networkReport(network, 'en').sections[1].tables[0].rows[1].header).toBe('Trial outside the directory');
	});

	describe('after the RCP (PPS and follow-up)', () => {
		const afterRcp: AfterRcpIndicators = {
			ppsHandedOver: { count: 3, total: 4, ratio: 0.75 },
			meetingToPps: { n: 3, median: 12.5, p90: 30 },
			patientsInFollowUp: 7,
			followUpsOpened: 2,
			visits: { onTime: 4, late: 1, overdue: 1, pending: 2, onTimeShare: { count: 4, total: 6, ratio: 4 / 6 } },
			relapsesPresented: { count: 1, total: 1, ratio: 1 }
		};
		const withAfter = indicatorsCsv(indicatorReport(indicators, 'fr'), scope, 'fr', networkReport(network, 'fr', afterRcp));

		it('writes the PPS handed over, its delay, the patients in follow-up, the visits and the relapses', () => {
			expect(lineOf(withAfter, 'Dossiers décidés dont le PPS a été remis au patient')).toBe('Dossiers décidés dont le PPS a été remis au patient;75,0;3;4;%');
			expect(lineOf(withAfter, 'Délai RCP → remise du PPS — médiane')).toBe('Délai RCP → remise du PPS — médiane;12,5;;3;jours');
			expect(lineOf(withAfter, 'Patients en suivi après traitement')).toBe('Patients en suivi après traitement;7;;;patients');
			expect(lineOf(withAfter, 'Consultations de suivi faites à temps')).toBe('Consultations de suivi faites à temps;66,7;4;6;%');
			expect(lineOf(withAfter, 'Consultations en retard, non faites')).toBe('Consultations en retard, non faites;1;;;consultations');
			expect(lineOf(withAfter, 'Suspicions de récidive présentées de nouveau en RCP')).toBe('Suspicions de récidive présentées de nouveau en RCP;100,0;1;1;%');
		});

		it('shows them on the page as a third section, in the reader’s language', () => {
			const section = networkReport(network, 'fr', afterRcp).sections[2];
			expect(section.title).toBe('Après la RCP : PPS et suivi');
			expect(section.lines.find((line) => line.id === 'visits-on-time')?.result).toBe(`4 sur 6 (66,7${NNBSP}%)`);
			expect(networkReport(network, 'en', afterRcp).sections[2].title).toBe('After the RCP: PPS and follow-up');
			expect(networkReport(network, 'fr').sections).toHaveLength(2);
		});
	});
});
