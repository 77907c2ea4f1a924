/**
 * A synthetic participant: signs in, joins a meeting's room through the real Socket.IO
 * protocol, publishes a microphone (Opus-sized packets every 20 ms) and a camera (VP8 in
 * three simulcast layers, 30 fps) over a real WebRTC transport (werift: ICE, DTLS, SRTP),
 * receives everybody else at the layer its tile would need, and measures what it
 * receives (`receive-stats.ts`).
 *
 * Everything the bot does goes through the same requests a browser sends, so that the
 * server cannot tell it from one (but for its user agent).
 */
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, Transport } from 'mediasoup-client/types';
import {
	MediaStreamTrack,
	ntpTime,
	RtcpSenderInfo,
	RtcpSrPacket,
	RtpHeader,
	RtpPacket,
	serializeAbsSendTime,
	serializeSdesMid,
	serializeTransportWideCC
} from 'werift';
import type { JoinResponse, PeerInfo, ProducerInfo, TransportOptions } from '../../src/lib/realtime/protocol.ts';
import { Pacer } from './pacer.ts';
import { ReceiveStats, type IntervalStats, type TotalStats } from './receive-stats.ts';
import { connect, request, signIn, type BotSocket, type Credentials, type LatencyLog } from './signaling.ts';
import { CAMERA_LAYERS, parseDescriptor, Vp8LayerEncoder } from './vp8.ts';
import { weriftHandlerFactory, type WeriftHandler } from './werift-handler.ts';

export interface BotOptions {
	origin: string;
	credentials: Credentials;
	meetingId: string;
	/** Publish a microphone and a camera. */
	publish: boolean;
	/** The simulcast layer asked for each camera received (0 to 2), as a tile of that size would. */
	receiveLayer: number;
	latency?: LatencyLog;
	/** A label for messages (never a person's name). */
	label: string;
}

export interface ConsumerReport {
	consumerId: string;
	peerId: string;
	kind: 'audio' | 'video';
	stats: ReceiveStats;
}

export type BotState = 'new' | 'signed-in' | 'waiting' | 'joined' | 'left' | 'failed';

const OPUS_PAYLOAD_BYTES = 80; // 32 kb/s in 20 ms frames while speaking

export class Bot {
	readonly options: BotOptions;
	state: BotState = 'new';
	/** Where the bot is in its entry (for a report when it hangs). */
	step = 'new';
	/** Why the bot failed, when it did. */
	failure?: string;
	socket?: BotSocket;
	/** The session cookie (account or guest), for HTTP requests such as document downloads. */
	cookie?: string;
	join?: Extract<JoinResponse, { status: 'joined' }>;
	readonly consumers = new Map<string, ConsumerReport>();
	/** Producer ids of the others already consumed or being consumed. */
	readonly #consumed = new Set<string>();
	readonly #early: ProducerInfo[] = [];
	#device?: Device;
	#sendTransport?: Transport;
	#recvTransport?: Transport;
	readonly #timers: NodeJS.Timeout[] = [];
	readonly #keyFrameWanted = new Set<number>();
	/** Speaking: Opus every 20 ms; silent: a comfort-noise frame every 400 ms (DTX). */
	speaking = false;
	/** Requests that failed after the join (other than the ones a test provokes). */
	readonly errors: string[] = [];
	readonly #listeners: ((event: string, payload: unknown) => void)[] = [];

	constructor(options: BotOptions) {
		this.options = options;
	}

	get peerId(): string | undefined {
		return this.join?.peerId;
	}

	/** Notified of every server event this bot receives (the live-meeting behaviours listen here). */
	onEvent(listener: (event: string, payload: unknown) => void): void {
		this.#listeners.push(listener);
	}

	async request<E extends Parameters<typeof request>[1]>(event: E, payload: Parameters<typeof request<E>>[2]) {
		if (!this.socket) throw new Error('not connected');
		return request(this.socket, event, payload, this.options.latency);
	}

	/** Signs in and opens the connection (no room yet). */
	async connect(): Promise<void> {
		this.step = 'sign-in';
		const cookie = await signIn(this.options.origin, this.options.credentials);
		this.cookie = cookie;
		await this.#open();
		this.state = 'signed-in';
	}

	/** Several nodes: the node the connection names (`?node=`), as the meeting's join said. */
	node?: string;
	/** How many times the join was sent to another node (several nodes). */
	moves = 0;

	async #open(node?: string): Promise<void> {
		this.step = 'connect';
		this.node = node;
		this.socket = await connect(this.options.origin, this.cookie!, node);
		this.socket.onAny((event: string, payload: unknown) => {
			for (const listener of this.#listeners) listener(event, payload);
		});
		this.#lobbyVerdict = this.#nextLobbyVerdict();
		this.socket.on('producer:added', (producer) => void this.#consume(producer));
		this.socket.on('consumer:closed', ({ consumerId }) => this.consumers.delete(consumerId));
		this.socket.on('room:closed', () => {
			if (this.state === 'joined') this.state = 'left';
		});
		this.socket.on('disconnect', () => {
			if (this.state === 'joined') {
				this.state = 'failed';
				this.failure = 'disconnected';
			}
		});
	}

	#lobbyVerdict: Promise<boolean> = Promise.resolve(false);

	/** The next lobby verdict for this connection, listened for before it can arrive. */
	#nextLobbyVerdict(): Promise<boolean> {
		return new Promise((resolve) => {
			const admitted = () => {
				this.socket!.off('lobby:refused', refused);
				resolve(true);
			};
			const refused = () => {
				this.socket!.off('lobby:admitted', admitted);
				resolve(false);
			};
			this.socket!.once('lobby:admitted', admitted);
			this.socket!.once('lobby:refused', refused);
		});
	}

	/** Enters the room (waiting in the lobby first if the room says so), then sets up media. */
	async enter(): Promise<void> {
		this.step = 'room:join';
		const answer = await this.request('room:join', { meetingId: this.options.meetingId });
		if (answer.status === 'moved') {
			// Several nodes: the meeting is hosted elsewhere; reconnect there, as a browser does.
			if (++this.moves > 8) throw new Error(`still moved after 8 reconnections (last: ${answer.node})`);
			this.socket?.removeAllListeners();
			this.socket?.disconnect();
			await this.#open(answer.node);
			return this.enter();
		}
		if (answer.status === 'waiting') {
			this.state = 'waiting';
			this.step = 'lobby';
			// The verdict may have come in the same read as the answer: it was kept (connect()).
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('nobody let the bot in from the lobby within 30 s')), 30_000);
				this.#lobbyVerdict.then((admitted) => {
					clearTimeout(timer);
					if (admitted) resolve();
					else reject(new Error('refused in the lobby'));
				});
			});
			this.#lobbyVerdict = this.#nextLobbyVerdict();
			return this.enter();
		}
		this.join = answer;
		this.state = 'joined';
		await this.#setUpMedia(answer);
	}

	async #setUpMedia(joined: Extract<JoinResponse, { status: 'joined' }>): Promise<void> {
		this.step = 'device';
		const device = new Device({ handlerFactory: weriftHandlerFactory() });
		await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as never });
		this.#device = device;
		this.step = 'receive transport';
		const recv = await this.#transport('recv');
		this.#recvTransport = recv;
		this.step = 'publish';
		if (this.options.publish) await this.#publish();
		this.step = 'consume';
		const existing = [...joined.peers.flatMap((peer: PeerInfo) => peer.producers), ...this.#early.splice(0)];
		await Promise.all(existing.map((producer) => this.#consume(producer)));
		this.step = 'in';
	}

	async #transport(direction: 'send' | 'recv'): Promise<Transport> {
		const options: TransportOptions = await this.request('transport:create', { direction });
		const params = {
			id: options.id,
			iceParameters: options.iceParameters as never,
			iceCandidates: options.iceCandidates as never,
			dtlsParameters: options.dtlsParameters as never
		};
		const transport = direction === 'send' ? this.#device!.createSendTransport(params) : this.#device!.createRecvTransport(params);
		transport.on('connect', ({ dtlsParameters }, done, fail) => {
			this.request('transport:connect', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(() => done(), fail);
		});
		if (direction === 'send') {
			transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
				this.request('producer:create', {
					transportId: transport.id,
					kind,
					rtpParameters: rtpParameters as never,
					source: appData.source as 'microphone' | 'camera'
				}).then(({ producerId }) => done({ id: producerId }), fail);
			});
		}
		return transport;
	}

	async #publish(): Promise<void> {
		const transport = (this.#sendTransport = await this.#transport('send'));
		const microphone = new MediaStreamTrack({ kind: 'audio' });
		await transport.produce({ track: microphone as never, appData: { source: 'microphone' } });
		const camera = new MediaStreamTrack({ kind: 'video' });
		const video = await transport.produce({
			track: camera as never,
			encodings: CAMERA_LAYERS.map((layer) => ({ maxBitrate: layer.bitrate, scalabilityMode: 'L1T3' })),
			appData: { source: 'camera' }
		});
		this.#sendAudio(microphone);
		this.#sendVideo(video, transport);
	}

	#sendAudio(track: MediaStreamTrack): void {
		let sequenceNumber = Math.floor(Math.random() * 0xffff);
		let timestamp = Math.floor(Math.random() * 0xffffffff);
		let tick = 0;
		const voice = Buffer.alloc(OPUS_PAYLOAD_BYTES, 0x33);
		const comfortNoise = Buffer.alloc(3, 0x08);
		const sendFrame = () => {
			tick += 1;
			timestamp = (timestamp + 960) >>> 0;
			// Opus with DTX (as Concerto's browsers send it): a silent microphone sends a
			// comfort-noise frame every 400 ms; a speaking one, a frame every 20 ms.
			if (!this.speaking && tick % 20 !== 0) return;
			sequenceNumber = (sequenceNumber + 1) & 0xffff;
			const payload = this.speaking ? voice : comfortNoise;
			track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber, timestamp, marker: false }), payload));
		};
		const pace = new Pacer(20);
		this.#timers.push(
			setInterval(() => {
				for (let frame = pace.due(performance.now()); frame > 0; frame--) sendFrame();
			}, 20)
		);
	}

	#sendVideo(producer: Producer, transport: Transport): void {
		const handler = (transport as unknown as { handler: WeriftHandler }).handler;
		const writer = handler.writer(producer.localId);
		if (!writer) throw new Error('no simulcast writer for the camera');
		const dtls = writer.sender.dtlsTransport;
		const layers = CAMERA_LAYERS.map((spec, index) => ({
			encoder: new Vp8LayerEncoder(spec, Math.floor(Math.random() * 0x7fff)),
			ssrc: writer.ssrcs[index],
			sequenceNumber: Math.floor(Math.random() * 0xffff),
			timestamp: Math.floor(Math.random() * 0xffffffff),
			frames: 0,
			packets: 0,
			octets: 0
		}));
		for (const layer of layers) this.#keyFrameWanted.add(layer.ssrc);
		// Key frame requests from the SFU, by SSRC: PLI (FMT 1) and FIR (FMT 4); not REMB (FMT 15).
		dtls.onRtcp.subscribe((packet: { type: number; feedback?: { count: number; mediaSsrc?: number; fir?: { ssrc: number }[] } }) => {
			const feedback = packet.type === 206 ? packet.feedback : undefined;
			if (feedback?.count === 1 && feedback.mediaSsrc !== undefined) this.#keyFrameWanted.add(feedback.mediaSsrc);
			if (feedback?.count === 4) for (const entry of feedback.fir ?? []) this.#keyFrameWanted.add(entry.ssrc);
		});
		const send = (layer: (typeof layers)[number]) => {
			const keyFrame = this.#keyFrameWanted.delete(layer.ssrc) || layer.frames % 300 === 0;
			const { payloads } = layer.encoder.nextFrame(keyFrame);
			layer.frames += 1;
			layer.timestamp = (layer.timestamp + 3000) >>> 0;
			payloads.forEach((payload, index) => {
				layer.sequenceNumber = (layer.sequenceNumber + 1) & 0xffff;
				const extensions = [];
				if (writer.extensions.mid) extensions.push({ id: writer.extensions.mid, payload: serializeSdesMid(writer.mid) });
				if (writer.extensions.absSendTime) extensions.push({ id: writer.extensions.absSendTime, payload: serializeAbsSendTime(ntpTime()) });
				if (writer.extensions.transportCc) {
					dtls.transportSequenceNumber = (dtls.transportSequenceNumber + 1) & 0xffff;
					extensions.push({ id: writer.extensions.transportCc, payload: serializeTransportWideCC(dtls.transportSequenceNumber) });
				}
				const header = new RtpHeader({
					payloadType: writer.payloadType,
					sequenceNumber: layer.sequenceNumber,
					timestamp: layer.timestamp,
					ssrc: layer.ssrc,
					marker: index === payloads.length - 1,
					extension: extensions.length > 0,
					extensions
				});
				void dtls.sendRtp(payload, header).catch(() => {});
				layer.packets += 1;
				layer.octets += payload.length;
			});
			// A sender report per layer every second: the SFU maps each layer's timestamps
			// to the wall clock with it, which it needs to switch a viewer between layers.
			if (layer.frames % CAMERA_LAYERS[0].fps === 1) {
				const senderInfo = new RtcpSenderInfo({ ntpTimestamp: ntpTime(), rtpTimestamp: layer.timestamp, packetCount: layer.packets, octetCount: layer.octets });
				void dtls.sendRtcp([new RtcpSrPacket({ ssrc: layer.ssrc, senderInfo })]).catch(() => {});
			}
		};
		const interval = 1000 / CAMERA_LAYERS[0].fps;
		const pace = new Pacer(interval);
		this.#timers.push(
			setInterval(() => {
				if (dtls.state !== 'connected') return;
				for (let frame = pace.due(performance.now()); frame > 0; frame--) for (const layer of layers) send(layer);
			}, interval)
		);
	}

	async #consume(producer: ProducerInfo): Promise<void> {
		// Announced before the receiving transport exists: consumed once it does.
		if (!this.#recvTransport) {
			this.#early.push(producer);
			return;
		}
		if (this.#consumed.has(producer.producerId) || producer.peerId === this.peerId) return;
		this.#consumed.add(producer.producerId);
		try {
			const options = await this.request('consumer:create', {
				producerId: producer.producerId,
				rtpCapabilities: this.#device!.rtpCapabilities as never
			});
			const consumer: Consumer = await this.#recvTransport.consume({
				id: options.consumerId,
				producerId: options.producerId,
				kind: options.kind,
				rtpParameters: options.rtpParameters as never
			});
			const codec = consumer.rtpParameters.codecs[0];
			const stats = new ReceiveStats(options.kind, codec.clockRate, performance.now());
			const video = options.kind === 'video';
			(consumer.track as unknown as MediaStreamTrack).onReceiveRtp.subscribe((rtp) => {
				const keyFrame = video && (parseDescriptor(rtp.payload)?.keyFrame ?? false);
				stats.onPacket(rtp.header.sequenceNumber, rtp.header.timestamp, rtp.payload.length + 12, rtp.header.marker, keyFrame, performance.now());
			});
			this.consumers.set(options.consumerId, { consumerId: options.consumerId, peerId: options.peerId, kind: options.kind, stats });
			await this.request('consumer:resume', { consumerId: options.consumerId });
			if (video && options.source === 'camera' && this.options.receiveLayer < 2) {
				await this.request('consumer:set-layers', { consumerId: options.consumerId, spatialLayer: this.options.receiveLayer });
			}
		} catch (error) {
			this.#consumed.delete(producer.producerId);
			if (this.state === 'joined') this.errors.push(`consume: ${(error as Error).message}`);
		}
	}

	/** Interval figures of every consumer (and starts a new interval). */
	intervalStats(now = performance.now()): { kind: 'audio' | 'video'; stats: IntervalStats }[] {
		return [...this.consumers.values()].map((c) => ({ kind: c.kind, stats: c.stats.interval(now) }));
	}

	totals(now = performance.now()): { kind: 'audio' | 'video'; peerId: string; totals: TotalStats }[] {
		return [...this.consumers.values()].map((c) => ({ kind: c.kind, peerId: c.peerId, totals: c.stats.totals(now) }));
	}

	/** Leaves the room politely and closes everything. */
	async leave(): Promise<void> {
		this.#stopMedia();
		if (this.socket?.connected && this.state === 'joined') {
			await this.request('room:leave', {}).catch(() => {});
		}
		if (this.state !== 'failed') this.state = 'left';
		this.socket?.disconnect();
	}

	#stopMedia(): void {
		for (const timer of this.#timers) clearInterval(timer);
		this.#timers.length = 0;
		this.#sendTransport?.close();
		this.#recvTransport?.close();
	}
}
