/**
 * One browser's presence in a meeting's video room: it publishes the microphone, the
 * camera and possibly a screen through the SFU and receives everyone else's tracks; it
 * carries the room's shared state (hands, chat, lobby, active speaker) and the
 * moderators' controls; it survives network blips (Socket.IO reconnects, the server
 * resumes the same participant, broken transports restart ICE or are rebuilt) and a
 * media-server failure (`room:media-reset`). Everything a page shows is reactive.
 * Transports, producers and consumers are `RoomMedia`'s (room-media.ts).
 */
import type { RtpCapabilities } from 'mediasoup-client/types';
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
	RoomClosedReason
} from '$lib/realtime/protocol';
import { markJoinStep } from './join-timeline';
import { watchOwnVoice } from './own-voice';
import type { Quality } from './quality';
import { RoomMedia, type MediaHost, type OutgoingTrack } from './room-media';
import { connectSignaling, MAX_MOVES, request, RequestError, type SignalingSocket } from './signaling';

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

/** How many times a join after a lost connection is tried again while the servers answer `unavailable` (1 s, 2 s, … apart). */
const REENTER_TRIES = 5;

/** How long a move to another node may take to connect before the session gives up. */
const MOVE_TIMEOUT_MS = 30_000;

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
	readonly #media = new RoomMedia(this.#mediaHost());
	#rejoin: { peerId: string; secret: string } | undefined;
	/** Several nodes: the node hosting the meeting, named in the connection (`?node=`). */
	#node: string | null = null;
	/** Moves to another node since the last successful join (a bound against loops). */
	#moves = 0;
	#levelStop: (() => void) | undefined;

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
	preload(routerRtpCapabilities: unknown): Promise<void> {
		return this.#media.preload(routerRtpCapabilities as RtpCapabilities);
	}

	/**
	 * Opens the signaling connection ahead of the join (while the pre-join screen shows),
	 * so that the click only has the room to enter. Safe to call more than once.
	 */
	connect(node?: string | null): Promise<void> {
		return this.#connected(this.#open(node));
	}

	/** The signaling connection, opened (to `node`, when given) if there is none usable. */
	#open(node?: string | null): SignalingSocket {
		if (node !== undefined) this.#node = node;
		let socket = this.#socket;
		if (socket && !socket.connected && !socket.active) {
			// Refused earlier (no session): Socket.IO does not retry that by itself.
			socket.removeAllListeners();
			socket.io.removeAllListeners();
			socket = this.#socket = undefined;
		}
		if (!socket) {
			socket = connectSignaling(this.#node);
			this.#socket = socket;
			this.#listen(socket);
		}
		return socket;
	}

	/**
	 * Resolves once `socket` is connected. Without `patienceMs`, its first connection error
	 * rejects; with it, errors other than a refused session are waited out (Socket.IO keeps
	 * trying, as while a node starts or stops) for up to that long.
	 */
	#connected(socket: SignalingSocket, patienceMs?: number): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			if (socket.connected) return resolve();
			const timer = patienceMs === undefined ? undefined : setTimeout(() => done(new RequestError('room:join', 'unavailable', 'No node answered')), patienceMs);
			const connected = () => done();
			const failed = (error: Error) => {
				if (error.message === 'unauthorized') done(new RequestError('room:join', 'forbidden', error.message));
				else if (patienceMs === undefined) done(new RequestError('room:join', 'unavailable', error.message));
			};
			const done = (error?: RequestError) => {
				clearTimeout(timer);
				socket.off('connect', connected);
				socket.off('connect_error', failed);
				if (error) reject(error);
				else resolve();
			};
			socket.on('connect', connected);
			socket.on('connect_error', failed);
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
		const producer = this.#media.producer('microphone');
		const socket = this.#socket;
		if (!socket) return;
		if (!producer) {
			// Joined without a microphone: open one now.
			try {
				const microphone = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
				const track = microphone.getAudioTracks()[0];
				this.localStream = new MediaStream([...(this.localStream?.getVideoTracks() ?? []), track]);
				this.microphoneOn = true;
				await this.#media.publish('microphone', track);
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
			await this.#media.unpublish('camera');
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
			await this.#media.publish('camera', track);
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
			await this.#media.publish('screen', video);
			const audio = stream.getAudioTracks()[0];
			if (audio) await this.#media.publish('screen-audio', audio);
		} catch {
			this.problem = 'screen-failed';
			await this.stopScreenShare();
		}
	}

	async stopScreenShare(): Promise<void> {
		const stream = this.screenStream;
		if (!stream) return;
		this.screenStream = null;
		await Promise.all([this.#media.unpublish('screen'), this.#media.unpublish('screen-audio')]);
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
		this.#media.setVisibility(peerId, visible, width);
	}

	// ---------------------------------------------------------------------------------
	// Joining, resuming, rebuilding

	async #enter(): Promise<void> {
		const socket = this.#socket!;
		markJoinStep('join-sent');
		const joined = await request(socket, 'room:join', { meetingId: this.#meetingId, ...(this.#rejoin ? { rejoin: this.#rejoin } : {}) });
		markJoinStep('join-ack');
		if (joined.status === 'moved') {
			await this.#moveTo(joined.node);
			return this.#enter();
		}
		this.#moves = 0;
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

		if (joined.resumed && this.#media.hasTransports) {
			// Same participant, same transports on the server: restart what broke, receive what is new.
			this.status = 'joined';
			await this.#media.resume(joined.peers.flatMap((p) => p.producers));
			return;
		}
		await this.#buildMedia(joined.routerRtpCapabilities as RtpCapabilities, joined.peers.flatMap((p) => p.producers));
	}

	/** (Re)creates the transports, publishes our tracks, receives everyone's. */
	async #buildMedia(routerRtpCapabilities: RtpCapabilities, producers: ProducerInfo[]): Promise<void> {
		try {
			await this.#media.build(routerRtpCapabilities, producers, () => this.#outgoing());
			this.#watchOwnVoice();
		} catch (error) {
			this.#fail(error);
		}
	}

	/** What we publish: the microphone (muted or not), the camera when on, a shared screen. */
	#outgoing(): OutgoingTrack[] {
		const audio = this.localStream?.getAudioTracks()[0];
		const video = this.localStream?.getVideoTracks()[0];
		const screen = this.screenStream?.getVideoTracks()[0];
		const screenAudio = this.screenStream?.getAudioTracks()[0];
		const tracks: OutgoingTrack[] = [];
		if (audio) tracks.push({ source: 'microphone', track: audio, paused: !this.microphoneOn });
		if (video && this.cameraOn) tracks.push({ source: 'camera', track: video });
		if (screen) tracks.push({ source: 'screen', track: screen });
		if (screenAudio) tracks.push({ source: 'screen-audio', track: screenAudio });
		return tracks;
	}

	/** How the media side reaches this session. */
	#mediaHost(): MediaHost {
		return {
			socket: () => this.#socket,
			selfPeerId: () => this.peerId,
			inRoom: () => this.status === 'joined',
			transportsReady: () => (this.status = 'joined'),
			mediaClosed: () => {
				for (const [peerId, participant] of this.participants) {
					this.participants.set(peerId, { ...participant, stream: new MediaStream(), screen: null, hasVideo: false });
				}
			},
			trackReceived: (peerId, source, track) => this.#attachTrack(peerId, source, track),
			trackEnded: (peerId, source, track) => this.#detachTrack(peerId, source, track),
			mediaStateChanged: (state) => (this.mediaState = state),
			peerStats: (peerId, { quality, stats }) => {
				const participant = this.participants.get(peerId);
				if (participant) this.participants.set(peerId, { ...participant, quality, stats });
			},
			receiveFailed: () => (this.problem = 'media-failed')
		};
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
			this.#media.producerAdded(producer);
		});
		socket.on('producer:removed', ({ peerId, producerId }) => {
			this.#media.producerRemoved(producerId);
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
		socket.on('consumer:closed', ({ consumerId }) => this.#media.dropConsumer(consumerId));
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
			this.#media.producer('microphone')?.pause();
			this.microphoneOn = false;
			this.moderatedBy = { action: 'muted', by };
		});
		socket.on('moderation:stopped', ({ source, by }) => {
			this.moderatedBy = { action: source, by };
			if (source === 'camera') {
				this.#media.forgetProducer('camera');
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
		socket.on('room:moved', ({ node }) => {
			// Our node hands the meeting to another (it stops, or another took it over): same
			// meeting, new media there; the live meeting is read again with the join.
			if (this.status !== 'joined' && this.status !== 'reconnecting' && this.status !== 'waiting') return;
			if (this.status === 'joined') this.status = 'reconnecting';
			this.#rejoin = undefined;
			this.#moveTo(node)
				.then(() => this.#enter())
				.catch((error) => this.#fail(error));
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
			this.#reenter(0);
		});
	}

	/** Joins again after a lost connection; `attempt` counts the tries while the servers could not answer. */
	#reenter(attempt: number): void {
		this.#enter().catch((error) => {
			// The server forgot us (grace period over, server restarted): join afresh.
			if (error instanceof RequestError && (error.reason === 'not-found' || error.reason === 'not-in-room') && this.#rejoin) {
				this.#rejoin = undefined;
				this.#reenter(attempt);
				return;
			}
			// Several nodes: the registry of meetings does not answer for a moment (Redis restarting).
			if (error instanceof RequestError && error.reason === 'unavailable' && attempt < REENTER_TRIES) {
				setTimeout(() => this.#reenter(attempt + 1), 1000 * (attempt + 1));
				return;
			}
			this.#fail(error);
		});
	}

	/** Reconnects to another node (`?node=`): a new connection, the same session. */
	async #moveTo(node: string): Promise<void> {
		this.#moves += 1;
		if (this.#moves > MAX_MOVES) throw new RequestError('room:join', 'unavailable', `No node could take the meeting after ${MAX_MOVES} moves`);
		// The node named may have just stopped: its successor needs a moment to take over.
		if (this.#moves > 1) await new Promise((resolve) => setTimeout(resolve, 300 * this.#moves));
		const old = this.#socket;
		if (old) {
			old.removeAllListeners();
			old.io.removeAllListeners();
			old.disconnect();
		}
		this.#socket = undefined;
		// Connection failures here are those of a node starting or stopping: Socket.IO
		// keeps trying (with its backoff) until one answers; only a refused session ends it.
		await this.#connected(this.#open(node), MOVE_TIMEOUT_MS);
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
		this.#media.peerLeft(peerId);
		this.participants.delete(peerId);
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

	#detachTrack(peerId: string, source: MediaSource, track: MediaStreamTrack): void {
		const participant = this.participants.get(peerId);
		if (!participant) return;
		if (source === 'screen' || source === 'screen-audio') {
			const remaining = participant.screen?.getTracks().filter((t) => t !== track) ?? [];
			const screen = remaining.some((t) => t.kind === 'video') ? new MediaStream(remaining) : null;
			this.participants.set(peerId, { ...participant, screen });
			return;
		}
		const stream = new MediaStream(participant.stream.getTracks().filter((t) => t !== track));
		this.participants.set(peerId, { ...participant, stream, hasVideo: stream.getVideoTracks().length > 0 });
	}

	/** Shows "you are muted" when the microphone hears speech while muted. */
	#watchOwnVoice(): void {
		this.#levelStop?.();
		this.#levelStop = undefined;
		const track = this.localStream?.getAudioTracks()[0];
		if (!track || typeof AudioContext === 'undefined') return;
		this.#levelStop = watchOwnVoice(
			track,
			() => !this.microphoneOn,
			(speaking) => (this.speakingWhileMuted = speaking)
		);
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

	#teardown(): void {
		this.#levelStop?.();
		this.#levelStop = undefined;
		this.#media.dispose();
		this.#socket?.removeAllListeners();
		this.#socket?.io.removeAllListeners();
		this.#socket?.disconnect();
		this.#socket = undefined;
		for (const track of [...(this.localStream?.getTracks() ?? []), ...(this.screenStream?.getTracks() ?? [])]) track.stop();
		this.localStream = null;
		this.screenStream = null;
		this.participants.clear();
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
