/**
 * The one typed accessor through which SvelteKit code reaches the long-lived parts of
 * the process (database, SFU, Socket.IO), all created once by the composition root in
 * `server/`.
 *
 * Why globalThis: SvelteKit bundles (and Vite's dev server reloads) its own copies of
 * the modules under src/, so a module-level variable set by `server/` would not be the
 * one routes read. A registered symbol is the same in every copy. It holds only this
 * process's handles; nothing two nodes would need to agree on lives here.
 */
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { AttachmentStorage } from './storage.ts';

/** The SFU as seen by routes: just what they may read. */
export interface SfuView {
	workers(): { pid: number; alive: boolean; routers: number }[];
	rooms(): number;
	/** What every room's router offers (the same codecs everywhere): browsers may load it before joining. */
	rtpCapabilities: unknown;
	/** Ends a meeting's room for everyone, on whichever node hosts it (the meeting was closed or cancelled). */
	endRoom(meetingId: string): Promise<void>;
	/** Puts a participant (`user:<id>`, `guest:<id>`) out of every room on every node (account deactivated, invitation revoked). */
	expel(participantKey: string): Promise<void>;
	/** This node's name when there are several (`NODE_ID`), null on a single node. */
	node: string | null;
	/** The node is stopping: it takes no new meeting (health checks answer 503). */
	draining(): boolean;
	/**
	 * Where a meeting's room is served: this node, another (the browser's signaling then
	 * names it, `?node=`), or none (all full). Places the meeting when nobody hosts it.
	 */
	where(meetingId: string): Promise<{ here: true } | { here: false; node: string | null }>;
}

export interface Runtime {
	config: Config;
	logger: Logger;
	database: DatabaseHandle;
	/** Where case attachments are kept (files under DATA_DIR/attachments for now). */
	storage: AttachmentStorage;
	sfu: SfuView;
	startedAt: Date;
	version: string;
}

const KEY = Symbol.for('concerto.runtime');
type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
	(globalThis as Holder)[KEY] = runtime;
}

export function runtime(): Runtime {
	const current = (globalThis as Holder)[KEY];
	if (!current) {
		throw new Error('Concerto is not started: run it with `npm start` or `npm run dev`, which start server/ first');
	}
	return current;
}
