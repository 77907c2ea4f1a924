/**
 * The first draft of a PPS, from the signed fiche RCP it follows: the diagnosis in words
 * (organ, tumour site, histology, TNM as the fiche has them) and the care team (the
 * requesting physician as referring physician, the GP of the fiche). No phase is made up:
 * the physician types the calendar, helped by the proposal the board decided (`proposalHint`).
 */
import { physicianName, type FicheSnapshot } from '../../domain/fiche.ts';
import type { CareTeamMember, PpsDraft } from '../../domain/pps.ts';
import { findConcept } from '../../domain/value-sets.ts';
import { treatmentLabel } from '../../domain/decision.ts';
import type { User } from '../db/schema.ts';

/** The diagnosis as the fiche states it, in one sentence per part. */
export function diagnosisOf(fiche: FicheSnapshot['fiche']): string {
	const organ = fiche.organ ? (findConcept('JDV_RCP_Organe', fiche.organ)?.displayName ?? fiche.organ) : null;
	const site = [fiche.tumourSiteLabel, fiche.tumourSiteCode && `(${fiche.tumourSiteCode})`].filter(Boolean).join(' ');
	const tnm = [fiche.clinicalT && `c${fiche.clinicalT}`, fiche.clinicalN && `c${fiche.clinicalN}`, fiche.clinicalM && `c${fiche.clinicalM}`].filter(Boolean).join(' ');
	return [
		organ && `Organe : ${organ}.`,
		site && `Localisation : ${site}.`,
		fiche.histology && `Histologie : ${fiche.histology.replace(/\.$/, '')}.`,
		tnm && `Stade clinique : ${tnm}.`
	]
		.filter(Boolean)
		.join(' ');
}

/** The proposal the board decided, to start the calendar from: "Chirurgie, Chimiothérapie — Colectomie…". */
export function proposalHint(snapshot: FicheSnapshot): string {
	const types = snapshot.decision.treatmentTypes.map(treatmentLabel).join(', ');
	return [types, snapshot.decision.proposal].filter(Boolean).join(' — ');
}

const blank = (value: string | null | undefined) => (value && value.trim() ? value.trim() : null);

/** The draft of version 1, pre-filled from the signed fiche and the requesting physician's account. */
export function draftFromFiche(snapshot: FicheSnapshot, requester: Pick<User, 'givenName' | 'familyName' | 'rpps' | 'phone' | 'email'> | undefined): PpsDraft {
	const careTeam: CareTeamMember[] = [];
	if (requester) {
		careTeam.push({ role: 'referring', name: physicianName(requester), phone: blank(requester.phone), email: blank(requester.email), rpps: blank(requester.rpps) });
	}
	const { fiche } = snapshot;
	if (blank(fiche.gpName)) {
		careTeam.push({ role: 'gp', name: fiche.gpName!.trim(), phone: blank(fiche.gpPhone), email: blank(fiche.gpEmail), rpps: blank(fiche.gpRpps) });
	}
	const empty = { codes: [], note: '' };
	return {
		diagnosis: diagnosisOf(fiche),
		phases: [],
		careTeam,
		supportiveCare: empty,
		socialSupport: { ...empty },
		associatedMeasures: { ...empty },
		sideEffects: { ...empty },
		updateReason: null
	};
}
