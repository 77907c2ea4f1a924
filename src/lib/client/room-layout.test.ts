import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	featuredPeer,
	fitGrid,
	MAX_TILES_PER_PAGE,
	pageOf,
	screenShareOrder,
	stripCapacity,
	ThrottledAnnouncer,
	tilesPerPage,
	viewMode,
	visibilityChanges,
	type TileVisibility
} from './room-layout';

describe('fitGrid', () => {
	it('gives one tile the whole width when the stage is wider than 16:9', () => {
		expect(fitGrid(1, 1920, 1080)).toEqual({ columns: 1, rows: 1, tileWidth: 1920, tileHeight: 1080 });
		expect(fitGrid(1, 2000, 900)).toMatchObject({ tileWidth: 1600, tileHeight: 900 });
	});

	it('puts four tiles two by two on a 16:9 stage', () => {
		expect(fitGrid(4, 1600, 900)).toMatchObject({ columns: 2, rows: 2, tileWidth: 800 });
	});

	it('lays tiles side by side on a wide, low stage and stacks them on a tall one', () => {
		expect(fitGrid(3, 3000, 500)).toMatchObject({ columns: 3, rows: 1 });
		expect(fitGrid(3, 500, 3000)).toMatchObject({ columns: 1, rows: 3 });
	});

	it('counts the gaps between tiles', () => {
		const fit = fitGrid(2, 1010, 1000, 10);
		expect(fit).toMatchObject({ columns: 1, rows: 2 });
		expect(fit.tileWidth).toBe(Math.floor((495 * 16) / 9));
	});

	it('never returns a negative size', () => {
		expect(fitGrid(9, 10, 10, 20).tileWidth).toBe(0);
	});
});

describe('tilesPerPage', () => {
	it('fits many tiles on a 1366×768 laptop, fewer than 25', () => {
		// A stage of about 1340×590 once the header and the control bar are drawn.
		const count = tilesPerPage(1340, 590, { gap: 8 });
		expect(count).toBeGreaterThanOrEqual(9);
		expect(count).toBeLessThan(MAX_TILES_PER_PAGE);
		expect(fitGrid(count, 1340, 590, 8).tileWidth).toBeGreaterThanOrEqual(240);
		expect(fitGrid(count + 1, 1340, 590, 8).tileWidth).toBeLessThan(240);
	});

	it('stops at 25 on a 4K meeting-room screen', () => {
		expect(tilesPerPage(3800, 1900, { gap: 16 })).toBe(25);
	});

	it('honours a larger minimum width (large root font)', () => {
		expect(tilesPerPage(3800, 1900, { gap: 16, minTileWidth: 1000 })).toBeLessThan(tilesPerPage(3800, 1900, { gap: 16 }));
	});

	it('shows at least one tile on a stage too small for any', () => {
		expect(tilesPerPage(100, 60)).toBe(1);
		expect(tilesPerPage(0, 0)).toBe(1);
	});
});

describe('stripCapacity', () => {
	it('counts whole tiles with their gaps', () => {
		expect(stripCapacity(600, 100, 10)).toBe(5);
		expect(stripCapacity(649, 100, 10)).toBe(5);
		expect(stripCapacity(650, 100, 10)).toBe(6);
	});

	it('holds at least one and at most 25 tiles', () => {
		expect(stripCapacity(50, 100)).toBe(1);
		expect(stripCapacity(100_000, 100)).toBe(25);
		expect(stripCapacity(500, 0)).toBe(1);
	});
});

describe('pageOf', () => {
	const people = ['self', 'a', 'b', 'c', 'd', 'e', 'f'];

	it('keeps the order of the list, self first', () => {
		expect(pageOf(people, 3, 1)).toEqual({ items: ['self', 'a', 'b'], page: 1, pageCount: 3 });
		expect(pageOf(people, 3, 2).items).toEqual(['c', 'd', 'e']);
		expect(pageOf(people, 3, 3).items).toEqual(['f']);
	});

	it('brings a page number that no longer exists back within the pages', () => {
		expect(pageOf(people, 3, 9)).toMatchObject({ items: ['f'], page: 3 });
		expect(pageOf(people, 25, 2)).toMatchObject({ items: people, page: 1, pageCount: 1 });
		expect(pageOf(people, 3, 0).page).toBe(1);
		expect(pageOf(people, 3, Number.NaN).page).toBe(1);
	});

	it('has one empty page for an empty list', () => {
		expect(pageOf([], 4, 2)).toEqual({ items: [], page: 1, pageCount: 1 });
	});
});

describe('viewMode', () => {
	it('shows a shared screen whatever was chosen', () => {
		expect(viewMode('grid', 'p1', 1)).toBe('screen');
		expect(viewMode('speaker', 'p1', 1)).toBe('screen');
	});

	it('follows the choice between grid and speaker view', () => {
		expect(viewMode('grid', null, 3)).toBe('grid');
		expect(viewMode('speaker', null, 3)).toBe('speaker');
	});

	it('uses the grid when there is nobody else to show large', () => {
		expect(viewMode('speaker', null, 0)).toBe('grid');
	});
});

describe('featuredPeer', () => {
	const remotes = ['a', 'b', 'c'];

	it('shows the active speaker', () => {
		expect(featuredPeer('b', 'a', remotes)).toBe('b');
	});

	it('keeps the previous speaker while we speak ourselves or nobody does', () => {
		expect(featuredPeer('self', 'c', remotes)).toBe('c');
		expect(featuredPeer(null, 'c', remotes)).toBe('c');
	});

	it('falls back to the first participant, or nobody', () => {
		expect(featuredPeer(null, 'gone', remotes)).toBe('a');
		expect(featuredPeer('self', null, [])).toBeNull();
	});
});

describe('screenShareOrder', () => {
	it('appends new shares and drops ended ones', () => {
		expect(screenShareOrder([], ['a'])).toEqual(['a']);
		expect(screenShareOrder(['a'], ['b', 'a'])).toEqual(['a', 'b']);
		expect(screenShareOrder(['a', 'b'], ['a'])).toEqual(['a']);
		expect(screenShareOrder(['a', 'b'], [])).toEqual([]);
	});
});

describe('visibilityChanges', () => {
	const none = new Map<string, TileVisibility>();

	it('reports every participant the first time', () => {
		const changes = visibilityChanges(['a', 'b'], new Set(['a']), new Map([['a', 321]]), none);
		expect(changes).toEqual(
			new Map([
				['a', { visible: true, width: 320 }],
				['b', { visible: false, width: 640 }]
			])
		);
	});

	it('reports nothing when nothing changed', () => {
		const sent = new Map([['a', { visible: true, width: 320 }]]);
		expect(visibilityChanges(['a'], new Set(['a']), new Map([['a', 323]]), sent).size).toBe(0);
	});

	it('reports a tile leaving the page, keeping its last width', () => {
		const sent = new Map([['a', { visible: true, width: 320 }]]);
		expect(visibilityChanges(['a'], new Set(), new Map([['a', 900]]), sent)).toEqual(new Map([['a', { visible: false, width: 320 }]]));
	});

	it('reports a tile drawn larger', () => {
		const sent = new Map([['a', { visible: true, width: 320 }]]);
		expect(visibilityChanges(['a'], new Set(['a']), new Map([['a', 1200]]), sent)).toEqual(new Map([['a', { visible: true, width: 1200 }]]));
	});
});

describe('ThrottledAnnouncer', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('says the first thing at once, then at most once per gap, the latest only', () => {
		vi.useFakeTimers();
		const said: string[] = [];
		const announcer = new ThrottledAnnouncer(4000, (text) => said.push(text));
		announcer.say('Alice parle');
		expect(said).toEqual(['Alice parle']);
		vi.advanceTimersByTime(1000);
		announcer.say('Bruno parle');
		announcer.say('Chloé parle');
		expect(said).toEqual(['Alice parle']);
		vi.advanceTimersByTime(3000);
		expect(said).toEqual(['Alice parle', 'Chloé parle']);
		vi.advanceTimersByTime(10_000);
		announcer.say('Alice parle');
		expect(said).toEqual(['Alice parle', 'Chloé parle', 'Alice parle']);
	});

	it('does not repeat what was just said', () => {
		vi.useFakeTimers();
		const said: string[] = [];
		const announcer = new ThrottledAnnouncer(4000, (text) => said.push(text));
		announcer.say('Alice parle');
		announcer.say('Bruno parle');
		announcer.say('Alice parle');
		vi.advanceTimersByTime(5000);
		expect(said).toEqual(['Alice parle']);
	});

	it('says nothing more once disposed', () => {
		vi.useFakeTimers();
		const said: string[] = [];
		const announcer = new ThrottledAnnouncer(4000, (text) => said.push(text));
		announcer.say('Alice parle');
		announcer.say('Bruno parle');
		announcer.dispose();
		vi.advanceTimersByTime(5000);
		expect(said).toEqual(['Alice parle']);
	});
});
