/**
 * Bad input gets a clear answer and costs nothing else: the board's data is
 * unchanged and a second client on the same board keeps syncing throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { addStep, readBoard } from '../../src/model';
import { connectClient, rawSocket, synced, type TestClient } from '../helpers/clients';
import { api, createBoard, health, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { lockStorage } from '../helpers/storage';

const MAX_MESSAGE_BYTES = 64 * 1024;
let s: ServerProcess;
let boardId: string;
let otherBoardId: string;
let witness: TestClient;
let otherWitness: TestClient;

/** A real edit by the witness reaches a second real client: the board is still live. */
async function stillSyncing() {
  const label = `still live ${Math.random().toString(36).slice(2)}`;
  const observer = connectClient(s.wsUrl, boardId);
  await synced(observer);
  addStep(witness.doc, { position: { x: 0, y: 0 }, label });
  await waitFor(
    () => readBoard(observer.doc).nodes.some((n) => 'label' in n && n.label === label),
    5000,
    'an edit to reach another client',
  );
  observer.destroy();
  expect(await witness.saved()).toBe(true);
}

function message(...parts: ((e: encoding.Encoder) => void)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) part(encoder);
  return encoding.toUint8Array(encoder);
}

beforeAll(async () => {
  s = await startServer({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
  boardId = await createBoard(s, 'Target');
  otherBoardId = await createBoard(s, 'Bystander');
  witness = connectClient(s.wsUrl, boardId);
  otherWitness = connectClient(s.wsUrl, otherBoardId);
  await Promise.all([synced(witness), synced(otherWitness)]);
  addStep(witness.doc, { position: { x: 0, y: 0 }, label: 'Existing step' });
  expect(await witness.saved()).toBe(true);
});

afterAll(async () => {
  witness?.destroy();
  otherWitness?.destroy();
  await s?.stop();
});

describe('websocket: refused connections', () => {
  it('closes with 4400 for a board id outside the pattern', async () => {
    for (const bad of ['bad%20id', 'a'.repeat(65), '%2E%2E%2Fetc']) {
      const { closed } = await rawSocket(s.wsUrl, bad);
      expect((await closed).code).toBe(4400);
    }
  });

  it('closes with 4404 for a well-formed id that does not exist, and the client stops retrying', async () => {
    const ghost = connectClient(s.wsUrl, 'noSuchBoard123');
    const closed = await new Promise<{ code: number }>((resolve) => ghost.provider.once('closed', resolve));
    expect(closed.code).toBe(4404);
    // y-websocket scheduled its retry before it said "closed"; a timer of the same back-off set now
    // fires after that retry has had its chance (Node runs timers in order of their due time, then
    // of creation), however late the loaded machine runs either.
    const retryDelay = Math.min(2 ** ghost.provider.wsUnsuccessfulReconnects * 100, ghost.provider.maxBackoffTime);
    await new Promise((resolve) => setTimeout(resolve, retryDelay));
    expect(ghost.provider.ws).toBeNull();
    expect(ghost.closes.map((c) => c.code)).toEqual([4404]);
    expect(ghost.provider.shouldConnect).toBe(false);
    ghost.destroy();
    const boards = (await (await api(`${s.url}/api/boards`)).json()) as { id: string }[];
    expect(boards.map((b) => b.id)).not.toContain('noSuchBoard123');
  });
});

describe('websocket: hostile messages', () => {
  const cases: [string, Uint8Array | string, number][] = [
    ['a truncated sync message', message((e) => encoding.writeVarUint(e, 0)), 4402],
    [
      'an update whose length prefix claims more bytes than it has',
      message(
        (e) => encoding.writeVarUint(e, 0),
        (e) => encoding.writeVarUint(e, 2),
        (e) => encoding.writeVarUint(e, 5000),
        (e) => encoding.writeUint8Array(e, new Uint8Array([1, 2, 3])),
      ),
      4402,
    ],
    [
      'an update that claims more structs than it has bytes',
      message(
        (e) => encoding.writeVarUint(e, 0),
        (e) => encoding.writeVarUint(e, 2),
        (e) =>
          encoding.writeVarUint8Array(
            e,
            message(
              (u) => encoding.writeVarUint(u, 1), // one client
              (u) => encoding.writeVarUint(u, 1_000_000), // a million structs…
              (u) => encoding.writeVarUint(u, 42),
              (u) => encoding.writeVarUint(u, 0),
            ),
          ),
      ),
      4402,
    ],
    [
      'garbage bytes as an update',
      message(
        (e) => encoding.writeVarUint(e, 0),
        (e) => encoding.writeVarUint(e, 2),
        (e) => encoding.writeVarUint8Array(e, new Uint8Array([255, 255, 255, 255, 7, 9])),
      ),
      4402,
    ],
    ['an unknown message type', message((e) => encoding.writeVarUint(e, 77)), 4402],
    [
      'an unknown sync step',
      message(
        (e) => encoding.writeVarUint(e, 0),
        (e) => encoding.writeVarUint(e, 9),
      ),
      4402,
    ],
    [
      'a malformed awareness update',
      message(
        (e) => encoding.writeVarUint(e, 1),
        (e) => encoding.writeVarUint8Array(e, new Uint8Array([5, 1])),
      ),
      4402,
    ],
    ['a text frame', 'hello', 4402],
    ['a message over MAX_MESSAGE_BYTES', new Uint8Array(MAX_MESSAGE_BYTES + 1), 1009],
  ];

  it.each(cases)(
    '%s closes only that connection (code %s); the board is unchanged and live',
    async (_name, payload, code) => {
      const before = Y.encodeStateVector(witness.doc);
      const boardBefore = JSON.stringify(readBoard(witness.doc));
      const { ws, closed } = await rawSocket(s.wsUrl, boardId);
      ws.send(payload);
      expect((await closed).code).toBe(code);

      // Nothing reached the document: a fresh client sees exactly the witness's board.
      const fresh = connectClient(s.wsUrl, boardId);
      await synced(fresh);
      expect(Y.encodeStateVector(fresh.doc)).toEqual(before);
      expect(JSON.stringify(readBoard(fresh.doc))).toBe(boardBefore);
      fresh.destroy();

      expect(witness.provider.wsconnected).toBe(true);
      expect(otherWitness.provider.wsconnected).toBe(true);
      await stillSyncing();
    },
  );

  it('the server is healthy after all of it', async () => {
    expect(await health(s)).toMatchObject({ status: 'ok' });
    expect(readBoard(otherWitness.doc).meta.title).toBe('Bystander');
  });
});

describe('storage errors', () => {
  it('a locked database is reported, never acknowledged as saved, and nothing is lost once it is free', async () => {
    const unlock = await lockStorage(s.dataDir);
    try {
      addStep(witness.doc, { position: { x: 5, y: 5 }, label: 'Written while locked' });
      expect(await witness.saved()).toBe(false);
      const report = await health(s);
      expect(report.status).toBe('degraded');
      expect(JSON.stringify(report.storage)).toMatch(/locked|busy|lock timeout/i);
    } finally {
      await unlock();
    }
    addStep(witness.doc, { position: { x: 6, y: 6 }, label: 'Written after the lock' });
    expect(await witness.saved()).toBe(true);
    expect((await health(s)).status).toBe('ok');

    // Both changes survive a crash: the server stored the whole state once the file was free.
    const expected = readBoard(witness.doc)
      .nodes.map((n) => ('label' in n ? n.label : ''))
      .sort();
    await s.stop('SIGKILL');
    s = await startServer({ dataDir: s.dataDir, env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
    const fresh = connectClient(s.wsUrl, boardId);
    await synced(fresh);
    expect(
      readBoard(fresh.doc)
        .nodes.map((n) => ('label' in n ? n.label : ''))
        .sort(),
    ).toEqual(expected);
    expect(expected).toContain('Written while locked');
    fresh.destroy();
  });
});
