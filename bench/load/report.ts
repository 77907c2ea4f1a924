/**
 * The load run's final table, and the checks the CI and the soak apply to it.
 */
import type { FanoutSummary } from '../bots/fanout.ts';
import type { LoadResult } from './run.ts';

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1048576).toFixed(1)} MB`);
const pct = (cores: number) => `${(cores * 100).toFixed(0)} %`;
const ms = (value: number) => `${Math.round(value)} ms`;

export function resultTable(r: LoadResult): string {
	const rows: [string, string][] = [
		['bots joined', `${r.joined} / ${r.bots} (${r.joinFailures.length} refused${r.joinFailures.length ? `: ${summarizeReasons(r.joinFailures.map((f) => f.reason))}` : ''})`],
		['join (sign-in → media set up)', `p50 ${ms(r.join.p50)} · p95 ${ms(r.join.p95)} · max ${ms(r.join.max)}`],
		['signaling round trip under load', `p50 ${ms(r.signaling.p50)} · p95 ${ms(r.signaling.p95)} · n ${r.signaling.n}`],
		['page turn → all others (live:changed)', fanoutLine(r.fanout.show)],
		['pointer → all others (doc:pointer)', fanoutLine(r.fanout.pointer)],
		['consumers (bots receiving)', `${Math.round(r.steady.consumers)}`],
		['forwarded to the bots', `${(r.steady.receivedPps / 1000).toFixed(1)} k packets/s · ${(r.steady.receivedKbps / 1000).toFixed(1)} Mb/s`],
		['loss (received)', `${r.steady.lossPercent.toFixed(3)} % over the run's samples; video ${r.video.lossPercent.toFixed(3)} %`],
		['video received', `${r.video.consumers} consumers, ${r.video.silent} without a frame; longest gap ${ms(r.video.maxGapMs)}; ${r.video.longGaps} gaps over 1 s`],
		['  freezes (W3C), jitter', `${r.video.freezes} (${ms(r.video.freezeMs)} in all); jitter ${r.video.jitterMs.toFixed(1)} ms — at the bots, whose event loops pause up to ${ms(r.steady.botLoopMaxMs)}`],
		['SFU worker CPU (per worker)', r.steady.workerCores.map(pct).join(' · ')],
		['Node process CPU', pct(r.steady.nodeCores)],
		['bots CPU (load tool, not the server)', pct(r.steady.botCores)],
		['event-loop lag p99', r.steady.eventLoopLagSeconds === null ? 'n/a' : ms(r.steady.eventLoopLagSeconds * 1000)],
		['memory before (RSS · heap)', `${mb(r.memory.before.rssBytes)} · ${mb(r.memory.before.heapBytes)}`],
		['memory during, peak', `${mb(r.memory.during.rssBytes)} · ${mb(r.memory.during.heapBytes)}`],
		['memory after everyone left', `${mb(r.memory.after.rssBytes)} · ${mb(r.memory.after.heapBytes)}`],
		['live meeting', liveLine(r)],
		['left behind after leaving', Object.entries(r.leftBehind).map(([k, v]) => `${k} ${v}`).join(' · ') || 'n/a'],
		['server log errors', `${r.serverErrors.length}${r.serverErrors.length ? `: ${r.serverErrors.slice(0, 3).join(' | ')}` : ''}`],
		['bot errors', `${r.botErrors.length + r.live.errors.length}${r.botErrors.length + r.live.errors.length ? `: ${[...r.botErrors, ...r.live.errors].slice(0, 3).join(' | ')}` : ''}`]
	];
	const width = Math.max(...rows.map(([k]) => k.length));
	return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

function fanoutLine(f: FanoutSummary): string {
	return `p50 ${ms(f.last.p50)} · p95 ${ms(f.last.p95)} · n ${f.last.n}${f.incomplete ? ` (${f.incomplete} not received by all)` : ''}`;
}

function liveLine(r: LoadResult): string {
	const l = r.live;
	return `${l.casesOpened} cases opened, ${l.casesDecided} decided · ${l.documentsShown} pages shown, ${l.documentsDownloaded} downloads · ${l.pointerMoves} pointer moves · ${l.saves} saves · ${l.readBackAnswers} read-back answers · ${l.handsRaised} hands · ${l.chatMessages} messages`;
}

function summarizeReasons(reasons: string[]): string {
	const counts = new Map<string, number>();
	for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
	return [...counts].map(([reason, n]) => `${n}× ${reason}`).join(', ');
}

export interface CheckLimits {
	/** The longest acceptable interval between two video frames received (ms). */
	maxGapMs: number;
	/** Memory after everyone left, at most this much above before (fraction). */
	memoryGrowth: number | null;
}

/** What went wrong, in a sentence each (empty: the run is clean). */
export function checkResult(r: LoadResult, limits: CheckLimits = { maxGapMs: 2000, memoryGrowth: null }): string[] {
	const problems: string[] = [];
	if (r.joined < r.bots) problems.push(`${r.bots - r.joined} bot(s) did not join: ${summarizeReasons(r.joinFailures.map((f) => f.reason))}`);
	if (r.video.consumers === 0 && r.options.publishers > 0) problems.push('no bot received any video');
	if (r.video.silent > 0) problems.push(`${r.video.silent} video consumer(s) received no frame`);
	if (r.video.maxGapMs > limits.maxGapMs) problems.push(`a video froze for ${Math.round(r.video.maxGapMs)} ms (limit ${limits.maxGapMs} ms)`);
	for (const [what, count] of Object.entries(r.leftBehind)) if (count > 0) problems.push(`${count} ${what} left behind after everyone left`);
	if (!('rooms' in r.leftBehind)) problems.push('the server’s /metrics did not answer: rooms, transports and consumers could not be counted');
	if (r.serverErrors.length > 0) problems.push(`${r.serverErrors.length} error line(s) in the server log: ${r.serverErrors.slice(0, 3).join(' | ')}`);
	const botErrors = [...r.botErrors, ...r.live.errors];
	if (botErrors.length > 0) problems.push(`${botErrors.length} request(s) failed: ${botErrors.slice(0, 3).join(' | ')}`);
	if (limits.memoryGrowth !== null && r.memory.after.rssBytes > r.memory.before.rssBytes * (1 + limits.memoryGrowth)) {
		problems.push(`RSS after (${mb(r.memory.after.rssBytes)}) is more than ${limits.memoryGrowth * 100} % above before (${mb(r.memory.before.rssBytes)})`);
	}
	return problems;
}
