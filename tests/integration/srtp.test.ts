// End-to-end check of the mediasoup worker's SRTP path, which in our
// air-gapped build runs on Debian's libsrtp 2 through the adapter in
// server/mediasoup-worker/subprojects/libsrtp3/include/srtp.h.
//
// Topology, per crypto suite (everything on 127.0.0.1, real UDP):
//
//   source socket --RTP--> IN (plain, comedia)       router A
//                          producer P1
//                          consumer --> X (SRTP) ---SRTP---> relay socket
//   relay socket  ---SRTP--------------------------------> Y (SRTP)   router B
//                                                          producer P2
//                          sink socket <--RTP-- OUT (plain) consumer
//
// The relay forwards X <-> Y unchanged and keeps a copy of every SRTP packet
// X sends. The test then checks that:
//  - every payload reaches the sink intact (Y decrypts what X encrypted);
//  - the captured packets are genuine RFC 3711 / RFC 7714 SRTP for the chosen
//    suite: decrypting them here with node:crypto and X's key yields the
//    payloads. A self-consistent but non-standard adapter (wrong profile, key
//    or salt mapping on both ends) would pass the first check but fail this;
//  - with a corrupted key on Y, packets reach Y but are rejected: nothing is
//    forwarded to the sink.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mediasoup from 'mediasoup';
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

type Worker = mediasoup.types.Worker;
type Router = mediasoup.types.Router;
type SrtpCryptoSuite = mediasoup.types.SrtpCryptoSuite;
type SrtpParameters = mediasoup.types.SrtpParameters;

const LOCALHOST = '127.0.0.1';
const PACKET_COUNT = 20;
const PAYLOAD_SIZE = 100;
const SOURCE_SSRC = 0x11223344;
const SOURCE_PT = 100;
const DEADLINE_MS = 5000;

const mediaCodecs: mediasoup.types.RouterRtpCodecCapability[] = [
	{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
];

// Key material and wire parameters of each suite (RFC 3711, RFC 7714).
type SuiteSpec = {
	masterKeyLen: number;
	masterSaltLen: number;
	aead: boolean;
	rtpTagLen: number;
};

const SUITES: Record<SrtpCryptoSuite, SuiteSpec> = {
	AEAD_AES_256_GCM: { masterKeyLen: 32, masterSaltLen: 12, aead: true, rtpTagLen: 16 },
	AEAD_AES_128_GCM: { masterKeyLen: 16, masterSaltLen: 12, aead: true, rtpTagLen: 16 },
	AES_CM_128_HMAC_SHA1_80: { masterKeyLen: 16, masterSaltLen: 14, aead: false, rtpTagLen: 10 },
	AES_CM_128_HMAC_SHA1_32: { masterKeyLen: 16, masterSaltLen: 14, aead: false, rtpTagLen: 4 },
};

/* Small helpers. */

async function until<T>(
	what: string,
	probe: () => T | undefined | Promise<T | undefined>,
	deadlineMs = DEADLINE_MS,
): Promise<T> {
	const deadline = Date.now() + deadlineMs;

	for (;;) {
		const value = await probe();

		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
		}

		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function bindUdp(): Promise<dgram.Socket> {
	const socket = dgram.createSocket('udp4');

	await new Promise<void>((resolve, reject) => {
		socket.once('error', reject);
		socket.bind(0, LOCALHOST, () => {
			socket.off('error', reject);
			resolve();
		});
	});

	return socket;
}

function portOf(socket: dgram.Socket): number {
	return (socket.address() as AddressInfo).port;
}

// With rtcp-mux, RTCP packet types 192-223 share the second octet with RTP
// payload types (RFC 5761, section 4).
function isRtcp(packet: Buffer): boolean {
	return packet.length >= 2 && packet[1] >= 192 && packet[1] <= 223;
}

type RtpView = { seq: number; ssrc: number; headerLen: number };

function parseRtp(packet: Buffer): RtpView {
	if (packet.length < 12 || packet[0] >> 6 !== 2) {
		throw new Error('not an RTP packet');
	}

	const csrcCount = packet[0] & 0x0f;
	let headerLen = 12 + 4 * csrcCount;

	if (packet[0] & 0x10) {
		headerLen += 4 + 4 * packet.readUInt16BE(headerLen + 2);
	}

	return { seq: packet.readUInt16BE(2), ssrc: packet.readUInt32BE(8), headerLen };
}

// Payload of a plain RTP packet, without padding.
function rtpPayload(packet: Buffer): Buffer {
	const { headerLen } = parseRtp(packet);
	const padding = packet[0] & 0x20 ? packet[packet.length - 1] : 0;

	return packet.subarray(headerLen, packet.length - padding);
}

function makeRtp(seq: number, payload: Buffer): Buffer {
	const header = Buffer.alloc(12);

	header[0] = 0x80;
	header[1] = SOURCE_PT;
	header.writeUInt16BE(seq & 0xffff, 2);
	header.writeUInt32BE((seq * 960) >>> 0, 4);
	header.writeUInt32BE(SOURCE_SSRC, 8);

	return Buffer.concat([header, payload]);
}

/* Independent SRTP receiver (node:crypto), to check the wire format. */

function xorInto(target: Buffer, offset: number, value: Buffer): void {
	for (let i = 0; i < value.length; i++) {
		target[offset + i] ^= value[i];
	}
}

// RFC 3711 section 4.3.1 key derivation (key derivation rate 0), with the
// AES-CM PRF. RFC 7714 uses it unchanged with a 96-bit salt, zero-padded.
function deriveSessionKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
	const iv = Buffer.alloc(16);

	masterSalt.copy(iv, 0);
	iv[7] ^= label;

	const cipher = createCipheriv(`aes-${masterKey.length * 8}-ctr`, masterKey, iv);

	return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}

function makeSrtpDecryptor(suite: SrtpCryptoSuite, srtpParameters: SrtpParameters) {
	const spec = SUITES[suite];
	const keyAndSalt = Buffer.from(srtpParameters.keyBase64, 'base64');

	expect(keyAndSalt.length).toBe(spec.masterKeyLen + spec.masterSaltLen);

	const masterKey = keyAndSalt.subarray(0, spec.masterKeyLen);
	const masterSalt = keyAndSalt.subarray(spec.masterKeyLen);
	const encKey = deriveSessionKey(masterKey, masterSalt, 0x00, spec.masterKeyLen);
	const authKey = deriveSessionKey(masterKey, masterSalt, 0x01, 20);
	const salt = deriveSessionKey(masterKey, masterSalt, 0x02, spec.masterSaltLen);

	// Rollover counter estimation (RFC 3711 section 3.3.1), enough for an
	// in-order stream.
	let lastSeq: number | undefined;
	let roc = 0;

	return (packet: Buffer): Buffer => {
		const { seq, ssrc, headerLen } = parseRtp(packet);

		if (lastSeq !== undefined && seq < lastSeq && lastSeq - seq > 0x8000) {
			roc++;
		}

		lastSeq = seq;

		const header = packet.subarray(0, headerLen);
		const body = packet.subarray(headerLen, packet.length - spec.rtpTagLen);
		const tag = packet.subarray(packet.length - spec.rtpTagLen);

		if (spec.aead) {
			// RFC 7714 section 8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt.
			const iv = Buffer.alloc(12);

			iv.writeUInt32BE(ssrc, 2);
			iv.writeUInt32BE(roc, 6);
			iv.writeUInt16BE(seq, 10);
			xorInto(iv, 0, salt);

			const algorithm = encKey.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
			const decipher = createDecipheriv(algorithm, encKey, iv, { authTagLength: spec.rtpTagLen });

			decipher.setAAD(header);
			decipher.setAuthTag(tag);

			return Buffer.concat([decipher.update(body), decipher.final()]);
		}

		// RFC 3711 section 4.2: HMAC-SHA1 over the packet and the ROC.
		const rocBytes = Buffer.alloc(4);

		rocBytes.writeUInt32BE(roc);

		const expectedTag = createHmac('sha1', authKey)
			.update(packet.subarray(0, packet.length - spec.rtpTagLen))
			.update(rocBytes)
			.digest()
			.subarray(0, spec.rtpTagLen);

		if (!timingSafeEqual(expectedTag, tag)) {
			throw new Error('SRTP authentication tag mismatch');
		}

		// RFC 3711 section 4.1.1: IV = salt XOR (SSRC << 64) XOR (index << 16).
		const iv = Buffer.alloc(16);

		salt.copy(iv, 0);

		const ssrcBytes = Buffer.alloc(4);
		const indexBytes = Buffer.alloc(6);

		ssrcBytes.writeUInt32BE(ssrc);
		indexBytes.writeUInt32BE(roc, 0);
		indexBytes.writeUInt16BE(seq, 4);
		xorInto(iv, 4, ssrcBytes);
		xorInto(iv, 8, indexBytes);

		const decipher = createDecipheriv(`aes-${encKey.length * 8}-ctr`, encKey, iv);

		return Buffer.concat([decipher.update(body), decipher.final()]);
	};
}

/* The pipeline under test. */

type RunResult = {
	sent: Buffer[];
	received: Buffer[];
	captured: Buffer[];
	xSrtpParameters: SrtpParameters;
	yBytesReceived: number;
	yRtpBytesReceived: number;
	p2StreamCount: number;
};

async function runPipeline(
	worker: Worker,
	suite: SrtpCryptoSuite,
	{ corruptKeyOnY }: { corruptKeyOnY: boolean },
): Promise<RunResult> {
	const routers: Router[] = [];
	const sockets: dgram.Socket[] = [];

	try {
		const routerA = await worker.createRouter({ mediaCodecs });
		const routerB = await worker.createRouter({ mediaCodecs });

		routers.push(routerA, routerB);

		const listenInfo = { protocol: 'udp' as const, ip: LOCALHOST };
		const srtp = { enableSrtp: true, srtpCryptoSuite: suite };

		const source = await bindUdp();
		const relay = await bindUdp();
		const sink = await bindUdp();

		sockets.push(source, relay, sink);

		// IN: plain RTP from the source socket, learnt from the first packet.
		const transportIn = await routerA.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
		const p1 = await transportIn.produce({
			kind: 'audio',
			rtpParameters: {
				codecs: [{ mimeType: 'audio/opus', payloadType: SOURCE_PT, clockRate: 48000, channels: 2 }],
				encodings: [{ ssrc: SOURCE_SSRC }],
			},
		});

		// X and Y talk SRTP to each other through the relay.
		const x = await routerA.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false, ...srtp });
		const y = await routerB.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false, ...srtp });

		expect(x.srtpParameters?.cryptoSuite).toBe(suite);
		expect(y.srtpParameters?.cryptoSuite).toBe(suite);

		const xSrtpParameters = x.srtpParameters!;
		let keyForY = xSrtpParameters;

		if (corruptKeyOnY) {
			const key = Buffer.from(xSrtpParameters.keyBase64, 'base64');

			key[0] ^= 0x01;
			keyForY = { ...xSrtpParameters, keyBase64: key.toString('base64') };
		}

		const captured: Buffer[] = [];

		relay.on('message', (packet, rinfo) => {
			if (rinfo.port === x.tuple.localPort) {
				if (!isRtcp(packet)) {
					captured.push(Buffer.from(packet));
				}

				relay.send(packet, y.tuple.localPort, LOCALHOST);
			} else if (rinfo.port === y.tuple.localPort) {
				relay.send(packet, x.tuple.localPort, LOCALHOST);
			}
		});

		await x.connect({ ip: LOCALHOST, port: portOf(relay), srtpParameters: y.srtpParameters });
		await y.connect({ ip: LOCALHOST, port: portOf(relay), srtpParameters: keyForY });

		const consumerX = await x.consume({ producerId: p1.id, rtpCapabilities: routerA.rtpCapabilities });
		const { mid: _mid, ...p2RtpParameters } = consumerX.rtpParameters;
		const p2 = await y.produce({ kind: 'audio', rtpParameters: p2RtpParameters });

		// OUT: plain RTP to the sink socket.
		const transportOut = await routerB.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false });

		await transportOut.connect({ ip: LOCALHOST, port: portOf(sink) });
		await transportOut.consume({ producerId: p2.id, rtpCapabilities: routerB.rtpCapabilities });

		const received: Buffer[] = [];

		sink.on('message', (packet) => {
			if (!isRtcp(packet)) {
				received.push(Buffer.from(rtpPayload(packet)));
			}
		});

		const sent: Buffer[] = [];

		for (let i = 0; i < PACKET_COUNT; i++) {
			const payload = randomBytes(PAYLOAD_SIZE);

			payload.writeUInt32BE(i, 0);
			sent.push(payload);
			source.send(makeRtp(1000 + i, payload), transportIn.tuple.localPort, LOCALHOST);
		}

		// All SRTP packets went out of X and through the relay to Y...
		await until('X to send every packet as SRTP', () =>
			captured.length >= PACKET_COUNT ? true : undefined,
		);

		const capturedBytes = captured.reduce((sum, packet) => sum + packet.length, 0);

		// ...and Y has read them (it counts bytes before decrypting them).
		const yStats = await until('Y to read every SRTP packet', async () => {
			const [stats] = await y.getStats();

			return stats.bytesReceived >= capturedBytes ? stats : undefined;
		});

		if (!corruptKeyOnY) {
			await until('every payload at the sink', () =>
				received.length >= PACKET_COUNT ? true : undefined,
			);
		}

		const p2Stats = await p2.getStats();

		return {
			sent,
			received,
			captured,
			xSrtpParameters,
			yBytesReceived: yStats.bytesReceived,
			yRtpBytesReceived: yStats.rtpBytesReceived,
			p2StreamCount: p2Stats.length,
		};
	} finally {
		for (const router of routers) {
			router.close();
		}

		for (const socket of sockets) {
			socket.close();
		}
	}
}

/* Tests. */

describe('mediasoup worker SRTP (libsrtp 3 adapter over system libsrtp 2)', () => {
	let worker: Worker;

	beforeAll(async () => {
		worker = await mediasoup.createWorker({ logLevel: 'warn' });
	});

	afterAll(() => {
		worker?.close();
	});

	describe.each(Object.keys(SUITES) as SrtpCryptoSuite[])('%s', (suite) => {
		it('carries RTP through a pair of SRTP PlainTransports with payloads intact', async () => {
			const result = await runPipeline(worker, suite, { corruptKeyOnY: false });
			const hex = (buffers: Buffer[]) => buffers.map((b) => b.toString('hex')).sort();

			expect(hex(result.received)).toEqual(hex(result.sent));
			expect(result.yRtpBytesReceived).toBeGreaterThan(0);
			expect(result.p2StreamCount).toBe(1);
		});

		it('puts standard SRTP for the suite on the wire', async () => {
			const result = await runPipeline(worker, suite, { corruptKeyOnY: false });
			const decrypt = makeSrtpDecryptor(suite, result.xSrtpParameters);
			const sentHex = new Set(result.sent.map((b) => b.toString('hex')));
			const decrypted = result.captured.map((packet) => decrypt(packet));

			// Encrypted on the wire: no plaintext payload is visible.
			for (const packet of result.captured) {
				for (const payload of result.sent) {
					expect(packet.includes(payload.subarray(4, 36))).toBe(false);
				}
			}

			expect(decrypted).toHaveLength(PACKET_COUNT);

			for (const payload of decrypted) {
				expect(sentHex.has(payload.toString('hex'))).toBe(true);
			}
		});

		it('rejects SRTP packets when the receiver has the wrong key', async () => {
			const result = await runPipeline(worker, suite, { corruptKeyOnY: true });

			// The packets reached Y...
			expect(result.captured.length).toBeGreaterThanOrEqual(PACKET_COUNT);
			expect(result.yBytesReceived).toBeGreaterThan(0);
			// ...but none was accepted as RTP, so nothing was forwarded.
			expect(result.yRtpBytesReceived).toBe(0);
			expect(result.p2StreamCount).toBe(0);
			expect(result.received).toHaveLength(0);
		});
	});
});
