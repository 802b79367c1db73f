/**
 * The pure parts of working offline and together: which connection state to
 * show, whether a device copy is sound, edges kept whole after concurrent
 * deletes, and the notice when someone deletes what you are editing.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { LOCAL_ORIGIN, addStep, connect, deleteElements, edgesMap, initBoard, nodesMap } from '../../src/model';
import { OFFLINE_AFTER_MS, connectionStateOf, describeConnection, type ConnectionFacts } from '../../src/collab/status';
import { deviceCopyName, isSoundDeviceCopy } from '../../src/collab/device-copy';
import { createBoardUndo, keepEdgesWhole } from '../../src/collab/undo';
import { createBoardStore } from '../../src/collab/board-store';
import { Presence } from '../../src/collab/presence';
import { deletedNotice, watchRemoteDeletions } from '../../src/collab/remote-deletions';

const REMOTE = 'test:remote';

const facts = (patch: Partial<ConnectionFacts>): ConnectionFacts => ({
  socket: 'connected',
  synced: true,
  everSynced: true,
  loaded: true,
  browserOnline: true,
  downForMs: 0,
  ...patch,
});

describe('connection state in words', () => {
  it('live, reconnecting, offline and connecting each when they hold', () => {
    expect(connectionStateOf(facts({}))).toEqual({ kind: 'live' });
    // Connected but not yet synced is not live: the board may be stale.
    expect(connectionStateOf(facts({ synced: false, socket: 'connected' })).kind).toBe('reconnecting');
    expect(connectionStateOf(facts({ socket: 'connecting', downForMs: 500 })).kind).toBe('reconnecting');
    expect(connectionStateOf(facts({ socket: 'disconnected', downForMs: OFFLINE_AFTER_MS })).kind).toBe('offline');
    expect(connectionStateOf(facts({ socket: 'disconnected', browserOnline: false })).kind).toBe('offline');
    // Opened from the device copy, never reached the server yet: still connecting, offline without network.
    expect(connectionStateOf(facts({ socket: 'connecting', everSynced: false, downForMs: 10 })).kind).toBe(
      'connecting',
    );
    expect(connectionStateOf(facts({ socket: 'connecting', everSynced: false, browserOnline: false })).kind).toBe(
      'offline',
    );
    // Nothing on screen yet.
    expect(connectionStateOf(facts({ socket: 'connecting', loaded: false, everSynced: false })).kind).toBe(
      'connecting',
    );
  });

  it('says where offline changes are kept', () => {
    expect(describeConnection({ kind: 'live' }, true)).toBe('Live');
    expect(describeConnection({ kind: 'reconnecting' }, true)).toBe('Reconnecting…');
    expect(describeConnection({ kind: 'offline' }, true)).toBe('Offline — changes kept on this device');
    expect(describeConnection({ kind: 'offline' }, false)).toBe('Offline — keep this tab open to keep changes');
    expect(describeConnection({ kind: 'closed', code: 4410, message: 'This board has been deleted.' }, true)).toBe(
      'Disconnected — This board has been deleted.',
    );
  });
});

describe('the device copy', () => {
  const boardUpdates = (): Uint8Array[] => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    initBoard(doc, 'Kept');
    addStep(doc, { position: { x: 0, y: 0 }, label: 'Take call' });
    return updates;
  };

  it('a board’s own updates are sound, and so is an empty copy', () => {
    expect(isSoundDeviceCopy(boardUpdates())).toBe(true);
    expect(isSoundDeviceCopy([])).toBe(true);
  });

  it('garbage, a truncated update or data of another shape is damaged', () => {
    const good = boardUpdates();
    expect(isSoundDeviceCopy([...good, new Uint8Array([1, 2, 3, 250, 250])])).toBe(false);
    expect(isSoundDeviceCopy([good[0].slice(0, good[0].length - 3)])).toBe(false);
    expect(isSoundDeviceCopy(['not bytes'])).toBe(false);
    // A copy where "nodes" is a list, not a map: reading it as a board would throw.
    const foreign = new Y.Doc();
    foreign.getArray('nodes').push([1]);
    expect(isSoundDeviceCopy([Y.encodeStateAsUpdate(foreign)])).toBe(false);
  });

  it('each board has its own database', () => {
    expect(deviceCopyName('abc')).not.toBe(deviceCopyName('abd'));
  });
});

/** Two docs that exchange updates on demand (a network that can be held back). */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), REMOTE);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), REMOTE);
  };
  return { a, b, sync };
}

describe('edges kept whole', () => {
  it('a step deleted while someone connects to it leaves no dangling edge once both meet', async () => {
    const { a, b, sync } = pair();
    const undoA = createBoardUndo(a);
    const undoB = createBoardUndo(b);
    const stops = [keepEdgesWhole(a, undoA.isLocalOrigin), keepEdgesWhole(b, undoB.isLocalOrigin)];
    initBoard(a, 'Board');
    const s1 = addStep(a, { position: { x: 0, y: 0 } });
    const s2 = addStep(a, { position: { x: 200, y: 0 } });
    sync();
    // Concurrently: A deletes s2, B connects s1 → s2.
    deleteElements(a, { nodeIds: [s2] });
    connect(b, s1, s2, 'flow');
    sync();
    await Promise.resolve(); // the clean-up runs after the transaction, as its own
    sync();
    for (const doc of [a, b]) {
      expect(nodesMap(doc).has(s2)).toBe(false);
      expect(edgesMap(doc).size).toBe(0);
    }
    // The clean-up is nobody's undo step: B's undo still takes back B's own connect only.
    expect(undoA.canUndo()).toBe(true);
    stops.forEach((stop) => stop());
  });

  it('leaves local changes and remote drags alone', async () => {
    const { a, b, sync } = pair();
    const undoA = createBoardUndo(a);
    const stop = keepEdgesWhole(a, undoA.isLocalOrigin);
    let cleanUps = 0;
    a.on('afterTransaction', (t: Y.Transaction) => {
      if (t.origin !== LOCAL_ORIGIN && t.origin !== REMOTE) cleanUps += 1;
    });
    initBoard(b, 'Board');
    const s1 = addStep(b, { position: { x: 0, y: 0 } });
    sync();
    nodesMap(b).get(s1)!.set('x', 50); // a drag frame: no node added or removed
    sync();
    await Promise.resolve();
    expect(cleanUps).toBe(0);
    stop();
  });
});

describe('deleted while editing', () => {
  it('names who deleted it and closes the editor; the inspector remembers who', async () => {
    const doc = new Y.Doc();
    const store = createBoardStore();
    const awareness = new Awareness(doc);
    const presence = new Presence(awareness, store, null);
    const stop = watchRemoteDeletions(doc, store, presence);
    const id = addStep(doc, { position: { x: 0, y: 0 }, label: 'Approve' });
    const other = addStep(doc, { position: { x: 0, y: 100 }, label: 'Check' });
    store.setState({
      nodes: [
        { id, type: 'step', position: { x: 0, y: 0 }, data: {} as never },
        { id: other, type: 'step', position: { x: 0, y: 100 }, data: {} as never },
      ],
      editingId: id,
    });
    // Bea (another client) has the step selected, as she would to delete it.
    const bea = new Awareness(new Y.Doc());
    bea.setLocalState({
      user: { name: 'Bea', colour: '#c2410c' },
      joinedAt: 1,
      cursor: null,
      selection: [id],
      editing: null,
      view: null,
      summon: null,
    });
    awareness.states.set(bea.clientID, bea.getLocalState()!);

    Y.transact(doc, () => nodesMap(doc).delete(id), REMOTE, false);
    expect(store.getState().editingId).toBeNull();
    expect(store.getState().toasts.map((t) => t.message)).toEqual([
      'This step was deleted by Bea while you were editing it.',
    ]);
    expect(store.getState().remoteDeletions.get(id)).toBe('Bea');

    // Deleted by nobody we know, and not being edited: remembered, no toast.
    Y.transact(doc, () => nodesMap(doc).delete(other), REMOTE, false);
    expect(store.getState().toasts).toHaveLength(1);
    expect(store.getState().remoteDeletions.get(other)).toBe('someone else');

    // This person's own delete is no news.
    const mine = addStep(doc, { position: { x: 0, y: 0 } });
    store.setState({ editingId: mine });
    deleteElements(doc, { nodeIds: [mine] });
    expect(store.getState().remoteDeletions.has(mine)).toBe(false);
    stop();
    presence.destroy();
  });

  it('uses the method’s words for each element', () => {
    expect(deletedNotice('demand', 'Bea')).toBe('This demand type was deleted by Bea while you were editing it.');
    expect(deletedNotice('condition', null)).toBe(
      'This system condition was deleted by someone else while you were editing it.',
    );
  });
});
