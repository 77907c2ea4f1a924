/**
 * A video room on this node: one mediasoup router and the peers in it. It knows nothing
 * of Socket.IO; what the others must hear about goes through `RoomEvents`.
 *
 * Membership changes (join, leave, close) are serialised by the registry that owns the
 * room; media operations of one peer may run concurrently with them and fail cleanly
 * with `not-found` when the peer or its transport has gone.
 */
import type {
	DtlsParameters,
	MediaKind,
	Router,
	RouterRtpCodecCapability,
	RtpCapabilities,
	RtpParameters,
	Worker
} from 'mediasoup/types';
import type { ConsumerOptions, MediaSource, PeerInfo, ProducerInfo, TransportOptions } from '../../src/lib/realtime/protocol.ts';
import { SfuError } from './errors.ts';
import { Peer, producerInfo, type ProducerAppData, type TransportAppData, type TransportDirection } from './peer.ts';

/** Codecs every room offers: Opus for speech, VP8 first for video (simulcast), H264 accepted. */
export const MEDIA_CODECS: RouterRtpCodecCapability[] = [
	{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
	{
		kind: 'video',
		mimeType: 'video/VP8',
		clockRate: 90000,
		preferredPayloadType: 101,
		parameters: { 'x-google-start-bitrate': 1000 }
	},
	{
		kind: 'video',
		mimeType: 'video/H264',
		clockRate: 90000,
		preferredPayloadType: 103,
		parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 }
	}
];

export interface TransportSettings {
	listenIp: string;
	announcedAddress: string;
	rtcMinPort: number;
	rtcMaxPort: number;
	initialAvailableOutgoingBitrate: number;
	maxIncomingBitrate: number;
}

/** What a room tells the outside world; the signaling layer turns these into events. */
export interface RoomEvents {
	peerJoined(roomId: string, peer: PeerInfo): void;
	peerLeft(roomId: string, peerId: string): void;
	producerAdded(roomId: string, producer: ProducerInfo): void;
	producerRemoved(roomId: string, peerId: string, producerId: string): void;
	/** A consumer of `peerId` was closed by the server (its producer ended). */
	consumerClosed(peerId: string, consumerId: string): void;
}

export class Room {
	readonly id: string;
	readonly worker: Worker;
	readonly router: Router;
	readonly #peers = new Map<string, Peer>();
	readonly #settings: TransportSettings;
	readonly #events: RoomEvents;
	readonly #maxPeers: number;

	private constructor(
		id: string,
		worker: Worker,
		router: Router,
		settings: TransportSettings,
		events: RoomEvents,
		maxPeers: number
	) {
		this.id = id;
		this.worker = worker;
		this.router = router;
		this.#settings = settings;
		this.#events = events;
		this.#maxPeers = maxPeers;
	}

	static async create(
		id: string,
		worker: Worker,
		settings: TransportSettings,
		events: RoomEvents,
		maxPeers: number
	): Promise<Room> {
		const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId: id } });
		return new Room(id, worker, router, settings, events, maxPeers);
	}

	get isEmpty(): boolean {
		return this.#peers.size === 0;
	}

	get peerCount(): number {
		return this.#peers.size;
	}

	has(peerId: string): boolean {
		return this.#peers.has(peerId);
	}

	get closed(): boolean {
		return this.router.closed;
	}

	/** Adds a peer; returns the others already present, with what they publish. */
	join(peerId: string, displayName: string): PeerInfo[] {
		if (this.closed) throw new SfuError('unavailable', `Room ${this.id} is closing`);
		if (this.#peers.has(peerId)) throw new SfuError('already-joined', `Peer ${peerId} is already in room ${this.id}`);
		if (this.#peers.size >= this.#maxPeers) {
			throw new SfuError('room-full', `Room ${this.id} already holds ${this.#maxPeers} participants`);
		}
		const others = [...this.#peers.values()].map((p) => p.info());
		const peer = new Peer(peerId, displayName);
		this.#peers.set(peerId, peer);
		this.#events.peerJoined(this.id, peer.info());
		return others;
	}

	/** Removes a peer and everything it published; a no-op for an unknown peer. */
	leave(peerId: string): void {
		const peer = this.#peers.get(peerId);
		if (!peer) return;
		this.#peers.delete(peerId);
		// Announce the departure first: the others drop the tiles at once, and the
		// consumer closures that follow concern tracks they no longer show.
		this.#events.peerLeft(this.id, peerId);
		peer.close();
	}

	async createTransport(peerId: string, direction: TransportDirection): Promise<TransportOptions> {
		const peer = this.#peer(peerId);
		const s = this.#settings;
		const portRange = { min: s.rtcMinPort, max: s.rtcMaxPort };
		// UDP first; TCP as well because hospital networks often block UDP.
		const transport = await this.router.createWebRtcTransport<TransportAppData>({
			listenInfos: [
				{ protocol: 'udp', ip: s.listenIp, announcedAddress: s.announcedAddress, portRange },
				{ protocol: 'tcp', ip: s.listenIp, announcedAddress: s.announcedAddress, portRange }
			],
			enableUdp: true,
			enableTcp: true,
			preferUdp: true,
			initialAvailableOutgoingBitrate: s.initialAvailableOutgoingBitrate,
			appData: { direction }
		});
		if (!this.#peers.has(peerId)) {
			// The peer left while the transport was being created.
			transport.close();
			throw new SfuError('not-in-room', `Peer ${peerId} left room ${this.id}`);
		}
		if (direction === 'send') await transport.setMaxIncomingBitrate(s.maxIncomingBitrate);
		peer.transports.set(transport.id, transport);
		transport.observer.once('close', () => peer.transports.delete(transport.id));
		return {
			id: transport.id,
			iceParameters: transport.iceParameters,
			iceCandidates: transport.iceCandidates,
			dtlsParameters: transport.dtlsParameters
		};
	}

	async connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
		await this.#peer(peerId).transport(transportId).connect({ dtlsParameters });
	}

	async produce(
		peerId: string,
		transportId: string,
		kind: MediaKind,
		rtpParameters: RtpParameters,
		source: MediaSource
	): Promise<string> {
		const peer = this.#peer(peerId);
		const transport = peer.transport(transportId);
		if (transport.appData.direction !== 'send') {
			throw new SfuError('invalid-payload', `Transport ${transportId} is not a send transport`);
		}
		if (source === 'microphone' || source === 'screen-audio' ? kind !== 'audio' : kind !== 'video') {
			throw new SfuError('invalid-payload', `A ${source} producer cannot carry ${kind}`);
		}
		const producer = await transport.produce<ProducerAppData>({ kind, rtpParameters, appData: { peerId, source } });
		peer.producers.set(producer.id, producer);
		producer.observer.once('close', () => {
			peer.producers.delete(producer.id);
			if (this.#peers.get(peerId) === peer) this.#events.producerRemoved(this.id, peerId, producer.id);
		});
		this.#events.producerAdded(this.id, producerInfo(producer));
		return producer.id;
	}

	closeProducer(peerId: string, producerId: string): void {
		this.#peer(peerId).producer(producerId).close();
	}

	/**
	 * Creates a paused consumer of `producerId` for `peerId`. The browser resumes it once
	 * its own consumer is set up, so that no early packet (or keyframe) is lost.
	 */
	async consume(peerId: string, producerId: string, rtpCapabilities: RtpCapabilities): Promise<ConsumerOptions> {
		const peer = this.#peer(peerId);
		const producer = this.#producerAnywhere(producerId);
		if (producer.appData.peerId === peerId) {
			throw new SfuError('invalid-payload', `Peer ${peerId} cannot consume its own producer ${producerId}`);
		}
		if (!this.router.canConsume({ producerId, rtpCapabilities })) {
			throw new SfuError('invalid-payload', `The browser cannot receive producer ${producerId} with its capabilities`);
		}
		const consumer = await peer.receiveTransport().consume({
			producerId,
			rtpCapabilities,
			paused: true,
			appData: { peerId: producer.appData.peerId, source: producer.appData.source }
		});
		peer.consumers.set(consumer.id, consumer);
		consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
		consumer.on('producerclose', () => {
			consumer.close();
			this.#events.consumerClosed(peerId, consumer.id);
		});
		return {
			consumerId: consumer.id,
			producerId,
			peerId: producer.appData.peerId,
			kind: consumer.kind,
			source: producer.appData.source,
			rtpParameters: consumer.rtpParameters
		};
	}

	async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
		const consumer = this.#peer(peerId).consumer(consumerId);
		await consumer.resume();
		// Ask the sender for a keyframe so that the new viewer sees a picture at once.
		if (consumer.kind === 'video') await consumer.requestKeyFrame();
	}

	/** Closes the router; callers announce why to the peers before. */
	close(): void {
		for (const peer of this.#peers.values()) peer.close();
		this.#peers.clear();
		this.router.close();
	}

	#peer(peerId: string): Peer {
		const peer = this.#peers.get(peerId);
		if (!peer) throw new SfuError('not-in-room', `Peer ${peerId} is not in room ${this.id}`);
		return peer;
	}

	#producerAnywhere(producerId: string) {
		for (const peer of this.#peers.values()) {
			const producer = peer.producers.get(producerId);
			if (producer) return producer;
		}
		throw new SfuError('not-found', `No producer ${producerId} in room ${this.id}`);
	}
}
