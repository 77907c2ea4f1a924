/**
 * What the operating system says of the server under load, read from /proc (Linux): CPU
 * time of the Node process and of each mediasoup worker (its child processes), and
 * resident memory. CPU is measured per process, so that the bots' own CPU (they run in
 * the load tool's process) is never counted as the server's.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcessSample {
	pid: number;
	/** user + system CPU time, seconds. */
	cpuSeconds: number;
	rssBytes: number;
}

/** CPU time and RSS of one process, or null when it is gone. */
export function sampleProcess(pid: number): ProcessSample | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name (which may hold spaces) in parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const utime = Number(fields[11]);
		const stime = Number(fields[12]);
		const rssPages = Number(fields[21]);
		return { pid, cpuSeconds: (utime + stime) / TICKS_PER_SECOND, rssBytes: rssPages * 4096 };
	} catch {
		return null;
	}
}

/** The child processes of `pid` whose command name starts with `prefix` (mediasoup-worker). */
export function childProcesses(pid: number, prefix: string): number[] {
	const children: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (parent === pid && name.startsWith(prefix)) children.push(Number(entry));
		} catch {
			// The process ended while listing.
		}
	}
	return children.sort((a, b) => a - b);
}

/** CPU use between two samples, as a share of one core (1 = one core busy). */
export function coresUsed(before: ProcessSample, after: ProcessSample, seconds: number): number {
	return seconds > 0 ? (after.cpuSeconds - before.cpuSeconds) / seconds : 0;
}

/** CPU time of the whole machine (every core, every process), seconds: /proc/stat's first line, idle and I/O wait left out. */
export function machineCpuSeconds(): number {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal (guest time is already in user).
	const [user, nice, system, , , irq, softirq, steal] = fields;
	return (user + nice + system + irq + softirq + (steal ?? 0)) / TICKS_PER_SECOND;
}

/** CPU of this process (the bots), seconds, from Node's own counter. */
export function ownCpuSeconds(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1e6;
}
