/**
 * The Composition of the fiche RCP document: who it is about, who validated and signed it,
 * which version it replaces, and its sections, each with a French narrative and the
 * entries that say the same thing in codes.
 */
import { CASE_FICHE_FIELDS, DISCUSSION_MODE_LABELS, PRESENTATION_TYPE_LABELS, type FicheFieldName } from '../../domain/case-fiche.ts';
import { treatmentLabel } from '../../domain/decision.ts';
import { physicianName, type FicheSnapshot } from '../../domain/fiche.ts';
import { findConcept, VALUE_SETS } from '../../domain/value-sets.ts';
import { fields, list, narrative, paragraph, table, type Row } from './fhir-narrative.ts';
import { roleLabel } from './fhir-professionals.ts';
import { proposalStatements } from './fhir-proposal.ts';
import { conceptIn, FICHE_LOINC, uuidIdentifier } from './fhir-terms.ts';
import type { Composition, CompositionSection, Reference } from './fhir-types.ts';
import { formatDateTime, formatTime } from './fiche-format.ts';

/** R5's Composition.version, carried into R4 as a cross-version extension. */
const VERSION_EXTENSION = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Composition.version';

/** The entries the Composition refers to. */
export interface CompositionContext {
	patient: Reference;
	request: Reference;
	encounter: Reference;
	network: Reference;
	coordinator: Reference;
	condition: Reference;
	stage: Reference[];
	performanceStatus: Reference | undefined;
	carePlan: Reference;
	study: Reference | undefined;
	/** The participants' roles, each once. */
	participants: Reference[];
}

export function ficheComposition(snapshot: FicheSnapshot, context: CompositionContext): Composition {
	const { validation, supersedes } = snapshot;
	return {
		resourceType: 'Composition',
		extension: [{ url: VERSION_EXTENSION, valueString: String(snapshot.version) }],
		// The identifier all versions share; the Bundle's identifies this version.
		identifier: uuidIdentifier(snapshot.setId),
		status: 'final',
		type: { ...FICHE_LOINC.document, text: 'Fiche RCP' },
		subject: context.patient,
		encounter: context.encounter,
		date: validation.at,
		author: [context.coordinator],
		title: `Fiche RCP — ${snapshot.board.name}`,
		attester: [{ mode: 'legal', time: validation.at, party: context.coordinator }],
		custodian: context.network,
		relatesTo: supersedes ? [{ code: 'replaces', targetIdentifier: uuidIdentifier(supersedes.id) }] : undefined,
		event: [
			{
				code: [
					conceptIn('JDV_StatutCasPresente', snapshot.discussed ? 'ORG-134' : 'ORG-128'),
					conceptIn('JDV_StatutQuorum', snapshot.quorum.met ? 'ORG-126' : 'ORG-133')
				],
				period: meetingPeriod(snapshot),
				detail: [context.encounter]
			}
		],
		section: [
			reasonSection(snapshot, context),
			...summarySection(snapshot),
			tumourSection(snapshot, context),
			...performanceStatusSection(snapshot, context),
			proposalSection(snapshot, context),
			participantsSection(snapshot, context),
			readBackSection(snapshot),
			validationSection(snapshot)
		]
	};
}

/** The meeting's start and scheduled end. */
export function meetingPeriod(snapshot: FicheSnapshot): { start: string; end: string } {
	const { startsAt, durationMinutes } = snapshot.meeting;
	return { start: startsAt, end: new Date(Date.parse(startsAt) + durationMinutes * 60_000).toISOString() };
}

const label = (field: FicheFieldName): string => CASE_FICHE_FIELDS[field].label;

function reasonSection({ fiche, requester, board, meeting }: FicheSnapshot, context: CompositionContext): CompositionSection {
	const specialty = requester?.specialtyLabel ? ` (${requester.specialtyLabel})` : '';
	return {
		title: 'Motif de la RCP',
		code: FICHE_LOINC.reasonSection,
		text: narrative(
			fields([
				[label('question'), fiche.question],
				[label('presentationType'), fiche.presentationType && PRESENTATION_TYPE_LABELS[fiche.presentationType]],
				[label('discussionMode'), fiche.discussionMode && DISCUSSION_MODE_LABELS[fiche.discussionMode]],
				[label('requestingPhysicianId'), requester && `${physicianName(requester)}${specialty}`],
				['RCP', `${board.name} (${board.typeLabel})`],
				['Séance', formatDateTime(meeting.startsAt)]
			])
		),
		entry: [context.request]
	};
}

/** History and results, when the fiche gives any. */
function summarySection({ fiche }: FicheSnapshot): CompositionSection[] {
	const names = (Object.keys(CASE_FICHE_FIELDS) as FicheFieldName[]).filter((name) => ['clinical', 'results'].includes(CASE_FICHE_FIELDS[name].section));
	const rows = names.map((name): Row => [label(name), fiche[name] as string | undefined]).filter(([, value]) => value);
	if (rows.length === 0) return [];
	return [{ title: 'Résumé du dossier', code: FICHE_LOINC.summarySection, text: narrative(fields(rows)) }];
}

function tumourSection({ fiche }: FicheSnapshot, context: CompositionContext): CompositionSection {
	const tnm = [fiche.clinicalT, fiche.clinicalN, fiche.clinicalM].filter(Boolean).map((category) => `c${category}`);
	return {
		title: 'Tumeur',
		code: FICHE_LOINC.tumourSection,
		text: narrative(
			fields([
				['Localisation tumorale', fiche.tumourSiteLabel && `${fiche.tumourSiteLabel} (CIM-10 ${fiche.tumourSiteCode})`],
				[label('organ'), fiche.organ && (findConcept('JDV_RCP_Organe', fiche.organ)?.displayName ?? fiche.organ)],
				[label('histology'), [fiche.histology, fiche.histologyCode && `(CIM-O-3 ${fiche.histologyCode})`].filter(Boolean).join(' ')],
				['Stade cTNM', tnm.join(' ')]
			])
		),
		entry: [context.condition, ...context.stage]
	};
}

function performanceStatusSection({ fiche }: FicheSnapshot, context: CompositionContext): CompositionSection[] {
	const score = fiche.performanceStatus;
	if (score === undefined || !context.performanceStatus) return [];
	return [
		{
			title: 'Indice de performance OMS',
			code: FICHE_LOINC.functionalStatusSection,
			text: narrative(paragraph(`OMS ${score} : ${VALUE_SETS.JDV_OMSInterpret.concepts[score].displayName}`)),
			entry: [context.performanceStatus]
		}
	];
}

function proposalSection(snapshot: FicheSnapshot, context: CompositionContext): CompositionSection {
	const { decision } = snapshot;
	return {
		title: 'Proposition thérapeutique',
		code: FICHE_LOINC.planSection,
		text: narrative(
			paragraph(decision.proposal),
			fields([['Traitements', decision.treatmentTypes.map(treatmentLabel).join(', ')]]),
			list(proposalStatements(snapshot))
		),
		entry: [context.carePlan, ...(context.study ? [context.study] : [])]
	};
}

function participantsSection({ participants }: FicheSnapshot, context: CompositionContext): CompositionSection {
	const rows = participants.map((participant) => [
		`${participant.givenName} ${participant.familyName}`,
		participant.specialtyLabel,
		roleLabel(participant.role),
		participant.quorumMember ? 'Oui' : 'Non',
		`${formatTime(participant.from)} – ${participant.to ? formatTime(participant.to) : 'fin'}`
	]);
	return {
		title: 'Participants',
		text: narrative(table(['Nom', 'Spécialité', 'Rôle', 'Compté dans le quorum', 'Présence'], rows)),
		entry: context.participants
	};
}

function readBackSection({ readBack }: FicheSnapshot): CompositionSection {
	const rows = readBack.map((answer) => [
		answer.name,
		answer.specialtyLabel,
		answer.answer === 'confirm' ? 'Confirme' : 'En désaccord',
		answer.comment,
		formatTime(answer.at)
	]);
	return {
		title: 'Relecture de la proposition',
		text: narrative(
			rows.length > 0 ? table(['Nom', 'Spécialité', 'Réponse', 'Commentaire', 'Heure'], rows) : paragraph('Aucune relecture enregistrée.')
		)
	};
}

function validationSection({ validation, version, supersedes }: FicheSnapshot): CompositionSection {
	const replaces = supersedes
		? paragraph(`Cette version ${version} annule et remplace la version ${supersedes.version} validée le ${formatDateTime(supersedes.validatedAt)}.`) +
			fields([['Motif', supersedes.reason]])
		: '';
	return {
		title: 'Validation',
		text: narrative(paragraph(`Fiche validée et signée par ${physicianName(validation.by)} le ${formatDateTime(validation.at)}.`), replaces)
	};
}
