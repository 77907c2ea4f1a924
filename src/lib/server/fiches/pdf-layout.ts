/**
 * The page layout of Concerto's PDFs on top of pdfkit: section headings, label/value rows,
 * paragraphs, tables and framed boxes that flow over A4 pages without running into the
 * footer, and the banner and footer stamped on every page once the page count is known.
 * Nothing here knows about RCPs: `pdf.ts` says what goes on the fiche, `../pps/patient-pdf.ts`
 * what goes on the patient's PPS (printed larger, with `scale`).
 */
import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

interface TextStyle {
	font: string;
	size: number;
	color: string;
}

const INK = '#1a1a1a';
const MUTED = '#4d4d4d';
const ACCENT = '#1f4e79';
const RULE = '#a6a6a6';
const ALERT = '#b00020';

/** Helvetica and Helvetica-Bold: PDF standard fonts, WinAnsi-encoded (French accents, «», œ, ’). */
const STYLES = {
	body: { font: 'Helvetica', size: 9.5, color: INK },
	strong: { font: 'Helvetica-Bold', size: 9.5, color: INK },
	label: { font: 'Helvetica-Bold', size: 9.5, color: MUTED },
	note: { font: 'Helvetica-Oblique', size: 9.5, color: INK },
	muted: { font: 'Helvetica', size: 9, color: MUTED },
	heading: { font: 'Helvetica-Bold', size: 11.5, color: ACCENT },
	subtitle: { font: 'Helvetica-Bold', size: 12.5, color: INK },
	title: { font: 'Helvetica-Bold', size: 15, color: INK },
	footer: { font: 'Helvetica', size: 7.5, color: MUTED },
	banner: { font: 'Helvetica-Bold', size: 9, color: '#ffffff' }
} as const satisfies Record<string, TextStyle>;

/** A text style of the fiche. */
export type StyleName = keyof typeof STYLES;

/** A4 margins in points; the footer and the banner live inside the bottom and top ones. */
export const PAGE_MARGINS = { top: 60, bottom: 66, left: 50, right: 50 };
const LINE_GAP = 1.5;
const LABEL_WIDTH = 155;
const COLUMN_GAP = 10;
const ROW_GAP = 3;
const CELL_PADDING = 4;
const BOX_PADDING = 10;
const BOX_FILL = '#eef3f8';
/** Lines of a block that must fit at the bottom of a page before it starts there. */
const MIN_LINES = 2;

/** A label and its value; an absent or blank value is not printed. */
export type Row = readonly [label: string, value: string | null | undefined];

/** A table row: one text per column, and an optional note under them. */
export interface TableRow {
	cells: readonly string[];
	note?: string;
}

/** A table column: its header and its share of the text width. */
export interface Column {
	header: string;
	share: number;
}

/** How a layout prints. */
export interface LayoutOptions {
	/** Enlarges every text style and the label column: the patient's PPS is printed large. 1 by default. */
	scale?: number;
}

const present = (value: string | null | undefined): value is string => value !== null && value !== undefined && value.trim() !== '';

/** The bytes pdfkit writes for `doc`, once `doc.end()` is called (listen before writing). */
export function collectPdf(doc: Doc): Promise<Uint8Array> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		doc.on('error', reject);
	});
}

/** Writes a document's blocks one below the other on `doc` (created with `bufferPages: true`). */
export class FicheLayout {
	readonly #doc: Doc;
	readonly #scale: number;

	constructor(doc: Doc, options: LayoutOptions = {}) {
		this.#doc = doc;
		this.#scale = options.scale ?? 1;
	}

	get #left(): number {
		return this.#doc.page.margins.left;
	}

	get #width(): number {
		return this.#doc.page.width - this.#doc.page.margins.left - this.#doc.page.margins.right;
	}

	get #labelWidth(): number {
		return LABEL_WIDTH * this.#scale;
	}

	get #valueWidth(): number {
		return this.#width - this.#labelWidth - COLUMN_GAP;
	}

	#use(style: StyleName): Doc {
		const { font, size, color } = STYLES[style];
		return this.#doc.font(font).fontSize(size * this.#scale).fillColor(color);
	}

	#height(style: StyleName, text: string, width: number): number {
		return this.#use(style).heightOfString(text, { width, lineGap: LINE_GAP });
	}

	/** Height of the first lines of a block, which must not be left alone at a page's foot. */
	#opening(style: StyleName, text: string, width: number): number {
		return Math.min(this.#height(style, text, width), MIN_LINES * this.#use(style).currentLineHeight(true) + LINE_GAP);
	}

	#write(style: StyleName, text: string, x: number, y: number, width: number): void {
		this.#use(style).text(text, x, y, { width, lineGap: LINE_GAP });
	}

	/** Starts a new page when less than `height` is left above the footer. */
	#ensureSpace(height: number): void {
		if (this.#doc.y + height > this.#doc.page.maxY()) this.#doc.addPage();
	}

	#rule(y: number, color = RULE): void {
		this.#doc
			.moveTo(this.#left, y)
			.lineTo(this.#left + this.#width, y)
			.lineWidth(0.5)
			.strokeColor(color)
			.stroke();
	}

	/** Vertical space, in points. */
	gap(points: number): void {
		this.#doc.y += points;
	}

	/** A line (wrapping when long) across the text width. */
	line(text: string, style: StyleName = 'body'): void {
		this.#ensureSpace(this.#opening(style, text, this.#width));
		this.#write(style, text, this.#left, this.#doc.y, this.#width);
	}

	/** A paragraph that flows over as many pages as it needs, then a small gap. */
	paragraph(text: string | null | undefined): void {
		if (!present(text)) return;
		this.line(text.trim());
		this.gap(4);
	}

	/**
	 * A section heading with a rule under it, kept on one page with the first lines that
	 * follow, or with the next `keep` points (a short block that must not be split).
	 */
	heading(title: string, keep = MIN_LINES * this.#use('body').currentLineHeight(true)): void {
		this.gap(10);
		this.#ensureSpace(this.#height('heading', title, this.#width) + 6 + keep);
		this.#write('heading', title, this.#left, this.#doc.y, this.#width);
		this.#rule(this.#doc.y + 1, ACCENT);
		this.gap(6);
	}

	/** A label on its own line, then a paragraph. */
	labelled(label: string, text: string | null | undefined): void {
		if (!present(text)) return;
		this.#ensureSpace(this.#height('label', label, this.#width) + this.#opening('body', text, this.#width));
		this.line(label, 'label');
		this.paragraph(text);
	}

	/** How high `fields(rows)` will be, to keep a short block on one page. */
	fieldsHeight(rows: readonly Row[]): number {
		let height = 0;
		for (const [label, value] of rows) {
			if (present(value)) height += Math.max(this.#height('label', label, this.#labelWidth), this.#height('body', value.trim(), this.#valueWidth)) + ROW_GAP;
		}
		return height;
	}

	/** How high `line(text, style)` will be. */
	lineHeight(text: string, style: StyleName = 'body'): number {
		return this.#height(style, text, this.#width);
	}

	/** A heading and its rows; nothing at all when no row has a value. */
	section(title: string, rows: readonly Row[]): void {
		if (!rows.some(([, value]) => present(value))) return;
		this.heading(title);
		this.fields(rows);
	}

	/** Label/value rows in two columns; a long value flows over pages in its column. */
	fields(rows: readonly Row[]): void {
		const valueX = this.#left + this.#labelWidth + COLUMN_GAP;
		const valueWidth = this.#valueWidth;
		for (const [label, value] of rows) {
			if (!present(value)) continue;
			const text = value.trim();
			this.#ensureSpace(Math.max(this.#height('label', label, this.#labelWidth), this.#opening('body', text, valueWidth)));
			const top = this.#doc.y;
			const page = this.#doc.page;
			this.#write('label', label, this.#left, top, this.#labelWidth);
			const labelBottom = this.#doc.y;
			this.#write('body', text, valueX, top, valueWidth);
			// A value that went on to another page ends below its label's page.
			if (this.#doc.page === page) this.#doc.y = Math.max(this.#doc.y, labelBottom);
			this.gap(ROW_GAP);
		}
		this.#doc.x = this.#left;
	}

	/**
	 * A framed block on a tinted ground, kept on one page: a title and label/value rows, for
	 * what must be found at a glance (whom to call). It must fit on a page.
	 */
	box(title: string, rows: readonly Row[]): void {
		this.gap(10);
		const inside = this.#inset(BOX_PADDING, () => this.#height('heading', title, this.#width) + 6 + this.fieldsHeight(rows) - ROW_GAP);
		const height = inside + 2 * BOX_PADDING;
		this.#ensureSpace(height);
		const top = this.#doc.y;
		this.#doc.rect(this.#left, top, this.#width, height).lineWidth(1.5).fillAndStroke(BOX_FILL, ACCENT);
		this.#inset(BOX_PADDING, () => {
			this.#doc.y = top + BOX_PADDING;
			this.#write('heading', title, this.#left, this.#doc.y, this.#width);
			this.gap(6);
			this.fields(rows);
		});
		this.#doc.x = this.#left;
		this.#doc.y = top + height;
		this.gap(4);
	}

	/** Runs `draw` with the current page's side margins moved in by `points`. */
	#inset<T>(points: number, draw: () => T): T {
		const margins = this.#doc.page.margins;
		margins.left += points;
		margins.right += points;
		try {
			return draw();
		} finally {
			margins.left -= points;
			margins.right -= points;
		}
	}

	/**
	 * A table with a header row, repeated on each page it spans. A row may carry a note
	 * printed under its cells across the whole width; a row (with its note) that does not
	 * fit at the foot of a page starts the next one whole.
	 */
	table(columns: readonly Column[], rows: readonly TableRow[]): void {
		const total = columns.reduce((sum, column) => sum + column.share, 0);
		const widths = columns.map((column) => (column.share / total) * this.#width);
		const noteWidth = this.#width - 2 * CELL_PADDING;
		const cellsHeight = (cells: readonly string[], style: StyleName) =>
			Math.max(...cells.map((cell, i) => this.#height(style, cell, widths[i] - 2 * CELL_PADDING))) + 2 * CELL_PADDING;
		const noteHeight = (row: TableRow) => (present(row.note) ? this.#height('note', row.note, noteWidth) : 0);
		const rowHeight = (row: TableRow, style: StyleName) => cellsHeight(row.cells, style) + noteHeight(row);
		const drawRow = (row: TableRow, style: StyleName) => {
			const top = this.#doc.y;
			let x = this.#left;
			row.cells.forEach((cell, i) => {
				this.#write(style, cell, x + CELL_PADDING, top + CELL_PADDING, widths[i] - 2 * CELL_PADDING);
				x += widths[i];
			});
			const cellsBottom = top + cellsHeight(row.cells, style);
			if (present(row.note)) this.#write('note', row.note, this.#left + CELL_PADDING, cellsBottom - CELL_PADDING, noteWidth);
			this.#rule(top + rowHeight(row, style));
			this.#doc.y = top + rowHeight(row, style);
		};
		const header: TableRow = { cells: columns.map((column) => column.header) };
		this.#ensureSpace(rowHeight(header, 'label') + (rows.length > 0 ? rowHeight(rows[0], 'body') : 0));
		drawRow(header, 'label');
		for (const row of rows) {
			if (this.#doc.y + rowHeight(row, 'body') > this.#doc.page.maxY()) {
				this.#doc.addPage();
				drawRow(header, 'label');
			}
			drawRow(row, 'body');
		}
		this.#doc.x = this.#left;
		this.gap(4);
	}

	/**
	 * Stamps every page once the document is written: the banner (when there is one) at
	 * the top, and the footer lines at the bottom with "Page N sur M" on the right.
	 */
	stampPages(footer: readonly string[], banner: string | null): void {
		const doc = this.#doc;
		const { start, count } = doc.bufferedPageRange();
		for (let index = 0; index < count; index++) {
			doc.switchToPage(start + index);
			// Writing in the margins must not make pdfkit open a page.
			const { top, bottom } = doc.page.margins;
			doc.page.margins.top = 0;
			doc.page.margins.bottom = 0;
			if (banner) this.#banner(banner);
			this.#footer(footer, `Page ${index + 1} sur ${count}`);
			doc.page.margins.top = top;
			doc.page.margins.bottom = bottom;
		}
	}

	#banner(text: string): void {
		const doc = this.#doc;
		const height = 22;
		const y = 20;
		doc.rect(this.#left, y, this.#width, height).fill(ALERT);
		const width = this.#use('banner').widthOfString(text);
		doc.text(text, this.#left + (this.#width - width) / 2, y + (height - doc.currentLineHeight()) / 2 + 1, { lineBreak: false });
	}

	#footer(lines: readonly string[], pageLabel: string): void {
		const doc = this.#doc;
		const top = doc.page.height - PAGE_MARGINS.bottom + 18;
		this.#rule(top - 5);
		const lineHeight = this.#use('footer').currentLineHeight(true);
		lines.forEach((line, i) => doc.text(line, this.#left, top + i * lineHeight, { lineBreak: false }));
		const width = doc.widthOfString(pageLabel);
		doc.text(pageLabel, this.#left + this.#width - width, top, { lineBreak: false });
	}
}
