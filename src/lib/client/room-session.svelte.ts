/**
 * One browser's presence in a meeting's video room: it publishes the microphone, the
 * camera and possibly a screen through the SFU and receives everyone else's tracks; it
 * carries the room's shared state (hands, chat, lobby, active speaker) and the
 * moderators' controls; it survives network blips (Socket.IO reconnects, the server
 * resumes the same participant, broken transports restart ICE or are rebuilt) and a
 * media-server failure (`room:media-reset`). Everything a page shows is reactive.
 */
import { Device } from 'mediasoup-client';
import type { Consumer, Producer, RtpCapabilities, RtpParameters, Transport } from 'mediasoup-client/types';
import { SvelteMap } from 'svelte/reactivity';
import type { DocumentView } from '$lib/realtime/live';
import type {
	CaseViewInfo,
	ChatMessage,
	DecisionInfo,
	LiveInfo,
	ReadBackInfo,
	RecordedBatchInfo,
	JoinResponse,
	LobbyEntry,
	MediaSource,
	PeerInfo,
	ProducerInfo,
	RoomClosedReason,
	TransportOptions
} from '$lib/realtime/protocol';
import { qualityOf, type Quality } from './quality';
import { connectSignaling, request, RequestError, type SignalingSocket } from './signaling';

export type SessionStatus = 'idle' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'left' | 'closed' | 'refused' | 'failed';

export type { Quality };

/** Another participant as the page shows them. */
export interface RemoteParticipant {
	info: PeerInfo;
	/** Camera and microphone, one stream so that audio and video stay together. */
	stream: MediaStream;
	/** Their screen share (video, and its sound when shared), if any. */
	screen: MediaStream | null;
	hasVideo: boolean;
	audioMuted: boolean;
	quality: Quality;
	stats: { lossPercent: number; rttMs: number | null; kbps: number } | null;
}

/** Why something went wrong, for the page to word in the user's language. */
export type SessionProblem =
	| 'media-denied'
	| 'media-unavailable'
	| 'server-unreachable'
	| 'room-full'
	| 'server-full'
	| 'forbidden'
	| 'meeting-closed'
	| 'media-failed'
	| 'screen-failed'
	| RoomClosedReason
	| 'unexpected';

/** What the pre-join screen hands over. */
export interface JoinChoice {
	stream: MediaStream | null;
	cameraOn: boolean;
	microphoneOn: boolean;
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

interface ConsumerEntry {
	consumer: Consumer;
	peerId: string;
	source: MediaSource;
	/** Whether the page shows it (video of a tile off the current page is paused). */
	wanted: boolean;
	layer: number | null;
	lastStats?: { at: number; bytes: number; lost: number; received: number };
}

export class RoomSession {
	status = $state<SessionStatus>('idle');
	problem = $state<SessionProblem | null>(null);
	/** Reference to quote when the server reported an unexpected error. */
	errorId = $state<string | null>(null);
	self = $state<PeerInfo | null>(null);
	/** `user:<id>` or `guest:<id>`: our chat messages carry it as `authorKey`. */
	participantKey = $state<string | null>(null);
	readonly participants = new SvelteMap<string, RemoteParticipant>();
	hands = $state<string[]>([]);
	activeSpeaker = $state<string | null>(null);
	chat = $state<ChatMessage[]>([]);
	lobby = $state<LobbyEntry[]>([]);
	locked = $state(false);
	/** Camera and microphone as captured (the local preview). */
	localStream = $state<MediaStream | null>(null);
	screenStream = $state<MediaStream | null>(null);
	microphoneOn = $state(false);
	cameraOn = $state(false);
	/** Speaking while muted: the page shows a hint. */
	speakingWhileMuted = $state(false);
	/** Set when a moderator muted us or stopped our camera or screen (their name). */
	moderatedBy = $state<{ action: 'muted' | 'camera' | 'screen'; by: string } | null>(null);
	/** The last transport problem seen, for the connection banner. */
	mediaState = $state<'connected' | 'connecting' | 'broken'>('connecting');

	// The live meeting: the case under discussion and what the presenter shows.
	live = $state<LiveInfo>({ currentCaseId: null, presenterKey: null, editorKey: null, document: null });
	/** Bumped when the agenda's outcomes changed (a batch recorded without discussion): the page reads it again. */
	agendaRevision = $state(0);
	/** The current case's fiche and documents (fetched when the case changes). */
	currentCase = $state<CaseViewInfo | null>(null);
	/** The proposal as last saved by the pen's holder. */
	decision = $state<(DecisionInfo & { by?: string }) | null>(null);
	readBack = $state<ReadBackInfo[]>([]);
	/** The presenter's laser pointer (page fractions), null when hidden. */
	pointer = $state<{ x: number; y: number } | null>(null);
	quorum = $state<{ status: string; met: boolean; missing: string[]; distinct: number } | null>(null);

	#meetingId = '';
	#socket: SignalingSocket | undefined;
	#device: Device | undefined;
	/** The capabilities `#device` was loaded with (JSON), to reuse it when they match. */
	#deviceCapabilities: string | undefined;
	#sendTransport: Transport | undefined;
	#recvTransport: Transport | undefined;
	readonly #producers = new Map<MediaSource, Producer>();
	readonly #consumers = new Map<string, ConsumerEntry>();
	/** Producers announced while the receive transport was being set up. */
	#announcedEarly: ProducerInfo[] = [];
	#rejoin: { peerId: string; secret: string } | undefined;
	/** Whether each peer's video is on screen, and the tile width it is drawn at. */
	readonly #visibility = new Map<string, { visible: boolean; width: number }>();
	#iceTimers = new Map<Transport, ReturnType<typeof setTimeout>>();
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	#levelStop: (() => void) | undefined;
	/** Serialises media rebuilds (reconnection, media reset). */
	#mediaWork: Promise<void> = Promise.resolve();

	get peerId(): string | undefined {
		return this.self?.peerId;
	}

	get isModerator(): boolean {
		return this.self?.moderator ?? false;
	}

	/** Enters the meeting's room (or its lobby) with what the pre-join screen prepared. */
	async join(meetingId: string, choice: JoinChoice): Promise<void> {
		if (this.status === 'joining' || this.status === 'joined' || this.status === 'waiting') return;
		this.#meetingId = meetingId;
		this.status = 'joining';
		this.problem = null;
		this.errorId = null;
		this.localStream = choice.stream;
		this.microphoneOn = choice.microphoneOn && Boolean(choice.stream?.getAudioTracks().length);
		this.cameraOn = choice.cameraOn && Boolean(choice.stream?.getVideoTracks().length);
		try {
			await this.connect();
			await this.#enter();
		} catch (error) {
			this.#fail(error);
		}
	}

	/**
	 * Loads the media engine (mediasoup-client's Device) with the server's capabilities
	 * ahead of the join; the join reuses it when the room's capabilities are the same.
	 */
	async preload(routerRtpCapabilities: unknown): Promise<void> {
		if (this.#device) return;
		const device = new Device();
		await device.load({ routerRtpCapabilities: routerRtpCapabilities as RtpCapabilities });
		this.#device ??= device;
		this.#deviceCapabilities = JSON.stringify(routerRtpCapabilities);
	}

	/**
	 * Opens the signaling connection ahead of the join (while the pre-join screen shows),
	 * so that the click only has the room to enter. Safe to call more than once.
	 */
	connect(): Promise<void> {
		let socket = this.#socket;
		if (socket && !socket.connected && !socket.active) {
			// Refused earlier (no session): Socket.IO does not retry that by itself.
			socket.removeAllListeners();
			socket.io.removeAllListeners();
			socket = this.#socket = undefined;
		}
		if (!socket) {
			socket = connectSignaling();
			this.#socket = socket;
			this.#listen(socket);
		}
		const open = socket;
		return new Promise<void>((resolve, reject) => {
			if (open.connected) return resolve();
			open.once('connect', () => resolve());
			open.once('connect_error', (error) =>
				reject(new RequestError('room:join', error.message === 'unauthorized' ? 'forbidden' : 'unavailable', error.message))
			);
		});
	}

	/** Leaves the room (or the lobby) for good. */
	async leave(): Promise<void> {
		if (this.#socket?.connected && (this.self || this.status === 'waiting')) {
			await request(this.#socket, 'room:leave', {}).catch(() => {});
		}
		this.#teardown();
		this.status = 'left';
	}

	// ---------------------------------------------------------------------------------
	// Own media

	async toggleMicrophone(): Promise<void> {
		const producer = this.#producers.get('microphone');
		const socket = this.#socket;
		if (!socket) return;
		if (!producer) {
			// Joined without a microphone: open one now.
			try {
				const microphone = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
				const track = microphone.getAudioTracks()[0];
				this.localStream = new MediaStream([...(this.localStream?.getVideoTracks() ?? []), track]);
				this.microphoneOn = true;
				await this.#publishTrack('microphone', track);
				this.#watchOwnVoice();
			} catch (error) {
				this.problem = error instanceof DOMException && error.name === 'NotAllowedError' ? 'media-denied' : 'media-unavailable';
			}
			return;
		}
		if (this.microphoneOn) {
			producer.pause();
			this.microphoneOn = false;
			await request(socket, 'producer:pause', { producerId: producer.id }).catch(() => {});
		} else {
			producer.resume();
			this.microphoneOn = true;
			this.speakingWhileMuted = false;
			if (this.moderatedBy?.action === 'muted') this.moderatedBy = null;
			await request(socket, 'producer:resume', { producerId: producer.id }).catch(() => {});
		}
	}

	async toggleCamera(): Promise<void> {
		if (this.cameraOn) {
			await this.#unpublish('camera');
			this.cameraOn = false;
			for (const track of this.localStream?.getVideoTracks() ?? []) {
				track.stop();
				this.localStream?.removeTrack(track);
			}
			this.localStream = this.localStream ? new MediaStream(this.localStream.getTracks()) : null;
			return;
		}
		try {
			const camera = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } } });
			const track = camera.getVideoTracks()[0];
			this.localStream = new MediaStream([...(this.localStream?.getAudioTracks() ?? []), track]);
			this.cameraOn = true;
			if (this.moderatedBy?.action === 'camera') this.moderatedBy = null;
			await this.#publishTrack('camera', track);
		} catch (error) {
			this.problem = error instanceof DOMException && error.name === 'NotAllowedError' ? 'media-denied' : 'media-unavailable';
		}
	}

	/** Shares a screen, a window or a tab: sharp (detail) rather than fluid, with its sound when offered. */
	async startScreenShare(): Promise<void> {
		if (this.screenStream) return;
		let stream: MediaStream;
		try {
			stream = await navigator.mediaDevices.getDisplayMedia({
				video: { width: { max: 2560 }, height: { max: 1440 }, frameRate: { ideal: 15, max: 15 } },
				audio: true
			});
		} catch (error) {
			// Cancelling the browser's picker is not a problem.
			if (!(error instanceof DOMException && error.name === 'NotAllowedError')) this.problem = 'screen-failed';
			return;
		}
		const video = stream.getVideoTracks()[0];
		if (!video) return;
		video.contentHint = 'detail';
		this.screenStream = stream;
		if (this.moderatedBy?.action === 'screen') this.moderatedBy = null;
		// The browser's own "stop sharing" button ends the track.
		video.addEventListener('ended', () => void this.stopScreenShare());
		try {
			await this.#publishTrack('screen', video);
			const audio = stream.getAudioTracks()[0];
			if (audio) await this.#publishTrack('screen-audio', audio);
		} catch {
			this.problem = 'screen-failed';
			await this.stopScreenShare();
		}
	}

	async stopScreenShare(): Promise<void> {
		const stream = this.screenStream;
		if (!stream) return;
		this.screenStream = null;
		await Promise.all([this.#unpublish('screen'), this.#unpublish('screen-audio')]);
		for (const track of stream.getTracks()) track.stop();
	}

	// ---------------------------------------------------------------------------------
	// Hands, chat, moderation

	raiseHand = () => this.#ask('hand:raise', {});
	lowerHand = (peerId?: string) => this.#ask('hand:lower', peerId ? { peerId } : {});

	/** Sends a chat message; resolves with it as kept by the server. */
	async sendChat(text: string): Promise<ChatMessage | undefined> {
		if (!this.#socket) return undefined;
		const message = await request(this.#socket, 'chat:send', { text });
		if (!this.chat.some((m) => m.id === message.id)) this.chat = [...this.chat, message];
		return message;
	}

	admit = (participantKey: string) => this.#ask('lobby:admit', { participantKey });
	refuse = (participantKey: string) => this.#ask('lobby:refuse', { participantKey });
	mute = (peerId: string) => this.#ask('moderate:mute', { peerId });
	stopVideo = (peerId: string, source: 'camera' | 'screen') => this.#ask('moderate:stop', { peerId, source });
	remove = (peerId: string) => this.#ask('moderate:remove', { peerId });
	lock = (locked: boolean) => this.#ask('moderate:lock', { locked });
	endForAll = () => this.#ask('moderate:end', {});

	async #ask<E extends 'hand:raise' | 'hand:lower' | 'lobby:admit' | 'lobby:refuse' | 'moderate:mute' | 'moderate:stop' | 'moderate:remove' | 'moderate:lock' | 'moderate:end'>(
		event: E,
		payload: Parameters<typeof request<E>>[2]
	): Promise<void> {
		if (!this.#socket) return;
		await request(this.#socket, event, payload);
	}

	// ---------------------------------------------------------------------------------
	// The live meeting

	get isPresenter(): boolean {
		return this.participantKey !== null && this.live.presenterKey === this.participantKey;
	}

	get holdsPen(): boolean {
		return this.participantKey !== null && this.live.editorKey === this.participantKey;
	}

	#applyLive(live: LiveInfo): void {
		const caseChanged = live.currentCaseId !== this.live.currentCaseId;
		this.live = live;
		if (!caseChanged) return;
		this.pointer = null;
		this.readBack = [];
		this.currentCase = null;
		this.decision = null;
		if (live.currentCaseId) void this.#loadCase();
	}

	async #loadCase(): Promise<void> {
		if (!this.#socket) return;
		const view = await request(this.#socket, 'case:view', {}).catch(() => null);
		if (!view || view.caseId !== this.live.currentCaseId) return;
		this.currentCase = view;
		// A save of ours may have answered meanwhile with a newer version: keep the newest.
		const known = this.decision;
		if (!known || known.caseId !== view.caseId || view.decision.version >= known.version) {
			this.decision = view.decision;
			this.readBack = view.readBack;
		}
	}

	/** The chair opens a case of the agenda (everyone switches to it). */
	openCase = (caseId: string) => this.#live('case:open', { caseId });
	/** The chair closes the current case; the next of the agenda opens. */
	closeCase = (outcome: 'decided' | 'postponed') => this.#live('case:close', { outcome });
	setPresenter = (participantKey: string) => this.#live('case:presenter', { participantKey });
	/** The chair validates the cases prepared as "enregistré sans discussion" (all, or those listed). */
	async recordWithoutDiscussion(caseIds: string[], quorumNotMetAcknowledged: boolean): Promise<RecordedBatchInfo> {
		if (!this.#socket) throw new RequestError('case:record', 'not-in-room', 'Not connected');
		const batch = await request(this.#socket, 'case:record', { caseIds, quorumNotMetAcknowledged });
		this.agendaRevision++;
		return batch;
	}
	givePen = (participantKey: string) => this.#live('decision:pen', { participantKey });

	async #live<E extends 'case:open' | 'case:close' | 'case:presenter' | 'decision:pen'>(event: E, payload: Parameters<typeof request<E>>[2]): Promise<void> {
		if (!this.#socket) return;
		this.#applyLive((await request(this.#socket, event, payload)) as LiveInfo);
	}

	/** The presenter shows a document (or changes its page, zoom, position, drawings). */
	async showDocument(view: DocumentView | null): Promise<void> {
		if (!this.#socket) return;
		this.live = { ...this.live, document: view };
		await request(this.#socket, 'doc:show', { view });
	}

	/** The presenter's laser pointer (null hides it); fire and forget. */
	movePointer(point: { x: number; y: number } | null): void {
		if (this.#socket?.connected && this.isPresenter) void request(this.#socket, 'doc:pointer', point).catch(() => {});
	}

	/** The pen's holder saves the proposal (autosave); resolves with the new version. */
	async saveDecision(content: Record<string, unknown>): Promise<number> {
		const socket = this.#socket;
		const current = this.decision;
		if (!socket || !current) throw new RequestError('decision:save', 'not-in-room', 'no case');
		const { version } = await request(socket, 'decision:save', { caseId: current.caseId, baseVersion: current.version, content });
		this.decision = { ...current, version, status: 'draft', content };
		this.readBack = [];
		return version;
	}

	/** The pen's holder makes the proposal final; answers what is missing when it cannot be. */
	async finalizeDecision(): Promise<DecisionInfo> {
		const socket = this.#socket;
		const current = this.decision;
		if (!socket || !current) throw new RequestError('decision:finalize', 'not-in-room', 'no case');
		const result = await request(socket, 'decision:finalize', { caseId: current.caseId, version: current.version });
		if (!result.problems) this.decision = result;
		return result;
	}

	/** "Je confirme" or "Je ne suis pas d'accord" (with a comment). */
	async answerReadBack(answer: 'confirm' | 'disagree', comment = ''): Promise<void> {
		const socket = this.#socket;
		const current = this.decision;
		if (!socket || !current) return;
		await request(socket, 'decision:answer', { caseId: current.caseId, version: current.version, answer, comment });
	}

	// ---------------------------------------------------------------------------------
	// What the page shows

	/**
	 * The page tells which participants' videos are on screen, and how wide: hidden ones
	 * are paused (audio keeps flowing), visible ones get the simulcast layer their size needs.
	 */
	setVisibility(peerId: string, visible: boolean, width: number): void {
		this.#visibility.set(peerId, { visible, width });
		for (const [consumerId, entry] of this.#consumers) {
			if (entry.peerId !== peerId || entry.consumer.kind !== 'video' || entry.source !== 'camera') continue;
			void this.#applyVisibility(consumerId, entry);
		}
	}

	async #applyVisibility(consumerId: string, entry: ConsumerEntry): Promise<void> {
		const socket = this.#socket;
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

	/** Can this browser reach the media server over UDP / TCP? (pre-join check) */
	static async probe(protocol: 'udp' | 'tcp'): Promise<'ok' | 'failed'> {
		const socket = connectSignaling();
		let probeId: string | undefined;
		try {
			await new Promise<void>((resolve, reject) => {
				socket.once('connect', () => resolve());
				socket.once('connect_error', reject);
			});
			const probe = await request(socket, 'probe:create', { protocol });
			probeId = probe.probeId;
			const device = new Device();
			await device.load({ routerRtpCapabilities: probe.routerRtpCapabilities as RtpCapabilities });
			const transport = device.createSendTransport({
				...(probe.transport as unknown as Parameters<Device['createSendTransport']>[0]),
				sctpParameters: probe.sctpParameters as Parameters<Device['createSendTransport']>[0]['sctpParameters']
			});
			transport.on('connect', ({ dtlsParameters }, done, fail) => {
				request(socket, 'probe:connect', { probeId: probe.probeId, dtlsParameters: dtlsParameters as never })
					.then(() => done())
					.catch(fail);
			});
			// No data producer is created on the server: the connection alone is the answer.
			transport.on('producedata', (_parameters, done) => done({ id: 'probe' }));
			const connected = new Promise<'ok' | 'failed'>((resolve) => {
				const timer = setTimeout(() => resolve('failed'), 6_000);
				transport.on('connectionstatechange', (state) => {
					if (state === 'connected') {
						clearTimeout(timer);
						resolve('ok');
					} else if (state === 'failed') {
						clearTimeout(timer);
						resolve('failed');
					}
				});
			});
			void transport.produceData().catch(() => {});
			const result = await connected;
			transport.close();
			return result;
		} catch {
			return 'failed';
		} finally {
			if (probeId) await request(socket, 'probe:close', { probeId }).catch(() => {});
			socket.disconnect();
		}
	}

	// ---------------------------------------------------------------------------------
	// Joining, resuming, rebuilding

	async #enter(): Promise<void> {
		const socket = this.#socket!;
		const joined = await request(socket, 'room:join', { meetingId: this.#meetingId, ...(this.#rejoin ? { rejoin: this.#rejoin } : {}) });
		if (joined.status === 'waiting') {
			this.status = 'waiting';
			return;
		}
		await this.#applyJoin(joined);
	}

	async #applyJoin(joined: Extract<JoinResponse, { status: 'joined' }>): Promise<void> {
		this.#rejoin = { peerId: joined.peerId, secret: joined.rejoinSecret };
		this.self = joined.self;
		this.participantKey = joined.participantKey;
		this.hands = joined.state.hands;
		this.activeSpeaker = joined.state.activeSpeaker;
		this.chat = joined.state.chat;
		this.lobby = joined.state.lobby;
		this.locked = joined.state.locked;
		const sameCase = joined.state.live.currentCaseId !== null && joined.state.live.currentCaseId === this.live.currentCaseId;
		this.#applyLive(joined.state.live);
		// Back after a lost connection on the same case: what changed meanwhile (the proposal, its read-back) is read again.
		if (sameCase) void this.#loadCase();
		const present = new Set(joined.peers.map((p) => p.peerId));
		for (const peerId of [...this.participants.keys()]) if (!present.has(peerId)) this.#removeParticipant(peerId);
		for (const peer of joined.peers) this.#upsertParticipant(peer);

		if (joined.resumed && this.#sendTransport && this.#recvTransport) {
			// Same participant, same transports on the server: restart what broke, receive what is new.
			this.status = 'joined';
			for (const transport of [this.#sendTransport, this.#recvTransport]) {
				if (transport.connectionState !== 'connected') await this.#restartIce(transport);
			}
			const consumed = new Set([...this.#consumers.values()].map((c) => c.consumer.producerId));
			await Promise.all(
				joined.peers.flatMap((p) => p.producers).filter((p) => !consumed.has(p.producerId)).map((p) => this.#consumeOrSkip(p))
			);
			return;
		}
		await this.#buildMedia(joined.routerRtpCapabilities as RtpCapabilities, joined.peers.flatMap((p) => p.producers));
	}

	/** (Re)creates the transports, publishes our tracks, receives everyone's. */
	#buildMedia(routerRtpCapabilities: RtpCapabilities, producers: ProducerInfo[]): Promise<void> {
		this.#mediaWork = this.#mediaWork.then(async () => {
			const socket = this.#socket;
			if (!socket) return;
			this.#closeMedia();
			const wanted = JSON.stringify(routerRtpCapabilities);
			let device = this.#device;
			if (!device || this.#deviceCapabilities !== wanted) {
				device = new Device();
				await device.load({ routerRtpCapabilities });
				this.#device = device;
				this.#deviceCapabilities = wanted;
			}
			const [sendOptions, recvOptions] = await Promise.all([
				request(socket, 'transport:create', { direction: 'send' }),
				request(socket, 'transport:create', { direction: 'recv' })
			]);
			this.#recvTransport = this.#wireTransport(device.createRecvTransport(asTransportOptions(recvOptions)));
			this.#sendTransport = this.#wireTransport(device.createSendTransport(asTransportOptions(sendOptions)));
			this.status = 'joined';
			const toConsume = [...producers, ...this.#announcedEarly.splice(0)];
			await Promise.all([this.#publishAll(), ...toConsume.map((producer) => this.#consumeOrSkip(producer))]);
			this.#startStats();
			this.#watchOwnVoice();
		});
		return this.#mediaWork.catch((error) => this.#fail(error));
	}

	async #publishAll(): Promise<void> {
		const audio = this.localStream?.getAudioTracks()[0];
		const video = this.localStream?.getVideoTracks()[0];
		const screen = this.screenStream?.getVideoTracks()[0];
		const screenAudio = this.screenStream?.getAudioTracks()[0];
		const work: Promise<unknown>[] = [];
		if (audio) work.push(this.#publishTrack('microphone', audio, !this.microphoneOn));
		if (video && this.cameraOn) work.push(this.#publishTrack('camera', video));
		if (screen) work.push(this.#publishTrack('screen', screen));
		if (screenAudio) work.push(this.#publishTrack('screen-audio', screenAudio));
		await Promise.all(work);
	}

	async #publishTrack(source: MediaSource, track: MediaStreamTrack, paused = false): Promise<void> {
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
		this.#producers.set(source, producer);
		if (paused) {
			producer.pause();
			await request(this.#socket!, 'producer:pause', { producerId: producer.id }).catch(() => {});
		}
	}

	async #unpublish(source: MediaSource): Promise<void> {
		const producer = this.#producers.get(source);
		if (!producer) return;
		this.#producers.delete(source);
		producer.close();
		if (this.#socket) await request(this.#socket, 'producer:close', { producerId: producer.id }).catch(() => {});
	}

	#listen(socket: SignalingSocket): void {
		socket.on('peer:joined', (peer) => {
			if (peer.peerId !== this.peerId) this.#upsertParticipant(peer);
		});
		socket.on('peer:left', ({ peerId }) => this.#removeParticipant(peerId));
		socket.on('peer:reconnecting', ({ peerId, reconnecting }) => {
			const participant = this.participants.get(peerId);
			if (participant) this.participants.set(peerId, { ...participant, info: { ...participant.info, reconnecting } });
		});
		socket.on('producer:added', (producer) => {
			const participant = this.participants.get(producer.peerId);
			if (participant) {
				const producers = [...participant.info.producers.filter((p) => p.producerId !== producer.producerId), producer];
				this.participants.set(producer.peerId, { ...participant, audioMuted: microphoneMuted(producers), info: { ...participant.info, producers } });
			}
			if (!this.#recvTransport) {
				this.#announcedEarly.push(producer);
				return;
			}
			void this.#consumeOrSkip(producer);
		});
		socket.on('producer:removed', ({ peerId, producerId }) => {
			for (const [consumerId, entry] of this.#consumers) {
				if (entry.consumer.producerId === producerId) this.#dropConsumer(consumerId);
			}
			const participant = this.participants.get(peerId);
			if (participant) {
				const producers = participant.info.producers.filter((p) => p.producerId !== producerId);
				this.participants.set(peerId, { ...participant, audioMuted: microphoneMuted(producers), info: { ...participant.info, producers } });
			}
		});
		socket.on('producer:paused', ({ peerId, producerId, paused }) => {
			const participant = this.participants.get(peerId);
			if (!participant) return;
			const producers = participant.info.producers.map((p) => (p.producerId === producerId ? { ...p, paused } : p));
			this.participants.set(peerId, { ...participant, audioMuted: microphoneMuted(producers), info: { ...participant.info, producers } });
		});
		socket.on('consumer:closed', ({ consumerId }) => this.#dropConsumer(consumerId));
		socket.on('speaker:active', ({ peerId }) => (this.activeSpeaker = peerId));
		socket.on('hands:changed', ({ hands }) => (this.hands = hands));
		socket.on('chat:message', (message) => {
			if (!this.chat.some((m) => m.id === message.id)) this.chat = [...this.chat, message];
		});
		socket.on('lobby:changed', ({ lobby }) => (this.lobby = lobby));
		socket.on('lobby:admitted', () => {
			if (this.status === 'waiting') this.#enter().catch((error) => this.#fail(error));
		});
		socket.on('lobby:refused', () => {
			if (this.status !== 'waiting') return;
			this.#teardown();
			this.status = 'refused';
		});
		socket.on('moderation:muted', ({ by }) => {
			const producer = this.#producers.get('microphone');
			producer?.pause();
			this.microphoneOn = false;
			this.moderatedBy = { action: 'muted', by };
		});
		socket.on('moderation:stopped', ({ source, by }) => {
			this.moderatedBy = { action: source, by };
			if (source === 'camera') {
				this.#producers.get('camera')?.close();
				this.#producers.delete('camera');
				this.cameraOn = false;
				// Turn the camera off for real (its light too).
				for (const track of this.localStream?.getVideoTracks() ?? []) track.stop();
				this.localStream = this.localStream ? new MediaStream(this.localStream.getAudioTracks()) : null;
			} else {
				void this.stopScreenShare();
			}
		});
		socket.on('room:locked', ({ locked }) => (this.locked = locked));
		socket.on('live:changed', (live) => this.#applyLive(live));
		socket.on('agenda:changed', () => this.agendaRevision++);
		socket.on('doc:pointer', (point) => (this.pointer = point));
		socket.on('decision:changed', (decision) => {
			if (decision.caseId !== this.live.currentCaseId) return;
			this.decision = decision;
			if (decision.status !== 'final') this.readBack = [];
		});
		socket.on('decision:answers', ({ caseId, version, answers }) => {
			if (caseId === this.live.currentCaseId && version === this.decision?.version) this.readBack = answers;
		});
		socket.on('quorum:changed', (quorum) => (this.quorum = quorum));
		socket.on('room:media-reset', ({ routerRtpCapabilities }) => {
			// The media server under the room was replaced: same participants, new media.
			const producers = [...this.participants.values()].flatMap((p) => p.info.producers);
			void this.#buildMedia(routerRtpCapabilities as RtpCapabilities, producers);
		});
		socket.on('room:closed', ({ reason }) => {
			this.#teardown();
			this.problem = reason;
			this.status = 'closed';
		});
		socket.on('disconnect', (reason) => {
			// A disconnect we asked for is a leave, not a problem.
			if (reason === 'io client disconnect') return;
			if (this.status === 'joined') this.status = 'reconnecting';
		});
		socket.io.on('reconnect', () => {
			if (this.status !== 'reconnecting' && this.status !== 'waiting') return;
			this.#enter().catch((error) => {
				// The server forgot us (grace period over, server restarted): join afresh.
				if (error instanceof RequestError && (error.reason === 'not-found' || error.reason === 'not-in-room')) {
					this.#rejoin = undefined;
					this.#enter().catch((again) => this.#fail(again));
					return;
				}
				this.#fail(error);
			});
		});
	}

	#wireTransport(transport: Transport): Transport {
		const socket = this.#socket!;
		transport.on('connect', ({ dtlsParameters }, done, fail) => {
			request(socket, 'transport:connect', { transportId: transport.id, dtlsParameters: dtlsParameters as never })
				.then(() => done())
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
			clearTimeout(this.#iceTimers.get(transport));
			this.#updateMediaState();
			if (state === 'disconnected' || state === 'failed') {
				// Give ICE a moment to recover by itself, then restart it (if the signaling is up).
				this.#iceTimers.set(
					transport,
					setTimeout(() => {
						if (this.#socket?.connected && this.status === 'joined' && !transport.closed && transport.connectionState !== 'connected') {
							void this.#restartIce(transport);
						}
					}, state === 'failed' ? 0 : ICE_RESTART_AFTER_MS)
				);
			}
		});
		return transport;
	}

	async #restartIce(transport: Transport): Promise<void> {
		if (!this.#socket || transport.closed) return;
		try {
			const { iceParameters } = await request(this.#socket, 'transport:restart-ice', { transportId: transport.id });
			await transport.restartIce({ iceParameters: iceParameters as Parameters<Transport['restartIce']>[0]['iceParameters'] });
		} catch {
			// Not known to the server any more: the next join rebuilds the media.
		}
	}

	#updateMediaState(): void {
		const states = [this.#sendTransport, this.#recvTransport].filter((t) => t && !t.closed).map((t) => t!.connectionState);
		this.mediaState = states.some((s) => s === 'failed' || s === 'disconnected')
			? 'broken'
			: states.length > 0 && states.every((s) => s === 'connected')
				? 'connected'
				: 'connecting';
	}

	/** One track that cannot be received must not end the whole session. */
	async #consumeOrSkip(producer: ProducerInfo): Promise<void> {
		try {
			await this.#consume(producer);
		} catch (error) {
			// `not-found`: the producer ended meanwhile, nothing to show.
			if (error instanceof RequestError && (error.reason === 'not-found' || error.reason === 'not-in-room')) return;
			console.warn(`could not receive producer ${producer.producerId}:`, error);
			if (this.status === 'joined') this.problem = 'media-failed';
		}
	}

	async #consume(producer: ProducerInfo): Promise<void> {
		const socket = this.#socket;
		const device = this.#device;
		const transport = this.#recvTransport;
		if (!socket || !device || !transport || producer.peerId === this.peerId) return;
		if ([...this.#consumers.values()].some((c) => c.consumer.producerId === producer.producerId)) return;
		const options = await request(socket, 'consumer:create', {
			producerId: producer.producerId,
			rtpCapabilities: device.recvRtpCapabilities as never
		});
		if (transport.closed) return;
		const consumer = await transport.consume({
			id: options.consumerId,
			producerId: options.producerId,
			kind: options.kind,
			rtpParameters: options.rtpParameters as RtpParameters,
			appData: { source: options.source }
		});
		const entry: ConsumerEntry = { consumer, peerId: options.peerId, source: options.source, wanted: true, layer: null };
		this.#consumers.set(consumer.id, entry);
		this.#attachTrack(options.peerId, options.source, consumer.track);
		// The server created it paused; resume now that the track is wired to the page
		// (unless its tile is off screen).
		const view = this.#visibility.get(options.peerId);
		if (options.kind === 'video' && options.source === 'camera' && view && !view.visible) {
			entry.wanted = false;
			consumer.pause();
			return;
		}
		await request(socket, 'consumer:resume', { consumerId: consumer.id });
		if (options.kind === 'video' && options.source === 'camera') await this.#applyVisibility(consumer.id, { ...entry, layer: null });
	}

	#upsertParticipant(peer: PeerInfo): void {
		const current = this.participants.get(peer.peerId);
		this.participants.set(peer.peerId, {
			info: peer,
			stream: current?.stream ?? new MediaStream(),
			screen: current?.screen ?? null,
			hasVideo: current?.hasVideo ?? false,
			audioMuted: microphoneMuted(peer.producers),
			quality: current?.quality ?? 'unknown',
			stats: current?.stats ?? null
		});
	}

	#removeParticipant(peerId: string): void {
		for (const [consumerId, entry] of this.#consumers) {
			if (entry.peerId === peerId) this.#dropConsumer(consumerId);
		}
		this.participants.delete(peerId);
		this.#visibility.delete(peerId);
	}

	#attachTrack(peerId: string, source: MediaSource, track: MediaStreamTrack): void {
		const participant = this.participants.get(peerId);
		if (!participant) return;
		// A new stream object makes the page re-bind its media element to the new set of tracks.
		if (source === 'screen' || source === 'screen-audio') {
			const screen = new MediaStream([...(participant.screen?.getTracks() ?? []), track]);
			this.participants.set(peerId, { ...participant, screen });
			return;
		}
		const stream = new MediaStream([...participant.stream.getTracks().filter((t) => t.kind !== track.kind), track]);
		this.participants.set(peerId, { ...participant, stream, hasVideo: stream.getVideoTracks().length > 0 });
	}

	#dropConsumer(consumerId: string): void {
		const entry = this.#consumers.get(consumerId);
		if (!entry) return;
		this.#consumers.delete(consumerId);
		entry.consumer.close();
		const participant = this.participants.get(entry.peerId);
		if (!participant) return;
		const track = entry.consumer.track;
		if (entry.source === 'screen' || entry.source === 'screen-audio') {
			const remaining = participant.screen?.getTracks().filter((t) => t !== track) ?? [];
			const screen = remaining.some((t) => t.kind === 'video') ? new MediaStream(remaining) : null;
			this.participants.set(entry.peerId, { ...participant, screen });
			return;
		}
		const stream = new MediaStream(participant.stream.getTracks().filter((t) => t !== track));
		this.participants.set(entry.peerId, { ...participant, stream, hasVideo: stream.getVideoTracks().length > 0 });
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
			const participant = this.participants.get(peerId);
			if (!participant) continue;
			const lossPercent = sum.received + sum.lost > 0 ? (100 * sum.lost) / (sum.received + sum.lost) : 0;
			const kbps = sum.seconds > 0 ? (sum.bytes * 8) / 1000 / sum.seconds : 0;
			const quality = qualityOf(lossPercent, rttMs);
			this.participants.set(peerId, { ...participant, quality, stats: { lossPercent, rttMs, kbps } });
		}
	}

	/** Shows "you are muted" when the microphone hears speech while muted. */
	#watchOwnVoice(): void {
		this.#levelStop?.();
		const track = this.localStream?.getAudioTracks()[0];
		if (!track || typeof AudioContext === 'undefined') return;
		const context = new AudioContext();
		const analyser = context.createAnalyser();
		analyser.fftSize = 1024;
		context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
		const samples = new Float32Array(analyser.fftSize);
		let loudSince = 0;
		const timer = setInterval(() => {
			if (this.microphoneOn) {
				this.speakingWhileMuted = false;
				loudSince = 0;
				return;
			}
			analyser.getFloatTimeDomainData(samples);
			let sum = 0;
			for (const sample of samples) sum += sample * sample;
			const loud = Math.sqrt(sum / samples.length) > 0.04;
			const now = performance.now();
			if (!loud) loudSince = 0;
			else if (!loudSince) loudSince = now;
			// Half a second of speech, not a cough.
			if (loudSince && now - loudSince > 500) this.speakingWhileMuted = true;
			if (!loud && this.speakingWhileMuted && now - loudSince > 3000) this.speakingWhileMuted = false;
		}, 100);
		this.#levelStop = () => {
			clearInterval(timer);
			void context.close();
		};
	}

	#fail(error: unknown): void {
		// Left meanwhile (a join that was still under way): nothing to report.
		if (this.status === 'left') return;
		this.problem = problemOf(error);
		this.errorId = error instanceof RequestError ? (error.errorId ?? null) : null;
		this.#teardown();
		this.status = 'failed';
		console.error('room session failed:', error);
	}

	/** Closes transports, producers and consumers (the participant stays). */
	#closeMedia(): void {
		for (const producer of this.#producers.values()) producer.close();
		this.#producers.clear();
		for (const { consumer } of this.#consumers.values()) consumer.close();
		this.#consumers.clear();
		for (const timer of this.#iceTimers.values()) clearTimeout(timer);
		this.#iceTimers.clear();
		this.#sendTransport?.close();
		this.#recvTransport?.close();
		this.#sendTransport = this.#recvTransport = undefined;
		for (const [peerId, participant] of this.participants) {
			this.participants.set(peerId, { ...participant, stream: new MediaStream(), screen: null, hasVideo: false });
		}
	}

	#teardown(): void {
		clearInterval(this.#statsTimer);
		this.#levelStop?.();
		this.#levelStop = undefined;
		this.#closeMedia();
		this.#socket?.removeAllListeners();
		this.#socket?.io.removeAllListeners();
		this.#socket?.disconnect();
		this.#socket = undefined;
		for (const track of [...(this.localStream?.getTracks() ?? []), ...(this.screenStream?.getTracks() ?? [])]) track.stop();
		this.localStream = null;
		this.screenStream = null;
		this.participants.clear();
		this.#announcedEarly = [];
		this.#rejoin = undefined;
		this.self = null;
		this.participantKey = null;
		this.live = { currentCaseId: null, presenterKey: null, editorKey: null, document: null };
		this.currentCase = null;
		this.decision = null;
		this.readBack = [];
		this.pointer = null;
	}
}

function asTransportOptions(options: TransportOptions) {
	return options as unknown as Parameters<Device['createSendTransport']>[0];
}

/** Whether someone's microphone is off: none published, or paused. */
function microphoneMuted(producers: readonly ProducerInfo[]): boolean {
	return !producers.some((p) => p.source === 'microphone' && !p.paused);
}

function problemOf(error: unknown): SessionProblem {
	if (error instanceof DOMException) {
		return error.name === 'NotAllowedError' || error.name === 'SecurityError' ? 'media-denied' : 'media-unavailable';
	}
	if (error instanceof RequestError) {
		if (error.reason === 'room-full') return 'room-full';
		if (error.reason === 'server-full') return 'server-full';
		if (error.reason === 'forbidden') return 'forbidden';
		if (error.reason === 'meeting-closed') return 'meeting-closed';
		if (error.reason === 'timeout' || error.reason === 'unavailable') return 'server-unreachable';
	}
	return 'unexpected';
}
