import { describe, expect, it } from 'vitest';
import { ReceiveStats } from './receive-stats.ts';

/** Feeds `frames` one-packet frames at `fps`, skipping the sequence numbers in `drop`. */
function feed(stats: ReceiveStats, from: number, frames: number, fps: number, drop: Set<number> = new Set(), seq0 = 65_530) {
	let t = from;
	for (let i = 0; i < frames; i++) {
		t = from + (i * 1000) / fps;
		const seq = (seq0 + i) & 0xffff;
		if (!drop.has(i)) stats.onPacket(seq, (i * 90_000) / fps, 1000, true, i === 0, t);
	}
	return t;
}

describe('a bot’s receive statistics', () => {
	it('counts packets, bitrate and frames, across a sequence-number wrap', () => {
		const stats = new ReceiveStats('video', 90_000, 0);
		feed(stats, 0, 30, 30);
		const interval = stats.interval(1000);
		expect(interval.packets).toBe(30);
		expect(interval.lossPercent).toBe(0);
		expect(interval.kbps).toBeCloseTo(240, 0);
		expect(interval.framesPerSecond).toBe(30);
		expect(stats.totals(1000)).toMatchObject({ packets: 30, lost: 0, frames: 30, keyFrames: 1, freezes: 0 });
	});

	it('reports lost packets from the gaps in the sequence numbers', () => {
		const stats = new ReceiveStats('video', 90_000, 0);
		feed(stats, 0, 100, 30, new Set([10, 11, 50]));
		const interval = stats.interval(3400);
		expect(interval.lossPercent).toBeCloseTo(3, 5);
		expect(interval.lost).toBe(3);
		expect(stats.totals(3400).lost).toBe(3);
	});

	it('has no jitter when packets arrive at their timestamps’ pace, some when they do not', () => {
		const steady = new ReceiveStats('video', 90_000, 0);
		feed(steady, 0, 60, 30);
		expect(steady.totals(2000).jitterMs).toBeCloseTo(0, 5);
		const shaky = new ReceiveStats('video', 90_000, 0);
		for (let i = 0; i < 60; i++) shaky.onPacket(i, i * 3000, 1000, true, false, i * 33.3 + (i % 2 ? 10 : 0));
		expect(shaky.totals(2000).jitterMs).toBeGreaterThan(3);
	});

	it('counts a freeze when frames stop, and the silence so far as the longest gap', () => {
		const stats = new ReceiveStats('video', 90_000, 0);
		const end = feed(stats, 0, 30, 30);
		stats.onPacket(30, 31 * 3000, 1000, true, false, end + 1500);
		const totals = stats.totals(end + 1500);
		expect(totals.freezes).toBe(1);
		expect(totals.freezeMs).toBeCloseTo(1500, 0);
		expect(stats.totals(end + 1500 + 2500).maxGapMs).toBeCloseTo(2500, 0);
	});

	it('does not count frames of audio', () => {
		const stats = new ReceiveStats('audio', 48_000, 0);
		stats.onPacket(1, 0, 100, true, false, 0);
		expect(stats.totals(10)).toMatchObject({ frames: 0, maxGapMs: 0 });
	});
});

describe('long gaps', () => {
	it('counts the intervals between frames over one second', () => {
		const stats = new ReceiveStats('video', 90_000, 0);
		const end = feed(stats, 0, 30, 30);
		stats.onPacket(30, 31 * 3000, 1000, true, false, end + 900);
		stats.onPacket(31, 32 * 3000, 1000, true, false, end + 900 + 1200);
		expect(stats.totals(end + 2100).longGaps).toBe(1);
	});
});
