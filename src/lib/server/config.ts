/**
 * The one typed configuration of a Concerto process.
 *
 * Every tunable is read from the environment here, validated with zod at start-up, and
 * has a default so that a first `npm start` needs nothing. A bad value stops the start
 * with one line naming the variable and the expected form (see `ConfigError`).
 *
 * This module is imported both by the composition root (`server/`, plain Node) and by
 * SvelteKit code, so it uses relative imports with explicit `.ts` extensions only.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Forwarded tracks per mediasoup worker at good quality (< 80 % of its core, < 1 % loss),
 * as bench/sfu-capacity.ts measured it on a 2-core machine (docs/capacity.md).
 */
export const DEFAULT_CONSUMERS_PER_WORKER = 1600;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MEDIASOUP_LOG_LEVELS = ['debug', 'warn', 'error', 'none'] as const;
const ATTACHMENT_STORAGES = ['files', 'database'] as const;

const port = (what: string) =>
	z.coerce
		.number({ error: `${what}: expected a whole number from 1 to 65535` })
		.int(`${what}: expected a whole number from 1 to 65535`)
		.min(1, `${what}: expected a whole number from 1 to 65535`)
		.max(65535, `${what}: expected a whole number from 1 to 65535`);

const positiveInt = (what: string, max: number) =>
	z.coerce
		.number({ error: `${what}: expected a whole number from 1 to ${max}` })
		.int(`${what}: expected a whole number from 1 to ${max}`)
		.min(1, `${what}: expected a whole number from 1 to ${max}`)
		.max(max, `${what}: expected a whole number from 1 to ${max}`);


/** The environment variables Concerto reads, with their defaults. */
const EnvSchema = z.object({
	PORT: port('PORT').default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	PUBLIC_ORIGIN: z
		.url({ protocol: /^https?$/, error: 'PUBLIC_ORIGIN: expected an http(s) URL such as https://rcp.example.org' })
		.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	DATABASE_URL: z
		.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL: expected postgres://user:password@host:5432/database' })
		.optional(),
	/** Where case documents' bytes live; default: `database` with REDIS_URL (several nodes), `files` otherwise. */
	ATTACHMENT_STORAGE: z
		.enum(ATTACHMENT_STORAGES, { error: `ATTACHMENT_STORAGE: expected ${ATTACHMENT_STORAGES.join(' or ')}` })
		.optional(),
	LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
	AUTH_SECRET: z.string().min(32, 'AUTH_SECRET: expected at least 32 characters').optional(),
	SIGNING_P12_PATH: z.string().min(1).optional(),
	SIGNING_P12_PASSWORD: z.string().optional(),
	SIGNING_TSA_URL: z.url({ protocol: /^https?$/, error: 'SIGNING_TSA_URL: expected the http(s) URL of an RFC 3161 time-stamp authority' }).optional(),
	MEDIASOUP_NUM_WORKERS: positiveInt('MEDIASOUP_NUM_WORKERS', 64).optional(),
	MEDIASOUP_LISTEN_IP: z
		.union([z.ipv4(), z.ipv6()], { error: 'MEDIASOUP_LISTEN_IP: expected an IPv4 or IPv6 address such as 0.0.0.0' })
		.default('0.0.0.0'),
	MEDIASOUP_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
	MEDIASOUP_RTC_MIN_PORT: port('MEDIASOUP_RTC_MIN_PORT').default(40000),
	MEDIASOUP_RTC_MAX_PORT: port('MEDIASOUP_RTC_MAX_PORT').default(49999),
	MEDIASOUP_LOG_LEVEL: z
		.enum(MEDIASOUP_LOG_LEVELS, { error: `MEDIASOUP_LOG_LEVEL: expected one of ${MEDIASOUP_LOG_LEVELS.join(', ')}` })
		.default('warn'),
	MEDIASOUP_INITIAL_OUTGOING_BITRATE: positiveInt('MEDIASOUP_INITIAL_OUTGOING_BITRATE', 100_000_000).default(1_000_000),
	MEDIASOUP_MAX_INCOMING_BITRATE: positiveInt('MEDIASOUP_MAX_INCOMING_BITRATE', 100_000_000).default(3_000_000),
	SOCKET_ACK_TIMEOUT_MS: positiveInt('SOCKET_ACK_TIMEOUT_MS', 120_000).default(10_000),
	SOCKET_PING_INTERVAL_MS: positiveInt('SOCKET_PING_INTERVAL_MS', 120_000).default(10_000),
	SOCKET_PING_TIMEOUT_MS: positiveInt('SOCKET_PING_TIMEOUT_MS', 120_000).default(10_000),
	/** Forwarded tracks one mediasoup worker (one core) carries at good quality: bench/sfu-capacity.ts, docs/capacity.md. */
	SFU_CONSUMERS_PER_WORKER: positiveInt('SFU_CONSUMERS_PER_WORKER', 100_000).default(DEFAULT_CONSUMERS_PER_WORKER),
	/** The node's capacity in forwarded tracks, all workers together (instead of per worker × workers). */
	SFU_MAX_CONSUMERS: positiveInt('SFU_MAX_CONSUMERS', 10_000_000).optional(),
	/** Worker CPU (percent of one core) above which the node forwards lower simulcast layers, and below which it gives them back. */
	SFU_CPU_HIGH_PERCENT: positiveInt('SFU_CPU_HIGH_PERCENT', 100).default(85),
	SFU_CPU_LOW_PERCENT: positiveInt('SFU_CPU_LOW_PERCENT', 100).default(60),
	ROOM_MAX_PEERS: positiveInt('ROOM_MAX_PEERS', 500).default(50),
	ROOM_MAX_PEERS_PER_ROUTER: positiveInt('ROOM_MAX_PEERS_PER_ROUTER', 500).default(40),
	ROOM_REJOIN_GRACE_MS: positiveInt('ROOM_REJOIN_GRACE_MS', 600_000).default(15_000),
	TURN_URLS: z
		.string()
		.transform((value) => value.split(',').map((url) => url.trim()).filter(Boolean))
		.pipe(
			z
				.array(z.string().regex(/^(turns?|stuns?):[^\s]+$/, 'TURN_URLS: expected comma-separated turn:, turns: or stun: URLs such as turn:turn.example.org:3478?transport=udp'))
				.min(1, 'TURN_URLS: expected at least one URL')
		)
		.optional(),
	TURN_USERNAME: z.string().min(1).optional(),
	TURN_CREDENTIAL: z.string().min(1).optional(),
	TURN_SECRET: z.string().min(16, 'TURN_SECRET: expected at least 16 characters (coturn static-auth-secret)').optional(),
	TURN_TTL_S: positiveInt('TURN_TTL_S', 7 * 86_400).default(12 * 3600),
	ICE_TRANSPORT_POLICY: z.enum(['all', 'relay'], { error: 'ICE_TRANSPORT_POLICY: expected all or relay' }).default('all'),
	OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'OIDC_ISSUER: expected an http(s) URL such as https://auth.esante.gouv.fr/auth/realms/esante-wallet' }).optional(),
	OIDC_AUTHORIZATION_URL: z
		.url({ protocol: /^https?$/, error: 'OIDC_AUTHORIZATION_URL: expected an http(s) URL such as https://wallet.esw.esante.gouv.fr/auth' })
		.optional(),
	OIDC_CLIENT_ID: z.string().min(1).optional(),
	OIDC_CLIENT_SECRET: z.string().min(1).optional(),
	OIDC_SCOPES: z
		.string()
		.regex(/(^|\s)openid(\s|$)/, 'OIDC_SCOPES: expected space-separated scopes including openid')
		.default('openid profile email'),
	OIDC_NAME: z.string().trim().min(1).default('OpenID Connect'),
	OIDC_RPPS_CLAIM: z.string().min(1).optional(),
	OIDC_EMAIL_VERIFIED_REQUIRED: z
		.stringbool({ error: 'OIDC_EMAIL_VERIFIED_REQUIRED: expected true or false' })
		.default(true),
	METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN: expected at least 32 characters').optional(),
	METRICS_PORT: port('METRICS_PORT').optional(),
	METRICS_HOST: z
		.union([z.ipv4(), z.ipv6()], { error: 'METRICS_HOST: expected an IPv4 or IPv6 address such as 127.0.0.1' })
		.default('127.0.0.1'),
	/** Set: this node is one of several, sharing this Redis (and DATABASE_URL). */
	REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL: expected redis://host:6379 (or rediss:// with TLS)' }).optional(),
	/** This node's name in the cluster: the proxy's name for it (HAProxy `server <NODE_ID>`). */
	NODE_ID: z
		.string()
		.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'NODE_ID: expected up to 32 lowercase letters, digits and dashes, such as n1')
		.optional()
});

/** The three variables that turn OpenID Connect on: all of them, or none. */
const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** The validated configuration handed to every long-lived component. */
export interface Config {
	port: number;
	host: string;
	/** The origin users type in their browser; also what SvelteKit checks form posts against. */
	publicOrigin: string;
	/** Absolute path of the data directory (PGlite files, generated secrets, uploads). */
	dataDir: string;
	database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
	/**
	 * Where case documents' bytes live: `files` under DATA_DIR/attachments (this node only),
	 * or `database`, shared by every node (src/lib/server/database-storage.ts).
	 */
	attachmentStorage: (typeof ATTACHMENT_STORAGES)[number];
	logLevel: (typeof LOG_LEVELS)[number];
	authSecret: string;
	mediasoup: {
		numWorkers: number;
		listenIp: string;
		/** Address put in ICE candidates; what remote browsers connect to. */
		announcedAddress: string;
		rtcMinPort: number;
		rtcMaxPort: number;
		logLevel: (typeof MEDIASOUP_LOG_LEVELS)[number];
		initialAvailableOutgoingBitrate: number;
		maxIncomingBitrate: number;
	};
	socket: { ackTimeoutMs: number; pingIntervalMs: number; pingTimeoutMs: number };
	/** What the node carries before refusing entries, and when it lowers the layers it forwards (server/sfu/capacity.ts). */
	capacity: { maxConsumers: number; highCpu: number; lowCpu: number; intervalMs: number };
	rooms: {
		maxPeers: number;
		/** Above this many peers a meeting spreads over routers on other workers (pipeToRouter). */
		maxPeersPerRouter: number;
		/** How long a participant whose connection broke is kept before being removed. */
		rejoinGraceMs: number;
	};
	/** TURN servers handed to browsers as ICE servers, and whether to relay everything through them. */
	turn: TurnConfig;
	/** Sign-in through an OpenID Connect provider (Pro Santé Connect, a hospital Keycloak); absent when not configured. */
	oidc: OidcConfig | undefined;
	/**
	 * The organisation's certificate that signs the fiches (PKCS#12); without one, a
	 * self-signed development certificate is generated under DATA_DIR/signing. With a
	 * time-stamp authority, signatures are PAdES B-T, otherwise B-B.
	 */
	signing: { p12: { path: string; password: string } | undefined; developmentDir: string; tsaUrl: string | undefined };
	/** The Prometheus endpoint (server/metrics). */
	metrics: MetricsConfig;
	/** Several nodes behind one address (server/cluster); undefined on a single node. */
	cluster: ClusterConfig | undefined;
}

/** A node of a cluster: the shared Redis, and the node's own name. */
export interface ClusterConfig {
	redisUrl: string;
	nodeId: string;
}

/**
 * Where `/metrics` is served: on the main port when a token is set (scrapers send it as a
 * bearer token), and on a listener of its own when a port is set (an internal address).
 */
export interface MetricsConfig {
	/** Required from every scraper when set; without it the main port has no `/metrics`. */
	token: string | undefined;
	/** The separate listener, if any. */
	listen: { host: string; port: number } | undefined;
}

export interface TurnConfig {
	urls: string[];
	/** Fixed credentials, or time-limited ones derived from coturn's shared secret (REST API). */
	auth: { kind: 'static'; username: string; credential: string } | { kind: 'rest'; secret: string; ttlS: number } | undefined;
	policy: 'all' | 'relay';
}

/** The OpenID Connect provider and how its claims are read. */
export interface OidcConfig {
	issuer: string;
	/** Authorization endpoint replacing the discovered one (Pro Santé Connect's wallet), if set. */
	authorizationUrl: string | undefined;
	clientId: string;
	clientSecret: string;
	/** Space-separated, as sent in the authorization request. */
	scopes: string;
	/** Shown on the login page's button. */
	name: string;
	/** Claim holding the RPPS number (possibly prefixed with 8), or undefined to match by email only. */
	rppsClaim: string | undefined;
	/** Whether an email must come with `email_verified: true` to identify an account. */
	emailVerifiedRequired: boolean;
}

/** A configuration value that cannot be used; `message` names the variable and the form expected. */
export class ConfigError extends Error {
	readonly reason = 'invalid-config' as const;
	readonly variable: string;
	constructor(variable: string, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'ConfigError';
		this.variable = variable;
	}
}

/**
 * Reads and validates the configuration from `env` (default: process.env).
 * Generates and persists the auth secret under DATA_DIR when none is given.
 */
/**
 * Where browsers on this machine send media when they open the app as localhost: the
 * machine's first external IPv4 address. Not 127.0.0.1, although it is the same machine:
 * Chromium gathers no loopback candidates, so its UDP checks leave from the machine's
 * address, 127.0.0.1 never answers them, and every call falls back to ICE over TCP
 * (about 100 ms more to connect, and TCP's head-of-line blocking after). 127.0.0.1 when
 * the machine has no other address.
 */
export function localMediaAddress(interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string {
	for (const addresses of Object.values(interfaces)) {
		const external = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
		if (external) return external.address;
	}
	return '127.0.0.1';
}

/** A node's default name: the machine's, with the port (two nodes on one machine differ). */
function defaultNodeId(port: number): string {
	const host = hostname().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 24) || 'node';
	return `${host}-${port}`;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	// An empty variable (`FOO=`) means "not set", as shells and .env files usually intend.
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
	const parsed = EnvSchema.safeParse(cleaned);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const variable = String(issue.path[0] ?? 'environment');
		const message = issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
		// Secrets are never echoed (the message goes to the console and to logs).
		const got = /SECRET|TOKEN|PASSWORD|CREDENTIAL/.test(variable) ? 'value hidden' : `got ${JSON.stringify(cleaned[variable])}`;
		throw new ConfigError(variable, `Invalid configuration: ${message} (${got})`);
	}
	const e = parsed.data;
	if (e.MEDIASOUP_RTC_MIN_PORT > e.MEDIASOUP_RTC_MAX_PORT) {
		throw new ConfigError(
			'MEDIASOUP_RTC_MIN_PORT',
			`Invalid configuration: MEDIASOUP_RTC_MIN_PORT (${e.MEDIASOUP_RTC_MIN_PORT}) must not exceed MEDIASOUP_RTC_MAX_PORT (${e.MEDIASOUP_RTC_MAX_PORT})`
		);
	}

	const oidcSet = OIDC_REQUIRED.filter((variable) => e[variable] !== undefined);
	const oidcMissing = OIDC_REQUIRED.find((variable) => e[variable] === undefined);
	if (oidcSet.length > 0 && oidcMissing) {
		throw new ConfigError(
			oidcMissing,
			`Invalid configuration: ${oidcMissing} is missing; OpenID Connect needs ${OIDC_REQUIRED.join(', ')} together (${oidcSet.join(', ')} set)`
		);
	}

	if (e.TURN_SECRET && (e.TURN_USERNAME || e.TURN_CREDENTIAL)) {
		throw new ConfigError('TURN_SECRET', 'Invalid configuration: TURN_SECRET (time-limited credentials) excludes TURN_USERNAME and TURN_CREDENTIAL');
	}
	if (Boolean(e.TURN_USERNAME) !== Boolean(e.TURN_CREDENTIAL)) {
		throw new ConfigError(e.TURN_USERNAME ? 'TURN_CREDENTIAL' : 'TURN_USERNAME', 'Invalid configuration: TURN_USERNAME and TURN_CREDENTIAL go together');
	}
	if (e.SIGNING_P12_PASSWORD !== undefined && !e.SIGNING_P12_PATH) {
		throw new ConfigError('SIGNING_P12_PATH', 'Invalid configuration: SIGNING_P12_PASSWORD needs SIGNING_P12_PATH (the PKCS#12 file)');
	}
	if (e.ICE_TRANSPORT_POLICY === 'relay' && !e.TURN_URLS) {
		throw new ConfigError('ICE_TRANSPORT_POLICY', 'Invalid configuration: ICE_TRANSPORT_POLICY=relay needs TURN_URLS');
	}

	if (e.METRICS_PORT === e.PORT) {
		throw new ConfigError('METRICS_PORT', `Invalid configuration: METRICS_PORT (${e.METRICS_PORT}) must differ from PORT; without METRICS_PORT, METRICS_TOKEN serves /metrics on PORT`);
	}

	if (e.REDIS_URL && !e.DATABASE_URL) {
		throw new ConfigError('DATABASE_URL', 'Invalid configuration: REDIS_URL (several nodes) needs DATABASE_URL: the nodes share one PostgreSQL database; the embedded one is for a single node');
	}
	if (e.REDIS_URL && !e.AUTH_SECRET) {
		throw new ConfigError('AUTH_SECRET', 'Invalid configuration: REDIS_URL (several nodes) needs AUTH_SECRET, the same on every node, or a session opened on one node is unknown to the others');
	}

	const dataDir = resolve(e.DATA_DIR);
	const publicOrigin = new URL(e.PUBLIC_ORIGIN ?? `http://localhost:${e.PORT}`).origin;
	const originHost = new URL(publicOrigin).hostname;

	return {
		port: e.PORT,
		host: e.HOST,
		publicOrigin,
		dataDir,
		database: e.DATABASE_URL
			? { kind: 'postgres', url: e.DATABASE_URL }
			: { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
		// Several nodes (REDIS_URL) need the bytes where all of them read: the database.
		attachmentStorage: e.ATTACHMENT_STORAGE ?? (e.REDIS_URL ? 'database' : 'files'),
		logLevel: e.LOG_LEVEL,
		authSecret: e.AUTH_SECRET ?? persistedSecret(dataDir, 'auth-secret'),
		mediasoup: {
			numWorkers: e.MEDIASOUP_NUM_WORKERS ?? availableParallelism(),
			listenIp: e.MEDIASOUP_LISTEN_IP,
			// Browsers on this machine reach the SFU on the machine's own address; elsewhere,
			// the host users already type is the best guess. Production sets it explicitly (README).
			announcedAddress:
				e.MEDIASOUP_ANNOUNCED_ADDRESS ?? (originHost === 'localhost' || originHost === '[::1]' ? localMediaAddress() : originHost),
			rtcMinPort: e.MEDIASOUP_RTC_MIN_PORT,
			rtcMaxPort: e.MEDIASOUP_RTC_MAX_PORT,
			logLevel: e.MEDIASOUP_LOG_LEVEL,
			initialAvailableOutgoingBitrate: e.MEDIASOUP_INITIAL_OUTGOING_BITRATE,
			maxIncomingBitrate: e.MEDIASOUP_MAX_INCOMING_BITRATE
		},
		socket: {
			ackTimeoutMs: e.SOCKET_ACK_TIMEOUT_MS,
			pingIntervalMs: e.SOCKET_PING_INTERVAL_MS,
			pingTimeoutMs: e.SOCKET_PING_TIMEOUT_MS
		},
		capacity: {
			maxConsumers: e.SFU_MAX_CONSUMERS ?? e.SFU_CONSUMERS_PER_WORKER * (e.MEDIASOUP_NUM_WORKERS ?? availableParallelism()),
			highCpu: e.SFU_CPU_HIGH_PERCENT / 100,
			lowCpu: Math.min(e.SFU_CPU_LOW_PERCENT, e.SFU_CPU_HIGH_PERCENT) / 100,
			intervalMs: 2000
		},
		rooms: { maxPeers: e.ROOM_MAX_PEERS, maxPeersPerRouter: e.ROOM_MAX_PEERS_PER_ROUTER, rejoinGraceMs: e.ROOM_REJOIN_GRACE_MS },
		turn: {
			urls: e.TURN_URLS ?? [],
			auth: e.TURN_SECRET
				? { kind: 'rest', secret: e.TURN_SECRET, ttlS: e.TURN_TTL_S }
				: e.TURN_USERNAME && e.TURN_CREDENTIAL
					? { kind: 'static', username: e.TURN_USERNAME, credential: e.TURN_CREDENTIAL }
					: undefined,
			policy: e.ICE_TRANSPORT_POLICY
		},
		oidc:
			e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
				? {
						issuer: e.OIDC_ISSUER,
						authorizationUrl: e.OIDC_AUTHORIZATION_URL,
						clientId: e.OIDC_CLIENT_ID,
						clientSecret: e.OIDC_CLIENT_SECRET,
						scopes: e.OIDC_SCOPES.trim().split(/\s+/).join(' '),
						name: e.OIDC_NAME,
						rppsClaim: e.OIDC_RPPS_CLAIM,
						emailVerifiedRequired: e.OIDC_EMAIL_VERIFIED_REQUIRED
					}
				: undefined,
		signing: {
			p12: e.SIGNING_P12_PATH ? { path: resolve(e.SIGNING_P12_PATH), password: e.SIGNING_P12_PASSWORD ?? '' } : undefined,
			developmentDir: join(dataDir, 'signing'),
			tsaUrl: e.SIGNING_TSA_URL
		},
		metrics: {
			token: e.METRICS_TOKEN,
			listen: e.METRICS_PORT ? { host: e.METRICS_HOST, port: e.METRICS_PORT } : undefined
		},
		cluster: e.REDIS_URL ? { redisUrl: e.REDIS_URL, nodeId: e.NODE_ID ?? defaultNodeId(e.PORT) } : undefined
	};
}

/**
 * Returns the secret stored in DATA_DIR/<name>, creating it (256 random bits, mode 0600)
 * on first use, so that sessions survive restarts without any setup.
 */
function persistedSecret(dataDir: string, name: string): string {
	const file = join(dataDir, name);
	if (existsSync(file)) {
		const secret = readFileSync(file, 'utf8').trim();
		if (secret.length >= 32) return secret;
		throw new ConfigError('AUTH_SECRET', `Invalid configuration: ${file} holds fewer than 32 characters; delete it to regenerate`);
	}
	mkdirSync(dataDir, { recursive: true });
	const secret = randomBytes(32).toString('base64url');
	writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
	return secret;
}
