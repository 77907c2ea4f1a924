/**
 * The floor under "time to first remote video frame": two pages of one browser call each
 * other directly, with no server in the media path and no signaling server either. What
 * the room join benchmark measures above this figure is what the SFU and its signaling add.
 *
 * Each run opens a fresh browser context with two pages on a tiny local page (getUserMedia
 * needs a secure context, which `about:blank` is not and http://127.0.0.1 is). Page A, the
 * caller, takes the (fake) camera and microphone; page B, the callee, only receives. Offer,
 * answer and ICE candidates travel through this Node process, page to page.
 *
 * The clock starts on A just before `createOffer` (camera start-up is not counted) and
 * stops on B when the first received video frame is presented to its <video> element
 * (`requestVideoFrameCallback`). The two pages share only the wall clock, so the figure
 * is taken with `Date.now()`: 1 ms resolution.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';

/** How long the callee waits for its first frame before the run fails. */
const FIRST_FRAME_TIMEOUT_MS = 15_000;

const PAGE = '<!doctype html><meta charset="utf-8"><title>P2P first frame</title><body></body>';

/** What one page sends the other, relayed by this process. */
type Signal =
	| { type: 'offer'; sdp: string; startedAt: number }
	| { type: 'answer'; sdp: string }
	| { type: 'candidate'; candidate: RTCIceCandidateInit };

type Role = 'caller' | 'callee';

/** What the in-page code keeps on `window` between two `page.evaluate` calls. */
interface BenchWindow {
	/** Exposed by this process: hands a signal to the other page. */
	sendSignal(signal: Signal): Promise<void>;
	p2p: {
		receive(signal: Signal): void;
		/** Caller only: starts the clock and sends the offer. */
		call(): Promise<void>;
		/**
		 * Callee: milliseconds from the offer's creation to the first presented frame.
		 * Caller: never resolves; rejects if its side of the call fails.
		 */
		outcome: Promise<number>;
	};
}

/**
 * Measures `runs` calls one after the other and returns their times to first frame, in
 * milliseconds. The browser must have been launched with fake media devices and
 * auto-accepted permission prompts.
 */
export async function measureP2pFirstFrame(browser: Browser, runs: number): Promise<number[]> {
	const httpServer = createServer((request, response) => {
		if (request.url !== '/') return void response.writeHead(404).end();
		response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
	});
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/`;

	try {
		const times: number[] = [];
		for (let run = 0; run < runs; run++) times.push(await measureOnce(browser, url));
		return times;
	} finally {
		await new Promise<void>((resolve) => httpServer.close(() => resolve()));
	}
}

async function measureOnce(browser: Browser, url: string): Promise<number> {
	const context = await browser.newContext();
	try {
		const [caller, callee] = [await context.newPage(), await context.newPage()];

		// A relay that fails (a page crashed, say) ends the run at once instead of at the timeout.
		let relayFailed!: (error: unknown) => void;
		const signalingFailure = new Promise<never>((_, reject) => (relayFailed = reject));
		const relay = (to: Page) => async (signal: Signal) => {
			await to.evaluate((s) => (window as unknown as BenchWindow).p2p.receive(s), signal).catch(relayFailed);
		};
		await caller.exposeFunction('sendSignal', relay(callee));
		await callee.exposeFunction('sendSignal', relay(caller));

		await Promise.all([caller.goto(url), callee.goto(url)]);
		await caller.evaluate(preparePeer, { role: 'caller' as Role, timeoutMs: FIRST_FRAME_TIMEOUT_MS });
		await callee.evaluate(preparePeer, { role: 'callee' as Role, timeoutMs: FIRST_FRAME_TIMEOUT_MS });

		const outcome = (page: Page) => page.evaluate(() => (window as unknown as BenchWindow).p2p.outcome);
		const firstFrame = Promise.race([outcome(callee), outcome(caller), signalingFailure]);
		const [ms] = await Promise.all([firstFrame, caller.evaluate(() => (window as unknown as BenchWindow).p2p.call())]);
		return ms;
	} finally {
		await context.close();
	}
}

/**
 * Runs in the page: builds its RTCPeerConnection and `window.p2p`. The caller takes the
 * camera and microphone now, before the clock starts. Serialised by Playwright, so it may
 * use nothing from this module but types.
 */
async function preparePeer({ role, timeoutMs }: { role: Role; timeoutMs: number }): Promise<void> {
	const page = window as unknown as BenchWindow;
	const pc = new RTCPeerConnection();
	// Signals are relayed without waiting; their order is kept by the relay.
	const send = (signal: Signal) => void page.sendSignal(signal);
	pc.onicecandidate = (event) => {
		if (event.candidate) send({ type: 'candidate', candidate: event.candidate.toJSON() });
	};

	if (role === 'caller') {
		const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
		for (const track of stream.getTracks()) pc.addTrack(track, stream);
	}

	let startedAt = 0;
	let presented!: (ms: number) => void;
	let failed!: (error: Error) => void;
	const outcome = new Promise<number>((resolve, reject) => {
		presented = resolve;
		failed = reject;
	});
	if (role === 'callee') {
		const timer = setTimeout(() => failed(new Error(`no remote video frame within ${timeoutMs} ms`)), timeoutMs);
		pc.ontrack = (event) => {
			if (event.track.kind !== 'video') return;
			const video = document.createElement('video');
			video.muted = true;
			video.playsInline = true;
			video.srcObject = new MediaStream([event.track]);
			document.body.append(video);
			video.requestVideoFrameCallback(() => {
				clearTimeout(timer);
				presented(Date.now() - startedAt);
			});
			video.play().catch(failed);
		};
	}

	// Signals are handled one at a time, in arrival order; a candidate that comes before
	// the remote description waits for it.
	let queue = Promise.resolve();
	const early: RTCIceCandidateInit[] = [];
	const handle = async (signal: Signal) => {
		if (signal.type === 'candidate') {
			if (pc.remoteDescription) await pc.addIceCandidate(signal.candidate);
			else early.push(signal.candidate);
			return;
		}
		await pc.setRemoteDescription({ type: signal.type, sdp: signal.sdp });
		for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate);
		if (signal.type === 'offer') {
			startedAt = signal.startedAt;
			await pc.setLocalDescription(await pc.createAnswer());
			send({ type: 'answer', sdp: pc.localDescription!.sdp });
		}
	};

	page.p2p = {
		receive: (signal) => {
			queue = queue.then(() => handle(signal)).catch(failed);
		},
		call: async () => {
			const offerStartedAt = Date.now();
			await pc.setLocalDescription(await pc.createOffer());
			send({ type: 'offer', sdp: pc.localDescription!.sdp, startedAt: offerStartedAt });
		},
		outcome
	};
}
