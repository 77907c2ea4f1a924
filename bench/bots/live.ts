/**
 * The live meeting, played by bots, so that a load exercises what a real RCP does
 * besides video: the chair opens each case and gives the presentation to a member, who
 * shows the case's report and turns its pages with the laser pointer moving; everybody
 * follows (downloads the document the first time it is shown), raises a hand now and
 * then, chats; the chair types the proposal (autosaves), makes it final, everybody
 * answers the read-back, the chair closes the case and the next one opens.
 */
import type { DocumentView } from '../../src/lib/realtime/live.ts';
import type { DecisionInfo, LiveInfo } from '../../src/lib/realtime/protocol.ts';
import type { Bot } from './bot.ts';
import type { FanoutLog } from './fanout.ts';

export interface LiveOptions {
	/** How long each case lasts (ms) before the chair closes it. */
	caseMs: number;
	/** The signed-in session's cookie of each bot, to download documents. */
	cookieOf: (bot: Bot) => string | undefined;
	/** How often the presenter turns a page (ms; default 8 s). */
	pageMs?: number;
	/** Where to time the presenter's page turns and pointer moves until every other bot has them. */
	fanout?: { show: FanoutLog; pointer: FanoutLog };
}

/** Counters of what the bots did (and what failed) in the live meeting. */
export interface LiveCounters {
	casesOpened: number;
	casesDecided: number;
	documentsShown: number;
	documentsDownloaded: number;
	pointerMoves: number;
	handsRaised: number;
	chatMessages: number;
	saves: number;
	readBackAnswers: number;
	errors: string[];
}

export function newLiveCounters(): LiveCounters {
	return {
		casesOpened: 0,
		casesDecided: 0,
		documentsShown: 0,
		documentsDownloaded: 0,
		pointerMoves: 0,
		handsRaised: 0,
		chatMessages: 0,
		saves: 0,
		readBackAnswers: 0,
		errors: []
	};
}

const PROPOSAL = {
	treatmentTypes: ['387713003'],
	proposal: 'Chirurgie puis surveillance (proposition fictive de charge).',
	guidelineFollowed: 'yes',
	guidelineName: 'Thésaurus national',
	guidelineVersion: '2024',
	trialProposed: false,
	fileComplete: true,
	quorumNotMetAcknowledged: true
};

const random = (min: number, max: number) => min + Math.random() * (max - min);

/** Runs the meeting's live scenario until `stop()`; the chair is `bots[0]`, the presenter `bots[1]`. */
export function playMeeting(bots: Bot[], caseIds: string[], options: LiveOptions, counters: LiveCounters) {
	const timers: NodeJS.Timeout[] = [];
	let stopped = false;
	const chair = bots[0];
	const presenter = bots[1] ?? bots[0];
	// One voice at a time: the presenter speaks, the others are silent (DTX).
	presenter.speaking = true;
	const pageMs = options.pageMs ?? 8_000;
	const meeting = presenter.options.meetingId;
	const showKey = (view: DocumentView) => `${meeting}|${view.attachmentId}|${view.page}|${view.center.y}`;
	const pointerKey = (point: { x: number; y: number }) => `${meeting}|${point.x}|${point.y}`;
	const others = () => bots.filter((bot) => bot !== presenter && bot.state === 'joined').map((bot) => bot.options.label);
	const failed = (what: string) => (error: unknown) => {
		if (!stopped) counters.errors.push(`${what}: ${(error as Error).message}`);
	};
	/** `action` again and again, `ms()` apart, the first time within 3 to 20 s. */
	const every = (ms: () => number, action: () => Promise<unknown> | void) => {
		const tick = () => {
			if (stopped) return;
			void Promise.resolve(action()).finally(() => {
				if (!stopped) timers.push(setTimeout(tick, ms()));
			});
		};
		timers.push(setTimeout(tick, random(3_000, 20_000)));
	};

	// Everybody follows the document shown: the first time an attachment appears, download it.
	for (const bot of bots) {
		const downloaded = new Set<string>();
		bot.onEvent((event, payload) => {
			if (event === 'doc:pointer' && payload) options.fanout?.pointer.received(pointerKey(payload as { x: number; y: number }), bot.options.label, performance.now());
			if (event === 'live:changed') {
				const shown = (payload as LiveInfo).document;
				if (shown) options.fanout?.show.received(showKey(shown), bot.options.label, performance.now());
				const attachmentId = shown?.attachmentId;
				if (!attachmentId || downloaded.has(attachmentId)) return;
				downloaded.add(attachmentId);
				void download(bot, attachmentId, options.cookieOf(bot)).then(() => counters.documentsDownloaded++, failed('document'));
			}
			if (event === 'decision:changed') {
				const decision = payload as DecisionInfo;
				if (decision.status !== 'final' || bot === chair) return;
				void bot
					.request('decision:answer', { caseId: decision.caseId, version: decision.version, answer: 'confirm', comment: '' })
					.then(() => counters.readBackAnswers++, failed('read-back'));
			}
		});
		// A hand now and then, lowered a little later; a chat message now and then.
		every(
			() => random(40_000, 120_000),
			async () => {
				await bot.request('hand:raise', {});
				counters.handsRaised++;
				await new Promise((resolve) => setTimeout(resolve, random(5_000, 15_000)));
				if (!stopped) await bot.request('hand:lower', {});
			}
		);
		every(
			() => random(30_000, 90_000),
			async () => {
				await bot.request('chat:send', { text: 'Message fictif de charge.' }).then(() => counters.chatMessages++, failed('chat'));
			}
		);
	}

	let caseIndex = 0;
	const presenterKey = () => presenter.join?.participantKey;
	const runCase = async () => {
		if (stopped || caseIndex >= caseIds.length) return;
		const caseId = caseIds[caseIndex++];
		await chair.request('case:open', { caseId });
		counters.casesOpened++;
		const key = presenterKey();
		if (key && presenter !== chair) await chair.request('case:presenter', { participantKey: key });
		const view = await presenter.request('case:view', {});
		const attachmentId = view?.attachments[0]?.id;
		const started = Date.now();
		let page = 1;
		let version = view?.decision.version ?? 0;
		let lastPage = 0;
		let lastSave = 0;
		while (!stopped && Date.now() - started < options.caseMs) {
			const now = Date.now();
			if (attachmentId && now - lastPage > pageMs) {
				page = (page % 3) + 1;
				// A place on the page of its own: each page turn's announcement can be told apart.
				const view = { attachmentId, page, zoom: 1, center: { x: 0.5, y: Math.random() }, annotations: [] };
				options.fanout?.show.sent(showKey(view), others(), performance.now());
				await presenter.request('doc:show', { view });
				counters.documentsShown++;
				lastPage = now;
			}
			if (now - lastSave > 4_000) {
				const saved = await chair.request('decision:save', { caseId, baseVersion: version, content: PROPOSAL });
				version = saved.version;
				counters.saves++;
				lastSave = now;
			}
			const point = { x: Math.random(), y: Math.random() };
			options.fanout?.pointer.sent(pointerKey(point), others(), performance.now());
			presenter.socket?.emit('doc:pointer', point, () => {});
			counters.pointerMoves++;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		if (stopped) return;
		await chair.request('decision:finalize', { caseId, version });
		// Time for the read-back answers.
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		if (stopped) return;
		await chair.request('case:close', { outcome: 'decided' });
		counters.casesDecided++;
	};
	const loop = async () => {
		while (!stopped && caseIndex < caseIds.length) await runCase().catch(failed('case'));
	};
	void loop();

	return {
		stop() {
			stopped = true;
			for (const timer of timers) clearTimeout(timer);
		}
	};
}

async function download(bot: Bot, attachmentId: string, cookie: string | undefined): Promise<void> {
	if (!cookie) return;
	// Where the room's document viewer reads it (members and guests of the meeting alike).
	const response = await fetch(`${bot.options.origin}/meetings/${bot.options.meetingId}/documents/${attachmentId}`, { headers: { cookie } });
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	await response.arrayBuffer();
}
