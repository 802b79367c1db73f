/**
 * The Purposeboard server: one HTTP server on one port for the built app,
 * the y-websocket endpoint (/ws/<boardId>), the API (/api/...) and /healthz.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CLOSE_SERVER_SHUTTING_DOWN } from '../src/protocol';
import type { ServerConfig } from './config';
import { createAccess } from './access/access';
import { loadLinkSecret } from './access/secrets';
import { createApi } from './http/api';
import { createGuard, securityHeaders } from './http/guard';
import { sendJson } from './http/respond';
import { createStaticHandler } from './http/static';
import { openStorage } from './storage/open';
import type { BoardStorage } from './storage/storage';
import { handleConnection } from './sync/connection';
import { LiveAccess } from './sync/live-access';
import { RoomTimers } from './sync/timer';
import { RoomPresenters } from './sync/presenter';
import { RoomVotes } from './sync/vote';
import { RoomComments } from './sync/comments';
import { RoomStudies } from './sync/study';
import { RoomManager } from './sync/rooms';
import { ConnectionLimits } from './sync/limits';
import { LocalFanout, RedisFanout, type Fanout } from './sync/fanout';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  /** Closes every connection, writes what is pending and closes storage. */
  close(): Promise<void>;
}

export async function startServer(
  config: ServerConfig,
  log: (message: string) => void = (m) => console.log(m),
  given?: BoardStorage,
): Promise<RunningServer> {
  // PostgreSQL when DATABASE_URL is set (connected and migrated here), else SQLite in DATA_DIR.
  const storage = given ?? (await openStorage(config));
  const startedAt = Date.now();
  const fanout = await openFanout(config, log);
  const rooms = new RoomManager(storage, {
    fanout,
    healIntervalMs: config.redisHealIntervalMs,
    unloadDelayMs: config.unloadDelayMs,
    compactAfterUpdates: config.compactAfterUpdates,
    commitWindowMs: config.commitWindowMs,
    commitMaxBytes: config.commitMaxBytes,
    commitDelayMs: config.commitDelayMs,
    maxBoardsLoaded: config.maxBoardsLoaded,
    log,
  });
  const limits = new ConnectionLimits({
    messagesPerSecond: config.maxMessagesPerSecond,
    bytesPerSecond: config.maxBytesPerSecond,
    maxMessageBytes: config.maxMessageBytes,
    maxSendBufferBytes: config.maxSendBufferBytes,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    trustProxy: config.trustProxy,
  });
  const access = createAccess(storage, {
    linkSecret: loadLinkSecret(config.dataDir),
    keysPerMinute: config.keysPerMinute,
    failuresPerMinute: config.authFailuresPerMinute,
    log,
  });
  const live = new LiveAccess(storage, access, log, fanout);
  const guard = createGuard({
    allowedHosts: config.allowedHosts,
    allowedOrigins: config.allowedOrigins,
    publicUrl: config.publicUrl,
  });
  const studies = new RoomStudies(storage, log, undefined, fanout);
  const handleApi = createApi(storage, rooms, access, guard, studies, { trustProxy: config.trustProxy });
  const handleStatic = createStaticHandler(config.staticDir);

  const server = http.createServer((request, response) => {
    for (const [name, value] of Object.entries(securityHeaders(request))) response.setHeader(name, value);
    if (!guard.hostAllowed(request)) {
      return sendJson(response, 421, {
        error: `This server does not answer to the host "${request.headers.host ?? ''}". Add it to ALLOWED_HOSTS.`,
      });
    }
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && !guard.originAllowed(request)) {
      return sendJson(response, 403, {
        error: `Requests from the page at ${request.headers.origin} are not allowed. Add it to ALLOWED_ORIGINS.`,
      });
    }
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      response.writeHead(400).end('Bad request');
      return;
    }
    if (pathname === '/healthz') {
      const health = rooms.health;
      const links = fanout.status;
      return sendJson(response, 200, {
        status: health.ok && links.connected ? 'ok' : 'degraded',
        boardsLoaded: rooms.loadedCount,
        connections: rooms.connectionCount,
        access: { ...access.counters },
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        storage: {
          ok: health.ok,
          failures: health.failures,
          lastError: health.lastError,
          lastErrorAt: health.lastErrorAt,
          // Group commit: waiting updates, transactions written and what they took.
          queueDepth: rooms.queue.depth,
          ...rooms.queue.stats,
          commitLatencyMs: rooms.queue.latency.summary(),
        },
        // Connections closed or refused by the limits (server/sync/limits.ts), by reason, since start.
        droppedConnections: { ...limits.dropped },
        limits: {
          maxBoardsLoaded: config.maxBoardsLoaded,
          maxConnectionsPerAddress: config.maxConnectionsPerAddress,
        },
        // Other instances (REDIS_URL): whether Redis is reachable now, messages, reconnects and heals.
        redis: { ...links, heal: { ...rooms.healStats } },
      });
    }
    if (pathname.startsWith('/api/')) {
      void handleApi(request, response, pathname);
      return;
    }
    handleStatic(request, response, pathname);
  });

  // An idle keep-alive connection stays open a minute, not Node's 5 s: a
  // client (browser or fetch) that reuses its connection just as the server
  // drops it sees "other side closed", and a client busy for a few seconds
  // (decoding a large PNG export, say) meets that race at 5 s. The clients'
  // own idle limits follow the Keep-Alive hint this sends. Shutdown closes
  // every connection at once, so this never delays a restart.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // maxPayload: ws closes a connection that sends a bigger message with 1009.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  const votes = new RoomVotes(storage, log, Date.now, fanout);
  const context = {
    rooms,
    storage,
    access,
    live,
    timers: new RoomTimers(Date.now, fanout, log),
    presenters: new RoomPresenters(fanout, log),
    votes,
    comments: new RoomComments(storage, log, Date.now, fanout),
    studies,
    limits,
    log,
  };
  wss.on('connection', (connection, request) => handleConnection(connection, request, context));
  wss.on('error', (error) => log(`websocket server error: ${error.message}`));
  // The Host and Origin checks happen before the handshake: a page on another
  // origin (or a rebound host name) never gets a socket, whatever key it sends.
  server.on('upgrade', (request, socket, head) => {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!guard.hostAllowed(request)) return refuse('421 Misdirected Request');
    if (!guard.originAllowed(request)) return refuse('403 Forbidden');
    wss.handleUpgrade(request, socket, head, (connection) => wss.emit('connection', connection, request));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
  // Boards from before access existed get their links, and a facilitator link shown once.
  await access.upgradeOldBoards(config.publicUrl ?? `http://${shownHost}:${port}`);

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${shownHost}:${port}`,
    close() {
      closing ??= (async () => {
        // Stop taking connections, then drain the commit queue: everything queued is written before exit.
        wss.close();
        const stored = rooms.closeAll(CLOSE_SERVER_SHUTTING_DOWN, 'server restarting');
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await stored;
        await fanout.close();
        await storage.close();
      })();
      return closing;
    },
  };
}

/** Redis when REDIS_URL is set (the server does not start when it cannot reach it), else this process alone. */
async function openFanout(config: ServerConfig, log: (message: string) => void): Promise<Fanout> {
  if (!config.redisUrl) return new LocalFanout(undefined, log);
  const fanout = new RedisFanout({ url: config.redisUrl, log });
  try {
    await fanout.connect();
  } catch (error) {
    const reason = fanout.status.lastError ?? (error instanceof Error ? error.message : String(error));
    await fanout.close();
    throw new Error(`Cannot reach Redis at REDIS_URL (${redactUrl(config.redisUrl)}): ${reason}`);
  }
  log(`redis: connected (${redactUrl(config.redisUrl)}); instance ${fanout.instanceId}`);
  return fanout;
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unreadable URL';
  }
}
