/**
 * Counters of the Socket.IO signaling: requests and their failures by event and reason,
 * refused joins by reason, refused connections. Labels come from the protocol's own
 * lists (event names, ERROR_REASONS), so their number is fixed.
 */
import { Counter, type Registry } from 'prom-client';
import { ERROR_REASONS } from '../../src/lib/realtime/protocol.ts';
import type { ConnectionRefusal, SignalingMonitor } from '../signaling/monitor.ts';

const REFUSALS: ConnectionRefusal[] = ['unauthorized', 'cross-origin', 'server-error'];

export function signalingMetrics(registry: Registry): SignalingMonitor {
	const registers = [registry];
	const requests = new Counter({
		name: 'concerto_socket_requests_total',
		help: 'Socket.IO requests answered, by event (unknown: outside the protocol)',
		labelNames: ['event'],
		registers
	});
	const failures = new Counter({
		name: 'concerto_socket_request_failures_total',
		help: 'Socket.IO requests answered with a failure, by event and reason (server-error: unexpected, logged with its errorId)',
		labelNames: ['event', 'reason'],
		registers
	});
	const joinFailures = new Counter({
		name: 'concerto_room_join_failures_total',
		help: 'Refused room:join requests, by reason (room-full, forbidden, meeting-closed, …)',
		labelNames: ['reason'],
		registers
	});
	const refused = new Counter({
		name: 'concerto_socket_connections_refused_total',
		help: 'Socket.IO connections refused at the handshake, by reason',
		labelNames: ['reason'],
		registers
	});
	// Known series start at 0, so that the first refusal shows as an increase.
	for (const reason of ERROR_REASONS) joinFailures.inc({ reason }, 0);
	for (const reason of REFUSALS) refused.inc({ reason }, 0);

	return {
		answered(event, result) {
			requests.inc({ event });
			if (result.ok) return;
			failures.inc({ event, reason: result.error.reason });
			if (event === 'room:join') joinFailures.inc({ reason: result.error.reason });
		},
		refused(reason) {
			refused.inc({ reason });
		}
	};
}
