/**
 * One participant's media inside a room: their WebRTC transports, what they publish
 * (producers) and what they receive (consumers). Closing the peer closes all of it.
 */
import type { Consumer, Producer, WebRtcTransport } from 'mediasoup/types';
import type { MediaSource, PeerInfo, ProducerInfo } from '../../src/lib/realtime/protocol.ts';
import { SfuError } from './errors.ts';

export type TransportDirection = 'send' | 'recv';

export interface TransportAppData extends Record<string, unknown> {
	direction: TransportDirection;
}

export interface ProducerAppData extends Record<string, unknown> {
	peerId: string;
	source: MediaSource;
}

export class Peer {
	readonly id: string;
	readonly displayName: string;
	readonly transports = new Map<string, WebRtcTransport<TransportAppData>>();
	readonly producers = new Map<string, Producer<ProducerAppData>>();
	readonly consumers = new Map<string, Consumer>();

	constructor(id: string, displayName: string) {
		this.id = id;
		this.displayName = displayName;
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

	consumer(consumerId: string): Consumer {
		const consumer = this.consumers.get(consumerId);
		if (!consumer) throw new SfuError('not-found', `No consumer ${consumerId} for peer ${this.id}`);
		return consumer;
	}

	info(): PeerInfo {
		return {
			peerId: this.id,
			displayName: this.displayName,
			producers: [...this.producers.values()].map(producerInfo)
		};
	}

	/** Closes every transport, and with them every producer and consumer. */
	close(): void {
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
		source: producer.appData.source
	};
}
