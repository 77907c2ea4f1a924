/**
 * Each node's share of the work during the steady state: the meetings it hosts and the
 * tracks it forwards (its /metrics: `concerto_rooms`, `concerto_consumers`), and the CPU
 * of its Node process and of its mediasoup workers (its child processes), read from /proc
 * per process as the load tool does (bench/load/system.ts), so that neither the bots nor
 * the other node count.
 */
import { metricValue, scrapeMetrics } from '../load/metrics.ts';
import { childProcesses, coresUsed, machineCpuSeconds, ownCpuSeconds, sampleProcess, type ProcessSample } from '../load/system.ts';
import type { TargetNode } from './targets.ts';

export interface NodeSnapshot {
	at: number;
	node: ProcessSample | null;
	workers: ProcessSample[];
	/** Rooms open and tracks forwarded, when /metrics answered. */
	rooms: number | null;
	consumers: number | null;
}

/** A node's figures over the steady state. */
export interface NodeFigures {
	id: string;
	/** Rooms open (meetings hosted), averaged over the samples. */
	meetings: number;
	/** Tracks forwarded (consumers), averaged over the samples. */
	consumers: number;
	/** CPU of its mediasoup workers together, and of its Node process, as shares of one core. */
	workerCores: number;
	nodeCores: number;
	workers: number;
}

/** The machine as a whole, this process (the benchmark's own loop) and the HAProxy and Redis it started. */
export interface MachineSnapshot {
	at: number;
	machineSeconds: number;
	ownSeconds: number;
	helpers: ProcessSample[];
}

export function snapshotMachine(): MachineSnapshot {
	// HAProxy runs master-worker: the worker is the master's child.
	const proxies = childProcesses(process.pid, 'haproxy');
	const pids = [...proxies, ...proxies.flatMap((pid) => childProcesses(pid, 'haproxy')), ...childProcesses(process.pid, 'redis-server')];
	return {
		at: performance.now(),
		machineSeconds: machineCpuSeconds(),
		ownSeconds: ownCpuSeconds(),
		helpers: pids.map(sampleProcess).filter((s): s is ProcessSample => s !== null)
	};
}

/** Between two machine snapshots, as shares of one core: the whole machine, and HAProxy with Redis. */
export function machineFigures(first: MachineSnapshot, last: MachineSnapshot): { machineCores: number; ownCores: number; helperCores: number } {
	const seconds = (last.at - first.at) / 1000;
	const helperSeconds = last.helpers.reduce((sum, after) => {
		const before = first.helpers.find((h) => h.pid === after.pid);
		return before ? sum + after.cpuSeconds - before.cpuSeconds : sum;
	}, 0);
	return {
		machineCores: (last.machineSeconds - first.machineSeconds) / seconds,
		ownCores: (last.ownSeconds - first.ownSeconds) / seconds,
		helperCores: helperSeconds / seconds
	};
}

export async function snapshotNode(node: TargetNode, metricsToken: string): Promise<NodeSnapshot> {
	const metrics = await scrapeMetrics(node.direct, metricsToken).catch(() => null);
	return {
		at: performance.now(),
		node: sampleProcess(node.pid),
		workers: childProcesses(node.pid, 'mediasoup-work').map((pid) => sampleProcess(pid) ?? { pid, cpuSeconds: 0, rssBytes: 0 }),
		rooms: metrics ? metricValue(metrics, 'concerto_rooms') : null,
		consumers: metrics ? metricValue(metrics, 'concerto_consumers') : null
	};
}

/** CPU between the first and the last snapshot; rooms and consumers averaged over all of them. */
export function nodeFigures(id: string, snapshots: readonly NodeSnapshot[]): NodeFigures {
	const first = snapshots[0];
	const last = snapshots.at(-1)!;
	const seconds = (last.at - first.at) / 1000;
	const mean = (pick: (s: NodeSnapshot) => number | null) => {
		const values = snapshots.map(pick).filter((v): v is number => v !== null);
		return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
	};
	// A worker replaced meanwhile (a crash) counts from its first appearance.
	const workerCores = last.workers.reduce((sum, worker) => {
		const before = first.workers.find((w) => w.pid === worker.pid) ?? { ...worker, cpuSeconds: 0 };
		return sum + coresUsed(before, worker, seconds);
	}, 0);
	return {
		id,
		meetings: mean((s) => s.rooms),
		consumers: mean((s) => s.consumers),
		workerCores,
		nodeCores: first.node && last.node ? coresUsed(first.node, last.node, seconds) : 0,
		workers: last.workers.length
	};
}
