import type { ErrorReason } from '../../src/lib/realtime/protocol.ts';

/** An expected SFU failure, answered to the client with its `reason`. */
export class SfuError extends Error {
	readonly reason: ErrorReason;
	constructor(reason: ErrorReason, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'SfuError';
		this.reason = reason;
	}
}
