/**
 * How the library's states, roles and organs read on the pages, in the user's language
 * (shared by the server, for form errors, and the browser).
 */
import type { ReferentielGroupRole, ReferentielVersionState } from '$lib/domain/referentiel';
import { conceptsOf, findConcept } from '$lib/domain/value-sets';
import { m } from '$lib/paraglide/messages';

export function stateLabel(state: ReferentielVersionState): string {
	switch (state) {
		case 'draft':
			return m.ref_state_draft();
		case 'submitted':
			return m.ref_state_submitted();
		case 'validated':
			return m.ref_state_validated();
		case 'published':
			return m.ref_state_published();
		case 'superseded':
			return m.ref_state_superseded();
	}
}

export const roleLabel = (role: ReferentielGroupRole): string => (role === 'coordinator' ? m.ref_role_coordinator() : m.ref_role_member());

/** The FRCP value set's name of an organ code (the code itself when unknown). */
export const organLabel = (code: string): string => {
	const name = findConcept('JDV_RCP_Organe', code)?.displayName;
	// The value set writes most organs in lower case ("sein"); a table cell starts with a capital.
	return name ? name.charAt(0).toLocaleUpperCase('fr') + name.slice(1) : code;
};

/** The organs and apparatus a référentiel may cover, for the forms' choices. */
export const organChoices = () => conceptsOf('JDV_RCP_Organe').map((c) => ({ code: c.code, label: c.displayName }));
export const apparatusChoices = () => conceptsOf('JDV_RCP_Appareil').map((c) => ({ code: c.code, label: c.displayName }));

/** A date as the library shows it (Paris time). */
const dayFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
export const day = (date: Date | string | null | undefined): string => (date ? dayFormat.format(new Date(date)) : '');
export const dayAndTime = (date: Date | string | null | undefined): string => (date ? timeFormat.format(new Date(date)) : '');

/** What an event of a référentiel's history says. */
export function historyLabel(action: string): string {
	switch (action) {
		case 'referentiel.create':
			return m.ref_history_create();
		case 'referentiel.update':
			return m.ref_history_update();
		case 'referentiel.group.set':
			return m.ref_history_group_set();
		case 'referentiel.group.remove':
			return m.ref_history_group_remove();
		case 'referentiel.version.create':
			return m.ref_history_version_create();
		case 'referentiel.version.update':
			return m.ref_history_version_update();
		case 'referentiel.version.delete':
			return m.ref_history_version_delete();
		case 'referentiel.version.submit':
			return m.ref_history_version_submit();
		case 'referentiel.version.return':
			return m.ref_history_version_return();
		case 'referentiel.version.validate':
			return m.ref_history_version_validate();
		case 'referentiel.version.publish':
			return m.ref_history_version_publish();
		case 'referentiel.version.document':
			return m.ref_history_version_document();
		default:
			return action.startsWith('referentiel.version.situation') ? m.ref_history_version_situations() : action;
	}
}
