/**
 * What a receiving bot measures of one consumer, from the RTP it receives (its own
 * statistics, as a browser's inbound-rtp report computes them):
 *
 * - bitrate over the last interval (payload and header bytes);
 * - loss: packets expected from the sequence numbers (extended to 32 bits) minus
 *   packets received, over the interval and in total (RFC 3550 §A.3);
 * - jitter: the interarrival jitter of RFC 3550 §6.4.1, in milliseconds;
 * - frames (video): a frame is complete at its marker bit; a freeze is an interval
 *   between two frames longer than max(3 × the mean interval, mean + 150 ms), the
 *   definition of W3C webrtc-stats `freezeCount`; `freezeMs` is their total duration,
 *   and `maxGapMs` the longest interval between two frames (or since the last one).
 */

export interface IntervalStats {
	kbps: number;
	packets: number;
	/** Packets missing from the sequence numbers in the interval. */
	lost: number;
	lossPercent: number;
	framesPerSecond: number;
}

export interface TotalStats {
	packets: number;
	bytes: number;
	lost: number;
	jitterMs: number;
	frames: number;
	keyFrames: number;
	freezes: number;
	freezeMs: number;
	maxGapMs: number;
	/** Intervals between two frames over one second: a freeze anybody would see (the bots' own event-loop pauses stay well below). */
	longGaps: number;
	firstPacketAt: number | null;
	firstFrameAt: number | null;
}

export class ReceiveStats {
	readonly #clockRate: number;
	readonly #video: boolean;
	#baseSeq: number | null = null;
	#cycles = 0;
	#maxSeq = 0;
	#received = 0;
	#bytes = 0;
	#jitter = 0;
	#lastTransit: number | null = null;
	#frames = 0;
	#keyFrames = 0;
	#lastFrameAt: number | null = null;
	#meanInterval = 0;
	#freezes = 0;
	#freezeMs = 0;
	#maxGap = 0;
	#longGaps = 0;
	#firstPacketAt: number | null = null;
	#firstFrameAt: number | null = null;
	// At the start of the current interval.
	#mark = { at: 0, received: 0, expected: 0, bytes: 0, frames: 0 };

	constructor(kind: 'audio' | 'video', clockRate: number, now: number) {
		this.#clockRate = clockRate;
		this.#video = kind === 'video';
		this.#mark.at = now;
	}

	/** One packet: its sequence number, RTP timestamp, size, marker bit, key frame start. */
	onPacket(sequenceNumber: number, timestamp: number, size: number, marker: boolean, keyFrame: boolean, now: number): void {
		if (this.#firstPacketAt === null) this.#firstPacketAt = now;
		if (this.#baseSeq === null) {
			this.#baseSeq = sequenceNumber;
			this.#maxSeq = sequenceNumber;
		} else {
			const delta = (sequenceNumber - this.#maxSeq + 0x10000) % 0x10000;
			if (delta > 0 && delta < 0x8000) {
				if (sequenceNumber < this.#maxSeq) this.#cycles += 0x10000;
				this.#maxSeq = sequenceNumber;
			}
		}
		this.#received += 1;
		this.#bytes += size;
		const arrival = (now * this.#clockRate) / 1000;
		const transit = arrival - timestamp;
		if (this.#lastTransit !== null) {
			let d = Math.abs(transit - this.#lastTransit);
			// A timestamp wrap or a layer switch's rewrite: not jitter.
			if (d > this.#clockRate) d = 0;
			this.#jitter += (d - this.#jitter) / 16;
		}
		this.#lastTransit = transit;
		if (keyFrame) this.#keyFrames += 1;
		if (this.#video && marker) this.#frameCompleted(now);
	}

	#frameCompleted(now: number): void {
		this.#frames += 1;
		if (this.#lastFrameAt === null) {
			this.#firstFrameAt = now;
		} else {
			const gap = now - this.#lastFrameAt;
			if (this.#frames > 3 && gap > Math.max(3 * this.#meanInterval, this.#meanInterval + 150)) {
				this.#freezes += 1;
				this.#freezeMs += gap;
			}
			this.#maxGap = Math.max(this.#maxGap, gap);
			if (gap > 1000) this.#longGaps += 1;
			this.#meanInterval = this.#frames <= 2 ? gap : this.#meanInterval + (gap - this.#meanInterval) / 30;
		}
		this.#lastFrameAt = now;
	}

	get #expected(): number {
		return this.#baseSeq === null ? 0 : this.#cycles + this.#maxSeq - this.#baseSeq + 1;
	}

	/** The figures since the previous call (and starts a new interval). */
	interval(now: number): IntervalStats {
		const seconds = Math.max(0.001, (now - this.#mark.at) / 1000);
		const expected = this.#expected - this.#mark.expected;
		const received = this.#received - this.#mark.received;
		const lost = Math.max(0, expected - received);
		const result = {
			kbps: ((this.#bytes - this.#mark.bytes) * 8) / 1000 / seconds,
			packets: received,
			lost,
			lossPercent: expected > 0 ? (100 * lost) / expected : 0,
			framesPerSecond: (this.#frames - this.#mark.frames) / seconds
		};
		this.#mark = { at: now, received: this.#received, expected: this.#expected, bytes: this.#bytes, frames: this.#frames };
		return result;
	}

	/** Everything since the first packet; a video silent for now counts as a current gap. */
	totals(now: number): TotalStats {
		const currentGap = this.#video && this.#lastFrameAt !== null ? now - this.#lastFrameAt : 0;
		return {
			packets: this.#received,
			bytes: this.#bytes,
			lost: Math.max(0, this.#expected - this.#received),
			jitterMs: (this.#jitter * 1000) / this.#clockRate,
			frames: this.#frames,
			keyFrames: this.#keyFrames,
			freezes: this.#freezes,
			freezeMs: this.#freezeMs,
			maxGapMs: Math.max(this.#maxGap, currentGap),
			longGaps: this.#longGaps,
			firstPacketAt: this.#firstPacketAt,
			firstFrameAt: this.#firstFrameAt
		};
	}
}
