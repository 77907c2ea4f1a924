/**
 * Synthetic VP8 over RTP (RFC 7741), as a camera encoder would packetise it: every frame
 * starts with a payload descriptor (picture id, TL0PICIDX, temporal layer) and a VP8
 * frame tag; a key frame carries the start code and the picture size. The rest of the
 * frame is filler of the size the layer's bitrate gives. The SFU reads exactly these
 * fields (key frames, temporal layers, picture ids) to switch layers; nobody decodes
 * the picture.
 */

/** One simulcast layer of the camera: what a 1280×720 camera at 30 fps sends per layer. */
export interface LayerSpec {
	width: number;
	height: number;
	bitrate: number;
	fps: number;
}

/** Concerto's camera encodings (room-session: scaleResolutionDownBy 4/2/1, 150/500/1200 kb/s). */
export const CAMERA_LAYERS: LayerSpec[] = [
	{ width: 320, height: 180, bitrate: 150_000, fps: 30 },
	{ width: 640, height: 360, bitrate: 500_000, fps: 30 },
	{ width: 1280, height: 720, bitrate: 1_200_000, fps: 30 }
];

/** The largest VP8 payload of one RTP packet (room for headers and SRTP within ~1200 bytes). */
export const MAX_PAYLOAD = 1100;

/** L1T3's temporal pattern: TL0, TL2, TL1, TL2. */
export const TEMPORAL_PATTERN = [0, 2, 1, 2] as const;

/** The state of one layer's encoder: picture ids and the temporal cycle. */
export class Vp8LayerEncoder {
	#frame = 0;
	#pictureId: number;
	#tl0PicIdx: number;

	readonly spec: LayerSpec;

	constructor(spec: LayerSpec, seed = 0) {
		this.spec = spec;
		this.#pictureId = seed & 0x7fff;
		this.#tl0PicIdx = seed & 0xff;
	}

	/** The RTP payloads of the next frame; `keyFrame` restarts the temporal cycle. */
	nextFrame(keyFrame: boolean): { payloads: Buffer[]; temporalLayer: number } {
		if (keyFrame) this.#frame = 0;
		const temporalLayer = TEMPORAL_PATTERN[this.#frame % TEMPORAL_PATTERN.length];
		if (temporalLayer === 0 && this.#frame > 0) this.#tl0PicIdx = (this.#tl0PicIdx + 1) & 0xff;
		const size = frameSize(this.spec, keyFrame);
		const payloads = packetize(vp8Frame(this.spec, keyFrame, size), {
			pictureId: this.#pictureId,
			tl0PicIdx: this.#tl0PicIdx,
			temporalLayer,
			layerSync: temporalLayer > 0 && this.#frame % TEMPORAL_PATTERN.length < 3,
			nonReference: temporalLayer === 2
		});
		this.#pictureId = (this.#pictureId + 1) & 0x7fff;
		this.#frame += 1;
		return { payloads, temporalLayer };
	}
}

/** Bytes of one frame: the layer's bitrate over its frame rate; key frames are 3× larger. */
export function frameSize(spec: LayerSpec, keyFrame: boolean): number {
	const average = Math.round(spec.bitrate / spec.fps / 8);
	return keyFrame ? average * 3 : average;
}

/** A VP8 frame of `size` bytes: the frame tag, and for a key frame the start code and size. */
export function vp8Frame(spec: LayerSpec, keyFrame: boolean, size: number): Buffer {
	const frame = Buffer.alloc(Math.max(size, 10), 0x55);
	const firstPartition = Math.min(size, 0x7ffff);
	// Frame tag: bit 0 is "inter frame" (0 on a key frame), bits 1-3 version 0, bit 4 show_frame.
	const tag = (keyFrame ? 0 : 1) | (1 << 4) | (firstPartition << 5);
	frame[0] = tag & 0xff;
	frame[1] = (tag >> 8) & 0xff;
	frame[2] = (tag >> 16) & 0xff;
	if (keyFrame) {
		frame[3] = 0x9d;
		frame[4] = 0x01;
		frame[5] = 0x2a;
		frame.writeUInt16LE(spec.width & 0x3fff, 6);
		frame.writeUInt16LE(spec.height & 0x3fff, 8);
	}
	return frame;
}

export interface DescriptorFields {
	pictureId: number;
	tl0PicIdx: number;
	temporalLayer: number;
	layerSync: boolean;
	nonReference: boolean;
}

/** Splits a frame into RTP payloads, each behind a VP8 payload descriptor (S set on the first). */
export function packetize(frame: Buffer, fields: DescriptorFields, maxPayload = MAX_PAYLOAD): Buffer[] {
	const descriptorLength = 6;
	const chunk = maxPayload - descriptorLength;
	const payloads: Buffer[] = [];
	for (let offset = 0; offset < frame.length; offset += chunk) {
		const part = frame.subarray(offset, Math.min(frame.length, offset + chunk));
		const payload = Buffer.allocUnsafe(descriptorLength + part.length);
		// X (extended), N (non-reference), S (start of partition), PID 0.
		payload[0] = 0x80 | (fields.nonReference ? 0x20 : 0) | (offset === 0 ? 0x10 : 0);
		// I (picture id), L (TL0PICIDX), T (TID).
		payload[1] = 0x80 | 0x40 | 0x20;
		payload[2] = 0x80 | ((fields.pictureId >> 8) & 0x7f);
		payload[3] = fields.pictureId & 0xff;
		payload[4] = fields.tl0PicIdx & 0xff;
		payload[5] = ((fields.temporalLayer & 0x03) << 6) | (fields.layerSync ? 0x20 : 0);
		part.copy(payload, descriptorLength);
		payloads.push(payload);
	}
	return payloads;
}

/** What a receiver reads back from a VP8 payload: start of frame, key frame, temporal layer. */
export function parseDescriptor(payload: Buffer): { start: boolean; keyFrame: boolean; temporalLayer: number; pictureId: number } | null {
	if (payload.length < 7 || !(payload[0] & 0x80)) return null;
	const start = (payload[0] & 0x10) !== 0;
	const pictureId = ((payload[2] & 0x7f) << 8) | payload[3];
	const temporalLayer = (payload[5] >> 6) & 0x03;
	const keyFrame = start && (payload[6] & 0x01) === 0;
	return { start, keyFrame, temporalLayer, pictureId };
}
