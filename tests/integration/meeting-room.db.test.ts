/**
 * The meeting room over real Socket.IO connections to a real Concerto stack (database,
 * mediasoup workers, signaling), as browsers speak it: who may enter which meeting, the
 * lobby, moderation, chat, hands, reconnection, the authorisation of every event.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, meetings, roomPresences } from '../../src/lib/server/db/schema.ts';
import { testDatabaseKind } from '../helpers/database.ts';
import { createMeetingFixture, type MeetingFixture, type Person } from '../helpers/meeting-fixture.ts';
import { guestCookie, next, send, startTestStack, type Client, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let fixture: MeetingFixture;
const db = () => stack.concerto.runtime.database.db;

beforeAll(async () => {
	stack = await startTestStack({ MEDIASOUP_NUM_WORKERS: '2', ROOM_REJOIN_GRACE_MS: '1500', ROOM_MAX_PEERS_PER_ROUTER: '2' });
	fixture = await createMeetingFixture(db());
});

afterAll(() => stack?.close());

type Who = Person | 'guest';

/** A connection signed in as `who`. */
async function as(who: Who): Promise<Client> {
	const cookie = who === 'guest' ? guestCookie(fixture.guest.secret) : await stack.sessionCookie(fixture.people[who].id);
	return stack.client({ cookie });
}

async function joined(who: Who, meetingId = fixture.meetingId) {
	const socket = await as(who);
	const answer = await send(socket, 'room:join', { meetingId });
	if (!answer.ok || answer.data.status !== 'joined') throw new Error(`${who} could not join: ${JSON.stringify(answer)}`);
	return { socket, ...answer.data } as { socket: Client; peerId: string; rejoinSecret: string; self: { role: string; specialty: string | null; moderator: boolean } } & Record<string, any>;
}

const leave = (socket: Client) => send(socket, 'room:leave', {});

const OPUS = {
	codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
	encodings: [{ ssrc: 11111111 }]
};

/** Publishes a (silent) microphone on a send transport. */
async function publishMicrophone(socket: Client): Promise<string> {
	const transport = await send(socket, 'transport:create', { direction: 'send' });
	const produced = await send(socket, 'producer:create', { transportId: transport.data.id, kind: 'audio', rtpParameters: OPUS, source: 'microphone' });
	if (!produced.ok) throw new Error(JSON.stringify(produced));
	return produced.data.producerId;
}

describe(`meeting room: who enters (${testDatabaseKind})`, () => {
	it('refuses a connection without a session, and one from another site', async () => {
		await expect(stack.client()).rejects.toThrow('unauthorized');
		await expect(stack.client({ cookie: await stack.sessionCookie(fixture.people.member.id), origin: 'https://evil.example' })).rejects.toThrow();
		await expect(stack.client({ cookie: 'authjs.session-token=forged' })).rejects.toThrow('unauthorized');
	});

	it('lets board members and administrators in with their name, specialty and role; records attendance; the chair starts the meeting', async () => {
		const member = await joined('member');
		expect(member.self).toMatchObject({ displayName: 'member Test', specialty: 'medical-oncology', role: 'member', moderator: false });
		const announced = next(member.socket, 'peer:joined');
		const coordinator = await joined('coordinator');
		expect(coordinator.self).toMatchObject({ role: 'coordinator', moderator: true });
		expect(await announced).toMatchObject({ peerId: coordinator.peerId, role: 'coordinator', specialty: 'digestive-surgery' });
		expect(coordinator.peers.map((p: { peerId: string }) => p.peerId)).toEqual([member.peerId]);
		const admin = await joined('admin');
		expect(admin.self).toMatchObject({ role: 'admin', moderator: true });

		// The coordinator entered ten minutes after the start: the meeting is live.
		const [meeting] = await db().select().from(meetings).where(eq(meetings.id, fixture.meetingId));
		expect(meeting.status).toBe('live');

		const presences = await db().select().from(roomPresences).where(eq(roomPresences.meetingId, fixture.meetingId));
		expect(presences.map((p) => [p.role, p.specialty, p.userId]).sort()).toEqual(
			[
				['admin', null, fixture.people.admin.id],
				['coordinator', 'digestive-surgery', fixture.people.coordinator.id],
				['member', 'medical-oncology', fixture.people.member.id]
			].sort()
		);
		const left = next(member.socket, 'peer:left');
		await leave(admin.socket);
		expect(await left).toEqual({ peerId: admin.peerId });
		const [adminPresence] = await db()
			.select()
			.from(roomPresences)
			.where(and(eq(roomPresences.meetingId, fixture.meetingId), eq(roomPresences.userId, fixture.people.admin.id)));
		expect(adminPresence.leftAt).not.toBeNull();
		await leave(member.socket);
		await leave(coordinator.socket);
	});

	it.each([
		['otherBoardMember', 'meetingId', 'forbidden'],
		['nonMember', 'meetingId', 'forbidden'],
		['guest', 'otherMeetingId', 'forbidden'],
		['member', 'otherBoardMeetingId', 'forbidden'],
		['member', 'closedMeetingId', 'meeting-closed']
	] as const)('refuses %s in %s (%s)', async (who, meeting, reason) => {
		const socket = await as(who);
		expect(await send(socket, 'room:join', { meetingId: fixture[meeting] })).toMatchObject({ ok: false, error: { reason } });
		// Nothing else works without a room.
		expect(await send(socket, 'transport:create', { direction: 'send' })).toMatchObject({ ok: false, error: { reason: 'not-in-room' } });
		socket.disconnect();
	});

	it('refuses an unknown meeting and malformed requests, and stays up', async () => {
		const socket = await as('member');
		expect(await send(socket, 'room:join', { meetingId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { reason: 'not-found' } });
		expect(await send(socket, 'room:join', { meetingId: '../etc/passwd' })).toMatchObject({ ok: false, error: { reason: 'invalid-payload' } });
		expect(await send(socket, 'transport:create', 'send')).toMatchObject({ ok: false, error: { reason: 'invalid-payload' } });
		expect(await send(socket, 'chat:send', { text: 'x'.repeat(2001) })).toMatchObject({ ok: false, error: { reason: 'invalid-payload' } });
		expect(await send(socket, 'admin:drop-tables', {})).toMatchObject({ ok: false, error: { reason: 'unknown-event' } });
		const member = await joined('member');
		expect(await send(member.socket, 'consumer:resume', { consumerId: 'not-mine' })).toMatchObject({ ok: false, error: { reason: 'not-found' } });
		expect(await send(member.socket, 'room:join', { meetingId: fixture.meetingId })).toMatchObject({ ok: false, error: { reason: 'already-joined' } });
		await leave(member.socket);
		socket.disconnect();
	});
});

describe(`meeting room: lobby and moderation (${testDatabaseKind})`, () => {
	it('keeps a guest in the lobby until a moderator admits them; members cannot', async () => {
		const coordinator = await joined('coordinator');
		const member = await joined('member');
		const guest = await as('guest');
		const lobbyChanged = next(coordinator.socket, 'lobby:changed');
		expect(await send(guest, 'room:join', { meetingId: fixture.meetingId })).toEqual({ ok: true, data: { status: 'waiting' } });
		const { lobby } = await lobbyChanged;
		expect(lobby).toEqual([expect.objectContaining({ participantKey: `guest:${fixture.guest.id}`, displayName: 'Dr Invitée', role: 'guest' })]);

		expect(await send(member.socket, 'lobby:admit', { participantKey: lobby[0].participantKey })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		const admitted = next(guest, 'lobby:admitted');
		expect((await send(coordinator.socket, 'lobby:admit', { participantKey: lobby[0].participantKey })).ok).toBe(true);
		await admitted;
		const entered = await send(guest, 'room:join', { meetingId: fixture.meetingId });
		expect(entered.ok && entered.data.status).toBe('joined');
		expect(entered.ok && entered.data.self).toMatchObject({ role: 'guest', moderator: false, displayName: 'Dr Invitée' });
		// Once admitted, the guest comes back without waiting.
		await leave(guest);
		expect((await send(guest, 'room:join', { meetingId: fixture.meetingId })).data.status).toBe('joined');
		await leave(guest);
		guest.disconnect();
		await leave(member.socket);
		await leave(coordinator.socket);
	});

	it('lets moderators mute, stop, remove, lock; a removed member waits in the lobby to come back', async () => {
		const secretary = await joined('secretary');
		const member = await joined('member');
		const producerId = await publishMicrophone(member.socket);

		expect(await send(member.socket, 'moderate:mute', { peerId: secretary.peerId })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		const muted = next(member.socket, 'moderation:muted');
		const paused = next(secretary.socket, 'producer:paused');
		expect((await send(secretary.socket, 'moderate:mute', { peerId: member.peerId })).ok).toBe(true);
		expect(await muted).toEqual({ by: 'secretary Test' });
		expect(await paused).toEqual({ peerId: member.peerId, producerId, paused: true });
		// The member unmutes themselves.
		expect((await send(member.socket, 'producer:resume', { producerId })).ok).toBe(true);

		expect(await send(secretary.socket, 'moderate:mute', { peerId: 'nobody' })).toMatchObject({ ok: false, error: { reason: 'not-found' } });

		const locked = next(member.socket, 'room:locked');
		expect((await send(secretary.socket, 'moderate:lock', { locked: true })).ok).toBe(true);
		expect(await locked).toEqual({ locked: true });
		// While locked, another member (the coordinator is a moderator: not them) waits.
		const late = await as('member');
		const removedEvent = next(member.socket, 'room:closed');
		expect((await send(secretary.socket, 'moderate:remove', { peerId: member.peerId })).ok).toBe(true);
		expect(await removedEvent).toEqual({ reason: 'removed' });
		expect(await send(late, 'room:join', { meetingId: fixture.meetingId })).toEqual({ ok: true, data: { status: 'waiting' } });
		expect((await send(secretary.socket, 'moderate:lock', { locked: false })).ok).toBe(true);
		// Unlocked, the removed member still waits until admitted again.
		late.disconnect();
		const again = await as('member');
		expect(await send(again, 'room:join', { meetingId: fixture.meetingId })).toEqual({ ok: true, data: { status: 'waiting' } });
		const admitted = next(again, 'lobby:admitted');
		await send(secretary.socket, 'lobby:admit', { participantKey: `user:${fixture.people.member.id}` });
		await admitted;
		expect((await send(again, 'room:join', { meetingId: fixture.meetingId })).data.status).toBe('joined');

		const trail = await db().select().from(auditEvents).where(eq(auditEvents.entityId, fixture.meetingId));
		expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['meeting.lock', 'meeting.unlock', 'meeting.remove-participant', 'meeting.admit']));
		await leave(again);
		await leave(secretary.socket);
	});

	it('hands: anyone raises and lowers their own; only moderators lower someone else’s', async () => {
		const coordinator = await joined('coordinator');
		const member = await joined('member');
		const changed = next(coordinator.socket, 'hands:changed');
		await send(member.socket, 'hand:raise', {});
		expect(await changed).toEqual({ hands: [member.peerId] });
		await send(coordinator.socket, 'hand:raise', {});
		expect(await send(member.socket, 'hand:lower', { peerId: coordinator.peerId })).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		const lowered = next(member.socket, 'hands:changed');
		expect((await send(coordinator.socket, 'hand:lower', { peerId: member.peerId })).ok).toBe(true);
		expect(await lowered).toEqual({ hands: [coordinator.peerId] });
		await leave(member.socket);
		await leave(coordinator.socket);
	});

	it('chat: reaches everyone, is kept with the meeting and audited without its text, and is rate-limited', async () => {
		const coordinator = await joined('coordinator');
		const member = await joined('member');
		const received = next(coordinator.socket, 'chat:message');
		const sent = await send(member.socket, 'chat:send', { text: '  Le scanner de contrôle est dans le dossier.  ' });
		expect(sent.ok).toBe(true);
		expect(await received).toMatchObject({ authorName: 'member Test', text: 'Le scanner de contrôle est dans le dossier.' });
		for (let i = 0; i < 4; i++) await send(member.socket, 'chat:send', { text: `message ${i}` });
		expect(await send(member.socket, 'chat:send', { text: 'one too many' })).toMatchObject({ ok: false, error: { reason: 'rate-limited' } });

		// A participant who enters later gets the recent messages.
		await leave(coordinator.socket);
		const back = await joined('coordinator');
		expect(back.state.chat.map((m: { text: string }) => m.text)).toEqual(expect.arrayContaining(['Le scanner de contrôle est dans le dossier.', 'message 3']));
		const [row] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'meeting.chat'), eq(auditEvents.actorUserId, fixture.people.member.id)));
		expect(JSON.stringify(row.details)).not.toContain('scanner');
		await leave(member.socket);
		await leave(back.socket);
	});
});

describe(`meeting room: authorisation of every event (${testDatabaseKind})`, () => {
	const MODERATOR_EVENTS = [
		['lobby:admit', () => ({ participantKey: `guest:${fixture.guest.id}` })],
		['lobby:refuse', () => ({ participantKey: `guest:${fixture.guest.id}` })],
		['moderate:mute', (target: string) => ({ peerId: target })],
		['moderate:stop', (target: string) => ({ peerId: target, source: 'camera' })],
		['moderate:remove', (target: string) => ({ peerId: target })],
		['moderate:lock', () => ({ locked: false })]
	] as const;
	const PARTICIPANT_EVENTS = [
		['transport:create', () => ({ direction: 'recv' })],
		['hand:raise', () => ({})],
		['hand:lower', () => ({})],
		['chat:send', () => ({ text: 'bonjour' })]
	] as const;

	it.each(['admin', 'coordinator', 'secretary', 'member', 'guest'] as const)('%s: participant events allowed, moderator events only for moderators', async (who) => {
		const coordinator = await joined('coordinator');
		// The guest was admitted by the lobby test; admit again in case this runs alone.
		await send(coordinator.socket, 'lobby:admit', { participantKey: `guest:${fixture.guest.id}` });
		const actor = who === 'coordinator' ? coordinator : await joined(who);
		const target = who === 'member' ? await joined('secretary') : await joined('member');
		for (const [event, payload] of PARTICIPANT_EVENTS) {
			expect((await send(actor.socket, event, payload())).ok, `${who} ${event}`).toBe(true);
		}
		const moderator = ['admin', 'coordinator', 'secretary'].includes(who);
		for (const [event, payload] of MODERATOR_EVENTS) {
			if (event === 'moderate:remove' && moderator) continue; // removing is tested above; keep the target here
			const answer = await send(actor.socket, event, payload(target.peerId));
			if (moderator) expect(answer.ok || answer.error.reason === 'not-found', `${who} ${event}: ${JSON.stringify(answer)}`).toBe(true);
			else expect(answer, `${who} ${event}`).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		}
		if (!moderator) expect(await send(actor.socket, 'moderate:end', {})).toMatchObject({ ok: false, error: { reason: 'forbidden' } });
		for (const socket of new Set([actor.socket, target.socket, coordinator.socket])) await leave(socket);
	});
});

describe(`meeting room: another meeting's participants are out of reach (${testDatabaseKind})`, () => {
	it('a moderator of one meeting cannot reach a participant of another', async () => {
		const coordinator = await joined('coordinator');
		const elsewhere = await joined('otherBoardMember', fixture.otherBoardMeetingId);
		const heard: string[] = [];
		elsewhere.socket.onAny((event: string) => heard.push(event));
		for (const [event, payload] of [
			['moderate:mute', { peerId: elsewhere.peerId }],
			['moderate:stop', { peerId: elsewhere.peerId, source: 'camera' }],
			['moderate:remove', { peerId: elsewhere.peerId }],
			['hand:lower', { peerId: elsewhere.peerId }]
		] as const) {
			const answer = await send(coordinator.socket, event, payload);
			if (event === 'hand:lower') expect(answer.ok).toBe(true);
			else expect(answer, event).toMatchObject({ ok: false, error: { reason: 'not-found' } });
		}
		// Nothing of the first meeting reached the other one.
		await send(coordinator.socket, 'chat:send', { text: 'réservé à cette séance' });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(heard).toEqual([]);
		await leave(elsewhere.socket);
		await leave(coordinator.socket);
	});
});

describe(`meeting room: connections that break (${testDatabaseKind})`, () => {
	it('keeps a participant whose connection broke, resumes it with its secret, removes it after the grace delay', async () => {
		const coordinator = await joined('coordinator');
		const member = await joined('member');
		const producerId = await publishMicrophone(member.socket);

		const reconnecting = next(coordinator.socket, 'peer:reconnecting');
		member.socket.disconnect();
		expect(await reconnecting).toEqual({ peerId: member.peerId, reconnecting: true });

		// Back with its peer id and secret: the same participant.
		const back = await as('member');
		const restored = next(coordinator.socket, 'peer:reconnecting');
		const resumed = await send(back, 'room:join', { meetingId: fixture.meetingId, rejoin: { peerId: member.peerId, secret: member.rejoinSecret } });
		expect(resumed.ok && resumed.data).toMatchObject({ status: 'joined', resumed: true, peerId: member.peerId });
		expect(await restored).toEqual({ peerId: member.peerId, reconnecting: false });
		// Its microphone is still published: the others never lost it.
		expect(resumed.data.self.producers.map((p: { producerId: string }) => p.producerId)).toEqual([producerId]);

		// Gone for good: removed once the grace delay (1.5 s here) is over.
		const left = next(coordinator.socket, 'peer:left');
		back.disconnect();
		const started = Date.now();
		expect(await left).toEqual({ peerId: member.peerId });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
		await leave(coordinator.socket);
	});

	it('a room opened afresh ends the presences a stopped node left open: they count neither in the quorum nor as attendance going on', async () => {
		// What a node killed mid-meeting leaves behind: a presence with no departure.
		await db().insert(roomPresences).values({
			roomId: fixture.meetingId,
			peerId: 'peer-of-a-dead-node',
			displayName: 'radiologist Test',
			meetingId: fixture.meetingId,
			userId: fixture.people.coordinator.id,
			specialty: 'radiology',
			role: 'member',
			joinedAt: new Date(Date.now() - 60_000)
		});
		const member = await joined('member');
		const [stale] = await db().select().from(roomPresences).where(eq(roomPresences.peerId, 'peer-of-a-dead-node'));
		expect(stale.leftAt).not.toBeNull();
		const open = await db()
			.select()
			.from(roomPresences)
			.where(and(eq(roomPresences.meetingId, fixture.meetingId), isNull(roomPresences.leftAt)));
		expect(open.map((p) => p.peerId)).toEqual([member.peerId]);
		await leave(member.socket);
	});

	it('a join from another browser replaces the first one; a wrong rejoin secret is a fresh join', async () => {
		const first = await joined('member');
		const replaced = next(first.socket, 'room:closed');
		const second = await as('member');
		const answer = await send(second, 'room:join', { meetingId: fixture.meetingId, rejoin: { peerId: first.peerId, secret: 'x'.repeat(32) } });
		expect(answer.ok && answer.data).toMatchObject({ status: 'joined', resumed: false });
		expect(answer.data.peerId).not.toBe(first.peerId);
		expect(await replaced).toEqual({ reason: 'replaced' });
		await leave(second);
	});

	it('spreads a large meeting over two workers and pipes the media between them', async () => {
		const coordinator = await joined('coordinator');
		const member = await joined('member');
		const secretary = await joined('secretary');
		const room = stack.concerto.rooms.get(fixture.meetingId)!;
		// Two peers per router here: the third is on a router of the other worker.
		expect(room.routerCount).toBe(2);
		expect(new Set(room.workers.map((w) => w.pid)).size).toBe(2);
		const producerId = await publishMicrophone(member.socket);
		const recv = await send(secretary.socket, 'transport:create', { direction: 'recv' });
		expect(recv.ok).toBe(true);
		const capabilities = coordinator.routerRtpCapabilities;
		const consumed = await send(secretary.socket, 'consumer:create', { producerId, rtpCapabilities: capabilities });
		expect(consumed).toMatchObject({ ok: true, data: { producerId, peerId: member.peerId, kind: 'audio', source: 'microphone' } });
		for (const socket of [coordinator.socket, member.socket, secretary.socket]) await leave(socket);
	});

	it('ends the meeting for everyone when a moderator asks', async () => {
		const coordinator = await joined('coordinator');
		const member = await joined('member');
		const ended = next(member.socket, 'room:closed');
		expect((await send(coordinator.socket, 'moderate:end', {})).ok).toBe(true);
		expect(await ended).toEqual({ reason: 'ended' });
		const [meeting] = await db().select().from(meetings).where(eq(meetings.id, fixture.meetingId));
		expect(meeting.status).toBe('closed');
		// The room does not open again, and the guest's invitation ended with it.
		expect(await send(member.socket, 'room:join', { meetingId: fixture.meetingId })).toMatchObject({ ok: false, error: { reason: 'meeting-closed' } });
		await expect(as('guest')).rejects.toThrow('unauthorized');
	});
});

describe(`connectivity probe (${testDatabaseKind})`, () => {
	it.each(['udp', 'tcp'] as const)('offers a %s-only transport before joining', async (protocol) => {
		const socket = await as('member');
		const probe = await send(socket, 'probe:create', { protocol });
		expect(probe.ok).toBe(true);
		expect(new Set(probe.data.transport.iceCandidates.map((c: { protocol: string }) => c.protocol))).toEqual(new Set([protocol]));
		expect(probe.data.sctpParameters).toBeTruthy();
		expect((await send(socket, 'probe:close', { probeId: probe.data.probeId })).ok).toBe(true);
		socket.disconnect();
	});
});

describe(`meeting room: put out from outside (${testDatabaseKind})`, () => {
	it('a deactivated account or a revoked guest leaves the room at once', async () => {
		const fresh = await createMeetingFixture(db());
		const cookie = await stack.sessionCookie(fresh.people.member.id);
		const member = await stack.client({ cookie });
		expect((await send(member, 'room:join', { meetingId: fresh.meetingId })).data.status).toBe('joined');
		const closed = next(member, 'room:closed');
		await stack.concerto.runtime.sfu.expel(`user:${fresh.people.member.id}`);
		expect(await closed).toEqual({ reason: 'unauthorized' });
		expect(stack.concerto.rooms.get(fresh.meetingId)).toBeUndefined();

		// A guest waiting in the lobby is turned away.
		const guest = await stack.client({ cookie: guestCookie(fresh.guest.secret) });
		expect((await send(guest, 'room:join', { meetingId: fresh.meetingId })).data.status).toBe('waiting');
		const refused = next(guest, 'lobby:refused');
		await stack.concerto.runtime.sfu.expel(`guest:${fresh.guest.id}`);
		await refused;
	});

	it('ending a meeting from its page closes its room', async () => {
		const fresh = await createMeetingFixture(db());
		const member = await stack.client({ cookie: await stack.sessionCookie(fresh.people.member.id) });
		await send(member, 'room:join', { meetingId: fresh.meetingId });
		const closed = next(member, 'room:closed');
		await stack.concerto.runtime.sfu.endRoom(fresh.meetingId);
		expect(await closed).toEqual({ reason: 'ended' });
	});
});
