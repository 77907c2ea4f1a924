/**
 * The browser's cameras, microphones and speakers, as the pre-join screen uses them:
 * listing them, opening a preview, measuring the microphone level, routing sound to a
 * speaker, and remembering the user's choice between visits.
 */
import { z } from 'zod';

/** The devices the browser reports, by use. Before permission is given, ids and labels may be empty. */
export interface DeviceLists {
	cameras: MediaDeviceInfo[];
	microphones: MediaDeviceInfo[];
	speakers: MediaDeviceInfo[];
}

/** What to open: a kind that is off is not asked for; an absent id means the browser's default. */
export interface PreviewRequest {
	cameraId?: string;
	microphoneId?: string;
	camera: boolean;
	microphone: boolean;
}

/** An opened preview: `missing` names a kind that was asked for but could not be opened. */
export interface Preview {
	stream: MediaStream;
	missing: { audio: boolean; video: boolean };
}

/** Why media could not be opened, for the page to word in the user's language. */
export type MediaProblem = 'denied' | 'no-device' | 'unavailable';

export async function listDevices(): Promise<DeviceLists> {
	const devices = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
	return {
		cameras: devices.filter((device) => device.kind === 'videoinput'),
		microphones: devices.filter((device) => device.kind === 'audioinput'),
		speakers: devices.filter((device) => device.kind === 'audiooutput')
	};
}

const VIDEO = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * Opens the camera and microphone asked for. When both cannot be had together, tries each
 * alone, so that a broken camera does not also cost the microphone (and the reverse).
 * Throws when nothing could be opened; a refusal is thrown at once.
 */
export async function openPreview(request: PreviewRequest): Promise<Preview> {
	if (!request.camera && !request.microphone) {
		return { stream: new MediaStream(), missing: { audio: false, video: false } };
	}
	if (!navigator.mediaDevices) {
		// Only secure contexts (HTTPS or localhost) have media devices.
		throw new DOMException('media devices need a secure context', 'NotSupportedError');
	}
	const kinds =
		request.camera && request.microphone
			? [
					{ audio: true, video: true },
					{ audio: true, video: false },
					{ audio: false, video: true }
				]
			: [{ audio: request.microphone, video: request.camera }];

	let ids = { camera: request.cameraId, microphone: request.microphoneId };
	let lastError: unknown;
	for (let index = 0; index < kinds.length; index++) {
		const kind = kinds[index];
		try {
			const stream = await navigator.mediaDevices.getUserMedia({
				audio: kind.audio && (ids.microphone ? { ...AUDIO, deviceId: { exact: ids.microphone } } : AUDIO),
				video: kind.video && (ids.camera ? { ...VIDEO, deviceId: { exact: ids.camera } } : VIDEO)
			});
			return { stream, missing: { audio: request.microphone && !kind.audio, video: request.camera && !kind.video } };
		} catch (error) {
			lastError = error;
			// A refusal applies to every device: asking again would only nag.
			if (mediaProblem(error) === 'denied') throw error;
			// Only an exact device id can over-constrain: that device is gone, take the defaults.
			if (errorName(error) === 'OverconstrainedError' && (ids.camera || ids.microphone)) {
				ids = { camera: undefined, microphone: undefined };
				index--;
			}
		}
	}
	throw lastError;
}

/** Sorts a getUserMedia failure into what the user can do about it. */
export function mediaProblem(error: unknown): MediaProblem {
	switch (errorName(error)) {
		case 'NotAllowedError':
		case 'SecurityError':
			return 'denied';
		case 'NotFoundError':
		case 'OverconstrainedError':
			return 'no-device';
		default:
			// NotReadableError above all: the device is held by another application.
			return 'unavailable';
	}
}

// Some browsers' OverconstrainedError is not a DOMException: read the name alone.
function errorName(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
		? error.name
		: undefined;
}

/** Quietest level the meter shows, in dBFS: room noise stays near zero, speech fills the middle. */
const FLOOR_DB = -60;

/**
 * A 0..1 loudness from one buffer of time-domain samples (floats in -1..1, or bytes
 * centred on 128). Linear RMS would leave normal speech at a tenth of the scale, so the
 * RMS is placed on a decibel scale from FLOOR_DB to full scale.
 */
export function levelFromSamples(samples: Float32Array | Uint8Array): number {
	if (samples.length === 0) return 0;
	const bytes = samples instanceof Uint8Array;
	let sum = 0;
	for (const sample of samples) {
		const value = bytes ? (sample - 128) / 128 : sample;
		sum += value * value;
	}
	const rms = Math.sqrt(sum / samples.length);
	if (rms === 0) return 0;
	const decibels = 20 * Math.log10(rms);
	return Math.min(1, Math.max(0, (decibels - FLOOR_DB) / -FLOOR_DB));
}

/** The live loudness of a stream's microphone, for a level meter. */
export class MicrophoneLevel {
	readonly #context: AudioContext;
	readonly #source: MediaStreamAudioSourceNode;
	readonly #analyser: AnalyserNode;
	#timer: ReturnType<typeof setInterval> | undefined;
	readonly #resume = () => void this.#context.resume().catch(() => {});

	/** The stream must hold an audio track. */
	constructor(stream: MediaStream) {
		this.#context = new AudioContext();
		this.#source = this.#context.createMediaStreamSource(stream);
		this.#analyser = this.#context.createAnalyser();
		this.#analyser.fftSize = 1024;
		// Not connected to the speakers: nobody should hear their own microphone.
		this.#source.connect(this.#analyser);
	}

	/** Calls `onLevel` about 20 times a second with a level from 0 to 1. */
	start(onLevel: (level: number) => void): void {
		this.#stopTimer();
		// Without a user gesture on this page yet, the browser keeps the context suspended.
		if (this.#context.state === 'suspended') {
			this.#resume();
			addEventListener('pointerdown', this.#resume);
			addEventListener('keydown', this.#resume);
		}
		const samples = new Float32Array(this.#analyser.fftSize);
		this.#timer = setInterval(() => {
			this.#analyser.getFloatTimeDomainData(samples);
			onLevel(levelFromSamples(samples));
		}, 50);
	}

	/** Stops measuring and releases the audio context; the stream's tracks are left running. */
	stop(): void {
		this.#stopTimer();
		this.#source.disconnect();
		if (this.#context.state !== 'closed') void this.#context.close().catch(() => {});
	}

	#stopTimer(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
		removeEventListener('pointerdown', this.#resume);
		removeEventListener('keydown', this.#resume);
	}
}

/** True when this browser can send a media element's sound to a chosen speaker. */
export function canChooseSpeaker(): boolean {
	return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** Sends the element's sound to a speaker; false when the browser cannot choose one. */
export async function setSpeaker(element: HTMLMediaElement, deviceId: string): Promise<boolean> {
	if (!('setSinkId' in element)) return false;
	await element.setSinkId(deviceId);
	return true;
}

/** Plays a short tone on a speaker (the default one without id), so the user can hear it works. */
export async function playTestTone(speakerId?: string): Promise<void> {
	const context = new AudioContext();
	try {
		const destination = context.createMediaStreamDestination();
		const oscillator = context.createOscillator();
		const gain = context.createGain();
		oscillator.frequency.value = 440;
		oscillator.connect(gain).connect(destination);
		const audio = new Audio();
		audio.srcObject = destination.stream;
		if (speakerId) await setSpeaker(audio, speakerId);
		await audio.play();
		// Scheduled once the element plays, and faded in and out so that the tone does not click.
		const now = context.currentTime;
		gain.gain.setValueAtTime(0, now);
		gain.gain.linearRampToValueAtTime(0.3, now + 0.05);
		gain.gain.linearRampToValueAtTime(0, now + 0.8);
		const ended = new Promise((resolve) => oscillator.addEventListener('ended', resolve, { once: true }));
		oscillator.start(now);
		oscillator.stop(now + 0.85);
		await ended;
		audio.pause();
		audio.srcObject = null;
	} finally {
		await context.close().catch(() => {});
	}
}

const STORAGE_KEY = 'concerto.devices';

// Device ids are opaque strings (Chrome: 64 hex digits, or 'default'); the bound only rejects garbage.
const DeviceId = z.string().min(1).max(512);

/** The devices a user chose last time, remembered in this browser. */
export const DeviceChoice = z.object({
	cameraId: DeviceId.optional().catch(undefined),
	microphoneId: DeviceId.optional().catch(undefined),
	speakerId: DeviceId.optional().catch(undefined),
	/** Join with the camera on. */
	camera: z.boolean().catch(true),
	/** Join with the microphone on. */
	microphone: z.boolean().catch(true)
});
export type DeviceChoice = z.infer<typeof DeviceChoice>;

const DEFAULT_DEVICE_CHOICE: DeviceChoice = { camera: true, microphone: true };

/** Storage access itself can throw (blocked cookies, some private modes). */
function browserStorage(): Storage | undefined {
	try {
		return globalThis.localStorage;
	} catch {
		return undefined;
	}
}

export function loadDeviceChoice(storage: Pick<Storage, 'getItem'> | undefined = browserStorage()): DeviceChoice {
	try {
		const stored = storage?.getItem(STORAGE_KEY);
		if (!stored) return { ...DEFAULT_DEVICE_CHOICE };
		const parsed = DeviceChoice.safeParse(JSON.parse(stored));
		return parsed.success ? parsed.data : { ...DEFAULT_DEVICE_CHOICE };
	} catch {
		return { ...DEFAULT_DEVICE_CHOICE };
	}
}

export function saveDeviceChoice(choice: DeviceChoice, storage: Pick<Storage, 'setItem'> | undefined = browserStorage()): void {
	try {
		storage?.setItem(STORAGE_KEY, JSON.stringify(DeviceChoice.parse(choice)));
	} catch {
		// Full or forbidden storage: the choice is simply not remembered.
	}
}
