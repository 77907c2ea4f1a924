/**
 * One browser's presence in a video room: it publishes the camera and microphone
 * through the SFU and receives everyone else's tracks. The state a page shows
 * (status, participants, their streams) is reactive ($state / SvelteMap).
 */
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, RtpCapabilities, RtpParameters, Transport } from 'mediasoup-client/types';
import { SvelteMap } from 'svelte/reactivity';
import type { MediaSource, PeerInfo, ProducerInfo, RoomClosedReason, TransportOptions } from '$lib/realtime/protocol';
import { connectSignaling, request, RequestError, type SignalingSocket } from './signaling';

export type SessionStatus = 'idle' | 'joining' | 'joined' | 'left' | 'closed' | 'failed';

/** Another participant as the page shows them. */
export interface RemoteParticipant {
	peerId: string;
	displayName: string;
	/** Their received tracks, one stream per participant so audio and video stay together. */
	stream: MediaStream;
	hasAudio: boolean;
	hasVideo: boolean;
}

/** Why something went wrong, for the page to word in the user's language. */
export type SessionProblem =
	| 'media-denied'
	| 'media-unavailable'
	| 'server-unreachable'
	| 'room-full'
	| 'connection-lost'
	| 'media-failed'
	| RoomClosedReason
	| 'unexpected';

// Three simulcast layers: the SFU forwards to each viewer the one it can take.
const CAMERA_ENCODINGS = [
	{ rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
	{ rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
	{ rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' }
];

export class RoomSession {
	status = $state<SessionStatus>('idle');
	problem = $state<SessionProblem | null>(null);
	/** Reference to quote when the server reported an unexpected error. */
	errorId = $state<string | null>(null);
	localStream = $state<MediaStream | null>(null);
	/** True when the camera or microphone could not be used and we joined without it. */
	localMediaMissing = $state<{ audio: boolean; video: boolean }>({ audio: false, video: false });
	readonly participants = new SvelteMap<string, RemoteParticipant>();

	#socket: SignalingSocket | undefined;
	#device: Device | undefined;
	#sendTransport: Transport | undefined;
	#recvTransport: Transport | undefined;
	readonly #producers: Producer[] = [];
	readonly #consumers = new Map<string, { consumer: Consumer; peerId: string }>();
	/** Producers announced while our receive transport was still being set up. */
	#announcedEarly: ProducerInfo[] = [];
	#peerId: string | undefined;

	get peerId(): string | undefined {
		return this.#peerId;
	}

	async join(roomId: string, displayName: string): Promise<void> {
		if (this.status === 'joining' || this.status === 'joined') return;
		this.status = 'joining';
		this.problem = null;
		this.errorId = null;
		try {
			const local = await this.#openLocalMedia();
			const socket = connectSignaling();
			this.#socket = socket;
			this.#listen(socket);
			const joined = await request(socket, 'room:join', { roomId, displayName });
			this.#peerId = joined.peerId;

			const device = new Device();
			await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as RtpCapabilities });
			this.#device = device;

			const [sendOptions, recvOptions] = await Promise.all([
				request(socket, 'transport:create', { direction: 'send' }),
				request(socket, 'transport:create', { direction: 'recv' })
			]);
			this.#recvTransport = this.#wireTransport(device.createRecvTransport(asTransportOptions(recvOptions)));
			this.#sendTransport = this.#wireTransport(device.createSendTransport(asTransportOptions(sendOptions)));

			for (const peer of joined.peers) this.#addParticipant(peer);
			this.status = 'joined';

			const toConsume = [...joined.peers.flatMap((peer) => peer.producers), ...this.#announcedEarly.splice(0)];
			await Promise.all([this.#publish(local), ...toConsume.map((producer) => this.#consumeOrSkip(producer))]);
		} catch (error) {
			this.#fail(error);
		}
	}

	async leave(): Promise<void> {
		if (this.#socket?.connected && this.#peerId) {
			await request(this.#socket, 'room:leave', {}).catch(() => {});
		}
		this.#teardown();
		this.status = 'left';
	}

	async #openLocalMedia(): Promise<MediaStream> {
		const video = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
		const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
		const attempts: { constraints: MediaStreamConstraints; missing: { audio: boolean; video: boolean } }[] = [
			{ constraints: { audio, video }, missing: { audio: false, video: false } },
			{ constraints: { audio }, missing: { audio: false, video: true } },
			{ constraints: { video }, missing: { audio: true, video: false } }
		];
		let lastError: unknown;
		for (const attempt of attempts) {
			try {
				const stream = await navigator.mediaDevices.getUserMedia(attempt.constraints);
				this.localStream = stream;
				this.localMediaMissing = attempt.missing;
				return stream;
			} catch (error) {
				lastError = error;
				// A refusal applies to every device: asking again would only nag.
				if (error instanceof DOMException && error.name === 'NotAllowedError') break;
			}
		}
		throw lastError;
	}

	#listen(socket: SignalingSocket): void {
		socket.on('peer:joined', (peer) => {
			if (peer.peerId !== this.#peerId) this.#addParticipant(peer);
		});
		socket.on('peer:left', ({ peerId }) => this.#removeParticipant(peerId));
		socket.on('producer:added', (producer) => {
			if (!this.#recvTransport) {
				this.#announcedEarly.push(producer);
				return;
			}
			void this.#consumeOrSkip(producer);
		});
		socket.on('producer:removed', ({ producerId }) => {
			for (const [consumerId, entry] of this.#consumers) {
				if (entry.consumer.producerId === producerId) this.#dropConsumer(consumerId);
			}
		});
		socket.on('consumer:closed', ({ consumerId }) => this.#dropConsumer(consumerId));
		socket.on('room:closed', ({ reason }) => {
			this.#teardown();
			this.problem = reason;
			this.status = 'closed';
		});
		socket.on('connect_error', () => {
			if (this.status === 'joining') this.#fail(new RequestError('room:join', 'unavailable', 'server unreachable'));
		});
		socket.on('disconnect', (reason) => {
			// A disconnect we asked for is a leave, not a problem.
			if (reason === 'io client disconnect' || this.status !== 'joined') return;
			this.#teardown();
			this.problem = 'connection-lost';
			this.status = 'failed';
		});
	}

	#wireTransport(transport: Transport): Transport {
		const socket = this.#socket!;
		transport.on('connect', ({ dtlsParameters }, done, fail) => {
			request(socket, 'transport:connect', { transportId: transport.id, dtlsParameters })
				.then(() => done())
				.catch(fail);
		});
		transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
			request(socket, 'producer:create', {
				transportId: transport.id,
				kind,
				rtpParameters: rtpParameters as unknown as { codecs: { mimeType: string; clockRate: number; payloadType: number }[] },
				source: appData.source as MediaSource
			})
				.then(({ producerId }) => done({ id: producerId }))
				.catch(fail);
		});
		transport.on('connectionstatechange', (state) => {
			if (state === 'failed' && this.status === 'joined') {
				this.problem = 'media-failed';
			}
		});
		return transport;
	}

	async #publish(stream: MediaStream): Promise<void> {
		const transport = this.#sendTransport!;
		const audio = stream.getAudioTracks()[0];
		const video = stream.getVideoTracks()[0];
		const work: Promise<Producer>[] = [];
		if (audio) {
			work.push(
				transport.produce({
					track: audio,
					codecOptions: { opusDtx: true, opusFec: true },
					stopTracks: false,
					appData: { source: 'microphone' }
				})
			);
		}
		if (video) {
			work.push(
				transport.produce({
					track: video,
					encodings: CAMERA_ENCODINGS,
					codecOptions: { videoGoogleStartBitrate: 1000 },
					stopTracks: false,
					appData: { source: 'camera' }
				})
			);
		}
		this.#producers.push(...(await Promise.all(work)));
	}

	/** One track that cannot be received must not end the whole session. */
	async #consumeOrSkip(producer: ProducerInfo): Promise<void> {
		try {
			await this.#consume(producer);
		} catch (error) {
			// `not-found`: the producer ended meanwhile, nothing to show.
			if (error instanceof RequestError && error.reason === 'not-found') return;
			console.warn(`could not receive producer ${producer.producerId}:`, error);
			if (this.status === 'joined') this.problem = 'media-failed';
		}
	}

	async #consume(producer: ProducerInfo): Promise<void> {
		const socket = this.#socket;
		const device = this.#device;
		const transport = this.#recvTransport;
		if (!socket || !device || !transport || producer.peerId === this.#peerId) return;
		const options = await request(socket, 'consumer:create', {
			producerId: producer.producerId,
			rtpCapabilities: device.recvRtpCapabilities as unknown as { codecs: { mimeType: string; clockRate: number }[] }
		});
		const consumer = await transport.consume({
			id: options.consumerId,
			producerId: options.producerId,
			kind: options.kind,
			rtpParameters: options.rtpParameters as RtpParameters,
			appData: { source: options.source }
		});
		this.#consumers.set(consumer.id, { consumer, peerId: options.peerId });
		this.#attachTrack(options.peerId, consumer.track);
		// The server created it paused; resume now that the track is wired to the page.
		await request(socket, 'consumer:resume', { consumerId: consumer.id });
	}

	#addParticipant(peer: PeerInfo): void {
		if (this.participants.has(peer.peerId)) return;
		this.participants.set(peer.peerId, {
			peerId: peer.peerId,
			displayName: peer.displayName,
			stream: new MediaStream(),
			hasAudio: false,
			hasVideo: false
		});
	}

	#removeParticipant(peerId: string): void {
		for (const [consumerId, entry] of this.#consumers) {
			if (entry.peerId === peerId) this.#dropConsumer(consumerId);
		}
		this.participants.delete(peerId);
	}

	#attachTrack(peerId: string, track: MediaStreamTrack): void {
		const participant = this.participants.get(peerId);
		if (!participant) return;
		// A new stream object makes the page re-bind its media element to the new set of tracks.
		this.participants.set(peerId, withTracks(participant, [...participant.stream.getTracks(), track]));
	}

	#dropConsumer(consumerId: string): void {
		const entry = this.#consumers.get(consumerId);
		if (!entry) return;
		this.#consumers.delete(consumerId);
		entry.consumer.close();
		const participant = this.participants.get(entry.peerId);
		if (!participant) return;
		const remaining = participant.stream.getTracks().filter((t) => t !== entry.consumer.track);
		this.participants.set(entry.peerId, withTracks(participant, remaining));
	}

	#fail(error: unknown): void {
		this.problem = problemOf(error);
		this.errorId = error instanceof RequestError ? (error.errorId ?? null) : null;
		this.#teardown();
		this.status = 'failed';
		console.error('room session failed:', error);
	}

	#teardown(): void {
		for (const producer of this.#producers.splice(0)) producer.close();
		for (const { consumer } of this.#consumers.values()) consumer.close();
		this.#consumers.clear();
		this.#sendTransport?.close();
		this.#recvTransport?.close();
		this.#sendTransport = this.#recvTransport = undefined;
		this.#socket?.removeAllListeners();
		this.#socket?.disconnect();
		this.#socket = undefined;
		for (const track of this.localStream?.getTracks() ?? []) track.stop();
		this.localStream = null;
		this.participants.clear();
		this.#announcedEarly = [];
		this.#peerId = undefined;
	}
}

function asTransportOptions(options: TransportOptions) {
	return options as Parameters<Device['createSendTransport']>[0];
}

function withTracks(participant: RemoteParticipant, tracks: MediaStreamTrack[]): RemoteParticipant {
	const stream = new MediaStream(tracks);
	return {
		...participant,
		stream,
		hasAudio: stream.getAudioTracks().length > 0,
		hasVideo: stream.getVideoTracks().length > 0
	};
}

function problemOf(error: unknown): SessionProblem {
	if (error instanceof DOMException) {
		return error.name === 'NotAllowedError' || error.name === 'SecurityError' ? 'media-denied' : 'media-unavailable';
	}
	if (error instanceof RequestError) {
		if (error.reason === 'room-full') return 'room-full';
		if (error.reason === 'timeout' || error.reason === 'unavailable') return 'server-unreachable';
	}
	return 'unexpected';
}
