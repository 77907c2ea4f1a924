/**
 * The PPS as given to the patient: A4, in plain French, large type (12 pt body), short
 * sentences. Whom to call comes first, in a box; the calendar is a table; every medical
 * word the document uses is explained at the end (PLAIN_WORDS). Same PDF library and page
 * layout as the fiche RCP.
 *
 * The same view gives the same bytes: the creation date is the version's date, and the
 * document information names no patient (viewers show it outside the document).
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { fr } from 'date-fns/locale/fr';
import PDFDocument from 'pdfkit';
import { explainedWords } from '../../domain/plain-words.ts';
import { BOARD_TIME_ZONE } from '../../domain/schedule.ts';
import { FicheLayout, PAGE_MARGINS, collectPdf, type Column, type Row } from '../fiches/pdf-layout.ts';
import type { PatientPpsOffer, PatientPpsView } from './patient-view.ts';

/** Body text size of the patient's PPS, in points: large enough to read without glasses. */
export const PATIENT_BODY_SIZE = 12;
/** The fiche's body size, which the layout's styles are drawn at. */
const FICHE_BODY_SIZE = 9.5;

const calendarDay = (isoDate: string) => {
	const [year, month, day] = isoDate.split('-').map(Number);
	return new TZDate(year, month - 1, day, BOARD_TIME_ZONE);
};

/** A calendar date as "4 janvier 2027", "1er mars 2027". */
export function formatPlainDate(isoDate: string): string {
	const date = calendarDay(isoDate);
	return format(date, `'${date.getDate() === 1 ? '1er' : date.getDate()}' MMMM yyyy`, { locale: fr });
}

const column = (header: string, share: number): Column => ({ header, share });
const CALENDAR_COLUMNS = [column('Quoi ?', 34), column('Début', 19), column('Fin', 19), column('Où ?', 28)];

const TITLES = {
	call: 'Qui appeler ?',
	disease: 'Ma maladie',
	calendar: 'Mon calendrier de traitement',
	team: 'Mon équipe de soins',
	supportiveCare: 'Les soins qui m’aident (soins de support)',
	socialSupport: 'Mon accompagnement social et professionnel',
	sideEffects: 'Les effets indésirables du traitement : ce qui est prévu',
	associatedMeasures: 'Ce qui est prévu autour du traitement',
	glossary: 'Les mots des médecins'
};

const INTRODUCTION = [
	'Ce document résume votre traitement. Il a été préparé avec vous.',
	'Gardez-le avec vous. Montrez-le à chaque rendez-vous.',
	'Les mots des médecins sont expliqués à la fin du document.'
];

const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase('fr-FR') + text.slice(1);

/** Every text a patient reads in the document, where medical words may hide (the other titles have none). */
function wordsOf(view: PatientPpsView): string[] {
	const offers = [...view.supportiveCare, ...view.socialSupport, ...view.sideEffects, ...view.associatedMeasures].flatMap((offer) => [offer.label, offer.note ?? '']);
	const printed = (title: string, items: readonly unknown[]) => (items.length > 0 ? [title] : []);
	return [
		...INTRODUCTION,
		...printed(TITLES.supportiveCare, view.supportiveCare),
		view.diagnosis,
		...view.phases.flatMap((phase) => [phase.what, phase.where]),
		...view.careTeam.map((member) => member.roleLabel),
		...offers,
		...view.whomToCall.flatMap((call) => [call.situation, call.contact])
	];
}

function header(layout: FicheLayout, view: PatientPpsView): void {
	layout.line('Mon programme personnalisé de soins', 'title');
	layout.line(view.patientName, 'subtitle');
	layout.line(`Version ${view.version} du ${formatPlainDate(view.date)}`, 'muted');
	layout.gap(8);
	for (const sentence of INTRODUCTION) layout.paragraph(sentence);
}

function whomToCall(layout: FicheLayout, view: PatientPpsView): void {
	if (view.whomToCall.length === 0) return;
	layout.box(
		TITLES.call,
		view.whomToCall.map((call): Row => [call.situation, call.contact])
	);
}

function calendar(layout: FicheLayout, view: PatientPpsView): void {
	layout.heading(TITLES.calendar);
	if (view.phases.length === 0) return layout.paragraph('Le calendrier sera complété avec vous.');
	layout.table(
		CALENDAR_COLUMNS,
		[...view.phases]
			.sort((a, b) => a.from.localeCompare(b.from))
			.map((phase) => ({ cells: [phase.what, formatPlainDate(phase.from), phase.to ? formatPlainDate(phase.to) : 'À préciser', phase.where] }))
	);
	layout.paragraph('Les dates peuvent changer. Votre équipe vous préviendra.');
}

function careTeam(layout: FicheLayout, view: PatientPpsView): void {
	if (view.careTeam.length === 0) return;
	layout.heading(TITLES.team);
	layout.fields(
		view.careTeam.map((member): Row => [
			member.roleLabel,
			[member.name, member.phone && `Téléphone : ${member.phone}`, member.email && `Courriel : ${member.email}`].filter(Boolean).join('\n')
		])
	);
}

function offers(layout: FicheLayout, title: string, items: readonly PatientPpsOffer[]): void {
	if (items.length === 0) return;
	layout.heading(title);
	for (const item of items) {
		layout.line(`• ${item.label}`, 'strong');
		layout.paragraph(item.note);
		layout.gap(2);
	}
}

function glossary(layout: FicheLayout, view: PatientPpsView): void {
	const words = explainedWords(wordsOf(view));
	if (words.length === 0) return;
	layout.heading(TITLES.glossary);
	layout.fields(words.map((word): Row => [capitalised(word.term), capitalised(word.plain) + '.']));
}

/** Renders the patient's copy of a PPS. */
export async function renderPatientPpsPdf(view: PatientPpsView): Promise<Uint8Array> {
	const doc = new PDFDocument({
		size: 'A4',
		margins: PAGE_MARGINS,
		bufferPages: true,
		lang: 'fr-FR',
		info: { Title: 'Programme personnalisé de soins', Author: view.issuer, Creator: 'Concerto', CreationDate: calendarDay(view.date) }
	});
	const bytes = collectPdf(doc);
	const layout = new FicheLayout(doc, { scale: PATIENT_BODY_SIZE / FICHE_BODY_SIZE });

	header(layout, view);
	whomToCall(layout, view);
	layout.heading(TITLES.disease);
	layout.paragraph(view.diagnosis);
	calendar(layout, view);
	careTeam(layout, view);
	offers(layout, TITLES.supportiveCare, view.supportiveCare);
	offers(layout, TITLES.socialSupport, view.socialSupport);
	offers(layout, TITLES.sideEffects, view.sideEffects);
	offers(layout, TITLES.associatedMeasures, view.associatedMeasures);
	glossary(layout, view);

	layout.stampPages([`Programme personnalisé de soins — ${view.patientName}`, `Version ${view.version} du ${formatPlainDate(view.date)}`], null);
	doc.end();
	return bytes;
}
