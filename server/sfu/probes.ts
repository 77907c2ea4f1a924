/**
 * Connectivity checks before joining: can this browser reach the media server over UDP,
 * over TCP? A probe is a throwaway WebRTC transport offering one protocol only (with
 * SCTP, so that the browser can open it without any media); the browser reports success
 * when its ICE and DTLS connection completes. Probes close after PROBE_TTL_MS at most.
 */
import { randomUUID } from 'node:crypto';
import type { DtlsParameters, Router, WebRtcTransport } from 'mediasoup/types';
import type { ProbeOptions } from '../../src/lib/realtime/protocol.ts';
import { SfuError } from './errors.ts';
import { MEDIA_CODECS, type TransportSettings } from './room.ts';
import type { WorkerPool } from './workers.ts';

const PROBE_TTL_MS = 20_000;
/** Concurrent probes per connection (one per protocol, and a spare). */
const MAX_PROBES = 3;

interface Probe {
	router: Router;
	transport: WebRtcTransport;
	timer: NodeJS.Timeout;
}

export class ProbeService {
	readonly #workers: WorkerPool;
	readonly #settings: TransportSettings;
	/** Probes by connection id, then probe id. */
	readonly #probes = new Map<string, Map<string, Probe>>();

	constructor(workers: WorkerPool, settings: TransportSettings) {
		this.#workers = workers;
		this.#settings = settings;
	}

	async create(owner: string, protocol: 'udp' | 'tcp'): Promise<ProbeOptions> {
		const mine = this.#probes.get(owner) ?? new Map<string, Probe>();
		if (mine.size >= MAX_PROBES) throw new SfuError('rate-limited', 'Too many connectivity checks at once');
		const s = this.#settings;
		const worker = this.#workers.leastLoaded();
		const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { probe: true } });
		try {
			const transport = await router.createWebRtcTransport({
				listenInfos: [{ protocol, ip: s.listenIp, announcedAddress: s.announcedAddress, portRange: { min: s.rtcMinPort, max: s.rtcMaxPort } }],
				enableUdp: protocol === 'udp',
				enableTcp: protocol === 'tcp',
				enableSctp: true
			});
			const probeId = randomUUID();
			const timer = setTimeout(() => this.close(owner, probeId), PROBE_TTL_MS);
			mine.set(probeId, { router, transport, timer });
			this.#probes.set(owner, mine);
			return {
				probeId,
				routerRtpCapabilities: router.rtpCapabilities,
				transport: {
					id: transport.id,
					iceParameters: transport.iceParameters,
					iceCandidates: transport.iceCandidates,
					dtlsParameters: transport.dtlsParameters,
					// No TURN: the point is to learn whether the server itself is reachable.
					iceServers: [],
					iceTransportPolicy: 'all'
				},
				sctpParameters: transport.sctpParameters
			};
		} catch (error) {
			router.close();
			throw error;
		}
	}

	async connect(owner: string, probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
		const probe = this.#probes.get(owner)?.get(probeId);
		if (!probe) throw new SfuError('not-found', `No probe ${probeId}`);
		await probe.transport.connect({ dtlsParameters });
	}

	close(owner: string, probeId: string): void {
		const mine = this.#probes.get(owner);
		const probe = mine?.get(probeId);
		if (!mine || !probe) return;
		clearTimeout(probe.timer);
		probe.router.close();
		mine.delete(probeId);
		if (mine.size === 0) this.#probes.delete(owner);
	}

	closeAll(owner: string): void {
		for (const probeId of [...(this.#probes.get(owner)?.keys() ?? [])]) this.close(owner, probeId);
	}
}
