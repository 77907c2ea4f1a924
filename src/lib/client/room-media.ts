/**
 * The media half of a room session: mediasoup-client's Device, one send and one receive
 * transport, our producers, the consumers of everyone else's tracks, ICE restarts and the
 * receive statistics. It talks to the server through the session's signaling socket and
 * tells the session (`MediaHost`) what the page must show; it holds no reactive state.
 */
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, RtpCapabilities, RtpParameters, Transport } from 'mediasoup-client/types';
import type { MediaSource, ProducerInfo, TransportOptions } from '$lib/realtime/protocol';
import { markJoinStep } from './join-timeline';
import { qualityOf, type Quality } from './quality';
import { request, RequestError, type SignalingSocket } from './signaling';

/** How the transports are doing, for the connection banner. */
export type MediaState = 'connected' | 'connecting' | 'broken';

/** What one participant's media looked like over the last statistics interval. */
export interface PeerStats {
	quality: Quality;
	stats: { lossPercent: number; rttMs: number | null; kbps: number };
}

/** A track of ours to publish, and whether it starts muted. */
export interface OutgoingTrack {
	source: MediaSource;
	track: MediaStreamTrack;
	paused?: boolean;
}

/** What the media side needs from the session, and tells it. */
export interface MediaHost {
	/** The signaling connection, while there is one. */
	socket(): SignalingSocket | undefined;
	/** Our own peer id in the room (our own producers are not consumed). */
	selfPeerId(): string | undefined;
	/** Whether the session is in the room: broken transports are restarted only then. */
	inRoom(): boolean;
	/** A build's transports exist and its receivers are set up (or slow): the room can be shown. */
	transportsReady(): void;
	/** Every transport was closed: no remote track is shown any more. */
	mediaClosed(): void;
	/** A remote track can be shown. */
	trackReceived(peerId: string, source: MediaSource, track: MediaStreamTrack): void;
	/** A remote track ended (its producer closed, or we stopped receiving it). */
	trackEnded(peerId: string, source: MediaSource, track: MediaStreamTrack): void;
	mediaStateChanged(state: MediaState): void;
	peerStats(peerId: string, stats: PeerStats): void;
	/** A remote track could not be received (the rest of the session goes on). */
	receiveFailed(): void;
}

// Three simulcast layers: the SFU forwards to each viewer the one its tile needs.
const CAMERA_ENCODINGS = [
	{ rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
	{ rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
	{ rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' }
];
// A shared screen: full resolution, few frames, a high bitrate so that images stay sharp.
const SCREEN_ENCODINGS = [{ maxBitrate: 2_500_000, maxFramerate: 15 }];

/** A transport broken for this long while the signaling is up gets an ICE restart. */
const ICE_RESTART_AFTER_MS = 2_000;
const STATS_INTERVAL_MS = 2_000;
/** At most this long between the transports and the room shown (see `#receiveFirst`). */
const RECEIVERS_BEFORE_ROOM_MS = 300;

interface ConsumerEntry {
	consumer: Consumer;
	peerId: string;
	source: MediaSource;
	/** Whether the page shows it (video of a tile off the current page is paused). */
	wanted: boolean;
	layer: number | null;
	lastStats?: { at: number; bytes: number; lost: number; received: number };
}

export class RoomMedia {
	readonly #host: MediaHost;
	#device: Device | undefined;
	/** The capabilities `#device` was loaded with (JSON), to reuse it when they match. */
	#deviceCapabilities: string | undefined;
	/** The preload under way: a join clicked meanwhile waits for it rather than loading a second Device. */
	#preloading: Promise<void> | undefined;
	#sendTransport: Transport | undefined;
	#recvTransport: Transport | undefined;
	readonly #producers = new Map<MediaSource, Producer>();
	readonly #consumers = new Map<string, ConsumerEntry>();
	/** Producers announced while the receive transport was being set up. */
	#announcedEarly: ProducerInfo[] = [];
	/** Whether each peer's video is on screen, and the tile width it is drawn at. */
	readonly #visibility = new Map<string, { visible: boolean; width: number }>();
	readonly #iceTimers = new Map<Transport, ReturnType<typeof setTimeout>>();
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	/** Serialises media rebuilds (reconnection, media reset). */
	#work: Promise<void> = Promise.resolve();

	constructor(host: MediaHost) {
		this.#host = host;
	}

	/** Whether both transports exist (a resumed participant keeps them). */
	get hasTransports(): boolean {
		return this.#sendTransport !== undefined && this.#recvTransport !== undefined;
	}

	/** Loads the Device with the server's capabilities ahead of the join. */
	preload(routerRtpCapabilities: RtpCapabilities): Promise<void> {
		if (this.#device) return Promise.resolve();
		this.#preloading ??= (async () => {
			const device = new Device();
			await device.load({ routerRtpCapabilities });
			this.#device ??= device;
			this.#deviceCapabilities ??= JSON.stringify(routerRtpCapabilities);
		})();
		return this.#preloading;
	}

	/**
	 * (Re)creates the transports, publishes `outgoing()` and receives `producers`. Rebuilds
	 * run one after the other; the returned promise rejects when this one failed.
	 */
	build(routerRtpCapabilities: RtpCapabilities, producers: ProducerInfo[], outgoing: () => OutgoingTrack[]): Promise<void> {
		const run = this.#work.then(async () => {
			const socket = this.#host.socket();
			if (!socket) return;
			this.close();
			await this.#preloading?.catch(() => {});
			const wanted = JSON.stringify(routerRtpCapabilities);
			let device = this.#device;
			if (!device || this.#deviceCapabilities !== wanted) {
				device = new Device();
				await device.load({ routerRtpCapabilities });
				this.#device = device;
				this.#deviceCapabilities = wanted;
			}
			markJoinStep('device-ready');
			const [sendOptions, recvOptions] = await Promise.all([
				request(socket, 'transport:create', { direction: 'send' }),
				request(socket, 'transport:create', { direction: 'recv' })
			]);
			markJoinStep('transports-created');
			this.#recvTransport = this.#wireTransport(socket, device.createRecvTransport(asTransportOptions(recvOptions)));
			this.#sendTransport = this.#wireTransport(socket, device.createSendTransport(asTransportOptions(sendOptions)));
			await this.#receiveFirst([...producers, ...this.#announcedEarly.splice(0)]);
			// Publishing after the receivers: our SDP negotiation and encoders would hold back
			// theirs on the page's main thread, and the senders' pages, busy receiving us,
			// would encode the key frames we wait for later.
			await Promise.all(outgoing().map(({ source, track, paused }) => this.publish(source, track, paused)));
			this.#startStats();
		});
		this.#work = run.catch(() => {});
		return run;
	}

	/**
	 * Receives what the room publishes, in the order that brings the first remote frame
	 * soonest: every `consumer:create` leaves at once; the room is shown (`transportsReady`,
	 * the page's heaviest render) once the receivers are set up, or after
	 * RECEIVERS_BEFORE_ROOM_MS at most, so that the render runs while ICE, DTLS and the
	 * senders' key frames are under way rather than in front of them; the resumes leave
	 * before that render too (a render queued first holds back all but the first request on
	 * the socket, which flushes once per task).
	 */
	async #receiveFirst(producers: ProducerInfo[]): Promise<void> {
		const setUp = producers.map((producer) => this.#orSkip(producer, () => this.#setUpReceiver(producer)));
		let waited: ReturnType<typeof setTimeout> | undefined;
		const entries = await Promise.race([
			Promise.all(setUp),
			new Promise<null>((resolve) => (waited = setTimeout(() => resolve(null), RECEIVERS_BEFORE_ROOM_MS)))
		]);
		clearTimeout(waited);
		const started = (entries ?? []).map((entry, index) => entry && this.#orSkip(producers[index], () => this.#startReceiving(entry)));
		this.#host.transportsReady();
		if (entries) {
			await Promise.all(started);
			return;
		}
		// Slow (a large room): the rest is received as it comes.
		await Promise.all(setUp.map(async (entry, index) => {
			const ready = await entry;
			if (ready) await this.#orSkip(producers[index], () => this.#startReceiving(ready));
		}));
	}

	/** Back as the same participant: restarts the transports that broke, receives what is new. */
	async resume(producers: ProducerInfo[]): Promise<void> {
		for (const transport of [this.#sendTransport, this.#recvTransport]) {
			if (transport && transport.connectionState !== 'connected') await this.#restartIce(transport);
		}
		const consumed = new Set([...this.#consumers.values()].map((c) => c.consumer.producerId));
		await Promise.all(producers.filter((p) => !consumed.has(p.producerId)).map((p) => this.#consumeOrSkip(p)));
	}

	/** Someone published a track: receive it (or once the receive transport exists). */
	producerAdded(producer: ProducerInfo): void {
		if (!this.#recvTransport) {
			this.#announcedEarly.push(producer);
			return;
		}
		void this.#consumeOrSkip(producer);
	}

	/** Someone stopped publishing a track: stop receiving it. */
	producerRemoved(producerId: string): void {
		for (const [consumerId, entry] of this.#consumers) {
			if (entry.consumer.producerId === producerId) this.dropConsumer(consumerId);
		}
	}

	/** Someone left: stop receiving them, forget their tile. */
	peerLeft(peerId: string): void {
		for (const [consumerId, entry] of this.#consumers) {
			if (entry.peerId === peerId) this.dropConsumer(consumerId);
		}
		this.#visibility.delete(peerId);
	}

	dropConsumer(consumerId: string): void {
		const entry = this.#consumers.get(consumerId);
		if (!entry) return;
		this.#consumers.delete(consumerId);
		entry.consumer.close();
		this.#host.trackEnded(entry.peerId, entry.source, entry.consumer.track);
	}

	// ---------------------------------------------------------------------------------
	// What we publish

	/** Our producer of one source, if we publish it. */
	producer(source: MediaSource): Producer | undefined {
		return this.#producers.get(source);
	}

	async publish(source: MediaSource, track: MediaStreamTrack, paused = false): Promise<void> {
		const transport = this.#sendTransport;
		if (!transport) return;
		this.#producers.get(source)?.close();
		const options =
			source === 'microphone'
				? // Keep the track live while muted (to hint "you are muted"), but send nothing.
					{ codecOptions: { opusDtx: true, opusFec: true }, disableTrackOnPause: false, zeroRtpOnPause: true }
				: source === 'camera'
					? { encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } }
					: source === 'screen'
						? { encodings: SCREEN_ENCODINGS }
						: {};
		const producer = await transport.produce({ track, stopTracks: false, appData: { source }, ...options });
		markJoinStep(`produced:${producer.kind}`);
		this.#producers.set(source, producer);
		if (paused) {
			producer.pause();
			const socket = this.#host.socket();
			if (socket) await request(socket, 'producer:pause', { producerId: producer.id }).catch(() => {});
		}
	}

	async unpublish(source: MediaSource): Promise<void> {
		const producer = this.#producers.get(source);
		if (!producer) return;
		this.#producers.delete(source);
		producer.close();
		const socket = this.#host.socket();
		if (socket) await request(socket, 'producer:close', { producerId: producer.id }).catch(() => {});
	}

	/** The server closed one of our producers (a moderator stopped it): forget it here too. */
	forgetProducer(source: MediaSource): void {
		this.#producers.get(source)?.close();
		this.#producers.delete(source);
	}

	// ---------------------------------------------------------------------------------
	// What the page shows

	/** Hidden tiles' videos are paused (audio keeps flowing); visible ones get the layer their size needs. */
	setVisibility(peerId: string, visible: boolean, width: number): void {
		this.#visibility.set(peerId, { visible, width });
		for (const [consumerId, entry] of this.#consumers) {
			if (entry.peerId !== peerId || entry.consumer.kind !== 'video' || entry.source !== 'camera') continue;
			void this.#applyVisibility(consumerId, entry);
		}
	}

	async #applyVisibility(consumerId: string, entry: ConsumerEntry): Promise<void> {
		const socket = this.#host.socket();
		if (!socket || entry.consumer.closed) return;
		const view = this.#visibility.get(entry.peerId) ?? { visible: true, width: 640 };
		try {
			if (!view.visible && entry.wanted) {
				entry.wanted = false;
				entry.consumer.pause();
				await request(socket, 'consumer:pause', { consumerId });
				return;
			}
			if (view.visible && !entry.wanted) {
				entry.wanted = true;
				entry.consumer.resume();
				await request(socket, 'consumer:resume', { consumerId });
			}
			const layer = view.width < 400 ? 0 : view.width < 900 ? 1 : 2;
			if (view.visible && entry.layer !== layer) {
				entry.layer = layer;
				await request(socket, 'consumer:set-layers', { consumerId, spatialLayer: layer });
			}
		} catch {
			// The consumer closed meanwhile.
		}
	}

	// ---------------------------------------------------------------------------------
	// Transports

	#wireTransport(socket: SignalingSocket, transport: Transport): Transport {
		const side = transport.direction;
		transport.on('connect', ({ dtlsParameters }, done, fail) => {
			markJoinStep(`${side}-connect-sent`);
			request(socket, 'transport:connect', { transportId: transport.id, dtlsParameters: dtlsParameters as never })
				.then(() => {
					markJoinStep(`${side}-connect-ack`);
					done();
				})
				.catch(fail);
		});
		transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
			request(socket, 'producer:create', {
				transportId: transport.id,
				kind,
				rtpParameters: rtpParameters as never,
				source: appData.source as MediaSource
			})
				.then(({ producerId }) => done({ id: producerId }))
				.catch(fail);
		});
		transport.on('connectionstatechange', (state) => {
			if (state === 'connected') markJoinStep(`${side}-connected`);
			clearTimeout(this.#iceTimers.get(transport));
			this.#host.mediaStateChanged(this.#state());
			if (state === 'disconnected' || state === 'failed') {
				// Give ICE a moment to recover by itself, then restart it (if the signaling is up).
				this.#iceTimers.set(
					transport,
					setTimeout(() => {
						if (this.#host.socket()?.connected && this.#host.inRoom() && !transport.closed && transport.connectionState !== 'connected') {
							void this.#restartIce(transport);
						}
					}, state === 'failed' ? 0 : ICE_RESTART_AFTER_MS)
				);
			}
		});
		return transport;
	}

	async #restartIce(transport: Transport): Promise<void> {
		const socket = this.#host.socket();
		if (!socket || transport.closed) return;
		try {
			const { iceParameters } = await request(socket, 'transport:restart-ice', { transportId: transport.id });
			await transport.restartIce({ iceParameters: iceParameters as Parameters<Transport['restartIce']>[0]['iceParameters'] });
		} catch {
			// Not known to the server any more: the next join rebuilds the media.
		}
	}

	#state(): MediaState {
		const states = [this.#sendTransport, this.#recvTransport].filter((t) => t && !t.closed).map((t) => t!.connectionState);
		return states.some((s) => s === 'failed' || s === 'disconnected')
			? 'broken'
			: states.length > 0 && states.every((s) => s === 'connected')
				? 'connected'
				: 'connecting';
	}

	// ---------------------------------------------------------------------------------
	// Receiving

	/** Receives one producer; one track that cannot be received must not end the whole session. */
	async #consumeOrSkip(producer: ProducerInfo): Promise<void> {
		const entry = await this.#orSkip(producer, () => this.#setUpReceiver(producer));
		if (entry) await this.#orSkip(producer, () => this.#startReceiving(entry));
	}

	async #orSkip<T>(producer: ProducerInfo, work: () => Promise<T>): Promise<T | null> {
		try {
			return await work();
		} catch (error) {
			// `not-found`: the producer ended meanwhile, nothing to show.
			if (error instanceof RequestError && (error.reason === 'not-found' || error.reason === 'not-in-room')) return null;
			console.warn(`could not receive producer ${producer.producerId}:`, error);
			if (this.#host.inRoom()) this.#host.receiveFailed();
			return null;
		}
	}

	/** The server's consumer (created paused) and the browser's receiver, wired to the page; null when there is nothing to receive. */
	async #setUpReceiver(producer: ProducerInfo): Promise<ConsumerEntry | null> {
		const socket = this.#host.socket();
		const device = this.#device;
		const transport = this.#recvTransport;
		if (!socket || !device || !transport || producer.peerId === this.#host.selfPeerId()) return null;
		if ([...this.#consumers.values()].some((c) => c.consumer.producerId === producer.producerId)) return null;
		const options = await request(socket, 'consumer:create', {
			producerId: producer.producerId,
			rtpCapabilities: device.recvRtpCapabilities as never
		});
		markJoinStep(`consumer-created:${options.kind}`);
		if (transport.closed) return null;
		const consumer = await transport.consume({
			id: options.consumerId,
			producerId: options.producerId,
			kind: options.kind,
			rtpParameters: options.rtpParameters as RtpParameters,
			appData: { source: options.source }
		});
		markJoinStep(`consumed:${options.kind}`);
		const entry: ConsumerEntry = { consumer, peerId: options.peerId, source: options.source, wanted: true, layer: null };
		this.#consumers.set(consumer.id, entry);
		this.#host.trackReceived(options.peerId, options.source, consumer.track);
		return entry;
	}

	/** Resumes the server's consumer now that the track is wired to the page (unless its tile is off screen). */
	async #startReceiving(entry: ConsumerEntry): Promise<void> {
		const socket = this.#host.socket();
		const { consumer } = entry;
		if (!socket || consumer.closed) return;
		const camera = consumer.kind === 'video' && entry.source === 'camera';
		const view = this.#visibility.get(entry.peerId);
		if (camera && view && !view.visible) {
			entry.wanted = false;
			consumer.pause();
			return;
		}
		await request(socket, 'consumer:resume', { consumerId: consumer.id });
		markJoinStep(`resumed:${consumer.kind}`);
		if (camera) await this.#applyVisibility(consumer.id, { ...entry, layer: null });
	}

	/** Every 2 s: loss, round trip and bitrate of what each participant sends us. */
	#startStats(): void {
		clearInterval(this.#statsTimer);
		this.#statsTimer = setInterval(() => void this.#sampleStats(), STATS_INTERVAL_MS);
	}

	async #sampleStats(): Promise<void> {
		const transport = this.#recvTransport;
		if (!transport || transport.closed) return;
		let rttMs: number | null = null;
		try {
			const report = await transport.getStats();
			report.forEach((s) => {
				if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') rttMs = s.currentRoundTripTime * 1000;
			});
		} catch {
			return;
		}
		const perPeer = new Map<string, { bytes: number; lost: number; received: number; seconds: number }>();
		for (const entry of this.#consumers.values()) {
			if (entry.consumer.closed || entry.source === 'screen' || entry.source === 'screen-audio') continue;
			let bytes = 0;
			let lost = 0;
			let received = 0;
			try {
				(await entry.consumer.getStats()).forEach((s) => {
					if (s.type === 'inbound-rtp') {
						bytes += s.bytesReceived ?? 0;
						lost += s.packetsLost ?? 0;
						received += s.packetsReceived ?? 0;
					}
				});
			} catch {
				continue;
			}
			const now = performance.now();
			const last = entry.lastStats;
			entry.lastStats = { at: now, bytes, lost, received };
			if (!last) continue;
			const sum = perPeer.get(entry.peerId) ?? { bytes: 0, lost: 0, received: 0, seconds: (now - last.at) / 1000 };
			sum.bytes += bytes - last.bytes;
			sum.lost += Math.max(0, lost - last.lost);
			sum.received += received - last.received;
			perPeer.set(entry.peerId, sum);
		}
		for (const [peerId, sum] of perPeer) {
			const lossPercent = sum.received + sum.lost > 0 ? (100 * sum.lost) / (sum.received + sum.lost) : 0;
			const kbps = sum.seconds > 0 ? (sum.bytes * 8) / 1000 / sum.seconds : 0;
			this.#host.peerStats(peerId, { quality: qualityOf(lossPercent, rttMs), stats: { lossPercent, rttMs, kbps } });
		}
	}

	/** Closes transports, producers and consumers; the Device is kept for the next build. */
	close(): void {
		clearInterval(this.#statsTimer);
		for (const producer of this.#producers.values()) producer.close();
		this.#producers.clear();
		for (const { consumer } of this.#consumers.values()) consumer.close();
		this.#consumers.clear();
		for (const timer of this.#iceTimers.values()) clearTimeout(timer);
		this.#iceTimers.clear();
		this.#sendTransport?.close();
		this.#recvTransport?.close();
		this.#sendTransport = this.#recvTransport = undefined;
		this.#host.mediaClosed();
	}

	/** Ends everything, including what was announced before the transports existed. */
	dispose(): void {
		this.close();
		this.#announcedEarly = [];
	}
}

function asTransportOptions(options: TransportOptions) {
	return options as unknown as Parameters<Device['createSendTransport']>[0];
}
