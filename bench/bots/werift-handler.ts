/**
 * A mediasoup-client handler over werift's RTCPeerConnection: the bots' WebRTC stack.
 *
 * mediasoup-client drives a browser's RTCPeerConnection through SDP (its Chrome111
 * handler); this is the same sequence on werift, a WebRTC implementation in TypeScript,
 * so that a bot in Node runs real ICE (host candidates), DTLS and SRTP against the SFU,
 * with the same offers, answers and RTP parameters a browser produces — and no codec:
 * the bots write synthetic RTP themselves (`media.ts`), so that hundreds of them fit on
 * the machine next to the server they load.
 *
 * Sending: one sendonly transceiver per producer. werift sends one SSRC per sender, so
 * a simulcast video is declared with explicit SSRCs (one per layer, as Chrome's legacy
 * SIM group) and its packets are written straight to the transport's SRTP session
 * (`SimulcastWriter`). Receiving: one recvonly transceiver per consumer; the track's
 * `onReceiveRtp` feeds the receiver's statistics.
 */
import { randomInt } from 'node:crypto';
import * as sdpTransform from 'sdp-transform';
import {
	MediaStreamTrack,
	RTCPeerConnection,
	RTCRtpCodecParameters,
	useAbsSendTime,
	useSdesMid,
	useTransportWideCC,
	type RTCRtpSender,
	type RTCRtpTransceiver
} from 'werift';
import { ortc } from 'mediasoup-client';
import { HandlerInterface } from 'mediasoup-client/handlers/HandlerInterface';
import type {
	HandlerFactory,
	HandlerOptions,
	HandlerReceiveOptions,
	HandlerReceiveResult,
	HandlerSendOptions,
	HandlerSendResult
} from 'mediasoup-client/handlers/HandlerInterface';
import { RemoteSdp } from 'mediasoup-client/handlers/sdp/RemoteSdp';
import * as sdpCommonUtils from 'mediasoup-client/handlers/sdp/commonUtils';
import * as sdpUnifiedPlanUtils from 'mediasoup-client/handlers/sdp/unifiedPlanUtils';
import type { RtpCapabilities, RtpEncodingParameters, RtpParameters } from 'mediasoup-client/types';

const NAME = 'WeriftBot';

/**
 * The codecs a bot announces: Opus, and VP8 with the feedback Chrome announces. Sending,
 * transport-wide congestion control too (the SFU estimates the bot's uplink as a
 * browser's). Receiving, no congestion control: the bots' arrival times are taken in one
 * shared JavaScript event loop, whose pauses the SFU's estimator would read as congestion
 * and answer by dropping layers no browser would lose; without it, the SFU forwards the
 * layer asked for, as to a browser with bandwidth to spare.
 */
function peerConfig(direction: 'send' | 'recv') {
	const send = direction === 'send';
	const congestion = send ? [{ type: 'transport-cc' }] : [];
	const extensions = send ? [useSdesMid(), useAbsSendTime(), useTransportWideCC()] : [useSdesMid()];
	return {
		codecs: {
			audio: [
				new RTCRtpCodecParameters({
					mimeType: 'audio/opus',
					clockRate: 48000,
					channels: 2,
					payloadType: 111,
					parameters: 'minptime=10;useinbandfec=1',
					rtcpFeedback: [...congestion, { type: 'nack' }]
				})
			],
			video: [
				new RTCRtpCodecParameters({
					mimeType: 'video/VP8',
					clockRate: 90000,
					payloadType: 96,
					rtcpFeedback: [
						...congestion,
						{ type: 'ccm', parameter: 'fir' },
						{ type: 'nack' },
						{ type: 'nack', parameter: 'pli' }
					]
				})
			]
		},
		headerExtensions: { audio: extensions, video: extensions },
		iceServers: [],
		bundlePolicy: 'max-bundle' as const
	};
}

async function nativeRtpCapabilities(direction: 'send' | 'recv'): Promise<RtpCapabilities> {
	const pc = new RTCPeerConnection(peerConfig(direction));
	try {
		pc.addTransceiver('audio', { direction: 'sendrecv' });
		pc.addTransceiver('video', { direction: 'sendrecv' });
		const offer = await pc.createOffer();
		const capabilities = sdpCommonUtils.extractRtpCapabilities({ sdpObject: sdpTransform.parse(offer.sdp) });
		ortc.validateAndNormalizeRtpCapabilities(capabilities);
		return capabilities;
	} finally {
		await pc.close();
	}
}

/** The factory to give `new Device({ handlerFactory })`. */
export function weriftHandlerFactory(): HandlerFactory {
	return {
		name: NAME,
		factory: (options) => new WeriftHandler(options),
		getNativeRtpCapabilities: ({ direction }) => nativeRtpCapabilities(direction === 'sendonly' ? 'send' : 'recv')
	};
}

/** Writes the RTP of a simulcast video: one SSRC per layer, on the transport's SRTP session. */
export interface SimulcastWriter {
	readonly ssrcs: number[];
	readonly payloadType: number;
	/** The header extension ids negotiated for this sender (mid, abs-send-time, transport-wide-cc). */
	readonly extensions: { mid?: number; absSendTime?: number; transportCc?: number };
	readonly mid: string;
	readonly sender: RTCRtpSender;
}

export class WeriftHandler extends HandlerInterface {
	readonly #direction: 'send' | 'recv';
	readonly #remoteSdp: RemoteSdp;
	readonly #getSendExtendedRtpCapabilities: HandlerOptions['getSendExtendedRtpCapabilities'];
	readonly #pc: RTCPeerConnection;
	readonly #transceivers = new Map<string, RTCRtpTransceiver>();
	readonly #writers = new Map<string, SimulcastWriter>();
	#transportReady = false;
	#closed = false;

	constructor(options: HandlerOptions) {
		super();
		this.#direction = options.direction;
		this.#remoteSdp = new RemoteSdp({
			iceParameters: options.iceParameters,
			iceCandidates: options.iceCandidates,
			dtlsParameters: options.dtlsParameters,
			sctpParameters: options.sctpParameters
		});
		this.#getSendExtendedRtpCapabilities = options.getSendExtendedRtpCapabilities;
		this.#pc = new RTCPeerConnection(peerConfig(options.direction));
		this.#pc.connectionStateChange.subscribe((state) => {
			this.emit('@connectionstatechange', state as never);
		});
	}

	get name(): string {
		return NAME;
	}

	/** The werift connection (for the transport's DTLS session and statistics). */
	get peerConnection(): RTCPeerConnection {
		return this.#pc;
	}

	/** How to write a simulcast video produced on this transport (by the producer's localId). */
	writer(localId: string): SimulcastWriter | undefined {
		return this.#writers.get(localId);
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		void this.#pc.close().catch(() => {});
		this.emit('@close');
		this.removeAllListeners();
	}

	async updateIceServers(): Promise<void> {}

	async restartIce(iceParameters: never): Promise<void> {
		this.#remoteSdp.updateIceParameters(iceParameters);
		if (!this.#transportReady) return;
		if (this.#direction === 'send') {
			const offer = await this.#pc.createOffer();
			await this.#pc.setLocalDescription(offer);
			await this.#pc.setRemoteDescription({ type: 'answer', sdp: this.#remoteSdp.getSdp() });
		} else {
			await this.#pc.setRemoteDescription({ type: 'offer', sdp: this.#remoteSdp.getSdp() });
			await this.#pc.setLocalDescription(await this.#pc.createAnswer());
		}
	}

	async getTransportStats(): Promise<never> {
		return (await this.#pc.getStats()) as never;
	}

	async send({ track, encodings, codec }: HandlerSendOptions): Promise<HandlerSendResult> {
		if (this.#direction !== 'send') throw new Error('not a sending transport');
		const kind = track.kind as 'audio' | 'video';
		const mediaSectionIdx = this.#remoteSdp.getNextMediaSectionIdx();
		// The bot's own werift track: what it writes goes out through this transceiver's sender.
		const source = track instanceof MediaStreamTrack ? track : new MediaStreamTrack({ kind });
		const transceiver = this.#pc.addTransceiver(source, { direction: 'sendonly' });
		const offer = await this.#pc.createOffer();
		let localSdpObject = sdpTransform.parse(offer.sdp);
		const sendExtended = this.#getSendExtendedRtpCapabilities(
			sdpCommonUtils.extractRtpCapabilities({ sdpObject: localSdpObject })
		);
		const sendingRtpParameters: RtpParameters = ortc.getSendingRtpParameters(kind, sendExtended);
		sendingRtpParameters.codecs = ortc.reduceCodecs(sendingRtpParameters.codecs, codec);
		const sendingRemoteRtpParameters: RtpParameters = ortc.getSendingRemoteRtpParameters(kind, sendExtended);
		sendingRemoteRtpParameters.codecs = ortc.reduceCodecs(sendingRemoteRtpParameters.codecs, codec);
		if (!this.#transportReady) await this.#setupTransport('client', localSdpObject);
		await this.#pc.setLocalDescription(offer);
		const localId = transceiver.mid as string;
		sendingRtpParameters.mid = localId;
		localSdpObject = sdpTransform.parse(this.#pc.localDescription!.sdp);
		const offerMediaObject = localSdpObject.media[mediaSectionIdx.idx];
		sendingRtpParameters.rtcp!.cname = sdpCommonUtils.getCname({ offerMediaObject });
		const [single] = sdpUnifiedPlanUtils.getRtpEncodings({ offerMediaObject, codecs: sendingRtpParameters.codecs });
		if (encodings && encodings.length > 1) {
			// Simulcast by SSRC: the first layer keeps the sender's own SSRC.
			const base = single.ssrc as number;
			sendingRtpParameters.encodings = encodings.map((encoding: RtpEncodingParameters, layer: number) => ({
				...encoding,
				rid: undefined,
				ssrc: layer === 0 ? base : randomInt(1, 2 ** 31),
				scalabilityMode: encoding.scalabilityMode ?? 'L1T3'
			}));
		} else {
			sendingRtpParameters.encodings = [{ ...single, ...(encodings?.[0] ?? {}) }];
		}
		this.#remoteSdp.send({
			offerMediaObject,
			reuseMid: mediaSectionIdx.reuseMid,
			offerRtpParameters: sendingRtpParameters,
			answerRtpParameters: sendingRemoteRtpParameters,
			codecOptions: undefined
		});
		await this.#pc.setRemoteDescription({ type: 'answer', sdp: this.#remoteSdp.getSdp() });
		this.#transceivers.set(localId, transceiver);
		const ids = Object.fromEntries(
			(sendingRtpParameters.headerExtensions ?? []).map((extension) => [extension.uri, extension.id])
		);
		this.#writers.set(localId, {
			ssrcs: sendingRtpParameters.encodings.map((encoding) => encoding.ssrc as number),
			payloadType: sendingRtpParameters.codecs[0].payloadType,
			extensions: {
				mid: ids['urn:ietf:params:rtp-hdrext:sdes:mid'],
				absSendTime: ids['http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time'],
				transportCc: ids['http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01']
			},
			mid: localId,
			sender: transceiver.sender
		});
		return { localId, rtpParameters: sendingRtpParameters };
	}

	async stopSending(localId: string): Promise<void> {
		const transceiver = this.#transceivers.get(localId);
		if (!transceiver) return;
		transceiver.sender.stop();
		this.#transceivers.delete(localId);
		this.#writers.delete(localId);
	}

	async pauseSending(): Promise<void> {}
	async resumeSending(): Promise<void> {}
	async replaceTrack(): Promise<void> {}
	async setMaxSpatialLayer(): Promise<void> {}
	async setRtpEncodingParameters(): Promise<void> {}

	async getSenderStats(): Promise<never> {
		return new Map() as never;
	}

	async sendDataChannel(): Promise<never> {
		throw new Error('bots do not open data channels');
	}

	async receive(optionsList: HandlerReceiveOptions[]): Promise<HandlerReceiveResult[]> {
		if (this.#direction !== 'recv') throw new Error('not a receiving transport');
		const localIds = new Map<string, string>();
		for (const { trackId, kind, rtpParameters } of optionsList) {
			const localId = rtpParameters.mid ?? String(this.#transceivers.size);
			localIds.set(trackId, localId);
			this.#remoteSdp.receive({
				mid: localId,
				kind,
				offerRtpParameters: rtpParameters,
				streamId: rtpParameters.rtcp?.cname ?? '-',
				trackId
			});
		}
		await this.#pc.setRemoteDescription({ type: 'offer', sdp: this.#remoteSdp.getSdp() });
		const answer = await this.#pc.createAnswer();
		const localSdpObject = sdpTransform.parse(answer.sdp);
		if (!this.#transportReady) await this.#setupTransport('client', localSdpObject);
		await this.#pc.setLocalDescription({ type: 'answer', sdp: sdpTransform.write(localSdpObject) });
		const results: HandlerReceiveResult[] = [];
		for (const { trackId } of optionsList) {
			const localId = localIds.get(trackId)!;
			const transceiver = this.#pc.getTransceivers().find((t) => t.mid === localId);
			if (!transceiver) throw new Error(`no transceiver for mid ${localId}`);
			this.#transceivers.set(localId, transceiver);
			results.push({ localId, track: transceiver.receiver.track as never });
		}
		return results;
	}

	async stopReceiving(localIds: string[]): Promise<void> {
		for (const localId of localIds) {
			this.#remoteSdp.closeMediaSection(localId);
			this.#transceivers.delete(localId);
		}
		await this.#pc.setRemoteDescription({ type: 'offer', sdp: this.#remoteSdp.getSdp() });
		await this.#pc.setLocalDescription(await this.#pc.createAnswer());
	}

	async pauseReceiving(): Promise<void> {}
	async resumeReceiving(): Promise<void> {}

	async getReceiverStats(): Promise<never> {
		return new Map() as never;
	}

	async receiveDataChannel(): Promise<never> {
		throw new Error('bots do not open data channels');
	}

	getDataChannelMaxMessageSize(): number | undefined {
		return undefined;
	}

	async #setupTransport(localDtlsRole: 'client' | 'server', localSdpObject: sdpTransform.SessionDescription): Promise<void> {
		const dtlsParameters = sdpCommonUtils.extractDtlsParameters({ sdpObject: localSdpObject });
		dtlsParameters.role = localDtlsRole;
		this.#remoteSdp.updateDtlsRole(localDtlsRole === 'client' ? 'server' : 'client');
		await new Promise<void>((resolve, reject) => {
			this.safeEmit('@connect', { dtlsParameters }, resolve, reject);
		});
		this.#transportReady = true;
	}
}
