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

/**
 * Gives the page a microphone that "speaks": Chromium's fake microphone beeps briefly
 * once a second, and noise suppression removes most of it, so no one would ever be the
 * active speaker. Every audio track the page captures is replaced by a steady voice-like
 * signal (a 220 Hz tone whose loudness varies at 4 Hz, like syllables), made with Web
 * Audio, which capture processing does not touch. Call before the page's first goto.
 */
export async function speakingMicrophone(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const capture = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
		const context = new AudioContext();
		const resume = () => void context.resume();
		addEventListener('pointerdown', resume, true);
		addEventListener('keydown', resume, true);
		navigator.mediaDevices.getUserMedia = async (constraints) => {
			const stream = await capture(constraints);
			for (const track of stream.getAudioTracks()) {
				const voice = context.createOscillator();
				voice.frequency.value = 220;
				const syllables = context.createOscillator();
				syllables.frequency.value = 4;
				const depth = context.createGain();
				depth.gain.value = 0.25;
				const loudness = context.createGain();
				loudness.gain.value = 0.35;
				syllables.connect(depth).connect(loudness.gain);
				const output = context.createMediaStreamDestination();
				voice.connect(loudness).connect(output);
				voice.start();
				syllables.start();
				stream.removeTrack(track);
				track.stop();
				stream.addTrack(output.stream.getAudioTracks()[0]);
			}
			return stream;
		};
	});
}

declare global {
	interface Window {
		__concertoTestWebSockets?: WebSocket[];
	}
}

/** Keeps a reference to every WebSocket the page opens (to break them in a test). */
export async function captureWebSockets(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const Native = window.WebSocket;
		const opened: WebSocket[] = [];
		window.__concertoTestWebSockets = opened;
		class Captured extends Native {
			constructor(...args: ConstructorParameters<typeof WebSocket>) {
				super(...args);
				opened.push(this);
			}
		}
		window.WebSocket = Captured;
	});
}

/**
 * Breaks the page's open WebSockets, as a lost network does to a long-lived connection
 * (Chromium's offline emulation alone leaves open connections alone).
 */
export function breakWebSockets(page: Page): Promise<number> {
	return page.evaluate(() => {
		const open = (window.__concertoTestWebSockets ?? []).filter((ws) => ws.readyState === WebSocket.OPEN);
		for (const ws of open) ws.close(4000, 'network lost (test)');
		return open.length;
	});
}
