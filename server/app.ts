/**
 * The Purposeboard server: one HTTP server on one port for the built app,
 * the y-websocket endpoint (/ws/<boardId>), the API (/api/...) and /healthz.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CLOSE_SERVER_SHUTTING_DOWN } from '../src/protocol';
import type { ServerConfig } from './config';
import { createApi } from './http/api';
import { sendJson } from './http/respond';
import { createStaticHandler } from './http/static';
import { openSqliteStorage } from './storage/sqlite';
import type { BoardStorage } from './storage/storage';
import { handleConnection } from './sync/connection';
import { RoomManager } from './sync/rooms';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  /** Closes every connection, writes what is pending and closes storage. */
  close(): Promise<void>;
}

export async function startServer(
  config: ServerConfig,
  log: (message: string) => void = (m) => console.log(m),
  storage: BoardStorage = openSqliteStorage(config.dataDir),
): Promise<RunningServer> {
  const startedAt = Date.now();
  const rooms = new RoomManager(storage, {
    unloadDelayMs: config.unloadDelayMs,
    compactAfterUpdates: config.compactAfterUpdates,
    log,
  });
  const handleApi = createApi(storage, rooms);
  const handleStatic = createStaticHandler(config.staticDir);

  const server = http.createServer((request, response) => {
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      response.writeHead(400).end('Bad request');
      return;
    }
    if (pathname === '/healthz') {
      const health = rooms.health;
      return sendJson(response, 200, {
        status: health.ok ? 'ok' : 'degraded',
        boardsLoaded: rooms.loadedCount,
        connections: rooms.connectionCount,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        storage: {
          ok: health.ok,
          failures: health.failures,
          lastError: health.lastError,
          lastErrorAt: health.lastErrorAt,
        },
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
  const wss = new WebSocketServer({ server, maxPayload: config.maxMessageBytes });
  wss.on('connection', (connection, request) => handleConnection(connection, request, rooms, log));
  wss.on('error', (error) => log(`websocket server error: ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${shownHost}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        rooms.closeAll(CLOSE_SERVER_SHUTTING_DOWN, 'server restarting');
        wss.close();
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        server.close(() => {
          storage.close();
          resolve();
        });
      });
      return closing;
    },
  };
}
