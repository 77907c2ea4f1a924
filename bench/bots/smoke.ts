import { startTestStack } from '../../tests/helpers/stack.ts';
import { createMeetingFixture } from '../../tests/helpers/meeting-fixture.ts';
import { users } from '../../src/lib/server/db/schema.ts';
import { setMembership } from '../../src/lib/server/boards.ts';
import { Bot } from './bot.ts';
const N = Number(process.argv[2] ?? 8);
const stack = await startTestStack({ MEDIASOUP_ANNOUNCED_ADDRESS: '127.0.0.1' });
const db = stack.concerto.runtime.database.db;
const f = await createMeetingFixture(db);
const ids = [f.people.coordinator.id];
for (let i = 1; i < N; i++) {
  const [u] = await db.insert(users).values({ givenName: 'b' + i, familyName: 'x', email: `b${i}.${Math.random()}@t.test`, specialty: 'radiology' }).returning();
  await setMembership(db, f.boardId, u.id, 'member', { userId: f.people.admin.id, address: null });
  ids.push(u.id);
}
const bots: Bot[] = [];
for (const [i, id] of ids.entries()) bots.push(new Bot({ origin: stack.url, credentials: { cookie: await stack.sessionCookie(id) }, meetingId: f.meetingId, publish: true, receiveLayer: 0, label: 'b' + i }));
for (const bot of bots) { await bot.connect(); await bot.enter(); }
await new Promise((r) => setTimeout(r, 3000));
for (const bot of bots) bot.intervalStats();
const t0 = process.cpuUsage();
await new Promise((r) => setTimeout(r, 10000));
const c = process.cpuUsage(t0);
const fps = bots.flatMap((b) => b.intervalStats().filter((s) => s.kind === 'video').map((s) => s.stats.framesPerSecond.toFixed(0)));
console.log('cpu', ((c.user + c.system) / 1e7).toFixed(0) + '%', 'fps', fps.join(' '));
const layers: string[] = [];
for (const room of (stack.concerto.rooms as any).rooms?.values?.() ?? []) console.log(Object.keys(room));
await Promise.all(bots.map((b) => b.leave()));
await stack.close();
process.exit(0);
