/**
 * The fiche RCP as a PDF: A4, French, for the patient's record and the GP. Rendered from
 * the validated snapshot only, unsigned: the PAdES signature is added afterwards
 * (signing/pades.ts), which needs the classic xref table pdfkit writes.
 *
 * The same snapshot gives the same bytes: the creation date is the validation date and
 * pdfkit derives the file identifier from the document information. That information
 * names no patient (Title "Fiche RCP"): viewers and indexers show it outside the document.
 */
import PDFDocument from 'pdfkit';
import {
	CASE_FICHE_FIELDS,
	PATIENT_SEX_LABELS,
	PRESENTATION_TYPE_LABELS,
	type FicheFieldName,
	type FicheSection
} from '../../domain/case-fiche.ts';
import { guidelineCitationText, trialCitationText } from '../../domain/citations.ts';
import { GUIDELINE_ANSWER_LABELS, treatmentLabel, type DecisionDraft } from '../../domain/decision.ts';
import { patientName, physicianName, type FicheParticipant, type FichePerson, type FicheSnapshot } from '../../domain/fiche.ts';
import { specialtyLabel } from '../../domain/specialties.ts';
import { findConcept } from '../../domain/value-sets.ts';
import { formatCalendarDate, formatDateTime, formatIns, formatTime } from './fiche-format.ts';
import { FicheLayout, PAGE_MARGINS, collectPdf, type Column, type Row } from './pdf-layout.ts';

/** What the banner of a fiche signed with the development certificate says, on every page. */
export const DEVELOPMENT_BANNER = 'SIGNATURE DE DÉVELOPPEMENT — document sans valeur (certificat auto-signé)';

export interface RenderOptions {
	/** The organisation whose certificate signs (named on the signature line); the network by default. */
	signedBy?: string;
}

/** Section titles of the fiche fields, as the case form names them, in form order. */
const SECTION_TITLES: Record<FicheSection, string> = {
	patient: 'Patient',
	gp: 'Médecin traitant',
	request: 'Demande',
	tumour: 'Tumeur',
	clinical: 'Histoire clinique',
	results: 'Résultats'
};
const FICHE_SECTIONS = Object.keys(SECTION_TITLES) as FicheSection[];

/**
 * How a fiche field is printed when not as its plain value under its own label: another
 * label or value, or `merged` when another row (or section) already says it.
 */
type FieldView = { label?: string; value: (snapshot: FicheSnapshot) => string | undefined } | 'merged';

const tnm = (prefix: string, value: string | undefined) => value && `${prefix}${value}`;

const FIELD_VIEWS: Partial<Record<FicheFieldName, FieldView>> = {
	familyName: { value: ({ fiche }) => fiche.familyName?.toLocaleUpperCase('fr-FR') },
	birthDate: { value: ({ fiche }) => fiche.birthDate && formatCalendarDate(fiche.birthDate) },
	sex: { value: ({ fiche }) => fiche.sex && PATIENT_SEX_LABELS[fiche.sex] },
	ins: { value: ({ fiche }) => fiche.ins && formatIns(fiche.ins) },
	// The requester's own rows, the header's "discussed or recorded" and the question's section say these.
	requestingPhysicianId: 'merged',
	discussionMode: 'merged',
	question: 'merged',
	presentationType: { value: ({ fiche }) => fiche.presentationType && PRESENTATION_TYPE_LABELS[fiche.presentationType] },
	organ: { value: ({ fiche }) => fiche.organ && (findConcept('JDV_RCP_Organe', fiche.organ)?.displayName ?? fiche.organ) },
	tumourSiteCode: {
		label: 'Localisation tumorale (CIM-10)',
		value: ({ fiche }) => [fiche.tumourSiteCode, fiche.tumourSiteLabel].filter(Boolean).join(' — ')
	},
	tumourSiteLabel: 'merged',
	histology: {
		value: ({ fiche }) => [fiche.histology, fiche.histologyCode && `(CIM-O-3 ${fiche.histologyCode})`].filter(Boolean).join(' ')
	},
	histologyCode: 'merged',
	clinicalT: {
		label: 'Stade clinique (cTNM)',
		value: ({ fiche }) => [tnm('c', fiche.clinicalT), tnm('c', fiche.clinicalN), tnm('c', fiche.clinicalM)].filter(Boolean).join(' ')
	},
	clinicalN: 'merged',
	clinicalM: 'merged',
	performanceStatus: { value: ({ fiche }) => (fiche.performanceStatus === undefined ? undefined : `OMS ${fiche.performanceStatus}`) }
};

const FIELD_NAMES = Object.keys(CASE_FICHE_FIELDS) as FicheFieldName[];

/** The rows of one section of the fiche fields, in form order. */
function sectionRows(snapshot: FicheSnapshot, section: FicheSection): Row[] {
	return FIELD_NAMES.filter((name) => CASE_FICHE_FIELDS[name].section === section).flatMap((name): Row[] => {
		const view = FIELD_VIEWS[name];
		if (view === 'merged') return [];
		const raw = snapshot.fiche[name];
		const value = view ? view.value(snapshot) : raw === undefined ? undefined : String(raw);
		return [[view?.label ?? CASE_FICHE_FIELDS[name].label, value]];
	});
}

/** A physician's rows: name under `role`, then RPPS and specialty. */
function personRows(role: string, person: FichePerson | null): Row[] {
	if (!person) return [];
	return [
		[role, physicianName(person)],
		['RPPS', person.rpps],
		['Spécialité', person.specialtyLabel]
	];
}

const yesNo = (value: boolean | null) => (value === null ? undefined : value ? 'Oui' : 'Non');

function header(layout: FicheLayout, snapshot: FicheSnapshot): void {
	const { network, board, meeting, supersedes } = snapshot;
	layout.line([network.name, network.region].filter(Boolean).join(' — '), 'muted');
	layout.line(board.name, 'subtitle');
	layout.line(board.site, 'muted');
	layout.gap(8);
	layout.line('Fiche de réunion de concertation pluridisciplinaire (RCP)', 'title');
	layout.gap(6);
	layout.fields([
		['Séance', formatDateTime(meeting.startsAt)],
		['Type de RCP', board.typeLabel],
		['Appareil', board.apparatus.label],
		['Organe', board.organ?.label]
	]);
	layout.gap(4);
	layout.line(snapshot.discussed ? 'Dossier discuté en RCP' : 'Dossier enregistré sans discussion (conforme au référentiel)', 'strong');
	layout.line(
		supersedes
			? `Version ${snapshot.version} — annule et remplace la version ${supersedes.version} validée le ${formatDateTime(supersedes.validatedAt)}, motif : ${supersedes.reason}`
			: `Version ${snapshot.version}`
	);
}

/** "Non (hors référentiel)" says what a "no" means on a fiche that can cite the library. */
const guidelineAnswer = (decision: DecisionDraft): string | null =>
	decision.guidelineFollowed === 'no' ? 'Non (hors référentiel)' : decision.guidelineFollowed && GUIDELINE_ANSWER_LABELS[decision.guidelineFollowed];

/**
 * The référentiel's line: the library's situation (followed, or departed from when "hors
 * référentiel"), or a guideline outside the library by its name and version.
 */
function guidelineFields(decision: DecisionDraft): Row[] {
	const cited = decision.guidelineCitation;
	if (cited && decision.guidelineFollowed === 'yes') return [['Référentiel', guidelineCitationText(cited)]];
	if (cited && decision.guidelineFollowed === 'no') return [['Situation non suivie', guidelineCitationText(cited)]];
	return [['Référentiel', [decision.guidelineName.trim(), decision.guidelineVersion.trim() && `version ${decision.guidelineVersion.trim()}`].filter(Boolean).join(', ')]];
}

/** The proposed trial: the directory's with its identifiers, or the name typed. */
const trialNamed = (decision: DecisionDraft): string => (decision.trialCitation ? trialCitationText(decision.trialCitation) : decision.trialName.trim());

function proposal(layout: FicheLayout, snapshot: FicheSnapshot): void {
	const { decision, representation } = snapshot;
	layout.heading('Proposition thérapeutique');
	layout.fields([['Types de traitement', decision.treatmentTypes.map(treatmentLabel).join(', ')]]);
	layout.labelled('Proposition', decision.proposal);
	layout.fields([
		['Conforme au référentiel', guidelineAnswer(decision)],
		...guidelineFields(decision),
		['Justification de l’écart au référentiel', decision.guidelineFollowed === 'no' ? decision.guidelineJustification : undefined],
		['Essai clinique proposé', decision.trialProposed ? ['Oui', trialNamed(decision)].filter(Boolean).join(' — ') : yesNo(decision.trialProposed)],
		['Dossier complet', yesNo(decision.fileComplete)],
		['Examens complémentaires', decision.furtherTests],
		['Nouvelle présentation en RCP', representation && formatDateTime(representation.startsAt)]
	]);
}

function quorum(layout: FicheLayout, snapshot: FicheSnapshot): void {
	const { quorum: evaluation, decision } = snapshot;
	layout.heading('Quorum');
	layout.line(evaluation.met ? 'Quorum atteint' : 'Quorum non atteint', 'strong');
	const present = [...new Set(evaluation.present)].map((code) => specialtyLabel(code) ?? code);
	layout.fields([
		['Spécialités présentes', present.join(', ')],
		['Manquant', evaluation.missing.join(', ')]
	]);
	if (!evaluation.met && decision.quorumNotMetAcknowledged) layout.line('Proposition émise malgré un quorum non atteint', 'strong');
}

const column = (header: string, share: number): Column => ({ header, share });
const PARTICIPANT_COLUMNS = [column('Nom', 28), column('Spécialité', 28), column('Rôle', 26), column('Présence', 18)];
const READ_BACK_COLUMNS = [column('Nom', 30), column('Spécialité', 30), column('Réponse', 25), column('Heure', 15)];

/** "membre du quorum", "participant" or "invité", and who chaired. */
function participantRole(participant: FicheParticipant): string {
	const role = participant.role === 'guest' ? 'invité' : participant.quorumMember ? 'membre du quorum' : 'participant';
	return participant.role === 'coordinator' ? `${role} (coordonnateur)` : role;
}

function participants(layout: FicheLayout, snapshot: FicheSnapshot): void {
	layout.heading('Participants');
	if (snapshot.participants.length === 0) return layout.line('Aucune présence enregistrée.');
	layout.table(
		PARTICIPANT_COLUMNS,
		snapshot.participants.map((participant) => ({
			cells: [
				physicianName(participant),
				participant.specialtyLabel ?? '—',
				participantRole(participant),
				`${formatTime(participant.from)} – ${participant.to ? formatTime(participant.to) : 'fin'}`
			]
		}))
	);
}

function readBack(layout: FicheLayout, snapshot: FicheSnapshot): void {
	if (snapshot.readBack.length === 0) return;
	layout.heading('Relecture de la proposition');
	layout.table(
		READ_BACK_COLUMNS,
		snapshot.readBack.map((answer) => ({
			cells: [answer.name, answer.specialtyLabel ?? '—', answer.answer === 'confirm' ? 'Confirme' : 'En désaccord', formatTime(answer.at)],
			note: answer.comment.trim() && `Commentaire : « ${answer.comment.trim()} »`
		}))
	);
}

function validation(layout: FicheLayout, snapshot: FicheSnapshot, signedBy: string): void {
	const { by, at } = snapshot.validation;
	const rows = [...personRows('Médecin coordonnateur', by), ['Validée le', formatDateTime(at)] as const];
	const signer = by.rpps ? `${physicianName(by)} (RPPS ${by.rpps})` : physicianName(by);
	const statement = `Signé électroniquement (PAdES) par ${signedBy} pour ${signer}`;
	// The validation and its signature statement stay on one page.
	layout.heading('Validation', layout.fieldsHeight(rows) + layout.lineHeight(statement, 'strong'));
	layout.fields(rows);
	layout.line(statement, 'strong');
}

/** Renders the fiche of `snapshot` as an unsigned PDF. */
export async function renderFichePdf(snapshot: FicheSnapshot, options: RenderOptions = {}): Promise<Uint8Array> {
	const doc = new PDFDocument({
		size: 'A4',
		margins: PAGE_MARGINS,
		bufferPages: true,
		lang: 'fr-FR',
		info: { Title: 'Fiche RCP', Author: snapshot.network.name, Creator: 'Concerto', CreationDate: new Date(snapshot.validation.at) }
	});
	const bytes = collectPdf(doc);
	const layout = new FicheLayout(doc);
	const { fiche } = snapshot;

	header(layout, snapshot);
	for (const section of FICHE_SECTIONS) {
		const requester = section === 'request' ? personRows(CASE_FICHE_FIELDS.requestingPhysicianId.label, snapshot.requester) : [];
		layout.section(SECTION_TITLES[section], [...requester, ...sectionRows(snapshot, section)]);
	}
	layout.heading(CASE_FICHE_FIELDS.question.label);
	layout.paragraph(fiche.question);
	proposal(layout, snapshot);
	quorum(layout, snapshot);
	participants(layout, snapshot);
	readBack(layout, snapshot);
	validation(layout, snapshot, options.signedBy ?? snapshot.network.name);

	const born = fiche.sex === 'F' ? 'née' : fiche.sex === 'M' ? 'né' : 'né(e)';
	const identity = [patientName(fiche), fiche.birthDate && `${born} le ${formatCalendarDate(fiche.birthDate)}`].filter(Boolean).join(', ');
	layout.stampPages([`Fiche RCP — ${identity}`, `Fiche ${snapshot.id} — version ${snapshot.version}`], snapshot.developmentSignature ? DEVELOPMENT_BANNER : null);
	doc.end();
	return bytes;
}
