/**
 * Reconnect and drop, with the real server and real y-websocket clients:
 * a client that was away receives exactly what it missed, once; a client
 * whose socket dies (killed, or silent like a dead wifi) disappears from
 * everyone's presence within 5 s (issue 4), not after y-protocols' 30 s.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import type { Socket } from 'node:net';
import type { WebsocketProvider } from 'y-websocket';
import { addStep, moveNodes, renameNode } from '../../src/model';
import { MESSAGE_SYNC } from '../../src/protocol';
import { connectClient, synced, type TestClient } from '../helpers/clients';
import { createBoard, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { fingerprint } from '../helpers/convergence';

const GONE_WITHIN_MS = 5000;

let server: ServerProcess;
let clients: TestClient[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(() => {
  for (const c of clients) c.destroy();
  clients = [];
});

function client(boardId: string): TestClient {
  const c = connectClient(server.wsUrl, boardId);
  clients.push(c);
  return c;
}

/** The ids (client:clock) of every item an update carries, one per item. */
function itemIds(update: Uint8Array): string[] {
  const ids: string[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (struct.constructor.name === 'Skip') continue;
    for (let i = 0; i < struct.length; i++) ids.push(`${struct.id.client}:${struct.id.clock + i}`);
  }
  return ids;
}

/** Records every document update the server sends this client (sync step 2 and relayed updates). */
function recordIncoming(provider: WebsocketProvider): Uint8Array[] {
  const received: Uint8Array[] = [];
  const original = provider.messageHandlers[MESSAGE_SYNC];
  provider.messageHandlers[MESSAGE_SYNC] = (
    encoder: encoding.Encoder,
    decoder: decoding.Decoder,
    p: WebsocketProvider,
    emitSynced: boolean,
    type: number,
  ) => {
    const peek = decoding.clone(decoder);
    const step = decoding.readVarUint(peek);
    if (step !== 0) received.push(decoding.readVarUint8Array(peek)); // 0 is a state vector, not content
    original(encoder, decoder, p, emitSynced, type);
  };
  return received;
}

/** The TCP socket under a y-websocket client's `ws` socket (a private field of the ws package). */
function tcpSocketOf(provider: WebsocketProvider): Socket {
  const socket = (provider.ws as unknown as { _socket?: Socket } | null)?._socket;
  if (!socket) throw new Error('the client has no open socket');
  return socket;
}

/** Two clients on a new board; B sees A's presence. */
async function twoWhoSeeEachOther(title: string): Promise<{ a: TestClient; b: TestClient; aId: number }> {
  const boardId = await createBoard(server, title);
  const a = client(boardId);
  const b = client(boardId);
  await synced(a);
  await synced(b);
  a.provider.awareness.setLocalStateField('user', { name: 'Ana', colour: '#1d4ed8' });
  const aId = a.doc.clientID;
  await waitFor(() => b.provider.awareness.getStates().has(aId), 5000, 'B to see A');
  return { a, b, aId };
}

describe('reconnect', () => {
  test('a client that was away receives exactly what it missed, and nothing twice', async () => {
    const boardId = await createBoard(server, 'Reconnect');
    const a = client(boardId);
    const b = client(boardId);
    await synced(a);
    await synced(b);
    const first = addStep(a.doc, { position: { x: 0, y: 0 }, label: 'Before' });
    await waitFor(() => b.doc.getMap('nodes').has(first), 5000, 'B to see the first step');

    b.provider.disconnect();
    await waitFor(() => !b.provider.wsconnected, 5000, 'B to be disconnected');
    const missed: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array) => missed.push(update);
    a.doc.on('update', onUpdate);
    const second = addStep(a.doc, { position: { x: 200, y: 0 }, label: 'While away' });
    renameNode(a.doc, first, 'Before, renamed');
    moveNodes(a.doc, [{ id: second, position: { x: 240, y: 40 } }]);
    a.doc.off('update', onUpdate);
    expect(await a.saved()).toBe(true);
    // B changed something too while away.
    const own = addStep(b.doc, { position: { x: 0, y: 300 }, label: 'Made by B while away' });

    const received = recordIncoming(b.provider);
    b.provider.connect();
    await synced(b);
    await waitFor(() => a.doc.getMap('nodes').has(own), 5000, 'A to get B’s offline step');
    // After the reconnect, one more change from A arrives as a live update.
    const after = addStep(a.doc, { position: { x: 400, y: 0 }, label: 'After' });
    await waitFor(() => b.doc.getMap('nodes').has(after), 5000, 'B to see the step made after');

    const missedIds = missed.flatMap(itemIds);
    const afterIds = new Set(received.flatMap(itemIds));
    const receivedIds = received.flatMap(itemIds);
    // Nothing twice: every item B received, it received once.
    expect(receivedIds.length).toBe(afterIds.size);
    // Exactly what it missed: A's items from while B was away, plus the one live change, and nothing of its own.
    const liveIds = receivedIds.filter((id) => !missedIds.includes(id));
    expect(missedIds.every((id) => afterIds.has(id))).toBe(true);
    expect(liveIds.every((id) => id.startsWith(`${a.doc.clientID}:`))).toBe(true);
    expect(receivedIds.some((id) => id.startsWith(`${b.doc.clientID}:`))).toBe(false);
    expect(fingerprint(b.doc)).toEqual(fingerprint(a.doc));
  });

  test('a client whose socket is killed disappears from the others’ presence within 5 s', async () => {
    const { a, b, aId } = await twoWhoSeeEachOther('Dropped');

    // No close frame: the TCP connection just ends, as when a laptop lid shuts.
    tcpSocketOf(a.provider).destroy();
    a.provider.shouldConnect = false; // and A does not come back in this test
    await waitFor(() => !b.provider.awareness.getStates().has(aId), GONE_WITHIN_MS, 'B to see A gone');
  });

  test('a silent client (wifi gone, nothing answers) disappears within 5 s', async () => {
    const { a, b, aId } = await twoWhoSeeEachOther('Silent');

    // A stops reading its socket: it answers no ping, sends nothing, and never closes.
    a.provider.shouldConnect = false;
    tcpSocketOf(a.provider).pause();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), GONE_WITHIN_MS, 'B to see A gone');
  });
});
