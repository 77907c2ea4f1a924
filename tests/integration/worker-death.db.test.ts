/**
 * A mediasoup worker that dies is replaced, and the meetings it carried are rebuilt on a
 * live worker: their participants stay (same peers, same attendance) and are told to
 * rebuild their media (`room:media-reset`), which works at once.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomPresences } from '../../src/lib/server/db/schema.ts';
import { checkHealth } from '../../src/lib/server/health.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { createMeetingFixture, type MeetingFixture } from '../helpers/meeting-fixture.ts';
import { next, send, startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let fixture: MeetingFixture;

beforeAll(async () => {
	stack = await startTestStack({ MEDIASOUP_NUM_WORKERS: '1' });
	fixture = await createMeetingFixture(stack.concerto.runtime.database.db);
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
	it('replaces the dead worker and rebuilds its meetings; participants stay and rebuild their media', async () => {
		const runtime = stack.concerto.runtime;
		const [original] = runtime.sfu.workers();
		const cookie = await stack.sessionCookie(fixture.people.coordinator.id);
		const alice = await stack.client({ cookie });
		const joined = await send(alice, 'room:join', { meetingId: fixture.meetingId });
		expect(joined.ok && joined.data.status).toBe('joined');
		expect((await send(alice, 'transport:create', { direction: 'send' })).ok).toBe(true);

		const reset = next(alice, 'room:media-reset');
		process.kill(original.pid, 'SIGKILL');
		const { routerRtpCapabilities } = await reset;
		expect((routerRtpCapabilities as { codecs: unknown[] }).codecs.length).toBeGreaterThan(0);

		const replacement = await waitFor(() => {
			const [worker] = runtime.sfu.workers();
			return worker.pid !== original.pid && worker.alive ? worker : undefined;
		});
		expect((await checkHealth(runtime)).status).toBe('ok');
		// Still in the room, same peer: media requests work on the new router at once.
		expect((await send(alice, 'transport:create', { direction: 'send' })).ok).toBe(true);
		expect(runtime.sfu.workers()).toEqual([{ pid: replacement.pid, alive: true, routers: 1 }]);
		// One presence, never interrupted.
		const presences = await runtime.database.db.select().from(roomPresences).where(eq(roomPresences.meetingId, fixture.meetingId));
		expect(presences.map((p) => [p.peerId, p.leftAt])).toEqual([[joined.data.peerId, null]]);
		// Monitoring saw the death, and reads the replacement's CPU time in the same slot.
		const metrics = await stack.concerto.metrics.registry.metrics();
		expect(metrics).toContain('concerto_worker_deaths_total 1\n');
		expect(metrics).toContain('concerto_workers{state="alive"} 1\n');
		expect(metrics).toMatch(new RegExp(`^concerto_worker_cpu_seconds_total\\{worker="0",pid="${replacement.pid}"\\} `, 'm'));
		expect(metrics).not.toContain(`pid="${original.pid}"`);
	});
});
