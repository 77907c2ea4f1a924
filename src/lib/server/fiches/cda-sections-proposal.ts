/**
 * The sections of the Fiche RCP that say what the board decided: the file's status with
 * the quorum (FR-Statut-dossier-RCP), the care plan with the treatment types and the
 * proposal (FR-Plan-de-soins), its framework — référentiel and clinical trial
 * (FR-Cadre-de-la-proposition-therapeutique) — and the document's status.
 */
import { guidelineCitationText, trialCitationText } from '../../domain/citations.ts';
import { GUIDELINE_ANSWER_LABELS } from '../../domain/decision.ts';
import type { FicheSnapshot } from '../../domain/fiche.ts';
import { specialtyLabel } from '../../domain/specialties.ts';
import { findConcept } from '../../domain/value-sets.ts';
import { commentAct, content, observation, partsOf, related, section, table, tables, yesNo } from './cda-body.ts';
import { formatDateTime } from './fiche-format.ts';
import { booleanValue, coded, codedValue, loinc, originalText, taAsip, templateIds, textReference, time, unknown } from './cda-types.ts';
import { el, type XmlChild, type XmlElement } from './cda-xml.ts';

/** JDV_StatutQuorum: met, not met. */
const QUORUM_MET = 'ORG-126';
const QUORUM_NOT_MET = 'ORG-133';
/** JDV_StatutDoc: a validated, signed fiche is approved. */
const DOCUMENT_APPROVED = '9571008';

/** Whether the file was complete and the quorum met (FR-Statut-dossier-RCP). */
function fileStatus(snapshot: FicheSnapshot): XmlElement {
	const { quorum, decision, discussed } = snapshot;
	const { id, observe } = partsOf(snapshot.id);
	const quorumStatus = findConcept('JDV_StatutQuorum', quorum.met ? QUORUM_MET : QUORUM_NOT_MET);
	const present = [...new Set(quorum.present)].map((code) => specialtyLabel(code) ?? code);
	const remarks = [
		!discussed && 'Dossier enregistré sans discussion (conforme au référentiel).',
		!quorum.met && decision.quorumNotMetAcknowledged && 'Proposition émise malgré un quorum non atteint.'
	].filter((remark): remark is string => Boolean(remark));

	return section({
		templates: ['1.2.250.1.213.1.1.2.33'],
		id: id('statut-dossier'),
		code: loinc('21874-3', 'Statut du dossier présenté en RCP'),
		title: 'STATUT DU DOSSIER PRÉSENTÉ À LA RCP',
		text: table(
			'Statut du dossier présenté à la RCP',
			[
				['Dossier complet', content('dossier-complet', yesNo(decision.fileComplete))],
				['Quorum', content('quorum', quorumStatus?.displayName ?? '')],
				present.length > 0 && ['Spécialités présentes', present.join(', ')],
				quorum.missing.length > 0 && ['Manquant', quorum.missing.join(', ')],
				remarks.length > 0 && ['Commentaire', content('commentaire-dossier', remarks.join('\n'))]
			]
		),
		entries: [
			el(
				'organizer',
				{ classCode: 'CLUSTER', moodCode: 'EVN' },
				templateIds('1.2.250.1.213.1.1.3.7'),
				coded('code', taAsip('GEN-099', 'Information RCP')),
				el('statusCode', { code: 'completed' }),
				el('component', {}, observe('dossier-complet', taAsip('GEN-100', 'Dossier complet'), booleanValue(decision.fileComplete))),
				el('component', {}, observe('quorum', taAsip('ORG-125', 'Quorum RCP'), codedValue(quorumStatus))),
				remarks.length > 0 && el('component', { typeCode: 'COMP' }, commentAct('commentaire-dossier'))
			)
		]
	});
}

/** FR-Acte in intent mood: one proposed treatment type of JDV_TypeTraitement_FRCP. */
function proposedTreatment(id: (name: string) => XmlElement, code: string, index: number): XmlElement {
	const textId = `traitement-${index + 1}`;
	const concept = findConcept('JDV_TypeTraitement_FRCP', code);
	return el(
		'procedure',
		{ classCode: 'PROC', moodCode: 'INT', negationInd: 'false' },
		templateIds('2.16.840.1.113883.10.20.1.25', '1.3.6.1.4.1.19376.1.5.3.1.4.19', '1.2.250.1.213.1.1.3.62'),
		id(textId),
		concept ? coded('code', concept, originalText(textId)) : el('code', { nullFlavor: 'OTH' }, originalText(textId)),
		textReference(textId),
		el('statusCode', { code: 'active' }),
		unknown('effectiveTime')
	);
}

/** The care plan (FR-Plan-de-soins): treatment types, the proposal in words, further tests, re-presentation, read-back. */
function carePlan(snapshot: FicheSnapshot): XmlElement {
	const { decision, representation, readBack } = snapshot;
	const { id, observe } = partsOf(snapshot.id);
	const furtherTests = decision.furtherTests.trim();
	const treatments = decision.treatmentTypes.map((code, index) => [
		content(`traitement-${index + 1}`, findConcept('JDV_TypeTraitement_FRCP', code)?.displayName ?? code)
	]);

	const text = tables(
		table('Proposition(s) thérapeutique(s)', treatments, { columns: ['Type de traitement'] }),
		table('Proposition de la RCP', [[content('proposition', decision.proposal.trim() || 'Non renseignée')]]),
		furtherTests !== '' && table('Examens / expertises complémentaires', [[content('examens-complementaires', furtherTests)]]),
		representation && table('Nouvelle présentation en RCP', [['Séance', content('nouvelle-presentation', formatDateTime(representation.startsAt))]]),
		readBack.length > 0 &&
			table(
				'Relecture de la proposition',
				readBack.map((answer) => [
					answer.name,
					answer.specialtyLabel ?? '',
					[answer.answer === 'confirm' ? 'Confirme' : 'En désaccord', answer.comment.trim()].filter(Boolean).join(' : '),
					formatDateTime(answer.at)
				]),
				{ columns: ['Nom', 'Spécialité', 'Réponse', 'Date'] }
			)
	);

	// FR-Demande-d-examen-ou-de-suivi, in proposal mood.
	const furtherTestsRequest =
		furtherTests !== '' &&
		el(
			'observation',
			{ classCode: 'OBS', moodCode: 'PRP' },
			templateIds('2.16.840.1.113883.10.20.1.25', '1.3.6.1.4.1.19376.1.5.3.1.1.20.3.1', '1.2.250.1.213.1.1.3.27'),
			id('examens-complementaires'),
			coded('code', taAsip('ORG-064', "Demande d'examen ou de suivi")),
			textReference('examens-complementaires'),
			el('statusCode', { code: 'active' }),
			unknown('effectiveTime')
		);

	return section({
		templates: ['2.16.840.1.113883.10.20.1.10', '1.3.6.1.4.1.19376.1.5.3.1.3.36', '1.2.250.1.213.1.1.2.158'],
		id: id('plan-de-soins'),
		code: loinc('18776-5', 'Plan de soins'),
		title: 'PROPOSITION DE LA RCP',
		text,
		entries: [furtherTestsRequest, ...decision.treatmentTypes.map((code, index) => proposedTreatment(id, code, index)), commentAct('proposition')]
	});
}

/**
 * The framework of the proposal (FR-Cadre-de-la-proposition-therapeutique): référentiel and
 * clinical trial. A situation of the network's library is named with its référentiel's
 * title and version and the situation's code and heading (followed, or departed from when
 * "hors référentiel"); a directory trial with its registries' numbers.
 */
function framework(snapshot: FicheSnapshot): XmlElement {
	const { decision } = snapshot;
	const { id, observe } = partsOf(snapshot.id);
	const cited = decision.guidelineCitation;
	const guideline = cited
		? guidelineCitationText(cited)
		: [decision.guidelineName.trim(), decision.guidelineVersion.trim() && `version ${decision.guidelineVersion.trim()}`].filter(Boolean).join(', ');
	const followed = decision.guidelineFollowed === 'yes' && guideline !== '';
	const departedFrom = decision.guidelineFollowed === 'no' && cited ? guideline : '';
	const justification = decision.guidelineFollowed === 'no' ? decision.guidelineJustification.trim() : '';
	const trialNamed = decision.trialCitation ? trialCitationText(decision.trialCitation) : decision.trialName.trim();
	const trial = decision.trialProposed ? `Oui — ${trialNamed}` : yesNo(decision.trialProposed);

	return section({
		templates: ['1.2.250.1.213.1.1.2.175'],
		id: id('cadre-proposition'),
		code: loinc('35510-7', 'Essais cliniques - Informations générales'),
		title: 'CADRE DE LA PROPOSITION THÉRAPEUTIQUE',
		text: table(
			'Cadre de la proposition thérapeutique',
			[
				[
					'Proposition correspondant à la recommandation / au référentiel de pratique clinique',
					decision.guidelineFollowed ? GUIDELINE_ANSWER_LABELS[decision.guidelineFollowed] : yesNo(null)
				],
				followed && ['Nom et version du référentiel utilisé', content('referentiel', guideline)],
				departedFrom !== '' && ['Situation du référentiel dont la proposition s’écarte', content('referentiel-ecart', departedFrom)],
				justification !== '' && ['Justification de l’écart au référentiel', content('justification-ecart', justification)],
				['Proposition d’inclusion dans un essai clinique', content('essai-clinique', trial)]
			]
		),
		entries: [
			followed &&
				observe(
					'referentiel',
					taAsip('MED-249', 'Recommandation/référentiel de pratique clinique'),
					el('value', { 'xsi:type': 'CD' }, originalText('referentiel')),
					{ effectiveTime: unknown('effectiveTime') }
				),
			observe('essai-clinique', taAsip('MED-250', 'Proposition d’inclusion dans un essai clinique'), booleanValue(decision.trialProposed)),
			justification !== '' && commentAct('justification-ecart')
		]
	});
}

/** The document's status (FR-Statut-du-document): approved when validated, with what this version replaces. */
function documentStatus(snapshot: FicheSnapshot): XmlElement {
	const { supersedes, validation } = snapshot;
	const { id, observe } = partsOf(snapshot.id);
	const status = findConcept('JDV_StatutDoc', DOCUMENT_APPROVED);
	const remarks = [
		supersedes &&
			`Version ${snapshot.version} : annule et remplace la version ${supersedes.version} ` +
				`validée le ${formatDateTime(supersedes.validatedAt)}, motif : ${supersedes.reason}`,
		snapshot.developmentSignature && 'Fiche signée avec le certificat de développement : document sans valeur.'
	].filter((remark): remark is string => Boolean(remark));

	return section({
		templates: ['1.2.250.1.213.1.1.2.35'],
		id: id('statut-document'),
		code: loinc('33557-0', "Etat d'achèvement"),
		title: 'STATUT DU DOCUMENT',
		text: table(
			'Statut du document',
			[
				['Statut du document', content('statut-document', `Fiche validée et signée (${status?.displayName ?? ''})`)],
				['Date du statut du document', formatDateTime(validation.at)],
				['Version', String(snapshot.version)],
				remarks.length > 0 && ['Commentaire sur la fiche RCP', content('commentaire-fiche', remarks.join('\n'))]
			]
		),
		entries: [
			observation({
				templates: ['1.2.250.1.213.1.1.3.48.16'],
				id: id('statut-document-observation'),
				code: taAsip('GEN-065', 'Statut du document'),
				text: 'statut-document',
				effectiveTime: time('effectiveTime', validation.at),
				value: codedValue(status),
				related: [remarks.length > 0 && related('SUBJ', commentAct('commentaire-fiche'))]
			})
		]
	});
}

/** The sections of the decision, in the order of the CI-SIS examples. */
export const decisionSections = (snapshot: FicheSnapshot): XmlChild[] => [
	fileStatus(snapshot),
	carePlan(snapshot),
	framework(snapshot),
	documentStatus(snapshot)
];
