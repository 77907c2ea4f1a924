import { describe, expect, it } from 'vitest';
import { InboundRtpTally } from './inbound-rtp.ts';

const stream = (ssrc: number, packetCount: number, packetsLost: number) => ({ ssrc, packetCount, packetsLost });

describe('InboundRtpTally', () => {
	it('counts a stream whole the first time, then only what it gained', () => {
		const tally = new InboundRtpTally();
		const producer = {};
		expect(tally.gain(producer, [stream(1, 100, 3)])).toEqual({ packets: 100, lost: 3 });
		expect(tally.gain(producer, [stream(1, 150, 5)])).toEqual({ packets: 50, lost: 2 });
		expect(tally.gain(producer, [stream(1, 150, 5)])).toEqual({ packets: 0, lost: 0 });
	});

	it('adds up the simulcast layers of a producer, each followed by its own SSRC', () => {
		const tally = new InboundRtpTally();
		const camera = {};
		expect(tally.gain(camera, [stream(1, 10, 1), stream(2, 20, 0), stream(3, 30, 2)])).toEqual({ packets: 60, lost: 3 });
		// The layers come back in another order, one of them new.
		expect(tally.gain(camera, [stream(3, 35, 2), stream(4, 5, 1), stream(1, 10, 1)])).toEqual({ packets: 10, lost: 1 });
	});

	it('never gives back: a loss repaired by a late packet counts as no gain, and is not counted twice', () => {
		const tally = new InboundRtpTally();
		const producer = {};
		tally.gain(producer, [stream(1, 100, 4)]);
		expect(tally.gain(producer, [stream(1, 110, 2)])).toEqual({ packets: 10, lost: 0 });
		expect(tally.gain(producer, [stream(1, 120, 5)])).toEqual({ packets: 10, lost: 1 });
	});

	it('keeps producers apart, even when their streams share an SSRC', () => {
		const tally = new InboundRtpTally();
		const a = {};
		const b = {};
		tally.gain(a, [stream(7, 100, 1)]);
		expect(tally.gain(b, [stream(7, 40, 2)])).toEqual({ packets: 40, lost: 2 });
	});
});
