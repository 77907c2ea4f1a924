/**
 * The sections of the Fiche RCP that describe the case as registered: why it comes to the
 * board, how the cancer was found, the tumour with its cTNM, history and comorbidities,
 * the WHO performance status, results, the phase of the disease, and the question asked.
 * Templates, codes and entry patterns are those of the CI-SIS FRCP 2022.01 examples.
 */
import { PRESENTATION_TYPE_LABELS } from '../../domain/case-fiche.ts';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { VALUE_SETS, findConcept, performanceStatusConcept, type Concept } from '../../domain/value-sets.ts';
import {
	commentAct,
	content,
	lines,
	observation,
	partsOf,
	related,
	section,
	table,
	tables,
	yesNo,
	type ObservationParts
} from './cda-body.ts';
import { CODE_SYSTEM, codedValue, booleanValue, coded, loinc, originalText, taAsip, templateIds, unknown } from './cda-types.ts';
import { el, type XmlChild, type XmlElement } from './cda-xml.ts';

/**
 * FR-Probleme (CCD problem observation, IHE PCC problem entry, CI-SIS), with more
 * templates when it is a specialised problem; its onset is not recorded by the fiche.
 */
const problemObservation = (parts: Omit<ObservationParts, 'replaceTemplates' | 'negationInd' | 'effectiveTime'>): XmlElement =>
	observation({
		...parts,
		templates: ['2.16.840.1.113883.10.20.1.28', '1.3.6.1.4.1.19376.1.5.3.1.4.5', '1.2.250.1.213.1.1.3.37', ...(parts.templates ?? [])],
		replaceTemplates: true,
		negationInd: false,
		effectiveTime: el('effectiveTime', {}, unknown('low'))
	});

/** The codes of JDV_NatureDiscussion: Concerto boards are organ boards (appareil / organe). */
const ORGAN_BOARD = 'ORG-117';

/** Reason for the RCP (FR-Raison-de-la-recommandation): type of board and motive. */
function reason(snapshot: FicheSnapshot): XmlElement {
	const { board, fiche, discussed } = snapshot;
	const { id, observe } = partsOf(snapshot.id);
	const nature = findConcept('JDV_NatureDiscussion', ORGAN_BOARD);
	const organCode = fiche.organ ?? board.organ?.code;
	const organ = organCode ? findConcept('JDV_RCP_Organe', organCode) : undefined;
	const caseStatus = findConcept('JDV_StatutCasPresente', discussed ? 'ORG-134' : 'ORG-128');
	const expertBoard = board.type === 'recours';
	const paediatric = board.type === 'paediatric';
	const secondOpinion = fiche.presentationType === 'second-opinion';
	const motive = fiche.presentationType ? PRESENTATION_TYPE_LABELS[fiche.presentationType] : 'Non renseigné';
	const yesNoObservation = (name: string, code: Concept, value: boolean | null) => related('REFR', observe(name, code, booleanValue(value)));

	const text = tables(
		table('Type de RCP', [
			['Nature de la discussion', content('nature-discussion', nature?.displayName ?? '')],
			['Appareil', content('appareil', board.apparatus.label)],
			organ && ['Organe', content('organe', organ.displayName)],
			['Type de RCP', board.typeLabel],
			['RCP de recours', content('rcp-recours', yesNo(expertBoard))],
			['RCP pédiatrique', content('rcp-pediatrique', yesNo(paediatric))]
		]),
		table('Motif de la RCP', [
			['Motif de présentation', content('motif', motive)],
			['Avis diagnostique', content('avis-diagnostique', yesNo(null))],
			['Proposition thérapeutique (dont surveillance, ajustement du traitement)', content('proposition-therapeutique', yesNo(true))],
			['Recours', content('recours', yesNo(secondOpinion))],
			['Pédiatrique', content('pediatrique', yesNo(paediatric))],
			['Statut du cas présenté', content('statut-cas-presente', caseStatus?.displayName ?? '')]
		])
	);

	const boardType = observe('appareil', taAsip('ORG-118', 'Appareil concerné'), codedValue(findConcept('JDV_RCP_Appareil', board.apparatus.code)), {
		related: [
			organ && related('REFR', observe('organe', taAsip('ORG-119', 'Organe'), codedValue(organ))),
			yesNoObservation('rcp-recours', taAsip('ORG-184', 'RCP de recours'), expertBoard),
			yesNoObservation('rcp-pediatrique', taAsip('ORG-185', 'RCP pédiatrique'), paediatric)
		]
	});
	const motiveObservation = observation({
		id: id('motif-rcp'),
		code: taAsip('ORG-186', 'Motif de la RCP'),
		value: el('value', { 'xsi:type': 'CD', nullFlavor: 'NA' }),
		related: [
			yesNoObservation('avis-diagnostique', taAsip('MED-235', 'Avis diagnostique'), null),
			yesNoObservation('proposition-therapeutique', taAsip('ORG-114', 'Proposition de traitement (dont ajustement et surveillance)'), true),
			yesNoObservation('recours', taAsip('ORG-115', 'Recours'), secondOpinion),
			yesNoObservation('pediatrique', taAsip('ORG-116', 'Pédiatrie'), paediatric),
			related('REFR', observe('statut-cas-presente', taAsip('ORG-127', 'Statut du cas présenté'), codedValue(caseStatus))),
			related('SUBJ', commentAct('motif'))
		]
	});
	// The problem the board is asked about, in the narrative's words.
	const problem = problemObservation({
		id: id('probleme'),
		code: { code: '55607006', displayName: 'problème', codeSystem: CODE_SYSTEM.snomed },
		text: 'motif',
		value: el('value', { 'xsi:type': 'CD', nullFlavor: 'NA' }, originalText('motif'))
	});

	return section({
		templates: ['1.3.6.1.4.1.19376.1.5.3.1.3.1', '1.3.6.1.4.1.19376.1.5.3.1.3.2', '1.2.250.1.213.1.1.2.128'],
		id: id('raison-de-la-recommandation'),
		code: loinc('42349-1', 'Raison de la recommandation'),
		title: 'TYPE DE RCP / MOTIF DE LA RCP',
		text,
		entries: [
			observe('nature-discussion', taAsip('GEN-098', 'Nature de la discussion'), codedValue(nature), {
				related: [related('SUBJ', boardType), related('SUBJ', motiveObservation)]
			}),
			problem
		]
	});
}

/** How the cancer was found (FR-Resultats-evenements): screening is not recorded, the circumstances are. */
function discovery(snapshot: FicheSnapshot): XmlElement {
	const { discoveryCircumstances } = snapshot.fiche;
	const { id, observe } = partsOf(snapshot.id);
	return section({
		templates: ['1.3.6.1.4.1.19376.1.5.3.1.1.21.2.9', '1.3.6.1.4.1.19376.1.7.3.1.1.13.7', '1.2.250.1.213.1.1.2.163'],
		id: id('mode-de-decouverte'),
		code: loinc('42545-4', 'Evènements observés'),
		title: 'MODE DE DÉCOUVERTE DU CANCER',
		text: table('Mode de découverte du cancer', [
			['Patient issu du dépistage', content('depistage', yesNo(null))],
			discoveryCircumstances !== undefined && ['Circonstances de découverte', content('circonstances-decouverte', discoveryCircumstances)]
		]),
		entries: [
			observe('depistage', loinc('63921-1', 'Dépistage du cancer'), booleanValue(null), { effectiveTime: unknown('effectiveTime') }),
			discoveryCircumstances && commentAct('circonstances-decouverte')
		]
	});
}

const TNM_PARTS = [
	['clinicalT', '21905-5', 'TNM Clinique T', 'tnm-t'],
	['clinicalN', '21906-3', 'TNM Clinique N', 'tnm-n'],
	['clinicalM', '21907-1', 'TNM Clinique M', 'tnm-m']
] as const;

/** The tumour (FR-Diagnostic-du-cancer): site, morphology and cTNM; what the fiche lacks is written as unknown. */
function tumour(snapshot: FicheSnapshot): XmlElement {
	const { fiche } = snapshot;
	const { id, observe } = partsOf(snapshot.id);
	const site = fiche.tumourSiteCode ? findConcept('JDV_Tumeur', fiche.tumourSiteCode) : undefined;
	const tnmWords = (value: string | undefined) => (value ? `c${value}` : 'Non renseigné');
	const stage = TNM_PARTS.map(([field]) => fiche[field]).filter(Boolean).map(tnmWords).join(' ') || 'Non renseigné';

	const morphology = fiche.histologyCode
		? el('value', { 'xsi:type': 'CD', code: fiche.histologyCode, codeSystem: CODE_SYSTEM.icdO3 }, originalText('morphologie'))
		: el('value', { 'xsi:type': 'CD', nullFlavor: fiche.histology ? 'OTH' : 'UNK' }, fiche.histology && originalText('morphologie'));
	const targetSite = site
		? coded('targetSiteCode', site, originalText('topographie'))
		: el('targetSiteCode', { nullFlavor: 'OTH' }, originalText('topographie'));
	const tnm = observation({
		templates: ['1.3.6.1.4.1.19376.1.7.3.1.4.14.2'],
		replaceTemplates: true,
		negationInd: false,
		code: loinc('75620-5', 'Stade TNM Clinique'),
		text: 'tnm',
		effectiveTime: unknown('effectiveTime'),
		value: el('value', { 'xsi:type': 'CD', nullFlavor: 'NI' }),
		related: TNM_PARTS.map(([field, code, displayName, textId]) => {
			const value = fiche[field];
			const category = value ? { code: value, displayName: `c${value}`, codeSystem: CODE_SYSTEM.tnm } : undefined;
			return related('COMP', observe(textId, loinc(code, displayName), codedValue(category)));
		})
	});
	// FR-Diagnostic-du-cancer, a FR-Probleme.
	const diagnosis = problemObservation({
		templates: ['1.3.6.1.4.1.19376.1.7.3.1.4.14.1', '1.2.250.1.213.1.1.3.113'],
		id: id('diagnostic'),
		code: { code: '282291009', displayName: 'interprétation diagnostique', codeSystem: CODE_SYSTEM.snomed },
		text: 'tumeur-primitive',
		value: morphology,
		qualifiers: [targetSite],
		related: [related('SUBJ', tnm, false)]
	});
	const concern = el(
		'act',
		{ classCode: 'ACT', moodCode: 'EVN' },
		// FR-Liste-des-problemes (CCD problem act, IHE PCC concern entries, CI-SIS) for a cancer.
		templateIds(
			'2.16.840.1.113883.10.20.1.27',
			'1.3.6.1.4.1.19376.1.5.3.1.4.5.1',
			'1.3.6.1.4.1.19376.1.5.3.1.4.5.2',
			'1.2.250.1.213.1.1.3.39',
			'1.2.250.1.213.1.1.3.39.1'
		),
		id('tumeur'),
		unknown('code', 'NA'),
		el('statusCode', { code: 'active' }),
		el('effectiveTime', {}, unknown('low')),
		related('SUBJ', diagnosis, false)
	);

	return section({
		templates: ['2.16.840.1.113883.10.20.1.11', '1.3.6.1.4.1.19376.1.5.3.1.3.6', '1.3.6.1.4.1.19376.1.7.3.1.3.14.1', '1.2.250.1.213.1.1.2.27'],
		id: id('diagnostic-du-cancer'),
		code: loinc('72135-7', 'Diagnostic du cancer'),
		title: 'TUMEUR',
		text: table(
			'Tumeur primitive',
			[
				[
					'Topographie',
					fiche.tumourSiteCode ? `${fiche.tumourSiteCode} [CIM-10]` : '',
					content('topographie', fiche.tumourSiteLabel ?? site?.displayName ?? 'Non renseignée')
				],
				['Morphologie', fiche.histologyCode ? `${fiche.histologyCode} [CIM-O-3]` : '', content('morphologie', fiche.histology ?? 'Non renseignée')],
				['Stade clinique (cTNM)', '', content('tnm', stage)],
				...TNM_PARTS.map(([field, , displayName, textId]) => [displayName, '', content(textId, tnmWords(fiche[field]))])
			],
			{ id: 'tumeur-primitive' }
		),
		entries: [concern]
	});
}

/** A section of free text only (antécédents, comorbidités, résultats…), left out when there is no text. */
function textSection(
	snapshot: FicheSnapshot,
	parts: { templates: string[]; name: string; code: Concept; title: string; rows: [string, string | undefined][] }
): XmlElement | null {
	const rows = parts.rows.filter((row): row is [string, string] => Boolean(row[1]?.trim()));
	if (rows.length === 0) return null;
	return section({
		templates: parts.templates,
		id: partsOf(snapshot.id).id(parts.name),
		code: parts.code,
		title: parts.title,
		text: table(parts.title, rows.map(([label, words]) => [label, lines(words)]))
	});
}

/** WHO performance status (FR-Evaluation-du-statut-fonctionnel), with the pain subsection the model requires. */
function functionalStatus(snapshot: FicheSnapshot): XmlElement {
	const { id, observe } = partsOf(snapshot.id);
	const score = snapshot.fiche.performanceStatus;
	// The fiche's schema keeps the score an integer from 0 to 4.
	const stage = score === undefined ? undefined : performanceStatusConcept(score as 0 | 1 | 2 | 3 | 4);
	const interpretation = score === undefined ? undefined : VALUE_SETS.JDV_OMSInterpret.concepts[score];
	const pain = section({
		templates: ['1.3.6.1.4.1.19376.1.5.3.1.1.12.2.2', '1.2.250.1.213.1.1.2.112'],
		id: id('evaluation-douleur'),
		code: loinc('38208-5', 'Sévérité de la douleur'),
		title: 'Évaluation de la douleur',
		text: table('Évaluation de la douleur', [['Sévérité de la douleur', content('severite-douleur', 'Non évaluée')]]),
		entries: [
			observation({
				templates: ['1.3.6.1.4.1.19376.1.5.3.1.1.12.3.1', '1.2.250.1.213.1.1.3.89'],
				id: id('severite-douleur'),
				code: loinc('38208-5', 'Sévérité de la douleur'),
				text: 'severite-douleur',
				effectiveTime: unknown('effectiveTime'),
				value: el('value', { 'xsi:type': 'CO', nullFlavor: 'UNK' })
			})
		]
	});
	const physical = section({
		templates: ['1.3.6.1.4.1.19376.1.5.3.1.1.12.2.5', '1.2.250.1.213.1.1.2.115'],
		id: id('fonctions-physiques'),
		code: loinc('46006-3', 'Problèmes physiques fonctionnels et structurels'),
		title: 'Échelle de performance OMS',
		text: table('Échelle de performance OMS', [
			[content('performance-oms', stage?.displayName ?? 'Non renseigné'), interpretation?.displayName ?? '']
		]),
		entries: [
			observation({
				templates: ['2.16.840.1.113883.10.20.1.31', '1.3.6.1.4.1.19376.1.5.3.1.1.12.3.6', '1.2.250.1.213.1.1.3.25'],
				negationInd: false,
				id: id('performance-oms'),
				code: taAsip('MED-239', 'Echelle de performance OMS'),
				text: 'performance-oms',
				effectiveTime: unknown('effectiveTime'),
				value: codedValue(stage),
				qualifiers: [interpretation && coded('interpretationCode', interpretation)]
			})
		]
	});
	return section({
		templates: ['2.16.840.1.113883.10.20.1.5', '1.3.6.1.4.1.19376.1.5.3.1.3.17', '1.3.6.1.4.1.19376.1.5.3.1.1.12.2.1', '1.2.250.1.213.1.1.2.111'],
		id: id('statut-fonctionnel'),
		code: loinc('47420-5', 'Évaluation du statut fonctionnel'),
		title: 'ÉVALUATION DU STATUT FONCTIONNEL',
		text: el('paragraph', 'Échelle de performance OMS et évaluation de la douleur : voir ci-dessous.'),
		sections: [pain, physical]
	});
}

/** JDV_PhaseCancer from the motive: a first presentation is the initial phase, a relapse a relapse. */
const PHASES: Partial<Record<string, string>> = { 'first-presentation': 'MED-268', relapse: 'MED-244' };

/** Phase of the disease (FR-Note-de-progression); progression is not recorded by the fiche. */
function progressNote(snapshot: FicheSnapshot): XmlElement {
	const { id, observe } = partsOf(snapshot.id);
	const phaseCode = snapshot.fiche.presentationType && PHASES[snapshot.fiche.presentationType];
	const phase = phaseCode ? findConcept('JDV_PhaseCancer', phaseCode) : undefined;
	const undated = { negationInd: false, effectiveTime: unknown('effectiveTime') };
	return section({
		templates: ['1.3.6.1.4.1.19376.1.5.3.1.1.13.2.7', '1.2.250.1.213.1.1.2.25'],
		id: id('note-de-progression'),
		code: loinc('18733-6', 'Note de progression'),
		title: 'PHASE CLINIQUE DE LA MALADIE',
		text: table('Phase et progression du cancer', [
			['Phase', content('phase', phase?.displayName ?? 'Non renseignée')],
			['Progression', content('progression', yesNo(null))]
		]),
		entries: [
			observe('phase', taAsip('MED-243', 'Phase du cancer'), codedValue(phase), undated),
			observe('progression', taAsip('MED-245', 'Progression du cancer'), booleanValue(null), undated)
		]
	});
}

/** The sections describing the case, in the order of the CI-SIS examples. */
export function caseSections(snapshot: FicheSnapshot): XmlChild[] {
	const { fiche } = snapshot;
	return [
		reason(snapshot),
		discovery(snapshot),
		tumour(snapshot),
		textSection(snapshot, {
			templates: ['1.2.250.1.213.1.1.2.2'],
			name: 'antecedents',
			code: loinc('11348-0', 'Antécédents médicaux'),
			title: 'ANTÉCÉDENTS MÉDICAUX',
			rows: [['Antécédents', fiche.history]]
		}),
		textSection(snapshot, {
			templates: ['1.2.250.1.213.1.1.2.176'],
			name: 'comorbidites',
			code: loinc('11450-4', 'Liste des problèmes actifs'),
			title: 'COMORBIDITÉS',
			rows: [['Comorbidités', fiche.comorbidities]]
		}),
		functionalStatus(snapshot),
		textSection(snapshot, {
			templates: ['1.3.6.1.4.1.19376.1.5.3.1.3.27', '1.2.250.1.213.1.1.2.150'],
			name: 'resultats-examens',
			code: loinc('30954-2', "Résultats d'examens"),
			title: 'ÉLÉMENTS PARACLINIQUES',
			rows: [
				['Imagerie', fiche.imagingResults],
				['Anatomopathologie', fiche.pathologyResults],
				['Biologie moléculaire', fiche.molecularResults]
			]
		}),
		progressNote(snapshot),
		textSection(snapshot, {
			templates: ['1.3.6.1.4.1.19376.1.5.3.1.3.4', '1.2.250.1.213.1.1.2.130'],
			name: 'histoire-de-la-maladie',
			code: loinc('10164-2', 'Histoire de la maladie'),
			title: 'SYNTHÈSE DU CAS PRÉSENTÉ ET QUESTION POSÉE À LA RCP',
			rows: [
				['Question posée à la RCP', fiche.question ?? 'Non renseignée'],
				['Traitements antérieurs', fiche.previousTreatments]
			]
		})
	];
}
