/**
 * Element locks (issue 15): the server's reading of which locked cards an
 * update would change (server/sync/element-locks.ts), and the client's guard
 * that refuses such changes before they are made (src/model/operations.ts).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardOperationError,
  addLane,
  addStep,
  autoLayout,
  deleteElements,
  guardLockedElements,
  moveLane,
  moveNodes,
  nodesMap,
  readBoard,
  renameNode,
  setLocked,
  updateStep,
  type FieldValue,
} from '../../src/model';
import { lockedChangeIn } from '../../server/sync/element-locks';

/** A server document with card A locked by Fran and card B free, and a client in sync with it. */
function pair() {
  const server = new Y.Doc();
  const a = addStep(server, { label: 'A', position: { x: 0, y: 0 } });
  const b = addStep(server, { label: 'B', position: { x: 0, y: 0 } });
  setLocked(server, [a], 'Fran');
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client, a, b };
}

/** What the server makes of the update `change` produces on the client. */
function verdict(
  change: (doc: Y.Doc, ids: { a: string; b: string }) => void,
  prepare?: (server: Y.Doc, a: string) => void,
) {
  const { server, client, a, b } = pair();
  if (prepare) {
    prepare(server, a);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  }
  const before = Y.encodeStateVector(server);
  change(client, { a, b });
  return { result: lockedChangeIn(server, Y.decodeUpdate(Y.encodeStateAsUpdate(client, before))), a, b };
}

describe('the server reads which locked cards an update changes', () => {
  it('refuses a move, a rename, a delete or a replacement of a locked card', () => {
    for (const change of [
      (doc: Y.Doc, { a }: { a: string }) => moveNodes(doc, [{ id: a, position: { x: 5, y: 5 } }]),
      (doc: Y.Doc, { a }: { a: string }) => renameNode(doc, a, 'Renamed'),
      (doc: Y.Doc, { a }: { a: string }) => updateStep(doc, a, { pt: 10 }),
      (doc: Y.Doc, { a }: { a: string }) => deleteElements(doc, { nodeIds: [a] }),
      (doc: Y.Doc, { a }: { a: string }) => nodesMap(doc).set(a, new Y.Map<FieldValue>()),
    ]) {
      const { result, a } = verdict(change);
      expect(result).toEqual({ nodeId: a, kind: 'locked' });
    }
  });

  it('refuses any change to a lock: unlocking, locking, a new card born locked, re-locking after an unlock', () => {
    expect(verdict((doc, { a }) => setLocked(doc, [a], null)).result).toMatchObject({ kind: 'lock' });
    const locking = verdict((doc, { b }) => setLocked(doc, [b], 'Ed'));
    expect(locking.result).toEqual({ nodeId: locking.b, kind: 'lock' });
    const born = verdict((doc) =>
      doc.transact(() => setLocked(doc, [addStep(doc, { label: 'C', position: { x: 0, y: 0 } })], 'Ed')),
    );
    expect(born.result).toMatchObject({ kind: 'lock' });
    // The key once deleted is overwritten through its old item: still a lock change.
    const relock = verdict(
      (doc, { a }) => setLocked(doc, [a], 'Ed'),
      (server, a) => setLocked(server, [a], null),
    );
    expect(relock.result).toEqual({ nodeId: relock.a, kind: 'lock' });
  });

  it('passes changes to unlocked cards, new cards, and a card once unlocked', () => {
    expect(verdict((doc, { b }) => moveNodes(doc, [{ id: b, position: { x: 9, y: 9 } }])).result).toBeNull();
    expect(verdict((doc, { b }) => deleteElements(doc, { nodeIds: [b] })).result).toBeNull();
    expect(
      verdict((doc) => {
        const c = addStep(doc, { label: 'C', position: { x: 0, y: 0 } });
        renameNode(doc, c, 'C2');
      }).result,
    ).toBeNull();
    expect(
      verdict(
        (doc, { a }) => moveNodes(doc, [{ id: a, position: { x: 1, y: 2 } }]),
        (server, a) => setLocked(server, [a], null),
      ).result,
    ).toBeNull();
    expect(verdict((doc) => addLane(doc, 'Supervisor')).result).toBeNull();
  });

  it('refuses an update that mixes an unlocked change with a locked one', () => {
    const { result } = verdict((doc, { a, b }) =>
      moveNodes(doc, [
        { id: b, position: { x: 1, y: 1 } },
        { id: a, position: { x: 2, y: 2 } },
      ]),
    );
    expect(result).toMatchObject({ kind: 'locked' });
  });
});

describe("the client's guard refuses a locked card's changes before they are made", () => {
  function guarded(stops = true) {
    const { client, a, b } = pair();
    guardLockedElements(client, () => stops);
    return { doc: client, a, b };
  }

  it('says who locked it, in words, and writes nothing', () => {
    const { doc, a } = guarded();
    const before = Y.encodeStateVector(doc);
    expect(() => moveNodes(doc, [{ id: a, position: { x: 1, y: 1 } }])).toThrow(
      new BoardOperationError('“A” is locked by Fran: only a facilitator can change it.'),
    );
    expect(() => renameNode(doc, a, 'x')).toThrow(BoardOperationError);
    expect(() => updateStep(doc, a, { pt: 3 })).toThrow(BoardOperationError);
    expect(() => deleteElements(doc, { nodeIds: [a] })).toThrow(BoardOperationError);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('lets a facilitator (whom locks do not stop) change it', () => {
    const { doc, a } = guarded(false);
    moveNodes(doc, [{ id: a, position: { x: 1, y: 1 } }]);
    expect(readBoard(doc).nodes.find((n) => n.id === a)!.position).toEqual({ x: 1, y: 1 });
  });

  it('Tidy up leaves a locked card where it is and lays out the rest', () => {
    const { doc, a, b } = guarded();
    moveNodes(doc, [{ id: b, position: { x: 9999, y: 9999 } }]);
    expect(autoLayout(doc)).toBeGreaterThan(0);
    const nodes = readBoard(doc).nodes;
    expect(nodes.find((n) => n.id === a)!.position).toEqual({ x: 0, y: 0 });
    expect(nodes.find((n) => n.id === b)!.position).not.toEqual({ x: 9999, y: 9999 });
  });

  it('refuses moving a lane whose band would carry a locked card', () => {
    const { doc, a } = guarded();
    const first = addLane(doc, 'Contact centre');
    addLane(doc, 'Supervisor');
    // A lane's steps move with it: putting the locked card in the first lane makes the lane move refused.
    guardLockedElements(doc, null);
    updateStep(doc, a, { lane: first });
    guardLockedElements(doc, () => true);
    expect(() => moveLane(doc, first, 1)).toThrow(BoardOperationError);
  });
});
