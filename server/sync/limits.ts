/**
 * Limits that keep one client or one room from hurting the others (issue 13):
 *
 * - a per-connection message rate and byte rate (token buckets): a client over
 *   either is closed with 4429 and does not come back by itself;
 * - a slow consumer, whose unsent backlog passes a limit, is dropped with 4504
 *   ("retry"): its y-websocket client reconnects and resyncs from its state
 *   vector, so nothing is lost and nobody else waits for it;
 * - at most N connections per address (4529, retry) and N boards loaded
 *   (4507, retry; 503 over HTTP).
 *
 * Every drop and refusal is counted by reason for /healthz.
 */
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';

export interface LimitOptions {
  messagesPerSecond: number;
  bytesPerSecond: number;
  /** The largest message accepted at all: the byte bucket holds at least this, so one always passes. */
  maxMessageBytes: number;
  maxSendBufferBytes: number;
  maxConnectionsPerAddress: number;
  /** Take the client's address from X-Forwarded-For (behind a reverse proxy that sets it). */
  trustProxy: boolean;
}

/** Why connections were dropped or refused: the keys /healthz reports. */
export const DROP_REASONS = [
  'tooManyMessages',
  'tooManyBytes',
  'tooSlow',
  'silent',
  'tooManyFromAddress',
  'tooManyBoards',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * Burst: a bucket holds this many seconds of its rate, so a short burst (a
 * paste, a reconnect) passes. One second: what a flooder gets through before
 * it is closed is what it costs everyone else.
 */
const BURST_SECONDS = 1;

/** Refills `rate` tokens a second up to `capacity`; a take that finds too few fails. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly capacity: number,
    now = performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  take(amount: number, now = performance.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

/** One connection's incoming meter: null while within its rates, else which rate it broke. */
export interface Meter {
  take(bytes: number): 'tooManyMessages' | 'tooManyBytes' | null;
}

interface SendWatch {
  limit: number;
  dropping: boolean;
  onOverflow: () => void;
}

/** Connections whose send backlog is watched (send() in rooms.ts checks after each message). */
const watched = new WeakMap<WebSocket, SendWatch>();

/**
 * Calls `onOverflow` once (in a microtask, never inside a broadcast loop) when
 * the connection's backlog, not counting the message just queued, passes `limit`.
 */
export function watchSendBuffer(connection: WebSocket, limit: number, onOverflow: () => void): void {
  watched.set(connection, { limit, dropping: false, onOverflow });
}

/** False once the connection is being dropped for slowness: nothing more is queued for it. */
export function sendAllowed(connection: WebSocket): boolean {
  return watched.get(connection)?.dropping !== true;
}

/**
 * After a message of `bytes` was queued. A single big message (the first
 * sync of a large board) never counts as slowness; a backlog behind it does.
 */
export function checkSendBuffer(connection: WebSocket, bytes: number): void {
  const watch = watched.get(connection);
  if (!watch || watch.dropping || connection.bufferedAmount - bytes <= watch.limit) return;
  watch.dropping = true;
  queueMicrotask(watch.onOverflow);
}

export class TooManyBoardsError extends Error {
  constructor(readonly limit: number) {
    super(`This server has ${limit} boards open, its limit (MAX_BOARDS_LOADED). Try again in a minute.`);
    this.name = 'TooManyBoardsError';
  }
}

/**
 * The address a connection or request comes from. Behind a reverse proxy
 * (TRUST_PROXY=true) that is the last X-Forwarded-For entry: the one the proxy
 * itself added (nginx's $proxy_add_x_forwarded_for), which a client cannot forge.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = request.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.at(-1) : header;
    const last = value?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

export class ConnectionLimits {
  /** Connections dropped or refused, by reason, since start. */
  readonly dropped: Record<DropReason, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<
    DropReason,
    number
  >;
  private readonly perAddress = new Map<string, number>();

  constructor(readonly options: LimitOptions) {}

  count(reason: DropReason): void {
    this.dropped[reason] += 1;
  }

  /** Counts one more open connection from `address`; false (nothing counted) when it would pass the limit. */
  admitAddress(address: string): boolean {
    const open = this.perAddress.get(address) ?? 0;
    if (open >= this.options.maxConnectionsPerAddress) return false;
    this.perAddress.set(address, open + 1);
    return true;
  }

  releaseAddress(address: string): void {
    const open = (this.perAddress.get(address) ?? 0) - 1;
    if (open > 0) this.perAddress.set(address, open);
    else this.perAddress.delete(address);
  }

  meter(): Meter {
    const { messagesPerSecond, bytesPerSecond, maxMessageBytes } = this.options;
    const messages = new TokenBucket(messagesPerSecond, messagesPerSecond * BURST_SECONDS);
    const bytes = new TokenBucket(bytesPerSecond, Math.max(bytesPerSecond * BURST_SECONDS, maxMessageBytes));
    return {
      take(size) {
        const now = performance.now();
        if (!messages.take(1, now)) return 'tooManyMessages';
        if (!bytes.take(size, now)) return 'tooManyBytes';
        return null;
      },
    };
  }
}

/** Size of a websocket message as ws hands it over. */
export function messageBytes(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.byteLength, 0);
  return data.byteLength;
}

/** Recent durations (a ring of the last `size`), for p50 / p99 in /healthz. */
export class RecentDurations {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly size = 1000) {}

  add(ms: number): void {
    if (this.values.length < this.size) this.values.push(ms);
    else this.values[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }

  /** p50 and p99 in ms (null before the first), and how many samples they are of. */
  summary(): { p50: number | null; p99: number | null; samples: number } {
    if (this.values.length === 0) return { p50: null, p99: null, samples: 0 };
    const sorted = [...this.values].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
    return { p50: at(0.5), p99: at(0.99), samples: sorted.length };
  }
}
