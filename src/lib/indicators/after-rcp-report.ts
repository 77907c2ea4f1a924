/**
 * The indicators of what follows the RCP (issue 16) as people read them: one section of
 * the network report (network-report.ts), lines on the page and figures in the CSV.
 * Pure: no SvelteKit, no database.
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { AfterRcpIndicators } from '$lib/server/indicators-after-rcp';
import type { NetworkSection } from './network-report.ts';
import { lineBuilders } from './report.ts';

/** The "after the RCP" section of the network report. */
export function afterRcpSection(after: AfterRcpIndicators, locale: Locale): NetworkSection {
	const { options, count, share, delay } = lineBuilders(locale);
	const patients = m.afterind_unit_patients({}, options);
	const visits = m.afterind_unit_visits({}, options);
	const lines = [
		share('pps-handed-over', m.afterind_pps_handed_over({}, options), after.ppsHandedOver, m.afterind_pps_handed_over_definition({}, options)),
		delay('delay-pps', m.afterind_delay_pps({}, options), after.meetingToPps),
		count('patients-in-follow-up', m.afterind_patients_in_follow_up({}, options), after.patientsInFollowUp, patients),
		count('follow-ups-opened', m.afterind_follow_ups_opened({}, options), after.followUpsOpened, patients),
		share('visits-on-time', m.afterind_visits_on_time({}, options), after.visits.onTimeShare, m.afterind_visits_on_time_definition({}, options)),
		count('visits-late', m.afterind_visits_late({}, options), after.visits.late, visits),
		count('visits-overdue', m.afterind_visits_overdue({}, options), after.visits.overdue, visits),
		count('visits-pending', m.afterind_visits_pending({}, options), after.visits.pending, visits),
		share('relapses-presented', m.afterind_relapses_presented({}, options), after.relapsesPresented, m.afterind_relapses_presented_definition({}, options))
	];
	return {
		id: 'after-rcp',
		title: m.afterind_section({}, options),
		hint: m.afterind_hint({}, options),
		lines,
		tables: [],
		figures: lines.flatMap((line) => line.figures)
	};
}
