/**
 * Real y-websocket clients in Node, talking to the real server, plus the
 * "saved" handshake of src/protocol/index.ts.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { MESSAGE_SAVED, encodeSaveRequest, readSaveAnswer } from '../../src/protocol';
import { testKeyFor, waitFor } from './server';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the server says everything sent so far is stored (true) or could not be (false). */
  saved(): Promise<boolean>;
  /** Close events seen, newest last. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/**
 * A y-websocket client on a board, with the server's test key unless `key`
 * is given (null: no key at all).
 */
export function connectClient(
  wsUrl: string,
  boardId: string,
  options: { connect?: boolean; key?: string | null } = {},
): TestClient {
  const doc = new Y.Doc();
  const key = options.key === undefined ? testKeyFor(wsUrl) : options.key;
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    params: key ? { key } : {},
    // Node 20 has no global WebSocket.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: options.connect ?? true,
    disableBc: true,
  });
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  let seq = 0;
  const answers = new Map<number, (ok: boolean) => void>();
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const { seq: answered, ok } = readSaveAnswer(decoder);
    answers.get(answered)?.(ok);
    answers.delete(answered);
  };
  return {
    doc,
    provider,
    closes,
    saved() {
      const mine = ++seq;
      return new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no save answer within 10 s')), 10_000);
        answers.set(mine, (ok) => {
          clearTimeout(timer);
          resolve(ok);
        });
        provider.ws?.send(encodeSaveRequest(mine));
      });
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function synced(client: TestClient, timeoutMs = 5000): Promise<void> {
  await waitFor(() => client.provider.synced, timeoutMs, 'the client to sync');
}

/** A raw websocket (no Yjs) for sending hand-made, hostile messages. */
export function rawSocket(
  wsUrl: string,
  boardId: string,
  key: string | null | undefined = testKeyFor(wsUrl),
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`${wsUrl}/${boardId}${key ? `?key=${encodeURIComponent(key)}` : ''}`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('error', reject);
  });
}

/**
 * saved(), asked again while a big write is still being stored: on a loaded
 * machine storing thousands of steps can take longer than one answer's 10 s.
 */
export async function storedPatiently(client: TestClient, attempts = 6): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.saved();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}
