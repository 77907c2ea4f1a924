import { describe, expect, it } from 'vitest';
import { CAMERA_LAYERS, frameSize, MAX_PAYLOAD, packetize, parseDescriptor, TEMPORAL_PATTERN, Vp8LayerEncoder, vp8Frame } from './vp8.ts';

describe('synthetic VP8', () => {
	it('marks a key frame the way the SFU reads it (inverse key frame bit, start code, size)', () => {
		const frame = vp8Frame(CAMERA_LAYERS[1], true, 2000);
		expect(frame[0] & 0x01).toBe(0);
		expect([...frame.subarray(3, 6)]).toEqual([0x9d, 0x01, 0x2a]);
		expect(frame.readUInt16LE(6)).toBe(640);
		expect(frame.readUInt16LE(8)).toBe(360);
		expect(vp8Frame(CAMERA_LAYERS[1], false, 2000)[0] & 0x01).toBe(1);
	});

	it('splits a frame into packets no larger than the limit, the start bit on the first only', () => {
		const frame = vp8Frame(CAMERA_LAYERS[2], true, 15_000);
		const payloads = packetize(frame, { pictureId: 300, tl0PicIdx: 7, temporalLayer: 0, layerSync: false, nonReference: false });
		expect(payloads.length).toBe(Math.ceil(15_000 / (MAX_PAYLOAD - 6)));
		expect(payloads.every((p) => p.length <= MAX_PAYLOAD)).toBe(true);
		expect(payloads.map((p) => parseDescriptor(p)?.start)).toEqual(payloads.map((_, i) => i === 0));
		expect(parseDescriptor(payloads[0])).toMatchObject({ keyFrame: true, pictureId: 300, temporalLayer: 0 });
		expect(parseDescriptor(payloads[1])?.keyFrame).toBe(false);
		const total = payloads.reduce((sum, p) => sum + p.length - 6, 0);
		expect(total).toBe(15_000);
	});

	it('cycles the temporal layers TL0 TL2 TL1 TL2 and restarts them on a key frame', () => {
		const encoder = new Vp8LayerEncoder(CAMERA_LAYERS[0], 10);
		const layers = Array.from({ length: 8 }, (_, i) => encoder.nextFrame(i === 0).temporalLayer);
		expect(layers).toEqual([...TEMPORAL_PATTERN, ...TEMPORAL_PATTERN]);
		expect(encoder.nextFrame(false).temporalLayer).toBe(0);
		expect(encoder.nextFrame(true).temporalLayer).toBe(0);
		expect(encoder.nextFrame(false).temporalLayer).toBe(2);
	});

	it('sizes frames from the layer bitrate (key frames three times larger)', () => {
		expect(frameSize(CAMERA_LAYERS[0], false)).toBe(625);
		expect(frameSize(CAMERA_LAYERS[0], true)).toBe(1875);
	});
});
