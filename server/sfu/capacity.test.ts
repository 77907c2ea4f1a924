import type { Worker } from 'mediasoup/types';
import { describe, expect, it } from 'vitest';
import { admit, CpuPressure, entryCost } from './capacity.ts';

describe('node capacity', () => {
	it('costs a newcomer every track already published plus their two tracks to each one present', () => {
		expect(entryCost(undefined)).toBe(0);
		expect(entryCost({ peers: 11, producers: 22 })).toBe(44);
	});

	it('admits while the projected consumers stay within the capacity, refuses beyond', () => {
		expect(admit(100, { peers: 3, producers: 6 }, 112)).toMatchObject({ ok: true, projected: 112 });
		expect(admit(100, { peers: 3, producers: 6 }, 111)).toMatchObject({ ok: false, current: 100, projected: 112, capacity: 111 });
	});
});

describe('CPU pressure', () => {
	const worker = { closed: false, pid: 1 } as unknown as Worker;
	/** A pressure watch fed with CPU shares: each tick, one second, `share` of a core. */
	function watch() {
		const changes: number[] = [];
		const pressure = new CpuPressure({ highCpu: 0.85, lowCpu: 0.6, intervalMs: 1000 }, () => [worker], (_w, cap) => changes.push(cap));
		let cpuMs = 0;
		let now = 0;
		const tick = async (share: number) => {
			cpuMs += share * 1000;
			now += 1000;
			await pressure.tick(now, async () => cpuMs);
		};
		return { pressure, changes, tick };
	}

	it('lowers the forwarded layer after two readings above the threshold, one layer at a time, never below the smallest', async () => {
		const { pressure, changes, tick } = watch();
		await tick(0); // first reading: nothing to compare yet
		await tick(0.9);
		expect(pressure.capOf(worker)).toBe(2);
		await tick(0.95);
		expect(pressure.capOf(worker)).toBe(1);
		await tick(0.9);
		await tick(0.9);
		expect(pressure.capOf(worker)).toBe(0);
		await tick(0.99);
		await tick(0.99);
		expect(pressure.capOf(worker)).toBe(0);
		expect(changes).toEqual([1, 0]);
	});

	it('gives the layers back after three calm readings each, and ignores a single spike', async () => {
		const { pressure, changes, tick } = watch();
		await tick(0);
		for (const share of [0.9, 0.9, 0.9, 0.9]) await tick(share);
		expect(pressure.capOf(worker)).toBe(0);
		for (const share of [0.3, 0.3, 0.3]) await tick(share);
		expect(pressure.capOf(worker)).toBe(1);
		await tick(0.95);
		await tick(0.3);
		await tick(0.3);
		await tick(0.3);
		expect(pressure.capOf(worker)).toBe(2);
		expect(changes).toEqual([1, 0, 1, 2]);
	});
});
