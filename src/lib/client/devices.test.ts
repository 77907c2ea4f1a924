import { afterEach, describe, expect, it, vi } from 'vitest';
import { levelFromSamples, loadDeviceChoice, mediaProblem, openPreview, saveDeviceChoice } from './devices.ts';

afterEach(() => vi.unstubAllGlobals());

/** A Storage stand-in holding strings, as localStorage does. */
function memoryStorage(initial: Record<string, string> = {}) {
	const items = new Map(Object.entries(initial));
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, String(value)),
		items
	};
}

describe('levelFromSamples', () => {
	it('reads silence as zero, in both sample formats', () => {
		expect(levelFromSamples(new Float32Array(512))).toBe(0);
		expect(levelFromSamples(new Uint8Array(512).fill(128))).toBe(0);
		expect(levelFromSamples(new Float32Array(0))).toBe(0);
	});

	it('reads a full-scale signal as one', () => {
		const square = Float32Array.from({ length: 512 }, (_, i) => (i % 2 ? 1 : -1));
		expect(levelFromSamples(square)).toBe(1);
	});

	it('places speech-like loudness in the middle of the scale', () => {
		// A sine of amplitude 0.05 has an RMS near -29 dBFS.
		const sine = Float32Array.from({ length: 1024 }, (_, i) => 0.05 * Math.sin((2 * Math.PI * i) / 64));
		const level = levelFromSamples(sine);
		expect(level).toBeGreaterThan(0.4);
		expect(level).toBeLessThan(0.6);
	});

	it('gives the same level for bytes as for the floats they encode', () => {
		const floats = Float32Array.from({ length: 256 }, (_, i) => (i % 2 ? 0.25 : -0.25));
		const bytes = Uint8Array.from(floats, (value) => 128 + value * 128);
		expect(levelFromSamples(bytes)).toBeCloseTo(levelFromSamples(floats), 5);
	});

	it('grows with loudness and stays within 0..1', () => {
		const levels = [0.001, 0.01, 0.1, 1].map((amplitude) => levelFromSamples(new Float32Array(128).fill(amplitude)));
		expect(levels).toEqual([...levels].sort((a, b) => a - b));
		expect(new Set(levels).size).toBe(levels.length);
		for (const level of levels) expect(level).toBeGreaterThanOrEqual(0);
		expect(levelFromSamples(new Float32Array(128).fill(0.0000001))).toBe(0);
	});
});

describe('device choice', () => {
	it('defaults to camera and microphone on, with the browser’s devices', () => {
		expect(loadDeviceChoice(memoryStorage())).toEqual({ camera: true, microphone: true });
		expect(loadDeviceChoice(undefined)).toEqual({ camera: true, microphone: true });
	});

	it('reads back what was saved', () => {
		const storage = memoryStorage();
		const choice = { cameraId: 'cam-2', microphoneId: 'default', speakerId: 'spk-1', camera: false, microphone: true };
		saveDeviceChoice(choice, storage);
		expect([...storage.items.keys()]).toEqual(['concerto.devices']);
		expect(loadDeviceChoice(storage)).toEqual(choice);
	});

	it('falls back to the defaults on garbage', () => {
		for (const stored of ['not json', '42', 'null', '[]', '"text"']) {
			expect(loadDeviceChoice(memoryStorage({ 'concerto.devices': stored }))).toEqual({ camera: true, microphone: true });
		}
	});

	it('keeps the valid fields of a damaged choice and drops the rest', () => {
		const stored = JSON.stringify({ cameraId: 'cam-1', microphoneId: 7, speakerId: '', camera: 'yes', microphone: false, extra: 1 });
		expect(loadDeviceChoice(memoryStorage({ 'concerto.devices': stored }))).toEqual({
			cameraId: 'cam-1',
			camera: true,
			microphone: false
		});
	});

	it('survives a storage that refuses access', () => {
		const refusing = {
			getItem: () => {
				throw new DOMException('denied', 'SecurityError');
			},
			setItem: () => {
				throw new DOMException('full', 'QuotaExceededError');
			}
		};
		expect(loadDeviceChoice(refusing)).toEqual({ camera: true, microphone: true });
		expect(() => saveDeviceChoice({ camera: false, microphone: false }, refusing)).not.toThrow();
	});

	it('uses localStorage when no storage is given', () => {
		const storage = memoryStorage();
		vi.stubGlobal('localStorage', storage);
		saveDeviceChoice({ microphoneId: 'mic-3', camera: true, microphone: false });
		expect(loadDeviceChoice()).toEqual({ microphoneId: 'mic-3', camera: true, microphone: false });
		expect(JSON.parse(storage.items.get('concerto.devices')!)).toMatchObject({ microphoneId: 'mic-3' });
	});
});

describe('openPreview', () => {
	const stream = { id: 'stream' } as unknown as MediaStream;

	/** Stubs getUserMedia: each call takes the next outcome (an error to throw, or success). */
	function fakeMedia(...outcomes: (Error | 'ok')[]) {
		const getUserMedia = vi.fn(async (_constraints: MediaStreamConstraints) => {
			const outcome = outcomes.shift();
			if (outcome === undefined) throw new Error('unexpected getUserMedia call');
			if (outcome !== 'ok') throw outcome;
			return stream;
		});
		vi.stubGlobal('navigator', { mediaDevices: { getUserMedia } });
		return getUserMedia;
	}
	const kinds = (getUserMedia: ReturnType<typeof fakeMedia>) =>
		getUserMedia.mock.calls.map(([constraints]) => ({ audio: Boolean(constraints.audio), video: Boolean(constraints.video) }));

	it('asks for the chosen devices exactly, and the defaults otherwise', async () => {
		const getUserMedia = fakeMedia('ok');
		const preview = await openPreview({ cameraId: 'cam-2', camera: true, microphone: true });
		expect(preview).toEqual({ stream, missing: { audio: false, video: false } });
		const [constraints] = getUserMedia.mock.calls[0];
		expect(constraints.video).toMatchObject({ deviceId: { exact: 'cam-2' }, width: { ideal: 1280 }, height: { ideal: 720 } });
		expect(constraints.audio).toMatchObject({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
		expect(constraints.audio).not.toHaveProperty('deviceId');
	});

	it('does not ask for a kind that is off', async () => {
		const getUserMedia = fakeMedia('ok');
		const preview = await openPreview({ microphoneId: 'mic-1', camera: false, microphone: true });
		expect(kinds(getUserMedia)).toEqual([{ audio: true, video: false }]);
		expect(preview.missing).toEqual({ audio: false, video: false });
	});

	it('falls back to the microphone alone, then the camera alone', async () => {
		const busy = () => new DOMException('in use', 'NotReadableError');
		let getUserMedia = fakeMedia(busy(), 'ok');
		expect((await openPreview({ camera: true, microphone: true })).missing).toEqual({ audio: false, video: true });
		expect(kinds(getUserMedia)).toEqual([
			{ audio: true, video: true },
			{ audio: true, video: false }
		]);

		getUserMedia = fakeMedia(busy(), new DOMException('none', 'NotFoundError'), 'ok');
		expect((await openPreview({ camera: true, microphone: true })).missing).toEqual({ audio: true, video: false });
		expect(kinds(getUserMedia)).toEqual([
			{ audio: true, video: true },
			{ audio: true, video: false },
			{ audio: false, video: true }
		]);
	});

	it('throws the last error when nothing can be opened', async () => {
		const last = new DOMException('none', 'NotFoundError');
		fakeMedia(new DOMException('in use', 'NotReadableError'), new DOMException('in use', 'NotReadableError'), last);
		await expect(openPreview({ camera: true, microphone: true })).rejects.toBe(last);
	});

	it('does not ask again after a refusal', async () => {
		const refusal = new DOMException('denied', 'NotAllowedError');
		const getUserMedia = fakeMedia(refusal);
		await expect(openPreview({ camera: true, microphone: true })).rejects.toBe(refusal);
		expect(getUserMedia).toHaveBeenCalledTimes(1);
	});

	it('takes the default devices when a remembered one is gone', async () => {
		const gone = Object.assign(new Error('no such device'), { name: 'OverconstrainedError', constraint: 'deviceId' });
		const getUserMedia = fakeMedia(gone, 'ok');
		const preview = await openPreview({ cameraId: 'unplugged', microphoneId: 'mic-1', camera: true, microphone: true });
		expect(preview.missing).toEqual({ audio: false, video: false });
		const retry = getUserMedia.mock.calls[1][0];
		expect(retry.video).not.toHaveProperty('deviceId');
		expect(retry.audio).not.toHaveProperty('deviceId');
	});
});

describe('mediaProblem', () => {
	it('tells a refusal from a missing or busy device', () => {
		expect(mediaProblem(new DOMException('', 'NotAllowedError'))).toBe('denied');
		expect(mediaProblem(new DOMException('', 'SecurityError'))).toBe('denied');
		expect(mediaProblem(new DOMException('', 'NotFoundError'))).toBe('no-device');
		expect(mediaProblem(Object.assign(new Error(''), { name: 'OverconstrainedError' }))).toBe('no-device');
		expect(mediaProblem(new DOMException('', 'NotReadableError'))).toBe('unavailable');
		expect(mediaProblem('weird')).toBe('unavailable');
	});
});
