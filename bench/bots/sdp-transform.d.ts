/** The two functions of sdp-transform (a dependency of mediasoup-client, without types) the bots use. */
declare module 'sdp-transform' {
	// mediasoup-client's SDP helpers take the parsed object as it is.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	export type SessionDescription = any;
	export function parse(sdp: string): SessionDescription;
	export function write(session: SessionDescription): string;
}
