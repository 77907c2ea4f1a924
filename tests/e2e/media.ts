/**
 * Helpers for media assertions: capture the page's RTCPeerConnections (before any app
 * code runs) and read their inbound-rtp statistics.
 */
import type { Page } from '@playwright/test';

export interface InboundTotals {
	videoFramesDecoded: number;
	audioPacketsReceived: number;
}

declare global {
	interface Window {
		__concertoTestPeerConnections?: RTCPeerConnection[];
	}
}

/** Keeps a reference to every RTCPeerConnection the page creates. */
export async function capturePeerConnections(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const Native = window.RTCPeerConnection;
		const created: RTCPeerConnection[] = [];
		window.__concertoTestPeerConnections = created;
		class Captured extends Native {
			constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
				super(...args);
				created.push(this);
			}
		}
		window.RTCPeerConnection = Captured;
	});
}

/** Sums inbound-rtp counters over every open peer connection of the page. */
export function inboundTotals(page: Page): Promise<InboundTotals> {
	return page.evaluate(async () => {
		const totals = { videoFramesDecoded: 0, audioPacketsReceived: 0 };
		for (const pc of window.__concertoTestPeerConnections ?? []) {
			if (pc.connectionState === 'closed') continue;
			const stats = await pc.getStats();
			stats.forEach((report) => {
				if (report.type !== 'inbound-rtp') return;
				if (report.kind === 'video') totals.videoFramesDecoded += report.framesDecoded ?? 0;
				if (report.kind === 'audio') totals.audioPacketsReceived += report.packetsReceived ?? 0;
			});
		}
		return totals;
	});
}

/**
 * Polls inside the page (every 20 ms) until a remote video frame has been decoded and
 * the remote <video> has a picture; resolves with the page's Date.now() at that moment.
 */
export function waitForFirstRemoteFrame(page: Page, timeoutMs = 15_000): Promise<number> {
	return page.evaluate(async (timeout) => {
		const deadline = Date.now() + timeout;
		while (Date.now() < deadline) {
			let decoded = 0;
			for (const pc of window.__concertoTestPeerConnections ?? []) {
				const stats = await pc.getStats();
				stats.forEach((r) => {
					if (r.type === 'inbound-rtp' && r.kind === 'video') decoded += r.framesDecoded ?? 0;
				});
			}
			const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-tile"] video');
			if (decoded > 0 && video && video.videoWidth > 0) return Date.now();
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		throw new Error(`no remote video frame decoded within ${timeout} ms`);
	}, timeoutMs);
}
