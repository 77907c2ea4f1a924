/**
 * What the signaling reports to monitoring (`server/metrics/`): event names and failure
 * reasons of the protocol only, never an id or a name, so that what is counted stays a
 * short, fixed list.
 */
import type { RequestName, Result } from '../../src/lib/realtime/protocol.ts';

/** Why a Socket.IO connection was refused before any request. */
export type ConnectionRefusal = 'unauthorized' | 'cross-origin' | 'server-error';

export interface SignalingMonitor {
	/** A request was answered (`unknown`: an event outside the protocol, refused). */
	answered(event: RequestName | 'unknown', result: Result<unknown>): void;
	/** A connection was refused at its handshake. */
	refused(reason: ConnectionRefusal): void;
}
