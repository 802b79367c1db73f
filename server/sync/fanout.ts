/**
 * Fan-out between server instances: what happens in a room on one instance
 * (a Yjs update, awareness, the timer, a vote, a comment, an access change)
 * reaches the same room on every other instance that has it open.
 *
 * Two implementations of one small interface:
 * - `LocalFanout`: one process (the default). Several LocalFanouts can share
 *   a `LocalHub` so a test can run "instances" in one process.
 * - `RedisFanout` (REDIS_URL): Redis pub/sub, one channel per open board.
 *
 * Why pub/sub and not streams: Redis must hold nothing durable here. Storage
 * (SQLite or PostgreSQL) is the only record; every instance commits what it
 * applies, and "saved" means written to storage, never "in Redis". Pub/sub is
 * fire-and-forget and at-most-once, so a message can be missed (a Redis
 * restart, a subscriber reconnecting); that is healed by each instance
 * exchanging state vectors with storage for every open board, periodically
 * and on every reconnect (rooms.ts `heal`). Streams (y-redis's design) would
 * make Redis part of the durability path — a worker moving entries into
 * storage, trimming that must never drop an unpersisted entry — for a gain
 * (replay after a short outage) the heal already gives us. Hocuspocus's Redis
 * extension is also pub/sub; its tracker shows why each message carries the
 * sender's instance id (an instance hearing its own message looped, #203/#340)
 * and why nothing may depend on delivery (#682).
 *
 * A module publishes under a topic of its own ("doc", "awareness", "timer",
 * "vote", "comments", "access", …) and listens with `on(topic, …)`; a
 * message never comes back to the instance that sent it. Short-lived room
 * state that a late joiner on another instance must see (the timer) is kept
 * with `remember` / `recall`: in Redis with a time to live, never durable.
 */
import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Redis } from 'ioredis';

export type FanoutHandler = (boardId: string, payload: Uint8Array) => void;

export interface FanoutStatus {
  /** "local": one instance, nothing to fan out to. "redis": REDIS_URL. */
  mode: 'local' | 'redis';
  /** Whether messages reach the other instances right now (always true when local). */
  connected: boolean;
  /** ioredis's connection state ("ready", "reconnecting", …), or "local". */
  state: string;
  instanceId: string;
  /** Boards this instance listens on. */
  boards: number;
  published: number;
  received: number;
  /** Messages not sent because Redis was unreachable (the heal covers what they carried). */
  dropped: number;
  reconnects: number;
  lastError: string | null;
}

export interface Fanout {
  readonly instanceId: string;
  /** Whether other instances may have the same boards open (room state must then be shared, not kept here alone). */
  readonly shared: boolean;
  /** Listen on a board's messages (its room opened); resolves once listening. Counted: join twice, leave twice. */
  join(boardId: string): Promise<void>;
  leave(boardId: string): void;
  /** Sends `payload` under `topic` to every other instance that has the board open. Never throws. */
  publish(boardId: string, topic: string, payload: Uint8Array): void;
  /** Messages of `topic` from other instances. Returns the unsubscribe. */
  on(topic: string, handler: FanoutHandler): () => void;
  /**
   * Changes each time the link to the other instances is lost: a room last
   * brought in line with storage under another epoch may have missed messages.
   */
  readonly epoch: number;
  /** Called after the link to the other instances came back: messages may have been missed meanwhile. */
  onReconnect(handler: () => void): () => void;
  /** Keeps short-lived room state for the other instances (null forgets it). Not durable. */
  remember(boardId: string, topic: string, payload: Uint8Array | null, ttlMs: number): Promise<void>;
  recall(boardId: string, topic: string): Promise<Uint8Array | null>;
  /**
   * Runs `work` while no other instance runs work under the same board and
   * topic (a vote's checks and its write, so two dots sent to two instances
   * at once never both pass a check only one should). Rejects when the lock
   * cannot be had (Redis away): the caller answers "try again".
   */
  exclusive<T>(boardId: string, topic: string, work: () => Promise<T>): Promise<T>;
  readonly status: FanoutStatus;
  close(): Promise<void>;
}

/** Topics handlers per topic, with each handler's failure kept to itself. */
class Handlers {
  private readonly byTopic = new Map<string, Set<FanoutHandler>>();
  constructor(private readonly log: (message: string) => void) {}

  add(topic: string, handler: FanoutHandler): () => void {
    let set = this.byTopic.get(topic);
    if (!set) this.byTopic.set(topic, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  deliver(boardId: string, topic: string, payload: Uint8Array): void {
    for (const handler of this.byTopic.get(topic) ?? []) {
      try {
        handler(boardId, payload);
      } catch (error) {
        this.log(`board ${boardId}: a "${topic}" message from another instance failed: ${String(error)}`);
      }
    }
  }
}

/** The "instances" of one process: LocalFanouts made on one hub hear each other. */
export class LocalHub {
  readonly members = new Set<LocalFanout>();
  readonly kept = new Map<string, { payload: Uint8Array; until: number }>();
  readonly locks = new Map<string, Promise<void>>();
}

export class LocalFanout implements Fanout {
  readonly instanceId = randomUUID();
  private readonly handlers: Handlers;
  private readonly joined = new Map<string, number>();
  private readonly counters = { published: 0, received: 0 };

  constructor(
    private readonly hub: LocalHub = new LocalHub(),
    log: (message: string) => void = () => {},
  ) {
    this.handlers = new Handlers(log);
    hub.members.add(this);
  }

  join(boardId: string): Promise<void> {
    this.joined.set(boardId, (this.joined.get(boardId) ?? 0) + 1);
    return Promise.resolve();
  }

  leave(boardId: string): void {
    leaveCounted(this.joined, boardId);
  }

  publish(boardId: string, topic: string, payload: Uint8Array): void {
    if (this.hub.members.size < 2) return; // alone: nobody to tell
    this.counters.published += 1;
    for (const other of this.hub.members) {
      if (other === this || !other.joined.has(boardId)) continue;
      // Asynchronous, as a network would be: no handler runs inside the publisher's call.
      queueMicrotask(() => other.receive(boardId, topic, payload));
    }
  }

  private receive(boardId: string, topic: string, payload: Uint8Array): void {
    if (!this.joined.has(boardId)) return;
    this.counters.received += 1;
    this.handlers.deliver(boardId, topic, payload);
  }

  on(topic: string, handler: FanoutHandler): () => void {
    return this.handlers.add(topic, handler);
  }

  readonly epoch = 0;

  get shared(): boolean {
    return this.hub.members.size > 1;
  }

  async exclusive<T>(boardId: string, topic: string, work: () => Promise<T>): Promise<T> {
    const key = `${boardId}\n${topic}`;
    const previous = this.hub.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => mine);
    this.hub.locks.set(key, chained);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.hub.locks.get(key) === chained) this.hub.locks.delete(key);
    }
  }

  onReconnect(): () => void {
    return () => {}; // an in-process link never drops
  }

  remember(boardId: string, topic: string, payload: Uint8Array | null, ttlMs: number): Promise<void> {
    const key = `${boardId}\n${topic}`;
    if (payload) this.hub.kept.set(key, { payload, until: Date.now() + ttlMs });
    else this.hub.kept.delete(key);
    return Promise.resolve();
  }

  recall(boardId: string, topic: string): Promise<Uint8Array | null> {
    const key = `${boardId}\n${topic}`;
    const kept = this.hub.kept.get(key);
    if (kept && kept.until < Date.now()) this.hub.kept.delete(key);
    return Promise.resolve(kept && kept.until >= Date.now() ? kept.payload : null);
  }

  get status(): FanoutStatus {
    return {
      mode: 'local',
      connected: true,
      state: 'local',
      instanceId: this.instanceId,
      boards: this.joined.size,
      ...this.counters,
      dropped: 0,
      reconnects: 0,
      lastError: null,
    };
  }

  close(): Promise<void> {
    this.hub.members.delete(this);
    return Promise.resolve();
  }
}

function leaveCounted(joined: Map<string, number>, boardId: string): boolean {
  const count = joined.get(boardId) ?? 0;
  if (count <= 1) {
    joined.delete(boardId);
    return count === 1;
  }
  joined.set(boardId, count - 1);
  return false;
}

/** One message on a board's channel: who sent it, its topic, its bytes. */
export function encodeFanoutMessage(from: string, topic: string, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, from);
  encoding.writeVarString(encoder, topic);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function decodeFanoutMessage(message: Uint8Array): { from: string; topic: string; payload: Uint8Array } {
  const decoder = decoding.createDecoder(message);
  return {
    from: decoding.readVarString(decoder),
    topic: decoding.readVarString(decoder),
    payload: decoding.readVarUint8Array(decoder),
  };
}

/** How long a lock may be held, and waited for. */
const LOCK_TTL_MS = 5000;
const LOCK_WAIT_MS = 3000;
const RELEASE_LOCK =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface RedisFanoutOptions {
  url: string;
  /** Channel and key prefix, so several deployments can share one Redis. */
  prefix?: string;
  log: (message: string) => void;
}

/**
 * Redis pub/sub: channel `<prefix>:board:<id>` per open board, subscribed
 * while the board is open here. Two connections, as Redis requires: one in
 * subscriber mode, one for PUBLISH and the short-lived keys. While Redis is
 * unreachable nothing is queued (a burst of stale messages after a reconnect
 * helps nobody): publishes are counted as dropped and the heal on reconnect
 * brings every open board back in line with storage.
 */
export class RedisFanout implements Fanout {
  readonly instanceId = randomUUID();
  private readonly handlers: Handlers;
  private readonly reconnectHandlers = new Set<() => void>();
  private readonly joined = new Map<string, number>();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly counters = { published: 0, received: 0, dropped: 0, reconnects: 0 };
  private lastError: string | null = null;
  /** The subscriber has been ready once: a later "ready" is a reconnect. */
  private wasReady = false;
  private lostSinceReady = false;
  private closed = false;
  private epochCount = 0;

  constructor(private readonly options: RedisFanoutOptions) {
    this.prefix = options.prefix ?? 'purposeboard';
    this.handlers = new Handlers(options.log);
    const common = {
      // Commands fail fast while Redis is away instead of piling up; the heal covers the gap.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Back within half a second of Redis being back, whatever the outage's length.
      retryStrategy: (times: number) => Math.min(50 * times, 500),
      lazyConnect: true,
    };
    this.pub = new Redis(options.url, common);
    // The subscriber re-subscribes its channels by itself after a reconnect (ioredis autoResubscribe).
    this.sub = new Redis(options.url, { ...common, autoResubscribe: true });
    for (const [name, connection] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      connection.on('error', (error: Error) => {
        // ioredis reports every failed reconnect attempt; one line per change of error is enough.
        if (this.lastError !== error.message) options.log(`redis ${name}: ${error.message}`);
        this.lastError = error.message;
      });
      connection.on('close', () => {
        if (this.closed || !this.wasReady) return;
        if (!this.lostSinceReady) this.epochCount += 1;
        this.lostSinceReady = true;
      });
    }
    this.sub.on('ready', () => {
      if (this.wasReady && this.lostSinceReady) void this.reconnected();
      this.wasReady = true;
    });
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
  }

  /**
   * After a reconnect: listen on every open board again (a subscribe that
   * failed while Redis was away is not in ioredis's own resubscribe list),
   * then let the rooms heal from storage — in that order, so nothing
   * published after the heal's read is missed.
   */
  private async reconnected(): Promise<void> {
    this.counters.reconnects += 1;
    this.lostSinceReady = false;
    const channels = [...this.joined.keys()].map((id) => this.channel(id));
    try {
      if (channels.length > 0) await this.sub.subscribe(...channels);
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
    }
    this.options.log('redis: reconnected; healing every open board from storage');
    for (const handler of this.reconnectHandlers) handler();
  }

  /** Connects both links; rejects when Redis cannot be reached at start (a misconfigured REDIS_URL should stop the server). */
  async connect(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
  }

  private channel(boardId: string): string {
    return `${this.prefix}:board:${boardId}`;
  }

  private receive(channel: string, message: Buffer): void {
    const boardId = channel.slice(this.prefix.length + ':board:'.length);
    if (!this.joined.has(boardId)) return;
    let decoded: ReturnType<typeof decodeFanoutMessage>;
    try {
      decoded = decodeFanoutMessage(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    } catch {
      this.options.log(`board ${boardId}: an unreadable message on Redis was ignored`);
      return;
    }
    if (decoded.from === this.instanceId) return; // our own, heard back
    this.counters.received += 1;
    this.handlers.deliver(boardId, decoded.topic, decoded.payload);
  }

  async join(boardId: string): Promise<void> {
    const count = this.joined.get(boardId) ?? 0;
    this.joined.set(boardId, count + 1);
    if (count > 0) return;
    try {
      await this.sub.subscribe(this.channel(boardId));
    } catch (error) {
      // Redis away: ioredis subscribes again once it is back (autoResubscribe keeps the channel list),
      // and the heal on reconnect brings the board in line. The room still opens.
      this.lastError = error instanceof Error ? error.message : String(error);
    }
  }

  leave(boardId: string): void {
    if (!leaveCounted(this.joined, boardId)) return;
    this.sub.unsubscribe(this.channel(boardId)).catch(() => {});
  }

  publish(boardId: string, topic: string, payload: Uint8Array): void {
    if (this.pub.status !== 'ready') {
      this.counters.dropped += 1;
      return;
    }
    this.counters.published += 1;
    const message = Buffer.from(encodeFanoutMessage(this.instanceId, topic, payload));
    this.pub.publish(this.channel(boardId), message).catch((error: unknown) => {
      this.counters.dropped += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
    });
  }

  on(topic: string, handler: FanoutHandler): () => void {
    return this.handlers.add(topic, handler);
  }

  get epoch(): number {
    return this.epochCount;
  }

  readonly shared = true;

  async exclusive<T>(boardId: string, topic: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}:lock:${boardId}:${topic}`;
    const token = randomUUID();
    const deadline = Date.now() + LOCK_WAIT_MS;
    // SET NX with an expiry: a lock held by an instance that died frees itself.
    while ((await this.pub.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`another instance holds ${topic} of board ${boardId}`);
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
    }
    try {
      return await work();
    } finally {
      // Only our own lock is released (it may have expired and been taken by another).
      await this.pub.eval(RELEASE_LOCK, 1, key, token).catch(() => {});
    }
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  private key(boardId: string, topic: string): string {
    return `${this.prefix}:room:${boardId}:${topic}`;
  }

  async remember(boardId: string, topic: string, payload: Uint8Array | null, ttlMs: number): Promise<void> {
    if (payload) await this.pub.set(this.key(boardId, topic), Buffer.from(payload), 'PX', Math.max(1, ttlMs));
    else await this.pub.del(this.key(boardId, topic));
  }

  async recall(boardId: string, topic: string): Promise<Uint8Array | null> {
    const value = await this.pub.getBuffer(this.key(boardId, topic));
    return value ? new Uint8Array(value) : null;
  }

  get status(): FanoutStatus {
    return {
      mode: 'redis',
      connected: this.pub.status === 'ready' && this.sub.status === 'ready',
      state: this.sub.status === this.pub.status ? this.sub.status : `${this.pub.status}/${this.sub.status}`,
      instanceId: this.instanceId,
      boards: this.joined.size,
      ...this.counters,
      lastError: this.lastError,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
