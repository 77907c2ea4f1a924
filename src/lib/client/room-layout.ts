/**
 * How the meeting room lays out its video tiles: how many fit on a page, which ones a
 * page shows, which view the stage uses, and which participants' videos the session must
 * keep receiving. Pure functions (and one small timer class), so that the page stays a
 * matter of markup and the arithmetic is tested on its own.
 */

/** Width over height of a video tile. */
export const TILE_ASPECT = 16 / 9;
/** More tiles than this on one page are too small to recognise anybody. */
export const MAX_TILES_PER_PAGE = 25;
/** Below this width (CSS pixels at the 16 px root size) a face is no longer readable. */
export const MIN_TILE_WIDTH = 240;

/** An arrangement of tiles in columns and rows, and the size each tile gets. */
export interface GridFit {
	columns: number;
	rows: number;
	tileWidth: number;
	tileHeight: number;
}

/** The arrangement of `count` 16:9 tiles that makes them largest within `width` × `height`. */
export function fitGrid(count: number, width: number, height: number, gap = 0): GridFit {
	const n = Math.max(1, Math.floor(count));
	let best: GridFit = { columns: 1, rows: n, tileWidth: 0, tileHeight: 0 };
	for (let columns = 1; columns <= n; columns++) {
		const rows = Math.ceil(n / columns);
		const byWidth = (width - gap * (columns - 1)) / columns;
		const byHeight = ((height - gap * (rows - 1)) / rows) * TILE_ASPECT;
		const tileWidth = Math.max(0, Math.floor(Math.min(byWidth, byHeight)));
		if (tileWidth > best.tileWidth) best = { columns, rows, tileWidth, tileHeight: Math.floor(tileWidth / TILE_ASPECT) };
	}
	return best;
}

export interface PageCapacityOptions {
	/** The narrowest tile worth showing (px). */
	minTileWidth?: number;
	gap?: number;
	max?: number;
}

/**
 * How many tiles one page of the grid holds: as many as stay at least `minTileWidth`
 * wide, never more than 25, never fewer than one (a tiny stage still shows somebody).
 */
export function tilesPerPage(width: number, height: number, options: PageCapacityOptions = {}): number {
	const { minTileWidth = MIN_TILE_WIDTH, gap = 0, max = MAX_TILES_PER_PAGE } = options;
	// A larger count never makes tiles larger, so the first count that is too small ends the search.
	let fits = 1;
	for (let count = 2; count <= max; count++) {
		if (fitGrid(count, width, height, gap).tileWidth < minTileWidth) break;
		fits = count;
	}
	return fits;
}

/** How many tiles of `tileLength` a filmstrip (one row or one column) of `length` holds. */
export function stripCapacity(length: number, tileLength: number, gap = 0): number {
	if (!(tileLength > 0)) return 1;
	const fits = Math.floor((length + gap) / (tileLength + gap));
	return Math.min(MAX_TILES_PER_PAGE, Math.max(1, fits));
}

/** One page of a list, numbered from 1. */
export interface Page<T> {
	items: T[];
	/** The page shown: the one asked for, brought back within the existing pages. */
	page: number;
	pageCount: number;
}

/** The items of page `page` (from 1) when pages hold `perPage` items; an empty list has one empty page. */
export function pageOf<T>(items: readonly T[], perPage: number, page: number): Page<T> {
	const size = Math.max(1, Math.floor(perPage));
	const pageCount = Math.max(1, Math.ceil(items.length / size));
	const shown = Math.min(pageCount, Math.max(1, Math.floor(page) || 1));
	return { items: items.slice((shown - 1) * size, shown * size), page: shown, pageCount };
}

/** How the stage shows the participants. */
export type ViewMode = 'grid' | 'speaker' | 'screen';

/**
 * A shared screen takes the stage whenever there is one; otherwise the user's choice,
 * except that the speaker view needs somebody else to show.
 */
export function viewMode(preferred: 'grid' | 'speaker', sharedScreenOf: string | null, remoteCount: number): ViewMode {
	if (sharedScreenOf) return 'screen';
	return preferred === 'speaker' && remoteCount > 0 ? 'speaker' : 'grid';
}

/**
 * Whom the speaker view shows large: the active speaker when it is somebody else, else
 * whoever was shown before (our own voice does not take the stage from them), else the
 * first participant. Null when nobody else is there.
 */
export function featuredPeer(activeSpeaker: string | null, previous: string | null, remoteIds: readonly string[]): string | null {
	if (activeSpeaker && remoteIds.includes(activeSpeaker)) return activeSpeaker;
	if (previous && remoteIds.includes(previous)) return previous;
	return remoteIds[0] ?? null;
}

/**
 * The participants sharing a screen, in the order they started: those who stopped are
 * dropped, newcomers go last. The stage shows the last one (the newest share).
 */
export function screenShareOrder(previous: readonly string[], sharing: readonly string[]): string[] {
	const kept = previous.filter((peerId) => sharing.includes(peerId));
	return [...kept, ...sharing.filter((peerId) => !kept.includes(peerId))];
}

/** Whether a participant's video is on screen, and how wide it is drawn (device pixels). */
export interface TileVisibility {
	visible: boolean;
	width: number;
}

/** Widths are reported in steps of this many pixels, so that a window being resized does not flood the session. */
const WIDTH_STEP = 10;

/**
 * What to tell the session about each participant's video: `shown` are the tiles on
 * screen, `widths` their measured widths, `sent` what was told before. Returns only the
 * participants whose visibility or width changed.
 */
export function visibilityChanges(
	peerIds: Iterable<string>,
	shown: ReadonlySet<string>,
	widths: ReadonlyMap<string, number>,
	sent: ReadonlyMap<string, TileVisibility>,
	fallbackWidth = 640
): Map<string, TileVisibility> {
	const changes = new Map<string, TileVisibility>();
	for (const peerId of peerIds) {
		const before = sent.get(peerId);
		const visible = shown.has(peerId);
		const measured = widths.get(peerId);
		const width = visible
			? Math.round((measured ?? before?.width ?? fallbackWidth) / WIDTH_STEP) * WIDTH_STEP
			: (before?.width ?? measured ?? fallbackWidth);
		if (!before || before.visible !== visible || before.width !== width) changes.set(peerId, { visible, width });
	}
	return changes;
}

/**
 * Says things to a screen reader at most once every `gapMs`: what comes during the gap
 * waits for its end, and only the latest of it is said (if it differs from the last).
 */
export class ThrottledAnnouncer {
	readonly #gapMs: number;
	readonly #speak: (text: string) => void;
	#lastAt = -Infinity;
	#lastText: string | null = null;
	#pending: string | null = null;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(gapMs: number, speak: (text: string) => void) {
		this.#gapMs = gapMs;
		this.#speak = speak;
	}

	say(text: string): void {
		const wait = this.#lastAt + this.#gapMs - Date.now();
		if (wait <= 0 && this.#timer === undefined) {
			this.#say(text);
			return;
		}
		this.#pending = text;
		this.#timer ??= setTimeout(() => {
			this.#timer = undefined;
			const pending = this.#pending;
			this.#pending = null;
			if (pending !== null && pending !== this.#lastText) this.#say(pending);
		}, Math.max(0, wait));
	}

	dispose(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#pending = null;
	}

	#say(text: string): void {
		this.#lastAt = Date.now();
		this.#lastText = text;
		this.#speak(text);
	}
}
