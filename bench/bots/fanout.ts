/**
 * The presenter's fan-out as the bots see it: the time from the presenter's command (a
 * page turned, `doc:show`; a pointer move, `doc:pointer`) until each other participant
 * of the meeting receives what the server announces for it (`live:changed`,
 * `doc:pointer`). A host process runs whole meetings, so the send and every receipt are
 * timed on the same clock (`performance.now()` of that process).
 */
import { summarizeOrZero, type Summary } from '../lib/stats.ts';

/** What a series of commands gave. */
export interface FanoutFigures {
	/** Per command, ms until the last of the others received it. */
	lastMs: number[];
	/** Per command and receiver, ms until that receiver had it. */
	eachMs: number[];
	/** Commands that some receiver had not received after `LATE_MS` (a volatile pointer dropped, a bot gone). */
	incomplete: number;
}

/** A command still awaited this long is counted as incomplete rather than in flight. */
export const LATE_MS = 5_000;

export class FanoutLog {
	readonly #pending = new Map<string, { sentAt: number; waiting: Set<string>; latest: number }>();
	#figures: FanoutFigures = { lastMs: [], eachMs: [], incomplete: 0 };

	/** The presenter sends the command `key`, which each of `receivers` should receive. */
	sent(key: string, receivers: readonly string[], at: number): void {
		if (receivers.length === 0) return;
		this.#pending.set(key, { sentAt: at, waiting: new Set(receivers), latest: at });
	}

	/** `receiver` got the announcement of `key` (anything else is ignored: the sender's own echo, a repeat). */
	received(key: string, receiver: string, at: number): void {
		const command = this.#pending.get(key);
		if (!command?.waiting.delete(receiver)) return;
		this.#figures.eachMs.push(at - command.sentAt);
		command.latest = Math.max(command.latest, at);
		if (command.waiting.size > 0) return;
		this.#figures.lastMs.push(command.latest - command.sentAt);
		this.#pending.delete(key);
	}

	/** The figures so far; commands awaited for longer than `LATE_MS` are counted as incomplete and dropped. */
	figures(now: number): FanoutFigures {
		for (const [key, command] of this.#pending) {
			if (now - command.sentAt < LATE_MS) continue;
			this.#figures.incomplete += 1;
			this.#pending.delete(key);
		}
		return this.#figures;
	}

	/** Forgets everything measured so far (the steady state starts). */
	clear(): void {
		this.#pending.clear();
		this.#figures = { lastMs: [], eachMs: [], incomplete: 0 };
	}
}

/** Several hosts' figures as one: the commands completed, their last and each receipt, those incomplete. */
export interface FanoutSummary {
	/** Per command, until the last of the others had it. */
	last: Summary;
	/** Per command and receiver. */
	each: Summary;
	incomplete: number;
}

export function summarizeFanout(all: readonly FanoutFigures[]): FanoutSummary {
	return {
		last: summarizeOrZero(all.flatMap((f) => f.lastMs)),
		each: summarizeOrZero(all.flatMap((f) => f.eachMs)),
		incomplete: all.reduce((sum, f) => sum + f.incomplete, 0)
	};
}
