/**
 * The cluster's shared memory, in Redis: which nodes are alive and how loaded they are,
 * and which node hosts each meeting.
 *
 * - Each node writes a heartbeat every second: `node:<id>` (its load, JSON) with a
 *   3-second expiry. A node whose key has expired is dead.
 * - A meeting is hosted by the node named in `meeting:<id>`, a lease of 5 seconds that
 *   the host renews every second while it has the room. `node-meetings:<id>` (a sorted
 *   set, score = lease expiry) counts the meetings placed on each node, rooms not yet
 *   created included, so that meetings placed at the same moment spread.
 * - Placement (`place`) runs as one Lua script, so that two nodes placing the same meeting
 *   at the same moment agree: the live holder if there is one, otherwise the least-loaded
 *   node that is neither draining nor full, which takes the lease at once. Times are the
 *   Redis server's (`TIME`), so the nodes' clocks need not agree.
 *
 * Redis holds nothing that cannot be rebuilt: after a Redis restart (empty), heartbeats
 * come back within a second and hosts renew their leases at the next tick.
 */

/** What a node tells the others about itself. */
export interface NodeLoad {
	id: string;
	/** Tracks forwarded now, all rooms together. */
	consumers: number;
	/** What the node may forward (server/sfu/capacity.ts). */
	capacity: number;
	/** Rooms with someone in them. */
	rooms: number;
	/** A worker forwards lower layers because of CPU pressure. */
	cpuHigh: boolean;
	/** The node is stopping: no new meetings. */
	draining: boolean;
	/** Socket.IO connections. */
	sockets: number;
}

export type Placement =
	| { node: string; how: 'held' | 'placed' | 'taken-over' }
	/** No node can take one more meeting. */
	| { node: null; how: 'full' };

/** The part of a Redis client the registry uses (node-redis v5's `eval`, `get`, `sMembers`, `sendCommand`). */
export interface RedisLike {
	eval(script: string, options: { keys?: string[]; arguments?: string[] }): Promise<unknown>;
	get(key: string): Promise<string | null>;
	sMembers(key: string): Promise<string[]>;
	sendCommand(args: string[]): Promise<unknown>;
}

/**
 * The name every Redis connection of a node carries (`CLIENT SETNAME`): when a node's
 * process dies, Redis sees its connections close at once, long before its heartbeat expires.
 */
export const connectionName = (prefix: string, nodeId: string) => `${prefix}${nodeId}`.replace(/\s/g, '_');

/** A heartbeat younger than this is trusted even when the node's connections are not seen (a reconnection under way). */
const CONNECTION_GRACE_MS = 1_000;

export interface RegistryTimings {
	/** How long a heartbeat keeps a node alive. */
	heartbeatTtlMs: number;
	/** How long a lease lasts without renewal. */
	leaseTtlMs: number;
}

export const DEFAULT_TIMINGS: RegistryTimings = { heartbeatTtlMs: 3_000, leaseTtlMs: 5_000 };

/**
 * What one meeting is expected to forward, for placement before its room fills: an RCP of
 * 12 people, each receiving the 11 others' microphone and camera (docs/capacity.md).
 */
export const MEETING_CONSUMERS = 12 * 11 * 2;

// Shared Lua: the Redis server's time in milliseconds.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * ARGV: prefix, meetingId, self, leaseTtlMs, meetingCost, mode ('join' or 'move').
 * 'join': the live holder, else choose (self preferred on ties) and take the lease.
 * 'move': the caller (the holder, draining) hands the meeting to another node.
 * Returns { node or '', how }.
 *
 * A node's score is max(what it forwards, its meetings × a meeting's cost) / capacity.
 * First choice: nodes where one more meeting fits that estimate and no worker is under
 * CPU pressure; then any node whose actual load leaves room for one more meeting.
 */
const PLACE = `
local p, meeting, self, ttl, cost, mode = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local lease = p .. 'meeting:' .. meeting
local holder = redis.call('GET', lease)
if mode == 'join' and holder and redis.call('EXISTS', p .. 'node:' .. holder) == 1 then return {holder, 'held'} end
if mode == 'move' and holder and holder ~= self then return {holder, 'held'} end
${NOW}
local best, bestTier, bestScore
for _, id in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
  local raw = redis.call('GET', p .. 'node:' .. id)
  if not raw then
    redis.call('SREM', p .. 'nodes', id)
    redis.call('DEL', p .. 'node-meetings:' .. id)
  elseif not (mode == 'move' and id == self) then
    local n = cjson.decode(raw)
    if not n.draining then
      local set = p .. 'node-meetings:' .. id
      redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
      local placed = redis.call('ZCARD', set)
      if redis.call('ZSCORE', set, meeting) then placed = placed - 1 end
      local expected = math.max(n.consumers, placed * cost)
      local tier = nil
      if expected + cost <= n.capacity and not n.cpuHigh then tier = 0
      elseif n.consumers + cost <= n.capacity then tier = 1 end
      if tier then
        local score = expected / n.capacity
        if id == self then score = score - 1e-9 end
        if best == nil or tier < bestTier or (tier == bestTier and score < bestScore) then
          best, bestTier, bestScore = id, tier, score
        end
      end
    end
  end
end
if not best then return {'', 'full'} end
if holder then redis.call('ZREM', p .. 'node-meetings:' .. holder, meeting) end
redis.call('SET', lease, best, 'PX', ttl)
redis.call('ZADD', p .. 'node-meetings:' .. best, now + ttl, meeting)
if holder then return {best, 'taken-over'} end
return {best, 'placed'}
`;

/** ARGV: prefix, self, ttl, meetingIds... Renews self's leases; returns, per meeting, the holder (self, or who took it). */
const RENEW = `
local p, self, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
${NOW}
local holders = {}
for i = 4, #ARGV do
  local meeting = ARGV[i]
  local lease = p .. 'meeting:' .. meeting
  local holder = redis.call('GET', lease)
  if holder and holder ~= self and redis.call('EXISTS', p .. 'node:' .. holder) == 1 then
    holders[#holders + 1] = holder
    redis.call('ZREM', p .. 'node-meetings:' .. self, meeting)
  else
    redis.call('SET', lease, self, 'PX', ttl)
    redis.call('ZADD', p .. 'node-meetings:' .. self, now + ttl, meeting)
    holders[#holders + 1] = self
  end
end
return holders
`;

/** ARGV: prefix, self, meetingIds... Gives up self's leases. */
const RELEASE = `
local p, self = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local lease = p .. 'meeting:' .. ARGV[i]
  if redis.call('GET', lease) == self then redis.call('DEL', lease) end
  redis.call('ZREM', p .. 'node-meetings:' .. self, ARGV[i])
end
return 1
`;

/** ARGV: prefix, id, load JSON, ttl, fresh ('1' at start: forget what this id hosted before). Stamps the load with Redis's time (`at`). */
const HEARTBEAT = `
local p, id = ARGV[1], ARGV[2]
${NOW}
if ARGV[5] == '1' then redis.call('DEL', p .. 'node-meetings:' .. id) end
local load = cjson.decode(ARGV[3])
load.at = now
redis.call('SET', p .. 'node:' .. id, cjson.encode(load), 'PX', tonumber(ARGV[4]))
redis.call('SADD', p .. 'nodes', id)
return 1
`;

/** ARGV: prefix, id, the heartbeat read, minimum age. Removes a dead node's heartbeat if it is still that one and old enough. */
const BURY = `
local p, id = ARGV[1], ARGV[2]
local raw = redis.call('GET', p .. 'node:' .. id)
if raw ~= ARGV[3] then return 0 end
${NOW}
if now - cjson.decode(raw).at < tonumber(ARGV[4]) then return 0 end
redis.call('DEL', p .. 'node:' .. id)
return 1
`;

/** ARGV: prefix, id. A node that stops takes itself out at once. */
const FAREWELL = `
local p, id = ARGV[1], ARGV[2]
redis.call('DEL', p .. 'node:' .. id)
redis.call('SREM', p .. 'nodes', id)
return 1
`;

export class ClusterRegistry {
	readonly #redis: RedisLike;
	readonly #prefix: string;
	readonly #self: string;
	readonly #timings: RegistryTimings;
	#beaten = false;

	constructor(redis: RedisLike, self: string, options: { prefix?: string; timings?: RegistryTimings } = {}) {
		this.#redis = redis;
		this.#self = self;
		this.#prefix = options.prefix ?? 'concerto:';
		this.#timings = options.timings ?? DEFAULT_TIMINGS;
	}

	get self(): string {
		return this.#self;
	}

	get timings(): RegistryTimings {
		return this.#timings;
	}

	/** Announces this node and its load (every second). */
	async heartbeat(load: Omit<NodeLoad, 'id'>): Promise<void> {
		const json = JSON.stringify({ ...load, id: this.#self, capacity: Math.max(1, Math.min(load.capacity, 1e12)) });
		await this.#run(HEARTBEAT, [this.#self, json, String(this.#timings.heartbeatTtlMs), this.#beaten ? '0' : '1']);
		this.#beaten = true;
	}

	/** Takes this node out of the registry (it stops). */
	async farewell(): Promise<void> {
		await this.#run(FAREWELL, [this.#self]);
	}

	/** Where a meeting is (or is now) hosted, for a participant joining through this node. */
	place(meetingId: string): Promise<Placement> {
		return this.#place(meetingId, 'join');
	}

	/** Hands a meeting this node hosts to another node (draining); `full` when no other node can take it. */
	moveAway(meetingId: string): Promise<Placement> {
		return this.#place(meetingId, 'move');
	}

	/** Renews the leases of the meetings this node hosts; returns those another live node holds now. */
	async renew(meetingIds: string[]): Promise<Map<string, string>> {
		const lost = new Map<string, string>();
		if (meetingIds.length === 0) return lost;
		const holders = (await this.#run(RENEW, [this.#self, String(this.#timings.leaseTtlMs), ...meetingIds])) as string[];
		meetingIds.forEach((id, i) => {
			if (holders[i] !== this.#self) lost.set(id, holders[i]);
		});
		return lost;
	}

	/** Gives up leases (the rooms closed). */
	async release(meetingIds: string[]): Promise<void> {
		if (meetingIds.length > 0) await this.#run(RELEASE, [this.#self, ...meetingIds]);
	}

	/** Every live node's last heartbeat. */
	async nodes(): Promise<NodeLoad[]> {
		const ids = await this.#redis.sMembers(`${this.#prefix}nodes`);
		const loads = await Promise.all(ids.map((id) => this.#redis.get(`${this.#prefix}node:${id}`)));
		return loads.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as NodeLoad);
	}

	/** The node holding a meeting's lease, if any. */
	holderOf(meetingId: string): Promise<string | null> {
		return this.#redis.get(`${this.#prefix}meeting:${meetingId}`);
	}

	/**
	 * A node whose heartbeat is still there but whose Redis connections are all gone has
	 * died (killed, crashed): its heartbeat is removed now rather than when it expires, so
	 * that its meetings are taken over within a second or two.
	 */
	async #buryIfGone(nodeId: string): Promise<boolean> {
		const raw = await this.#redis.get(`${this.#prefix}node:${nodeId}`);
		if (!raw) return false;
		const clients = String(await this.#redis.sendCommand(['CLIENT', 'LIST']));
		if (clients.includes(` name=${connectionName(this.#prefix, nodeId)} `)) return false;
		return (await this.#run(BURY, [nodeId, raw, String(CONNECTION_GRACE_MS)])) === 1;
	}

	async #place(meetingId: string, mode: 'join' | 'move'): Promise<Placement> {
		const placement = await this.#placeOnce(meetingId, mode);
		// Held by another node that may have just died: if so, place again without it.
		if (mode === 'join' && placement.how === 'held' && placement.node !== this.#self && (await this.#buryIfGone(placement.node))) {
			return this.#placeOnce(meetingId, mode);
		}
		return placement;
	}

	async #placeOnce(meetingId: string, mode: 'join' | 'move'): Promise<Placement> {
		const [node, how] = (await this.#run(PLACE, [meetingId, this.#self, String(this.#timings.leaseTtlMs), String(MEETING_CONSUMERS), mode])) as [string, Placement['how']];
		return node ? ({ node, how } as Placement) : { node: null, how: 'full' };
	}

	#run(script: string, args: string[]): Promise<unknown> {
		return this.#redis.eval(script, { keys: [], arguments: [this.#prefix, ...args] });
	}
}
