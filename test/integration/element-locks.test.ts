/**
 * Element locks (issue 15) on the real server with real y-websocket clients
 * in Node. Their documents have no client-side guard, so every change is
 * sent and the server alone decides: a non-facilitator's change to a locked
 * card (or to a lock) is refused whole — never applied, stored or seen by
 * anyone else — and the sender's connection is closed with 4409 so its
 * screen starts again from the stored board. Other changes carry on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addStep,
  deleteElements,
  lockedByOf,
  moveNodes,
  nodesMap,
  readBoard,
  renameNode,
  setLocked,
  type BoardNode,
  type FieldValue,
} from '../../src/model';
import { CLOSE_LOCKED_ELEMENT, readLockRefusal } from '../../src/protocol';
import { connectClient, synced, type TestClient } from '../helpers/clients';
import { api, newKey, startServer, waitFor, type ServerProcess } from '../helpers/server';

let s: ServerProcess;
let boardId: string;
let editorKey: string;
let lockedId: string;
let freeId: string;
const open: TestClient[] = [];

async function client(key: string): Promise<TestClient> {
  const made = connectClient(s.wsUrl, boardId, { key });
  open.push(made);
  await synced(made);
  return made;
}

function node(doc: Y.Doc, id: string): BoardNode | undefined {
  return readBoard(doc).nodes.find((n) => n.id === id);
}

/** The board as the server holds it (GET …/state). */
async function serverDoc(): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const response = await api(`${s.url}/api/boards/${boardId}/state`, { key: s.key });
  Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
  return doc;
}

async function refused(sender: TestClient): Promise<{ code: number; reason: string }> {
  await waitFor(() => sender.closes.length > 0, 10_000, 'the refused sender to be closed');
  return sender.closes[0];
}

/** A facilitator's marker step, seen by `watcher`: everything sent before it has reached the watcher too. */
async function marker(facilitator: TestClient, watcher: TestClient, label: string): Promise<void> {
  addStep(facilitator.doc, { label, position: { x: 0, y: 2000 } });
  await waitFor(
    () => readBoard(watcher.doc).nodes.some((n) => n.kind === 'step' && n.label === label),
    10_000,
    `the watcher to see ${label}`,
  );
}

beforeAll(async () => {
  s = await startServer();
  const response = await api(`${s.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Locks', template: 'housing-repairs-before' }),
  });
  const created = (await response.json()) as { id: string; links: { edit: string } };
  boardId = created.id;
  editorKey = await newKey(s);
  const joined = await api(`${s.url}/api/join`, {
    key: editorKey,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ link: created.links.edit }),
  });
  expect(joined.status).toBe(200);
  const steps = readBoard(await serverDoc()).nodes.filter((n) => n.kind === 'step');
  lockedId = steps[0].id;
  freeId = steps[1].id;
});

afterAll(async () => {
  for (const c of open) c.destroy();
  await s?.stop();
});

describe('a card locked by the facilitator', () => {
  let facilitator: TestClient;
  let watcher: TestClient;

  beforeAll(async () => {
    facilitator = await client(s.key);
    watcher = await client(editorKey);
    setLocked(facilitator.doc, [lockedId], 'Fran');
    expect(await facilitator.saved()).toBe(true);
    await waitFor(() => lockedByOf(nodesMap(watcher.doc).get(lockedId)) === 'Fran', 10_000, 'the lock to arrive');
  });

  it("refuses an editor's move of it: closed with 4409, never applied, never seen by a third client, never stored", async () => {
    const before = node(facilitator.doc, lockedId)!.position;
    const editor = await client(editorKey);
    // One update that moves the locked card and an unlocked one: refused whole, the unlocked move too.
    moveNodes(editor.doc, [
      { id: lockedId, position: { x: before.x + 300, y: before.y + 300 } },
      { id: freeId, position: { x: 4321, y: 1234 } },
    ]);
    const close = await refused(editor);
    expect(close.code).toBe(CLOSE_LOCKED_ELEMENT);
    expect(readLockRefusal(close.reason)).toEqual({ kind: 'locked', nodeId: lockedId });
    // It does not retry: the change would be refused again.
    expect(editor.provider.shouldConnect).toBe(false);

    await marker(facilitator, watcher, 'After the refused move');
    expect(node(watcher.doc, lockedId)!.position).toEqual(before);
    expect(node(watcher.doc, freeId)!.position).not.toEqual({ x: 4321, y: 1234 });
    expect(node(facilitator.doc, lockedId)!.position).toEqual(before);
    expect(node(await serverDoc(), lockedId)!.position).toEqual(before);
  });

  it("refuses an editor's rename and delete of it", async () => {
    const renamer = await client(editorKey);
    renameNode(renamer.doc, lockedId, 'Renamed by an editor');
    expect((await refused(renamer)).code).toBe(CLOSE_LOCKED_ELEMENT);
    const deleter = await client(editorKey);
    deleteElements(deleter.doc, { nodeIds: [lockedId] });
    expect((await refused(deleter)).code).toBe(CLOSE_LOCKED_ELEMENT);
    // Nor a new node put under its id.
    const replacer = await client(editorKey);
    nodesMap(replacer.doc).set(lockedId, new Y.Map<FieldValue>());
    expect((await refused(replacer)).code).toBe(CLOSE_LOCKED_ELEMENT);

    await marker(facilitator, watcher, 'After the refused rename');
    const seen = node(watcher.doc, lockedId);
    expect(seen).toBeDefined();
    expect(seen && 'label' in seen ? seen.label : '').not.toBe('Renamed by an editor');
    expect(node(await serverDoc(), lockedId)).toEqual(node(facilitator.doc, lockedId));
  });

  it('refuses an editor unlocking it, or locking another card: only a facilitator changes a lock', async () => {
    const unlocker = await client(editorKey);
    setLocked(unlocker.doc, [lockedId], null);
    const close = await refused(unlocker);
    expect(close.code).toBe(CLOSE_LOCKED_ELEMENT);
    expect(readLockRefusal(close.reason)).toEqual({ kind: 'lock', nodeId: lockedId });

    const locker = await client(editorKey);
    setLocked(locker.doc, [freeId], 'Ed');
    expect(readLockRefusal((await refused(locker)).reason)).toEqual({ kind: 'lock', nodeId: freeId });

    // A new step that arrives already locked is a lock too.
    const sneaky = await client(editorKey);
    sneaky.doc.transact(() => {
      const sneakyId = addStep(sneaky.doc, { label: 'Born locked', position: { x: 0, y: 0 } });
      setLocked(sneaky.doc, [sneakyId], 'Ed');
    });
    expect((await refused(sneaky)).code).toBe(CLOSE_LOCKED_ELEMENT);

    await marker(facilitator, watcher, 'After the refused unlock');
    expect(lockedByOf(nodesMap(watcher.doc).get(lockedId))).toBe('Fran');
    expect(lockedByOf(nodesMap(watcher.doc).get(freeId))).toBeNull();
    const stored = await serverDoc();
    expect(lockedByOf(nodesMap(stored).get(lockedId))).toBe('Fran');
    expect(lockedByOf(nodesMap(stored).get(freeId))).toBeNull();
    // The whole update is refused: the sneaky step is absent, not there unlocked.
    expect(readBoard(stored).nodes.some((n) => n.kind === 'step' && n.label === 'Born locked')).toBe(false);
  });

  it("passes an editor's change to an unlocked card, and the editor carries on", async () => {
    const editor = await client(editorKey);
    moveNodes(editor.doc, [{ id: freeId, position: { x: 777, y: 333 } }]);
    expect(await editor.saved()).toBe(true);
    await waitFor(() => node(watcher.doc, freeId)?.position.x === 777, 10_000, 'the watcher to see the move');
    expect(node(await serverDoc(), freeId)!.position).toEqual({ x: 777, y: 333 });
    expect(editor.closes).toEqual([]);
  });

  it("passes the facilitator's change to the locked card, and the facilitator's unlock", async () => {
    moveNodes(facilitator.doc, [{ id: lockedId, position: { x: 55, y: 66 } }]);
    expect(await facilitator.saved()).toBe(true);
    await waitFor(() => node(watcher.doc, lockedId)?.position.x === 55, 10_000, 'the watcher to see the move');
    // An editor back from offline sends a sync step 2 with its whole delete set — which holds the locked
    // card's old position, deleted by the facilitator's move. Only new deletions count: it passes.
    watcher.provider.disconnect();
    moveNodes(watcher.doc, [{ id: freeId, position: { x: 778, y: 333 } }]);
    watcher.provider.connect();
    await synced(watcher);
    expect(await watcher.saved()).toBe(true);
    expect(watcher.closes.filter((c) => c.code === CLOSE_LOCKED_ELEMENT)).toEqual([]);
    expect(node(await serverDoc(), freeId)!.position).toEqual({ x: 778, y: 333 });
    setLocked(facilitator.doc, [lockedId], null);
    expect(await facilitator.saved()).toBe(true);
    await waitFor(() => lockedByOf(nodesMap(watcher.doc).get(lockedId)) === null, 10_000, 'the unlock to arrive');
    // Unlocked, the editor moves it.
    const editor = await client(editorKey);
    moveNodes(editor.doc, [{ id: lockedId, position: { x: 88, y: 99 } }]);
    expect(await editor.saved()).toBe(true);
    expect(node(await serverDoc(), lockedId)!.position).toEqual({ x: 88, y: 99 });
  });

  it('keeps nothing refused after a restart', async () => {
    for (const c of open.splice(0)) c.destroy();
    await s.stop();
    s = await startServer({ dataDir: s.dataDir });
    const stored = readBoard(await serverDoc());
    const labels = stored.nodes.flatMap((n) => (n.kind === 'step' ? [n.label] : []));
    expect(labels).toContain('After the refused unlock');
    expect(labels).not.toContain('Renamed by an editor');
    expect(labels).not.toContain('Born locked');
    expect(stored.nodes.find((n) => n.id === freeId)!.position).toEqual({ x: 778, y: 333 });
  });
});
