import type { FicheSection } from '$lib/domain/case-fiche';
import { m } from '$lib/paraglide/messages';

/** The fiche's sections in form order, with their titles in the UI language. */
export const FICHE_SECTIONS: { id: FicheSection; title: () => string }[] = [
	{ id: 'patient', title: m.fiche_section_patient },
	{ id: 'gp', title: m.fiche_section_gp },
	{ id: 'request', title: m.fiche_section_request },
	{ id: 'tumour', title: m.fiche_section_tumour },
	{ id: 'clinical', title: m.fiche_section_clinical },
	{ id: 'results', title: m.fiche_section_results }
];
