/**
 * Attendance documents as PDFs, in French, with the fiche's page layout: a meeting's
 * attendance sheet (feuille de présence) and a physician's yearly certificate of
 * participation in RCP meetings. The same input gives the same bytes: the creation date
 * is the date the attendance was read, and pdfkit derives the file identifier from the
 * document information.
 */
import PDFDocument from 'pdfkit';
import { presenceRoleLabel, type PresenceInterval } from '../domain/attendance.ts';
import { physicianName } from '../domain/fiche.ts';
import type { NetworkInput } from '../domain/network.ts';
import { specialtyLabel } from '../domain/specialties.ts';
import type { MeetingAttendance, YearlyAttendance } from './attendance.ts';
import { attachmentResponse } from './downloads.ts';
import { formatDateTime, formatDay, formatTime } from './fiches/fiche-format.ts';
import { FicheLayout, PAGE_MARGINS, type Column } from './fiches/pdf-layout.ts';

/** The title of the certificate, as printed. */
export const CERTIFICATE_TITLE = 'Attestation de participation aux réunions de concertation pluridisciplinaires (RCP)';

const column = (header: string, share: number): Column => ({ header, share });
const SHEET_COLUMNS = [column('Nom', 22), column('Spécialité', 20), column('RPPS', 14), column('Rôle', 15), column('Présence', 19), column('Minutes', 10)];
const CERTIFICATE_COLUMNS = [column('Date', 45), column('RCP', 40), column('Minutes', 15)];

const iso = (at: Date) => at.toISOString();
const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** What heads a document: its title in the PDF information and on the page, under the network (and the board). */
interface Letterhead {
	infoTitle: string;
	title: string;
	network: NetworkInput;
	board?: { name: string; site: string };
	createdAt: Date;
}

/** Writes the letterhead then `write`'s blocks, stamps the pages with `footer`, and returns the bytes. */
function renderPdf(head: Letterhead, footer: readonly string[], write: (layout: FicheLayout) => void): Promise<Uint8Array> {
	const doc = new PDFDocument({
		size: 'A4',
		margins: PAGE_MARGINS,
		bufferPages: true,
		lang: 'fr-FR',
		info: { Title: head.infoTitle, Author: head.network.name, Creator: 'Concerto', CreationDate: head.createdAt }
	});
	const chunks: Buffer[] = [];
	const bytes = new Promise<Uint8Array>((resolve, reject) => {
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
	});
	const layout = new FicheLayout(doc);
	layout.line([head.network.name, head.network.region].filter(Boolean).join(' — '), 'muted');
	if (head.board) {
		layout.line(head.board.name, 'subtitle');
		layout.line(head.board.site, 'muted');
	}
	layout.gap(8);
	layout.line(head.title, 'title');
	write(layout);
	layout.stampPages(footer, null);
	doc.end();
	return bytes;
}

/** "14:02 – 14:40"; an end that was not recorded is starred (the note under the table says where it was put). */
const intervalText = (interval: PresenceInterval) => `${formatTime(iso(interval.from))} – ${formatTime(iso(interval.to))}${interval.assumedEnd ? ' *' : ''}`;

/** What the sheet says about presences whose departure was not recorded, if any. */
function openEndNote(sheet: MeetingAttendance): string | null {
	const open = sheet.lines.some((line) => line.intervals.some((interval) => interval.assumedEnd));
	if (!open) return null;
	const at = formatTime(iso(sheet.openEnd.at));
	return sheet.openEnd.kind === 'now'
		? `* Départ non enregistré, séance en cours : présence comptée jusqu’à l’édition de ce document (${at}).`
		: `* Départ non enregistré : présence comptée jusqu’à la fin prévue de la séance (${at}).`;
}

/** "3 (Oncologie médicale, Chirurgie digestive, Médecine générale)". */
const specialtiesText = (codes: readonly string[]) =>
	codes.length === 0 ? '0' : `${codes.length} (${codes.map((code) => specialtyLabel(code) ?? code).join(', ')})`;

/** The « Feuille de présence » of a meeting: every person present, their intervals of presence and minutes. */
export function attendanceSheetPdf(sheet: MeetingAttendance): Promise<Uint8Array> {
	const { network, board, meeting } = sheet;
	const start = iso(meeting.startsAt);
	const end = iso(new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000));
	const footer = [`Feuille de présence — séance du ${formatDay(start)}`, `Document généré le ${formatDateTime(iso(sheet.generatedAt))}`];
	const head = { infoTitle: 'Feuille de présence RCP', title: 'Feuille de présence', network, board, createdAt: sheet.generatedAt };
	return renderPdf(head, footer, (layout) => {
		layout.gap(6);
		layout.fields([
			['Séance', formatDay(start)],
			['Horaire prévu', `${formatTime(start)} – ${formatTime(end)} (${meeting.durationMinutes} min)`]
		]);
		layout.heading('Participants');
		if (sheet.lines.length === 0) {
			layout.line('Aucune présence enregistrée.');
		} else {
			layout.table(
				SHEET_COLUMNS,
				sheet.lines.map((line) => ({
					cells: [line.name, line.specialtyLabel ?? '—', line.rpps ?? '—', presenceRoleLabel(line.role), line.intervals.map(intervalText).join('\n'), String(line.minutes)]
				}))
			);
			const note = openEndNote(sheet);
			if (note) layout.line(note, 'note');
		}
		layout.heading('Synthèse');
		layout.fields([
			['Personnes présentes', String(sheet.lines.length)],
			['Médecins présents', String(sheet.physicians)],
			['Spécialités représentées', specialtiesText(sheet.specialties)]
		]);
	});
}

/** "1 réunion", "3 réunions"; "1,5 heure", "2 heures" (French takes the plural from 2). */
const plural = (count: number, one: string, many: string) => `${number.format(count)} ${count < 2 ? one : many}`;

/** A specialty inside a sentence: "oncologie médicale", but "ORL et chirurgie cervico-faciale". */
const inSentence = (label: string) => (/^\p{Lu}\p{Ll}/u.test(label) ? label.charAt(0).toLocaleLowerCase('fr-FR') + label.slice(1) : label);

/** The certificate's statement, as one sentence. */
export function certificateStatement(certificate: YearlyAttendance): string {
	const { network, physician, year } = certificate;
	const issuer = /^réseau\b/i.test(network.name) ? `Le ${network.name}` : `Le réseau ${network.name}`;
	const who = [`${physicianName(physician)}${physician.rpps ? ` (RPPS ${physician.rpps})` : ''}`, physician.specialtyLabel && inSentence(physician.specialtyLabel)].filter(Boolean).join(', ');
	const meetings = plural(certificate.count, 'réunion', 'réunions');
	return `${issuer} atteste que ${who}, a participé à ${meetings} de concertation pluridisciplinaire en ${year}, pour une durée totale de ${plural(certificate.totalHours, 'heure', 'heures')}.`;
}

/** The yearly « Attestation de participation » of a physician, with the meetings it counts. */
export function attendanceCertificatePdf(certificate: YearlyAttendance): Promise<Uint8Array> {
	const { network, physician, year } = certificate;
	const generated = iso(certificate.generatedAt);
	const footer = [`Attestation de participation aux RCP ${year} — ${physicianName(physician)}`, `Document généré le ${formatDateTime(generated)}`];
	const head = { infoTitle: `Attestation de participation RCP ${year}`, title: CERTIFICATE_TITLE, network, createdAt: certificate.generatedAt };
	return renderPdf(head, footer, (layout) => {
		layout.line(`Année ${year}`, 'subtitle');
		layout.gap(10);
		layout.paragraph(certificateStatement(certificate));
		layout.heading('Réunions');
		if (certificate.meetings.length === 0) layout.line(`Aucune présence enregistrée en ${year}.`);
		else {
			layout.table(
				CERTIFICATE_COLUMNS,
				certificate.meetings.map((meeting) => ({ cells: [formatDateTime(iso(meeting.startsAt)), meeting.boardName, String(meeting.minutes)] }))
			);
			layout.line(`Total : ${certificate.totalMinutes} minutes`, 'strong');
		}
		layout.gap(10);
		layout.line(`Fait le ${formatDay(generated)}.`);
	});
}

/** A PDF as a private download named `fileName`. */
export const pdfDownload = (pdf: Uint8Array, fileName: string): Response => attachmentResponse(pdf, 'application/pdf', fileName);
