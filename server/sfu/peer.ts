/**
 * One participant of a room as the SFU sees it: who they are (from the meeting), the
 * router they are on, their WebRTC transports, what they publish (producers) and what
 * they receive (consumers). Closing the peer's media closes all of that; the participant
 * itself stays until it leaves.
 */
import type { Consumer, Producer, Router, WebRtcTransport } from 'mediasoup/types';
import type { MediaSource, PeerInfo, ProducerInfo } from '../../src/lib/realtime/protocol.ts';
import type { RoomParticipant } from '../../src/lib/server/meeting-room.ts';
import { SfuError } from './errors.ts';

export type TransportDirection = 'send' | 'recv';

export interface TransportAppData extends Record<string, unknown> {
	direction: TransportDirection;
}

export interface ProducerAppData extends Record<string, unknown> {
	peerId: string;
	source: MediaSource;
}

export interface ConsumerAppData extends Record<string, unknown> {
	peerId: string;
	source: MediaSource;
	/** The simulcast layer the browser asked for (its tile's size); the node may forward less under CPU pressure. */
	wantedLayer?: number;
}

export class Peer {
	readonly id: string;
	readonly participant: RoomParticipant;
	/** What the browser presents with `rejoin` to come back as this peer. */
	readonly rejoinSecret: string;
	/** The router this peer's transports live on (one of the room's). */
	router: Router;
	/** True while its connection is lost and the room waits for it. */
	reconnecting = false;
	readonly transports = new Map<string, WebRtcTransport<TransportAppData>>();
	readonly producers = new Map<string, Producer<ProducerAppData>>();
	readonly consumers = new Map<string, Consumer<ConsumerAppData>>();

	constructor(id: string, participant: RoomParticipant, rejoinSecret: string, router: Router) {
		this.id = id;
		this.participant = participant;
		this.rejoinSecret = rejoinSecret;
		this.router = router;
	}

	transport(transportId: string): WebRtcTransport<TransportAppData> {
		const transport = this.transports.get(transportId);
		if (!transport) throw new SfuError('not-found', `No transport ${transportId} for peer ${this.id}`);
		return transport;
	}

	/** The transport this peer receives media on; it must have created one. */
	receiveTransport(): WebRtcTransport<TransportAppData> {
		for (const transport of this.transports.values()) {
			if (transport.appData.direction === 'recv') return transport;
		}
		throw new SfuError('not-found', `Peer ${this.id} has no receive transport`);
	}

	producer(producerId: string): Producer<ProducerAppData> {
		const producer = this.producers.get(producerId);
		if (!producer) throw new SfuError('not-found', `No producer ${producerId} for peer ${this.id}`);
		return producer;
	}

	consumer(consumerId: string): Consumer<ConsumerAppData> {
		const consumer = this.consumers.get(consumerId);
		if (!consumer) throw new SfuError('not-found', `No consumer ${consumerId} for peer ${this.id}`);
		return consumer;
	}

	/** This peer's producers of one source (a camera, a screen share…). */
	producersOf(...sources: MediaSource[]): Producer<ProducerAppData>[] {
		return [...this.producers.values()].filter((p) => sources.includes(p.appData.source));
	}

	info(): PeerInfo {
		const { displayName, specialty, role, moderator } = this.participant;
		return {
			peerId: this.id,
			participantKey: this.participant.key,
			displayName,
			specialty,
			role,
			moderator,
			reconnecting: this.reconnecting,
			producers: [...this.producers.values()].map(producerInfo)
		};
	}

	/** Closes every transport, and with them every producer and consumer. */
	closeMedia(): void {
		for (const transport of this.transports.values()) transport.close();
		this.transports.clear();
		this.producers.clear();
		this.consumers.clear();
	}
}

export function producerInfo(producer: Producer<ProducerAppData>): ProducerInfo {
	return {
		producerId: producer.id,
		peerId: producer.appData.peerId,
		kind: producer.kind,
		source: producer.appData.source,
		paused: producer.paused
	};
}
