import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './serial.ts';

const deferred = () => {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
};

describe('KeyedSerialQueue', () => {
	it('runs tasks of one key in order, never overlapping', async () => {
		const queue = new KeyedSerialQueue();
		const gate = deferred();
		const log: string[] = [];
		const first = queue.run('room-a', async () => {
			log.push('first:start');
			await gate.promise;
			log.push('first:end');
		});
		const second = queue.run('room-a', () => log.push('second'));
		await Promise.resolve();
		expect(log).toEqual(['first:start']);
		gate.resolve();
		await Promise.all([first, second]);
		expect(log).toEqual(['first:start', 'first:end', 'second']);
	});

	it('lets different keys proceed independently', async () => {
		const queue = new KeyedSerialQueue();
		const gate = deferred();
		const blocked = queue.run('room-a', () => gate.promise);
		await expect(queue.run('room-b', () => 'b')).resolves.toBe('b');
		gate.resolve();
		await blocked;
	});

	it('keeps going after a failed task and forgets idle keys', async () => {
		const queue = new KeyedSerialQueue();
		await expect(queue.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(queue.run('k', () => 42)).resolves.toBe(42);
		await new Promise((r) => setImmediate(r));
		expect(queue.pendingKeys).toBe(0);
	});
});
