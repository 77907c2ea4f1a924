/**
 * The steps of a join, marked on the page's performance timeline (User Timing marks named
 * `concerto:join:<step>`), for the join benchmark (bench/join-first-frame.ts) and for
 * whoever diagnoses a slow join: DevTools' Performance panel shows them. Pages mark
 * nothing unless their origin's localStorage holds `concerto:join-timeline`.
 */
import type { MediaKind } from 'mediasoup-client/types';

/** What a join goes through, in order; `:audio` / `:video` steps are per received track. */
export type JoinStep =
	/** The pre-join screen's button was pressed. */
	| 'click'
	/** The pre-join screen handed its tracks over (after any device still opening). */
	| 'handed-over'
	| 'join-sent'
	| 'join-ack'
	/** mediasoup-client's Device is loaded with the room's capabilities. */
	| 'device-ready'
	/** Both `transport:create` answered. */
	| 'transports-created'
	| `consumer-created:${MediaKind}`
	/** The browser's receiver exists (remote description applied). */
	| `consumed:${MediaKind}`
	| `resumed:${MediaKind}`
	/** A transport has its DTLS parameters (first produce or consume): `transport:connect` is sent… */
	| `${TransportSide}-connect-sent`
	/** …and answered. */
	| `${TransportSide}-connect-ack`
	/** ICE and DTLS are up. */
	| `${TransportSide}-connected`
	| `produced:${MediaKind}`;

type TransportSide = 'send' | 'recv';

const FLAG = 'concerto:join-timeline';
let enabled: boolean | undefined;

function isEnabled(): boolean {
	if (enabled === undefined) {
		try {
			enabled = typeof performance !== 'undefined' && localStorage.getItem(FLAG) !== null;
		} catch {
			// No storage (a sandboxed frame, privacy settings): no marks.
			enabled = false;
		}
	}
	return enabled;
}

export function markJoinStep(step: JoinStep): void {
	if (isEnabled()) performance.mark(`concerto:join:${step}`);
}
