/** Server configuration, read from the environment and checked with zod. */
import path from 'node:path';
import { z } from 'zod';

const intFrom = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

const envSchema = z.object({
  PORT: intFrom(1234, 0, 65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Websocket messages larger than this close the connection with 1009. */
  MAX_MESSAGE_BYTES: intFrom(8 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  /** How long a board with no clients stays in memory before it is unloaded. */
  UNLOAD_DELAY_MS: intFrom(2000, 0, 3_600_000),
  /** Stored updates of one board before they are compacted into a snapshot. */
  COMPACT_AFTER_UPDATES: intFrom(500, 1, 1_000_000),
  /** Group commit: updates of all boards collected this long are written in one transaction. */
  COMMIT_WINDOW_MS: intFrom(5, 0, 1000),
  /** ... or as soon as they reach this many bytes. */
  COMMIT_MAX_BYTES: intFrom(1024 * 1024, 1024, 512 * 1024 * 1024),
  /** Test only: every commit waits this long first, as a slow disk or a remote database would. */
  COMMIT_DELAY_MS: intFrom(0, 0, 60_000),
  /**
   * PostgreSQL (postgres://user:password@host:port/database) instead of the
   * SQLite file in DATA_DIR, so several instances can share the boards.
   */
  DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (v) => !v || v.trim() === '' || /^postgres(ql)?:\/\/[^/\s]+(\/[^\s]*)?$/.test(v.trim()),
      'must be like postgres://user:password@host:5432/purposeboard',
    ),
  /** Where the built client lives. */
  STATIC_DIR: z.string().min(1).default('./dist'),
  /** Origins (scheme://host:port, comma-separated) allowed besides the server's own. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Host names (comma-separated) this server answers to besides localhost and IP addresses. */
  ALLOWED_HOSTS: z.string().default(''),
  /** The address people open, when it differs from the server's own (a TLS reverse proxy). */
  PUBLIC_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^https?:\/\/[^/]+\/?$/.test(v), 'must be like https://boards.example.org'),
  /** New participant keys one address may ask for per minute. */
  KEYS_PER_MINUTE: intFrom(60, 1, 1_000_000),
  /** Failed key and link checks one address may make per minute; then 429. */
  AUTH_FAILURES_PER_MINUTE: intFrom(30, 1, 1_000_000),
  /** Several instances: Redis fans updates, presence and room state out between them (pub/sub, nothing durable). */
  REDIS_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^rediss?:\/\/\S+$/.test(v), 'must be like redis://localhost:6379'),
  /** With REDIS_URL: how often every open board is brought in line with storage (heals a missed message). */
  REDIS_HEAL_INTERVAL_MS: intFrom(10_000, 100, 3_600_000),
  /** Limits (server/sync/limits.ts): messages one connection may send a second, with 1 s of burst; then 4429. */
  MAX_MESSAGES_PER_SECOND: intFrom(300, 1, 1_000_000),
  /** ... and bytes a second (the burst holds at least one MAX_MESSAGE_BYTES message); then 4429. */
  MAX_BYTES_PER_SECOND: intFrom(4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  /** Unsent bytes queued for one client (behind the newest message) before it is dropped with 4504. */
  MAX_SEND_BUFFER_BYTES: intFrom(8 * 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024),
  /** Websocket connections open at once from one address; more are refused with 4529. */
  MAX_CONNECTIONS_PER_ADDRESS: intFrom(200, 1, 1_000_000),
  /** Boards held in memory at once; a connection to one more is refused with 4507 (HTTP: 503). */
  MAX_BOARDS_LOADED: intFrom(1000, 1, 10_000_000),
  /** Behind a reverse proxy: take the client's address from the last X-Forwarded-For entry. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const v = (value ?? '').trim().toLowerCase();
      if (v === '' || v === 'false' || v === '0') return false;
      if (v === 'true' || v === '1') return true;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${value}"` });
      return z.NEVER;
    }),
});

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  maxMessageBytes: number;
  unloadDelayMs: number;
  compactAfterUpdates: number;
  commitWindowMs: number;
  commitMaxBytes: number;
  commitDelayMs: number;
  /** PostgreSQL's address when boards are kept there; null: the SQLite file in dataDir. */
  databaseUrl: string | null;
  staticDir: string;
  allowedOrigins: string[];
  allowedHosts: string[];
  publicUrl: string | null;
  keysPerMinute: number;
  authFailuresPerMinute: number;
  redisUrl: string | null;
  redisHealIntervalMs: number;
  maxMessagesPerSecond: number;
  maxBytesPerSecond: number;
  maxSendBufferBytes: number;
  maxConnectionsPerAddress: number;
  maxBoardsLoaded: number;
  trustProxy: boolean;
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    unloadDelayMs: e.UNLOAD_DELAY_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    commitWindowMs: e.COMMIT_WINDOW_MS,
    commitMaxBytes: e.COMMIT_MAX_BYTES,
    commitDelayMs: e.COMMIT_DELAY_MS,
    databaseUrl: e.DATABASE_URL?.trim() || null,
    staticDir: path.resolve(e.STATIC_DIR),
    allowedOrigins: list(e.ALLOWED_ORIGINS),
    allowedHosts: list(e.ALLOWED_HOSTS),
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    keysPerMinute: e.KEYS_PER_MINUTE,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    redisUrl: e.REDIS_URL?.trim() || null,
    redisHealIntervalMs: e.REDIS_HEAL_INTERVAL_MS,
    maxMessagesPerSecond: e.MAX_MESSAGES_PER_SECOND,
    maxBytesPerSecond: e.MAX_BYTES_PER_SECOND,
    maxSendBufferBytes: e.MAX_SEND_BUFFER_BYTES,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    maxBoardsLoaded: e.MAX_BOARDS_LOADED,
    trustProxy: e.TRUST_PROXY,
  };
}
