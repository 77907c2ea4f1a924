/**
 * A meeting's video room on this node: its routers (one, or more when the meeting is too
 * large for one worker), the peers in it, the raised hands and the active speaker. It
 * knows nothing of Socket.IO; what the others must hear about goes through `RoomEvents`.
 *
 * Membership changes (join, leave, rebuild, close) are serialised by the registry that
 * owns the room; media operations of one peer may run concurrently with them and fail
 * cleanly with `not-found` when the peer or its transport has gone.
 *
 * Large meetings: each router takes at most `maxPeersPerRouter` peers; the next peers go
 * to a router on another worker, and a producer is piped (`pipeToRouter`) to a router the
 * first time a peer there consumes it. Audio producers are piped to the first router,
 * where the audio-level observer listens to everyone.
 */
import type {
	AudioLevelObserver,
	DtlsParameters,
	MediaKind,
	Producer,
	Router,
	RouterRtpCodecCapability,
	RtpCapabilities,
	RtpParameters,
	Worker
} from 'mediasoup/types';
import type {
	ConsumerOptions,
	IceServer,
	MediaSource,
	PeerInfo,
	ProducerInfo,
	TransportOptions
} from '../../src/lib/realtime/protocol.ts';
import type { RoomParticipant } from '../../src/lib/server/meeting-room.ts';
import { SfuError } from './errors.ts';
import {
	Peer,
	producerInfo,
	type ConsumerAppData,
	type ProducerAppData,
	type TransportAppData,
	type TransportDirection
} from './peer.ts';

/** Reports every 400 ms the loudest microphone above -60 dBov (speech, not room noise). */
function createSpeakerObserver(router: Router): Promise<AudioLevelObserver> {
	return router.createAudioLevelObserver({ maxEntries: 1, threshold: -60, interval: 400 });
}

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
	/** TURN servers for one participant (credentials may be per participant and time-limited). */
	iceServers(participantKey: string): IceServer[];
	iceTransportPolicy: 'all' | 'relay';
}

/** What a room tells the outside world; the signaling layer turns these into events. */
export interface RoomEvents {
	peerJoined(roomId: string, peer: PeerInfo): void;
	peerLeft(roomId: string, peerId: string): void;
	peerReconnecting(roomId: string, peerId: string, reconnecting: boolean): void;
	producerAdded(roomId: string, producer: ProducerInfo): void;
	producerRemoved(roomId: string, peerId: string, producerId: string): void;
	producerPaused(roomId: string, peerId: string, producerId: string, paused: boolean): void;
	/** A consumer of `peerId` was closed by the server (its producer ended). */
	consumerClosed(peerId: string, consumerId: string): void;
	activeSpeaker(roomId: string, peerId: string | null): void;
	handsChanged(roomId: string, hands: string[]): void;
	/** The room's routers were replaced: every browser rebuilds its media. */
	mediaReset(roomId: string, routerRtpCapabilities: RtpCapabilities): void;
}

/** The options every room is created with. */
export interface RoomOptions {
	settings: TransportSettings;
	events: RoomEvents;
	routerSource: RouterSource;
	maxPeers: number;
	maxPeersPerRouter: number;
	/** The highest simulcast layer forwarded on a worker now (lower under CPU pressure); 2 when absent. */
	layerCap?: (worker: Worker) => number;
}

/** Where the room gets routers: the workers of this node. */
export interface RouterSource {
	/** A router on the least-loaded live worker, preferring workers not in `avoid`. */
	createRouter(roomId: string, avoid: readonly Worker[]): Promise<{ router: Router; worker: Worker }>;
}

interface RouterSlot {
	router: Router;
	worker: Worker;
}

export class Room {
	readonly id: string;
	readonly #peers = new Map<string, Peer>();
	readonly #settings: TransportSettings;
	readonly #events: RoomEvents;
	readonly #routerSource: RouterSource;
	readonly #maxPeers: number;
	readonly #maxPeersPerRouter: number;
	readonly #layerCap: (worker: Worker) => number;
	#slots: RouterSlot[];
	#observer: AudioLevelObserver;
	/** Who was loudest in the last report, and in how many reports in a row (to avoid flicker). */
	#loudest: { peerId: string; reports: number } | null = null;
	/** Pipes already made or under way: `${producerId}>${routerId}`. */
	#pipes = new Map<string, Promise<void>>();
	#hands: string[] = [];
	#activeSpeaker: string | null = null;
	/** True while the routers are being replaced: producer closures are not announced one by one. */
	#resetting = false;

	private constructor(
		id: string,
		first: RouterSlot,
		observer: AudioLevelObserver,
		options: RoomOptions
	) {
		this.id = id;
		this.#slots = [first];
		this.#observer = observer;
		this.#settings = options.settings;
		this.#events = options.events;
		this.#routerSource = options.routerSource;
		this.#maxPeers = options.maxPeers;
		this.#maxPeersPerRouter = options.maxPeersPerRouter;
		this.#layerCap = options.layerCap ?? (() => 2);
		this.#watchSpeaker(observer);
	}

	static async create(id: string, options: RoomOptions): Promise<Room> {
		const first = await options.routerSource.createRouter(id, []);
		return new Room(id, first, await createSpeakerObserver(first.router), options);
	}

	get isEmpty(): boolean {
		return this.#peers.size === 0;
	}

	get peerCount(): number {
		return this.#peers.size;
	}

	/** Peers and the tracks they publish: what a newcomer's entry would cost (capacity.ts). */
	get load(): { peers: number; producers: number } {
		let producers = 0;
		for (const peer of this.#peers.values()) producers += peer.producers.size;
		return { peers: this.#peers.size, producers };
	}

	/** Tracks forwarded to the peers of this room. */
	get consumerCount(): number {
		let consumers = 0;
		for (const peer of this.#peers.values()) consumers += peer.consumers.size;
		return consumers;
	}

	get closed(): boolean {
		return this.#slots[0].router.closed;
	}

	/** The first router's capabilities (every router of the room has the same codecs). */
	get rtpCapabilities(): RtpCapabilities {
		return this.#slots[0].router.rtpCapabilities;
	}

	/** The workers this room runs on. */
	get workers(): Worker[] {
		return this.#slots.map((slot) => slot.worker);
	}

	get routerCount(): number {
		return this.#slots.length;
	}

	get hands(): string[] {
		return [...this.#hands];
	}

	get activeSpeaker(): string | null {
		return this.#activeSpeaker;
	}

	has(peerId: string): boolean {
		return this.#peers.has(peerId);
	}

	peer(peerId: string): Peer {
		const peer = this.#peers.get(peerId);
		if (!peer) throw new SfuError('not-in-room', `Peer ${peerId} is not in room ${this.id}`);
		return peer;
	}

	/** The peer of a participant (account or guest), if present. */
	peerOf(participantKey: string): Peer | undefined {
		for (const peer of this.#peers.values()) if (peer.participant.key === participantKey) return peer;
		return undefined;
	}

	peers(): Peer[] {
		return [...this.#peers.values()];
	}

	/** Adds a peer on a router with room for it; returns the others already present. */
	async join(peerId: string, participant: RoomParticipant, rejoinSecret: string): Promise<{ peer: Peer; others: PeerInfo[] }> {
		if (this.closed) throw new SfuError('unavailable', `Room ${this.id} is closing`);
		if (this.#peers.has(peerId)) throw new SfuError('already-joined', `Peer ${peerId} is already in room ${this.id}`);
		if (this.#peers.size >= this.#maxPeers) {
			throw new SfuError('room-full', `Room ${this.id} already holds ${this.#maxPeers} participants`);
		}
		const router = await this.#routerWithRoom();
		const others = [...this.#peers.values()].map((p) => p.info());
		const peer = new Peer(peerId, participant, rejoinSecret, router);
		this.#peers.set(peerId, peer);
		this.#events.peerJoined(this.id, peer.info());
		return { peer, others };
	}

	/** Removes a peer and everything it published; a no-op for an unknown peer. */
	leave(peerId: string): void {
		const peer = this.#peers.get(peerId);
		if (!peer) return;
		this.#peers.delete(peerId);
		if (this.#hands.includes(peerId)) this.#setHands(this.#hands.filter((id) => id !== peerId));
		// Announce the departure first: the others drop the tiles at once, and the
		// consumer closures that follow concern tracks they no longer show.
		this.#events.peerLeft(this.id, peerId);
		peer.closeMedia();
		if (this.#activeSpeaker === peerId) this.#setActiveSpeaker(null);
	}

	setReconnecting(peerId: string, reconnecting: boolean): void {
		const peer = this.#peers.get(peerId);
		if (!peer || peer.reconnecting === reconnecting) return;
		peer.reconnecting = reconnecting;
		this.#events.peerReconnecting(this.id, peerId, reconnecting);
	}

	async createTransport(peerId: string, direction: TransportDirection): Promise<TransportOptions> {
		const peer = this.peer(peerId);
		const s = this.#settings;
		const portRange = { min: s.rtcMinPort, max: s.rtcMaxPort };
		// UDP first; TCP as well because hospital networks often block UDP.
		const transport = await peer.router.createWebRtcTransport<TransportAppData>({
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
		if (this.#peers.get(peerId) !== peer || peer.router.closed) {
			// The peer left (or the room was rebuilt) while the transport was being created.
			transport.close();
			throw new SfuError('not-in-room', `Peer ${peerId} left room ${this.id}`);
		}
		if (direction === 'send') await transport.setMaxIncomingBitrate(s.maxIncomingBitrate);
		// One transport per direction: a new one (after a reconnection) replaces the old.
		for (const old of peer.transports.values()) if (old.appData.direction === direction) old.close();
		peer.transports.set(transport.id, transport);
		transport.observer.once('close', () => peer.transports.delete(transport.id));
		return {
			id: transport.id,
			iceParameters: transport.iceParameters,
			iceCandidates: transport.iceCandidates,
			dtlsParameters: transport.dtlsParameters,
			iceServers: s.iceServers(peer.participant.key),
			iceTransportPolicy: s.iceTransportPolicy
		};
	}

	async connectTransport(peerId: string, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
		await this.peer(peerId).transport(transportId).connect({ dtlsParameters });
	}

	async restartIce(peerId: string, transportId: string): Promise<unknown> {
		return this.peer(peerId).transport(transportId).restartIce();
	}

	async produce(peerId: string, transportId: string, kind: MediaKind, rtpParameters: RtpParameters, source: MediaSource): Promise<string> {
		const peer = this.peer(peerId);
		const transport = peer.transport(transportId);
		if (transport.appData.direction !== 'send') {
			throw new SfuError('invalid-payload', `Transport ${transportId} is not a send transport`);
		}
		if (source === 'microphone' || source === 'screen-audio' ? kind !== 'audio' : kind !== 'video') {
			throw new SfuError('invalid-payload', `A ${source} producer cannot carry ${kind}`);
		}
		// One producer per source: a new camera track replaces the old one.
		for (const old of peer.producersOf(source)) old.close();
		const producer = await transport.produce<ProducerAppData>({ kind, rtpParameters, appData: { peerId, source } });
		peer.producers.set(producer.id, producer);
		producer.observer.once('close', () => {
			peer.producers.delete(producer.id);
			if (this.#peers.get(peerId) === peer && !this.#resetting) this.#events.producerRemoved(this.id, peerId, producer.id);
		});
		if (source === 'microphone') await this.#listenToSpeaker(producer);
		this.#events.producerAdded(this.id, producerInfo(producer));
		return producer.id;
	}

	closeProducer(peerId: string, producerId: string): void {
		this.peer(peerId).producer(producerId).close();
	}

	/** Mutes (pauses) or unmutes a producer; everyone hears about it. */
	async setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
		const producer = this.peer(peerId).producer(producerId);
		if (producer.paused === paused) return;
		if (paused) await producer.pause();
		else await producer.resume();
		this.#events.producerPaused(this.id, peerId, producerId, paused);
	}

	/** A moderator mutes someone: their microphone producers pause. Returns whether anything was live. */
	async mute(peerId: string): Promise<boolean> {
		const live = this.peer(peerId)
			.producersOf('microphone')
			.filter((p) => !p.paused);
		for (const producer of live) await this.setProducerPaused(peerId, producer.id, true);
		return live.length > 0;
	}

	/** A moderator stops someone's camera or screen share (with its sound). */
	stopSource(peerId: string, source: 'camera' | 'screen'): boolean {
		const producers = this.peer(peerId).producersOf(...(source === 'camera' ? (['camera'] as const) : (['screen', 'screen-audio'] as const)));
		for (const producer of producers) producer.close();
		return producers.length > 0;
	}

	/**
	 * Creates a paused consumer of `producerId` for `peerId`, piping the producer to the
	 * peer's router first when it lives on another one. The browser resumes it once its
	 * own consumer is set up, so that no early packet (or keyframe) is lost.
	 */
	async consume(peerId: string, producerId: string, rtpCapabilities: RtpCapabilities): Promise<ConsumerOptions> {
		const peer = this.peer(peerId);
		const { producer, owner } = this.#producerAnywhere(producerId);
		if (owner === peer) throw new SfuError('invalid-payload', `Peer ${peerId} cannot consume its own producer ${producerId}`);
		await this.#pipe(producer, owner.router, peer.router);
		if (!peer.router.canConsume({ producerId, rtpCapabilities })) {
			throw new SfuError('invalid-payload', `The browser cannot receive producer ${producerId} with its capabilities`);
		}
		const consumer = await peer.receiveTransport().consume<ConsumerAppData>({
			producerId,
			rtpCapabilities,
			paused: true,
			appData: { peerId: owner.id, source: producer.appData.source }
		});
		const cap = this.#capFor(peer);
		if (consumer.type === 'simulcast' && cap < 2) await consumer.setPreferredLayers({ spatialLayer: cap });
		peer.consumers.set(consumer.id, consumer);
		consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
		consumer.on('producerclose', () => {
			consumer.close();
			this.#events.consumerClosed(peerId, consumer.id);
		});
		return {
			consumerId: consumer.id,
			producerId,
			peerId: owner.id,
			kind: consumer.kind,
			source: producer.appData.source,
			rtpParameters: consumer.rtpParameters,
			producerPaused: consumer.producerPaused
		};
	}

	async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
		const consumer = this.peer(peerId).consumer(consumerId);
		await consumer.resume();
		// Ask the sender for a keyframe so that the new viewer sees a picture at once.
		if (consumer.kind === 'video') await consumer.requestKeyFrame();
	}

	async pauseConsumer(peerId: string, consumerId: string): Promise<void> {
		await this.peer(peerId).consumer(consumerId).pause();
	}

	async setConsumerLayers(peerId: string, consumerId: string, spatialLayer: number): Promise<void> {
		const consumer = this.peer(peerId).consumer(consumerId);
		if (consumer.kind !== 'video' || consumer.type !== 'simulcast') return;
		consumer.appData.wantedLayer = spatialLayer;
		await consumer.setPreferredLayers({ spatialLayer: Math.min(spatialLayer, this.#capFor(this.peer(peerId))) });
	}

	/**
	 * Forwards at most `cap` on the routers of `worker` (CPU pressure), or gives back the
	 * layers each viewer asked for when the cap rises.
	 */
	async applyLayerCap(worker: Worker, cap: number): Promise<void> {
		const routers = new Set(this.#slots.filter((slot) => slot.worker === worker).map((slot) => slot.router));
		const changes: Promise<void>[] = [];
		for (const peer of this.#peers.values()) {
			if (!routers.has(peer.router)) continue;
			for (const consumer of peer.consumers.values()) {
				if (consumer.type !== 'simulcast' || consumer.closed) continue;
				const spatialLayer = Math.min(consumer.appData.wantedLayer ?? 2, cap);
				changes.push(consumer.setPreferredLayers({ spatialLayer }).catch(() => {}));
			}
		}
		await Promise.all(changes);
	}

	#capFor(peer: Peer): number {
		const slot = this.#slots.find((s) => s.router === peer.router);
		return slot ? this.#layerCap(slot.worker) : 2;
	}

	raiseHand(peerId: string): void {
		this.peer(peerId);
		if (!this.#hands.includes(peerId)) this.#setHands([...this.#hands, peerId]);
	}

	lowerHand(peerId: string): void {
		if (this.#hands.includes(peerId)) this.#setHands(this.#hands.filter((id) => id !== peerId));
	}

	/**
	 * Replaces the room's routers after a worker died: new routers, every peer's media
	 * closed; the peers stay and rebuild their media when told (`mediaReset`).
	 */
	async rebuild(): Promise<void> {
		this.#resetting = true;
		try {
			for (const peer of this.#peers.values()) peer.closeMedia();
			for (const slot of this.#slots) if (!slot.router.closed) slot.router.close();
			this.#pipes = new Map();
			const first = await this.#routerSource.createRouter(this.id, []);
			this.#slots = [first];
			this.#observer = await createSpeakerObserver(first.router);
			this.#watchSpeaker(this.#observer);
			const peers = [...this.#peers.values()];
			// Spread the peers again, router by router.
			for (const [index, peer] of peers.entries()) {
				peer.router = index < this.#maxPeersPerRouter ? first.router : await this.#routerWithRoom(peers.slice(0, index));
			}
			this.#setActiveSpeaker(null);
		} finally {
			this.#resetting = false;
		}
		this.#events.mediaReset(this.id, this.rtpCapabilities);
	}

	/** Closes the routers; callers announce why to the peers before. */
	close(): void {
		for (const peer of this.#peers.values()) peer.closeMedia();
		this.#peers.clear();
		for (const slot of this.#slots) slot.router.close();
	}

	/** A router with fewer than `maxPeersPerRouter` peers, creating one on another worker when all are full. */
	async #routerWithRoom(peers: readonly Peer[] = [...this.#peers.values()]): Promise<Router> {
		for (const slot of this.#slots) {
			const load = peers.filter((p) => p.router === slot.router).length;
			if (load < this.#maxPeersPerRouter && !slot.router.closed) return slot.router;
		}
		const slot = await this.#routerSource.createRouter(this.id, this.workers);
		this.#slots.push(slot);
		return slot.router;
	}

	/** Makes `producer` available on `target` (pipeToRouter), once per producer and router. */
	async #pipe(producer: Producer<ProducerAppData>, source: Router, target: Router): Promise<void> {
		if (source === target) return;
		const key = `${producer.id}>${target.id}`;
		let pipe = this.#pipes.get(key);
		if (!pipe) {
			pipe = source.pipeToRouter({ producerId: producer.id, router: target }).then(() => undefined);
			this.#pipes.set(key, pipe);
			producer.observer.once('close', () => this.#pipes.delete(key));
			pipe.catch(() => this.#pipes.delete(key));
		}
		await pipe;
	}

	/** Puts a microphone under the active-speaker observer (on the first router). */
	async #listenToSpeaker(producer: Producer<ProducerAppData>): Promise<void> {
		const owner = this.#peers.get(producer.appData.peerId);
		if (!owner) return;
		const first = this.#slots[0].router;
		await this.#pipe(producer, owner.router, first);
		if (producer.closed || this.#observer.closed) return;
		await this.#observer.addProducer({ producerId: producer.id }).catch(() => {
			// The producer closed meanwhile: nothing to observe.
		});
	}

	/**
	 * The loudest microphone above the threshold becomes the active speaker once it was
	 * the loudest in two reports in a row (a cough does not steal the stage); silence
	 * keeps the last speaker.
	 */
	#watchSpeaker(observer: AudioLevelObserver): void {
		observer.on('volumes', (volumes) => {
			const loudest = volumes[0]?.producer;
			if (!loudest) return;
			const peerId = (loudest.appData as Partial<ProducerAppData>).peerId ?? this.#ownerOf(loudest.id);
			if (!peerId || !this.#peers.has(peerId)) return;
			this.#loudest = this.#loudest?.peerId === peerId ? { peerId, reports: this.#loudest.reports + 1 } : { peerId, reports: 1 };
			if (this.#activeSpeaker === null || this.#loudest.reports >= 2) this.#setActiveSpeaker(peerId);
		});
	}

	#ownerOf(producerId: string): string | undefined {
		for (const peer of this.#peers.values()) if (peer.producers.has(producerId)) return peer.id;
		return undefined;
	}

	#setActiveSpeaker(peerId: string | null): void {
		if (this.#activeSpeaker === peerId) return;
		this.#activeSpeaker = peerId;
		this.#events.activeSpeaker(this.id, peerId);
	}

	#setHands(hands: string[]): void {
		this.#hands = hands;
		this.#events.handsChanged(this.id, [...hands]);
	}

	#producerAnywhere(producerId: string): { producer: Producer<ProducerAppData>; owner: Peer } {
		for (const peer of this.#peers.values()) {
			const producer = peer.producers.get(producerId);
			if (producer) return { producer, owner: peer };
		}
		throw new SfuError('not-found', `No producer ${producerId} in room ${this.id}`);
	}
}
