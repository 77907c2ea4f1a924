/**
 * The RCP indicators as people read them: labels, sentences and rounded numbers in the
 * UI language. The page's tables and charts and the CSV export are all drawn from this
 * one report, so that the file says exactly what the page shows (same labels, same
 * rounding). Pure: no SvelteKit, no database.
 */
import type { Delay, Indicators, Share } from '$lib/server/indicators';
import { specialtyLabel } from '$lib/domain/specialties';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

/** One exported figure, its cells already formatted (empty when there is nothing to say). */
export interface Figure {
	label: string;
	value: string;
	numerator: string;
	denominator: string;
	unit: string;
}

/** One indicator as the page shows it, and the figures the CSV writes for it. */
export interface ReportLine {
	id: string;
	label: string;
	/** What the indicator counts, when its label alone does not say it. */
	definition?: string;
	/** The result in a sentence: « 2 sur 3 (66,7 %) », « médiane 13,1 j · … ». */
	result: string;
	figures: Figure[];
}

export interface ReportSection {
	id: 'activity' | 'quality' | 'has' | 'delays';
	title: string;
	lines: ReportLine[];
}

/** One specialty's attendance, numbers formatted. */
export interface AttendanceLine {
	specialty: string;
	label: string;
	physicians: string;
	presences: string;
	figures: Figure[];
}

/** The data of one bar chart, with its accessible summary. */
export interface ChartSeries {
	/** The canvas's accessible name: the chart's figures in a sentence. */
	summary: string;
	labels: string[];
	datasets: { label: string; values: (number | null)[]; texts: string[] }[];
	/** The values are percentages (the axis ends at 100). */
	percent: boolean;
}

export interface IndicatorReport {
	/** Nothing happened in the period: no meeting, case, fiche or presence. */
	empty: boolean;
	sections: ReportSection[];
	attendance: AttendanceLine[];
	charts: { cases: ChartSeries; quality: ChartSeries; attendance: ChartSeries };
}

/** What the indicators were computed on, as the page and the CSV header state it. */
export interface ReportScope {
	/** The chosen boards' names; empty for all the reader's boards. */
	boardNames: string[];
	/** What "all boards" means for the reader: the whole network (administrator) or their own boards. */
	allBoards: 'network' | 'mine';
	from: string;
	to: string;
	organ: string | null;
}

/** The BCP 47 tag whose number and date conventions a UI language uses. */
export const numberLocale = (locale: Locale): string => (locale === 'en' ? 'en-GB' : 'fr-FR');

/**
 * Number formats of a language, rounded once here for every reader. The CSV drops the
 * thousands separator (a spreadsheet would read « 1 234 » as text); the rounding is the same.
 */
export function numberFormats(locale: Locale, grouping = true) {
	const tag = numberLocale(locale);
	const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0, useGrouping: grouping });
	const decimal = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: grouping });
	return {
		count: (value: number) => integer.format(value),
		/** One decimal: days, minutes, percentages, cases per meeting. */
		decimal: (value: number) => decimal.format(value),
		/** A ratio as a percentage with one decimal, without its sign. */
		percent: (ratio: number) => decimal.format(ratio * 100)
	};
}

/** Whether there is nothing at all to show for the period. */
export function isEmpty(indicators: Indicators): boolean {
	const { cases, delays, has } = indicators;
	const shares = [indicators.quorumMet, indicators.completeAtDeadline, indicators.guidelineFollowed, indicators.trialProposed, has.level1, has.level2];
	return (
		indicators.meetingsHeld === 0 &&
		Object.values(cases).every((count) => count === 0) &&
		shares.every((share) => share.total === 0) &&
		Object.values(delays).every((delay) => delay.n === 0) &&
		indicators.attendance.length === 0 &&
		indicators.casesPerMeeting === null &&
		indicators.minutesPerCase === null
	);
}

/**
 * The builders of report lines in `locale`: a count, a share, a measure, a delay, each with
 * its figures for the CSV. Shared by every section of the indicators (network-report.ts too).
 */
export function lineBuilders(locale: Locale) {
	const options = { locale };
	const shown = numberFormats(locale);
	const exported = numberFormats(locale, false);
	const noData = m.indicators_no_data_value({}, options);

	const count = (id: string, label: string, value: number, unit: string): ReportLine => ({
		id,
		label,
		result: shown.count(value),
		figures: [{ label, value: exported.count(value), numerator: '', denominator: '', unit }]
	});
	const share = (id: string, label: string, value: Share, definition?: string): ReportLine & { ratio: number | null } => ({
		id,
		ratio: value.ratio,
		label,
		definition,
		result:
			value.ratio === null
				? noData
				: m.indicators_share_result(
						{ count: shown.count(value.count), total: shown.count(value.total), percent: m.indicators_percent_value({ value: shown.percent(value.ratio) }, options) },
						options
					),
		figures: [
			{
				label,
				value: value.ratio === null ? '' : exported.percent(value.ratio),
				numerator: exported.count(value.count),
				denominator: exported.count(value.total),
				unit: m.indicators_unit_percent({}, options)
			}
		]
	});
	/** A measure with one decimal (a mean, a ratio of counts), or no data. */
	const measure = (
		id: string,
		label: string,
		value: number | null,
		unit: string,
		{ shownAs = (text: string) => text, of }: { shownAs?: (text: string) => string; of?: { numerator: number; denominator: number } } = {}
	): ReportLine => ({
		id,
		label,
		result: value === null ? noData : shownAs(shown.decimal(value)),
		figures: [
			{
				label,
				value: value === null ? '' : exported.decimal(value),
				numerator: of ? exported.count(of.numerator) : '',
				denominator: of ? exported.count(of.denominator) : '',
				unit
			}
		]
	});
	const days = (value: number) => m.indicators_days_value({ value: shown.decimal(value) }, options);
	const delay = (id: string, label: string, value: Delay): ReportLine => {
		const unit = m.indicators_unit_days({}, options);
		const figure = (figureLabel: string, measured: number | null): Figure => ({
			label: figureLabel,
			value: measured === null ? '' : exported.decimal(measured),
			numerator: '',
			denominator: exported.count(value.n),
			unit
		});
		return {
			id,
			label,
			result:
				value.median === null || value.p90 === null
					? noData
					: m.indicators_delay_result({ median: days(value.median), p90: days(value.p90), count: value.n, shown: shown.count(value.n) }, options),
			figures: [figure(m.indicators_median_label({ label }, options), value.median), figure(m.indicators_p90_label({ label }, options), value.p90)]
		};
	};

	return { options, shown, exported, noData, count, share, measure, delay };
}

/** The report of `indicators` in `locale`. */
export function indicatorReport(indicators: Indicators, locale: Locale): IndicatorReport {
	const { options, shown, exported, count, share, measure, delay } = lineBuilders(locale);
	const { cases } = indicators;
	const presented = cases.discussed + cases.recorded + cases.postponed;
	const casesUnit = m.indicators_unit_cases({}, options);
	const caseLines = [
		count('cases-registered', m.indicators_cases_registered({}, options), cases.registered, casesUnit),
		count('cases-discussed', m.indicators_cases_discussed({}, options), cases.discussed, casesUnit),
		count('cases-recorded', m.indicators_cases_recorded({}, options), cases.recorded, casesUnit),
		count('cases-postponed', m.indicators_cases_postponed({}, options), cases.postponed, casesUnit)
	];
	const activity: ReportLine[] = [
		count('meetings-held', m.indicators_meetings_held({}, options), indicators.meetingsHeld, m.indicators_unit_meetings({}, options)),
		...caseLines,
		measure('cases-per-meeting', m.indicators_cases_per_meeting({}, options), indicators.casesPerMeeting, m.indicators_unit_cases_per_meeting({}, options), {
			of: { numerator: presented, denominator: indicators.meetingsHeld }
		}),
		measure('minutes-per-case', m.indicators_minutes_per_case({}, options), indicators.minutesPerCase, m.indicators_unit_minutes({}, options), {
			shownAs: (value) => m.indicators_minutes_value({ value }, options)
		})
	];
	const quality = [
		share('quorum', m.indicators_quorum({}, options), indicators.quorumMet),
		share('complete', m.indicators_complete({}, options), indicators.completeAtDeadline),
		share('guideline', m.indicators_guideline({}, options), indicators.guidelineFollowed, m.indicators_guideline_definition({}, options)),
		share('trial', m.indicators_trial({}, options), indicators.trialProposed)
	];
	const has = [
		share('has-level1', m.indicators_has_level1({}, options), indicators.has.level1, m.indicators_has_level1_definition({}, options)),
		share('has-level2', m.indicators_has_level2({}, options), indicators.has.level2, m.indicators_has_level2_definition({}, options))
	];
	const { delays } = indicators;

	const physiciansLabel = m.indicators_attendance_physicians({}, options);
	const presencesLabel = m.indicators_attendance_presences({}, options);
	const attendance: AttendanceLine[] = indicators.attendance.map((row) => {
		const label = specialtyLabel(row.specialty, locale) ?? row.label;
		const figure = (measure: string, value: number, unit: string): Figure => ({
			label: m.indicators_attendance_line({ measure, specialty: label }, options),
			value: exported.count(value),
			numerator: '',
			denominator: '',
			unit
		});
		return {
			specialty: row.specialty,
			label,
			physicians: shown.count(row.physicians),
			presences: shown.count(row.presences),
			figures: [
				figure(physiciansLabel, row.physicians, m.indicators_unit_physicians({}, options)),
				figure(presencesLabel, row.presences, m.indicators_unit_presences({}, options))
			]
		};
	});

	const qualityShares = [...quality, ...has];
	return {
		empty: isEmpty(indicators),
		sections: [
			{ id: 'activity', title: m.indicators_section_activity({}, options), lines: activity },
			{ id: 'quality', title: m.indicators_section_quality({}, options), lines: quality },
			{ id: 'has', title: m.indicators_section_has({}, options), lines: has },
			{
				id: 'delays',
				title: m.indicators_section_delays({}, options),
				lines: [
					delay('delay-registration', m.indicators_delay_registration({}, options), delays.registrationToMeeting),
					delay('delay-validation', m.indicators_delay_validation({}, options), delays.meetingToValidation),
					delay('delay-sent', m.indicators_delay_sent({}, options), delays.validationToSent)
				]
			}
		],
		attendance,
		charts: {
			cases: chart(
				m.indicators_chart_cases({}, options),
				caseLines.map((line) => line.label),
				[{ label: casesUnit, values: [cases.registered, cases.discussed, cases.recorded, cases.postponed], texts: caseLines.map((line) => line.result) }],
				false,
				locale
			),
			quality: chart(
				m.indicators_chart_quality({}, options),
				qualityShares.map((line) => line.label),
				[{ label: m.indicators_unit_percent({}, options), values: qualityShares.map((line) => (line.ratio === null ? null : line.ratio * 100)), texts: qualityShares.map((line) => line.result) }],
				true,
				locale
			),
			attendance: chart(
				m.indicators_section_attendance({}, options),
				attendance.map((line) => line.label),
				[
					{ label: physiciansLabel, values: indicators.attendance.map((row) => row.physicians), texts: attendance.map((line) => line.physicians) },
					{ label: presencesLabel, values: indicators.attendance.map((row) => row.presences), texts: attendance.map((line) => line.presences) }
				],
				false,
				locale
			)
		}
	};
}

/** A chart's series and its summary: each bar's label with the figures the table shows. */
function chart(title: string, labels: string[], datasets: ChartSeries['datasets'], percent: boolean, locale: Locale): ChartSeries {
	const options = { locale };
	const items = labels.map((label, index) =>
		datasets.length === 1
			? m.indicators_labelled_value({ label, value: datasets[0].texts[index] }, options)
			: m.indicators_labelled_value({ label, value: datasets.map((dataset) => `${dataset.label} ${dataset.texts[index]}`).join(', ') }, options)
	);
	return { summary: m.indicators_chart_summary({ title, items: items.join('; ') }, options), labels, datasets, percent };
}

/** The filter the figures answer, as labelled values: boards (one value per board), period, organ. */
export function scopeLines(scope: ReportScope, locale: Locale): { label: string; values: string[] }[] {
	const options = { locale };
	const date = new Intl.DateTimeFormat(numberLocale(locale), { dateStyle: 'short', timeZone: 'UTC' });
	const day = (isoDate: string) => date.format(new Date(`${isoDate}T00:00:00Z`));
	const all = scope.allBoards === 'network' ? m.indicators_all_network({}, options) : m.indicators_all_mine({}, options);
	return [
		{ label: m.indicators_boards_legend({}, options), values: scope.boardNames.length > 0 ? scope.boardNames : [all] },
		{ label: m.indicators_period_legend({}, options), values: [m.indicators_period_value({ from: day(scope.from), to: day(scope.to) }, options)] },
		{ label: m.indicators_organ_label({}, options), values: [scope.organ ?? m.indicators_all_organs({}, options)] }
	];
}
