/**
 * "You are muted": listens to our own microphone while it is muted and reports when it
 * has heard half a second of speech (not a cough), and when the speech stops or the
 * microphone is unmuted.
 */

/** Root-mean-square level above which the microphone hears speech. */
const SPEECH_LEVEL = 0.04;

/**
 * Watches `track`; `onSpeaking(true)` when we speak while `muted()`, `onSpeaking(false)`
 * when we stop or unmute. Returns the function that stops watching.
 */
export function watchOwnVoice(track: MediaStreamTrack, muted: () => boolean, onSpeaking: (speaking: boolean) => void): () => void {
	const context = new AudioContext();
	const analyser = context.createAnalyser();
	analyser.fftSize = 1024;
	context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
	const samples = new Float32Array(analyser.fftSize);
	let speaking = false;
	let loudSince = 0;
	const report = (value: boolean) => {
		speaking = value;
		onSpeaking(value);
	};
	const timer = setInterval(() => {
		if (!muted()) {
			report(false);
			loudSince = 0;
			return;
		}
		analyser.getFloatTimeDomainData(samples);
		let sum = 0;
		for (const sample of samples) sum += sample * sample;
		const loud = Math.sqrt(sum / samples.length) > SPEECH_LEVEL;
		const now = performance.now();
		if (!loud) loudSince = 0;
		else if (!loudSince) loudSince = now;
		if (loudSince && now - loudSince > 500) report(true);
		if (!loud && speaking && now - loudSince > 3000) report(false);
	}, 100);
	return () => {
		clearInterval(timer);
		void context.close();
	};
}
