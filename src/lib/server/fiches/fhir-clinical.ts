/**
 * The tumour as the fiche describes it, in the spirit of mCODE: the primary cancer
 * (Condition, ICD-10 site and ICD-O-3 morphology), its clinical TNM categories and the
 * WHO/ECOG performance status (Observations).
 */
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { VALUE_SETS } from '../../domain/value-sets.ts';
import { codingOf, conceptIn, FICHE_LOINC, ICD_10, ICD_O_3 } from './fhir-terms.ts';
import type { BundleEntry, CodeableConcept, Condition, Observation, Reference } from './fhir-types.ts';

/** mCODE's extension for the histology (morphology and behaviour) of a cancer. */
const HISTOLOGY_EXTENSION = 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior';

export interface TumourEntries {
	condition: BundleEntry<Condition>;
	/** cT, cN and cM, those the fiche gives. */
	stage: BundleEntry<Observation>[];
	performanceStatus: BundleEntry<Observation> | undefined;
}

const CLINICAL_TNM = [
	{ field: 'clinicalT', code: FICHE_LOINC.clinicalT },
	{ field: 'clinicalN', code: FICHE_LOINC.clinicalN },
	{ field: 'clinicalM', code: FICHE_LOINC.clinicalM }
] as const;

/** The tumour's entries. `urlOf` gives an entry's fullUrl from its name in the Bundle. */
export function tumourEntries(snapshot: FicheSnapshot, urlOf: (name: string) => string, patient: Reference): TumourEntries {
	const { fiche } = snapshot;
	const condition: Reference = { reference: urlOf('condition') };
	const observation = (name: string, fields: Omit<Observation, 'resourceType' | 'status' | 'subject' | 'effectiveDateTime'>): BundleEntry<Observation> => ({
		fullUrl: urlOf(`observation/${name}`),
		// The fiche states the patient's condition as presented at the meeting.
		resource: { resourceType: 'Observation', status: 'final', ...fields, subject: patient, effectiveDateTime: snapshot.meeting.startsAt }
	});

	const stage = CLINICAL_TNM.flatMap(({ field, code }) => {
		const category = fiche[field];
		if (!category) return [];
		return [
			observation(field, {
				code,
				focus: [condition],
				valueCodeableConcept: { text: `c${category}` },
				method: { text: 'Classification TNM de l’UICC, 8e édition' }
			})
		];
	});

	const score = fiche.performanceStatus;
	const performanceStatus =
		score === undefined
			? undefined
			: observation('performance-status', {
					category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
					code: FICHE_LOINC.ecog,
					valueInteger: score,
					// LOINC's answer and the ANS stage say the same score in words.
					interpretation: [
						{ coding: [codingOf(VALUE_SETS.JDV_OMSInterpret.concepts[score]), codingOf(VALUE_SETS.JDV_OMSEchPerf.concepts[score])] }
					]
				});

	return {
		condition: {
			fullUrl: condition.reference as string,
			resource: {
				resourceType: 'Condition',
				extension: fiche.histologyCode
					? [{ url: HISTOLOGY_EXTENSION, valueCodeableConcept: { coding: [{ system: ICD_O_3, code: fiche.histologyCode }], text: fiche.histology } }]
					: undefined,
				clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
				category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
				code: tumourSite(snapshot),
				bodySite: fiche.organ ? [conceptIn('JDV_RCP_Organe', fiche.organ)] : undefined,
				subject: patient,
				stage: stage.length > 0 ? [{ type: { text: 'cTNM' }, assessment: stage.map((entry) => ({ reference: entry.fullUrl })) }] : undefined,
				// Without a morphology code the histology is only words.
				note: fiche.histology && !fiche.histologyCode ? [{ text: `Histologie : ${fiche.histology}` }] : undefined
			}
		},
		stage,
		performanceStatus
	};
}

/** The ICD-10 code of the tumour site, with the ANS display name when the value set has it. */
function tumourSite(snapshot: FicheSnapshot): CodeableConcept {
	const { tumourSiteCode, tumourSiteLabel } = snapshot.fiche;
	const known = tumourSiteCode ? conceptIn('JDV_Tumeur', tumourSiteCode).coding : undefined;
	return {
		coding: known ?? (tumourSiteCode ? [{ system: ICD_10, code: tumourSiteCode }] : undefined),
		text: tumourSiteLabel
	};
}
