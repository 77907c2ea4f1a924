/**
 * The bot host processes of a run (`host.ts`, one per core by default, whole meetings
 * each) seen from the tool that forks them: a command channel per host, the joins (chairs
 * first everywhere, so that moderators are in to let the guests in, then everyone), and
 * the merge of what they report. Used by the load tool (run.ts) and the cluster
 * benchmark (bench/cluster/).
 */
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { newLiveCounters, type LiveCounters } from '../bots/live.ts';
import type { LoadFixture } from './fixture.ts';
import type { HostCommand, HostSetup } from './host.ts';

/** A bot host process and its command channel. */
export interface Host {
	call<T = unknown>(command: DistributiveOmit<HostCommand, 'id'>): Promise<T>;
	close(): void;
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** What every host is told of the run (its meetings and origin apart). */
export type HostPoolOptions = Omit<HostSetup, 'origin' | 'password' | 'meetings' | 'firstMeeting'> & {
	/** Bot processes (default: one per core, at most one per meeting). */
	hosts?: number;
};

export interface JoinFailure {
	label: string;
	reason: string;
}

/** Forks the bot hosts and gives each its share of the meetings (whole meetings). */
export async function startHosts(fixture: LoadFixture, origin: string, options: HostPoolOptions): Promise<Host[]> {
	const { hosts: wanted, ...shared } = options;
	const count = Math.max(1, Math.min(wanted ?? availableParallelism(), fixture.meetings.length));
	const hosts: Host[] = [];
	for (let h = 0; h < count; h++) {
		const first = Math.floor((h * fixture.meetings.length) / count);
		const end = Math.floor(((h + 1) * fixture.meetings.length) / count);
		const child = fork(fileURLToPath(new URL('./host.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
		let nextId = 1;
		child.on('message', (message: { id: number; ok: boolean; result?: unknown; error?: string }) => {
			const waiting = pending.get(message.id);
			pending.delete(message.id);
			if (message.ok) waiting?.resolve(message.result);
			else waiting?.reject(new Error(message.error));
		});
		child.once('exit', (code) => {
			for (const waiting of pending.values()) waiting.reject(new Error(`bot process exited (code ${code})`));
			pending.clear();
		});
		const host: Host = {
			call: (command) =>
				new Promise((resolve, reject) => {
					const id = nextId++;
					pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
					// A host gone (killed by an interruption): the command fails, nothing throws elsewhere.
					child.send({ ...command, id }, (error) => {
						if (!error) return;
						pending.delete(id);
						reject(new Error(`bot process gone: ${error.message}`));
					});
				}),
			close: () => child.kill()
		};
		const setup: HostSetup = {
			...shared,
			origin,
			password: fixture.password,
			meetings: fixture.meetings.slice(first, end),
			firstMeeting: first,
			joinConcurrency: Math.max(1, Math.ceil(options.joinConcurrency / count))
		};
		await host.call({ type: 'setup', setup });
		hosts.push(host);
	}
	return hosts;
}

/** Every bot enters: the chairs of all meetings, then the others. */
export async function joinEveryone(hosts: Host[]): Promise<{ times: number[]; failures: JoinFailure[] }> {
	const times: number[] = [];
	const failures: JoinFailure[] = [];
	for (const who of ['chairs', 'others'] as const) {
		const results = await Promise.all(hosts.map((host) => host.call<{ times: number[]; failures: JoinFailure[] }>({ type: 'join', who })));
		for (const result of results) {
			times.push(...result.times);
			failures.push(...result.failures);
		}
	}
	return { times, failures };
}

export function mergeCounters(all: LiveCounters[]): LiveCounters {
	const merged = newLiveCounters();
	for (const c of all) {
		for (const key of Object.keys(merged) as (keyof LiveCounters)[]) {
			if (key === 'errors') merged.errors.push(...c.errors);
			else merged[key] += c[key];
		}
	}
	return merged;
}
