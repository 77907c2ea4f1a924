/**
 * A mediasoup worker that dies is replaced; the rooms it carried end with
 * `room:closed` (reason `sfu-failure`) so that their participants can join again, and
 * a new join lands on the replacement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from '../../src/lib/server/health.ts';
import { listPresences } from '../../src/lib/server/presence.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { next, send, startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;

beforeAll(async () => {
	stack = await startTestStack({ MEDIASOUP_NUM_WORKERS: '1' });
});

afterAll(() => stack?.close());

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe(`worker death (${testDatabaseKind})`, () => {
	it('replaces the dead worker, ends its rooms for their participants, and serves new joins', async () => {
		const runtime = stack.concerto.runtime;
		const db = runtime.database.db;
		const [original] = runtime.sfu.workers();
		const alice = await stack.client();
		expect((await send(alice, 'room:join', { roomId: 'doomed', displayName: 'Dr Alice' })).ok).toBe(true);

		const closed = next(alice, 'room:closed');
		process.kill(original.pid, 'SIGKILL');
		expect(await closed).toEqual({ reason: 'sfu-failure' });

		const replacement = await waitFor(() => {
			const [worker] = runtime.sfu.workers();
			return worker.pid !== original.pid && worker.alive ? worker : undefined;
		});
		expect((await checkHealth(runtime)).status).toBe('ok');

		// The old membership is gone: media requests are refused until the client joins again.
		expect(await send(alice, 'transport:create', { direction: 'send' })).toMatchObject({
			ok: false,
			error: { reason: 'not-in-room' }
		});
		// Joining again on the same connection works at once.
		expect((await send(alice, 'room:join', { roomId: 'doomed', displayName: 'Dr Alice' })).ok).toBe(true);
		expect(runtime.sfu.workers()).toEqual([{ pid: replacement.pid, alive: true, routers: 1 }]);
		// Two presences: the one the failure ended, and the new one.
		const presences = await listPresences(db, 'doomed');
		expect(presences.map((p) => p.leftAt !== null)).toEqual([true, false]);
	});
});
