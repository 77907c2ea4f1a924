/**
 * Packet loss on what browsers send to the SFU, turned into running totals.
 *
 * mediasoup keeps, per received RTP stream (one per simulcast layer), the packets
 * received and the packets lost so far (expected minus received, as RTCP counts them).
 * Those figures die with their producer, so summing them at each scrape would go down
 * whenever someone leaves. Instead each scrape adds what every stream gained since the
 * scrape before: the totals only grow, and a stream that answered late is caught up at
 * the next scrape. What a stream gained after its last scrape and before it closed is
 * not counted.
 */

/** The part of mediasoup's receive-stream stats read here (`producer.getStats()`). */
export interface ReceivedStreamStats {
	ssrc: number;
	packetCount: number;
	packetsLost: number;
}

/** What the streams gained since they were last read. */
export interface InboundGain {
	packets: number;
	lost: number;
}

export class InboundRtpTally {
	/** The last figures read, per producer (an object mediasoup owns) and stream. */
	readonly #seen = new WeakMap<object, Map<number, { packets: number; lost: number }>>();

	/**
	 * Reads one producer's streams; returns what they gained since the last reading.
	 * Figures that went down (a late packet repairs a loss) count as no gain.
	 */
	gain(producer: object, streams: readonly ReceivedStreamStats[]): InboundGain {
		let seen = this.#seen.get(producer);
		if (!seen) this.#seen.set(producer, (seen = new Map()));
		const gained = { packets: 0, lost: 0 };
		for (const stream of streams) {
			const before = seen.get(stream.ssrc) ?? { packets: 0, lost: 0 };
			gained.packets += Math.max(0, stream.packetCount - before.packets);
			gained.lost += Math.max(0, stream.packetsLost - before.lost);
			seen.set(stream.ssrc, {
				packets: Math.max(before.packets, stream.packetCount),
				lost: Math.max(before.lost, stream.packetsLost)
			});
		}
		return gained;
	}
}
