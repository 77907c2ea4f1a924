/**
 * The référentiel and trial indicators as people read them (issue 15): the page's tables
 * and the CSV's figures drawn from one report, with the same labels and rounding as
 * report.ts. Pure: no SvelteKit, no database.
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Share } from '$lib/server/indicators';
import type { NetworkIndicators, TrialOutcomes } from '$lib/server/indicators-network';
import type { AfterRcpIndicators } from '$lib/server/indicators-after-rcp';
import { afterRcpSection } from './after-rcp-report.ts';
import { numberFormats, type Figure, type ReportLine } from './report.ts';

/** One table of the page: a header cell per row, then its cells, already formatted. */
export interface NetworkTable {
	id: 'conformity-organs' | 'conformity-versions' | 'trials' | 'trial-boards';
	/** A heading above the table, when the section holds more than one. */
	heading?: string;
	caption: string;
	/** The first column's label (the rows' headers), then the others'. */
	columns: string[];
	/** `detail`: shown under the header on the page (a trial's title under its acronym), not in the CSV. */
	rows: { key: string; header: string; detail?: string; cells: string[] }[];
	/** What the page says instead of an empty table. */
	none: string;
}

export interface NetworkSection {
	id: 'conformity' | 'trials' | 'after-rcp';
	title: string;
	hint: string;
	/** Figures of the whole filter, shown as a list above the tables. */
	lines: ReportLine[];
	tables: NetworkTable[];
	/** Every figure of the section, in the CSV's order. */
	figures: Figure[];
}

export interface NetworkReport {
	sections: NetworkSection[];
}

/** The report of `network` in `locale`. */
export function networkReport(network: NetworkIndicators, locale: Locale, afterRcp?: AfterRcpIndicators): NetworkReport {
	const options = { locale };
	const shown = numberFormats(locale);
	const exported = numberFormats(locale, false);
	const noData = m.indicators_no_data_value({}, options);
	const percentUnit = m.indicators_unit_percent({}, options);
	const proposalsUnit = m.netind_unit_proposals({}, options);
	const patientsUnit = m.netind_unit_patients({}, options);

	const shareText = (value: Share) =>
		value.ratio === null
			? noData
			: m.indicators_share_result(
					{ count: shown.count(value.count), total: shown.count(value.total), percent: m.indicators_percent_value({ value: shown.percent(value.ratio) }, options) },
					options
				);
	const countFigure = (label: string, value: number, unit: string): Figure => ({ label, value: exported.count(value), numerator: '', denominator: '', unit });
	const shareFigure = (label: string, value: Share): Figure => ({
		label,
		value: value.ratio === null ? '' : exported.percent(value.ratio),
		numerator: exported.count(value.count),
		denominator: exported.count(value.total),
		unit: percentUnit
	});
	/** The figures of one trial's (or board's) outcomes, named after it. */
	const outcomeFigures = (name: string, outcomes: TrialOutcomes): Figure[] => [
		countFigure(m.netind_fig_included({ trial: name }, options), outcomes.included, patientsUnit),
		countFigure(m.netind_fig_not_included({ trial: name }, options), outcomes.notIncluded, patientsUnit),
		countFigure(m.netind_fig_pending({ trial: name }, options), outcomes.pending, patientsUnit),
		shareFigure(m.netind_fig_inclusion_rate({ trial: name }, options), outcomes.inclusionRate)
	];
	const outcomeCells = (outcomes: TrialOutcomes | null) =>
		outcomes
			? [shown.count(outcomes.included), shown.count(outcomes.notIncluded), shown.count(outcomes.pending), shareText(outcomes.inclusionRate)]
			: Array.from({ length: 4 }, () => m.netind_not_recorded({}, options));
	const outcomeColumns = [
		m.netind_col_included({}, options),
		m.netind_col_not_included({}, options),
		m.netind_col_pending({}, options),
		m.netind_col_inclusion_rate({}, options)
	];

	const { conformity, trials } = network;
	// The value set's names are lower case but for a few ("pancréas", "Colon-Rectum-Anus").
	const organName = (row: (typeof conformity.organs)[number]) =>
		row.label ? row.label.charAt(0).toLocaleUpperCase('fr') + row.label.slice(1) : (row.organ ?? m.netind_organ_unknown({}, options));
	const versionName = (row: (typeof conformity.versions)[number]) => ({ referentiel: row.title, version: row.versionLabel });
	/** A trial by its acronym (titles run long), else its title. */
	const trialName = (row: (typeof trials.byTrial)[number]) => (row.trialId === null ? m.netind_trial_outside({}, options) : (row.acronym ?? row.title ?? row.trialId));

	const conformitySection: NetworkSection = {
		id: 'conformity',
		title: m.netind_section_conformity({}, options),
		hint: m.netind_conformity_hint({}, options),
		lines: [],
		tables: [
			{
				id: 'conformity-organs',
				caption: m.netind_organs_caption({}, options),
				columns: [
					m.netind_col_organ({}, options),
					m.netind_col_library({}, options),
					m.netind_col_outside({}, options),
					m.netind_col_departed({}, options),
					m.netind_col_not_applicable({}, options),
					m.netind_col_conformity({}, options)
				],
				rows: conformity.organs.map((row) => ({
					key: row.organ ?? '',
					header: organName(row),
					cells: [shown.count(row.followedLibrary), shown.count(row.followedOutside), shown.count(row.departed), shown.count(row.notApplicable), shareText(row.conformity)]
				})),
				none: m.netind_organs_none({}, options)
			},
			{
				id: 'conformity-versions',
				heading: m.netind_versions_heading({}, options),
				caption: m.netind_versions_caption({}, options),
				columns: [m.netind_col_referentiel({}, options), m.netind_col_version({}, options), m.netind_col_followed({}, options), m.netind_col_departing({}, options)],
				rows: conformity.versions.map((row) => ({ key: row.versionId, header: row.title, cells: [row.versionLabel, shown.count(row.followed), shown.count(row.departed)] })),
				none: m.netind_versions_none({}, options)
			}
		],
		figures: [
			...conformity.organs.flatMap((row) => {
				const organ = organName(row);
				return [
					shareFigure(m.netind_fig_conformity({ organ }, options), row.conformity),
					countFigure(m.netind_fig_library({ organ }, options), row.followedLibrary, proposalsUnit),
					countFigure(m.netind_fig_outside({ organ }, options), row.followedOutside, proposalsUnit),
					countFigure(m.netind_fig_departed({ organ }, options), row.departed, proposalsUnit),
					countFigure(m.netind_fig_not_applicable({ organ }, options), row.notApplicable, proposalsUnit)
				];
			}),
			...conformity.versions.flatMap((row) => [
				countFigure(m.netind_fig_version_followed(versionName(row), options), row.followed, proposalsUnit),
				countFigure(m.netind_fig_version_departing(versionName(row), options), row.departed, proposalsUnit)
			])
		]
	};

	const { total } = trials;
	const rateLabel = m.netind_inclusion_rate({}, options);
	const pendingLabel = m.netind_inclusion_pending({}, options);
	const trialsSection: NetworkSection = {
		id: 'trials',
		title: m.netind_section_trials({}, options),
		hint: m.netind_trials_hint({}, options),
		lines: [
			{
				id: 'inclusion-rate',
				label: rateLabel,
				definition: m.netind_inclusion_definition({}, options),
				result: shareText(total.outcomes.inclusionRate),
				figures: [shareFigure(rateLabel, total.outcomes.inclusionRate)]
			},
			{
				id: 'inclusion-pending',
				label: pendingLabel,
				result: shown.count(total.outcomes.pending),
				figures: [countFigure(pendingLabel, total.outcomes.pending, patientsUnit)]
			}
		],
		tables: [
			{
				id: 'trials',
				caption: m.netind_trials_caption({}, options),
				columns: [m.netind_col_trial({}, options), m.netind_col_proposals({}, options), ...outcomeColumns],
				rows: trials.byTrial.map((row) => ({
					key: row.trialId ?? '',
					header: trialName(row),
					detail: row.acronym && row.title ? row.title : undefined,
					cells: [shown.count(row.proposals), ...outcomeCells(row.outcomes)]
				})),
				none: m.netind_trials_none({}, options)
			},
			{
				id: 'trial-boards',
				heading: m.netind_boards_heading({}, options),
				caption: m.netind_boards_caption({}, options),
				columns: [m.netind_col_board({}, options), m.netind_col_trial_proposals({}, options), m.netind_col_directory({}, options), ...outcomeColumns],
				rows: trials.byBoard.map((row) => ({
					key: row.boardId,
					header: row.name,
					cells: [shareText(row.proposals), shown.count(row.directoryProposals), ...outcomeCells(row.outcomes)]
				})),
				none: m.netind_trials_none({}, options)
			}
		],
		figures: []
	};
	trialsSection.figures = [
		...trialsSection.lines.flatMap((line) => line.figures),
		...trials.byTrial.flatMap((row) => {
			const name = trialName(row);
			return [countFigure(m.netind_fig_trial_proposals({ trial: name }, options), row.proposals, proposalsUnit), ...(row.outcomes ? outcomeFigures(name, row.outcomes) : [])];
		}),
		...trials.byBoard.flatMap((row) => [
			shareFigure(m.netind_fig_board_proposals({ board: row.name }, options), row.proposals),
			countFigure(m.netind_fig_board_directory({ board: row.name }, options), row.directoryProposals, proposalsUnit),
			...outcomeFigures(row.name, row.outcomes)
		])
	];

	return { sections: [conformitySection, trialsSection, ...(afterRcp ? [afterRcpSection(afterRcp, locale)] : [])] };
}
