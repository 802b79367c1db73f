/**
 * "Saved" means written. An update whose Yjs dependencies the server lacks
 * (a clock gap) is parked by Yjs as pending and not stored; the save answer
 * must wait until it is integrated and stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import { addStep, readBoard } from '../../src/model';
import {
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SAVED,
  MESSAGE_SYNC,
  encodeSaveRequest,
} from '../../src/protocol';
import { connectClient, rawSocket, synced } from '../helpers/clients';
import { createBoard, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { storedBoard as readStored } from '../helpers/storage';

let s: ServerProcess;

beforeAll(async () => {
  s = await startServer();
});

afterAll(async () => {
  await s?.stop();
});

function syncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, 2); // messageYjsUpdate
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function queryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_QUERY_AWARENESS);
  return encoding.toUint8Array(encoder);
}

/** Everything a raw socket receives, decoded far enough to tell save answers and awareness apart. */
function listen(ws: WebSocket) {
  const answers: { seq: number; ok: boolean }[] = [];
  let awarenessReplies = 0;
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SAVED) {
      const seq = decoding.readVarUint(decoder);
      answers.push({ seq, ok: decoding.readVarUint(decoder) === 1 });
    }
    if (type === MESSAGE_AWARENESS) awarenessReplies += 1;
  });
  return { answers, awarenessReplies: () => awarenessReplies };
}

/** The board as stored (the SQLite file or the PostgreSQL database), read beside the server. */
async function storedBoard(boardId: string) {
  const { doc, rows } = await readStored(s.dataDir, boardId);
  return { rows, labels: readBoard(doc).nodes.map((n) => ('label' in n ? n.label : '')) };
}

/** Two updates from one Yjs client, the second depending on the first (a clock gap if sent alone). */
function twoDependentUpdates() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  addStep(doc, { position: { x: 0, y: 0 }, label: 'First, lost in a crash' });
  addStep(doc, { position: { x: 200, y: 0 }, label: 'Second, typed after reconnecting' });
  expect(updates).toHaveLength(2);
  return { first: updates[0], second: updates[1] };
}

describe('save answers and pending updates', () => {
  it('does not answer "saved" while an update waits for a missing one, and answers ok once both are stored', async () => {
    const boardId = await createBoard(s, 'Clock gap');
    const before = await storedBoard(boardId);
    const { first, second } = twoDependentUpdates();
    const { ws } = await rawSocket(s.wsUrl, boardId);
    const heard = listen(ws);

    ws.send(syncUpdate(second));
    ws.send(encodeSaveRequest(1));
    // Messages are handled in order: once the awareness reply is here, an
    // immediate save answer would be here too.
    ws.send(queryAwareness());
    await waitFor(() => heard.awarenessReplies() > 0, 10_000, 'the awareness reply');
    expect(heard.answers).toEqual([]);
    expect(await storedBoard(boardId)).toEqual(before);

    // The missing update arrives: both are integrated, stored, and only then reported saved.
    ws.send(syncUpdate(first));
    ws.send(encodeSaveRequest(2));
    await waitFor(() => heard.answers.length === 2, 10_000, 'both save answers');
    expect(heard.answers).toEqual([
      { seq: 1, ok: true },
      { seq: 2, ok: true },
    ]);
    const after = await storedBoard(boardId);
    expect(after.rows).toBeGreaterThan(before.rows);
    expect(after.labels).toEqual(
      expect.arrayContaining(['First, lost in a crash', 'Second, typed after reconnecting']),
    );
    ws.close();
  });

  it('closes a connection that sends a garbage update with 4402, stores nothing, and the others carry on', async () => {
    const boardId = await createBoard(s, 'Garbage');
    const witness = connectClient(s.wsUrl, boardId);
    await synced(witness);
    addStep(witness.doc, { position: { x: 0, y: 0 }, label: 'Kept' });
    expect(await witness.saved()).toBe(true);
    const before = await storedBoard(boardId);

    const { ws, closed } = await rawSocket(s.wsUrl, boardId);
    ws.send(syncUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x07, 1, 2, 3])));
    ws.send(encodeSaveRequest(1));
    const close = await closed;
    expect(close.code).toBe(4402);
    expect(close.reason).toBe('malformed update');
    expect(await storedBoard(boardId)).toEqual(before);

    addStep(witness.doc, { position: { x: 200, y: 0 }, label: 'Still editing' });
    expect(await witness.saved()).toBe(true);
    expect((await storedBoard(boardId)).labels).toEqual(expect.arrayContaining(['Kept', 'Still editing']));
    witness.destroy();
  });
});
