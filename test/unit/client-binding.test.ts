/** The Yjs → store binding: only what changed gets a new object; local UI state survives. */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addNote, addStep, connect, deleteElements, moveNodes, renameNode, setBoardTitle } from '../../src/model';
import { bindBoard, patchById } from '../../src/collab/binding';
import { createBoardStore } from '../../src/collab/board-store';

function setup() {
  const doc = new Y.Doc();
  const store = createBoardStore();
  const unbind = bindBoard(doc, store);
  return { doc, store, unbind };
}

describe('bindBoard', () => {
  test('reflects steps, notes, edges and the title', () => {
    const { doc, store } = setup();
    const a = addStep(doc, { position: { x: 10, y: 20 }, label: 'Take call' });
    const b = addStep(doc, { position: { x: 300, y: 20 } });
    addNote(doc, { position: { x: 0, y: 200 }, text: 'Why?', colour: 'pink' });
    connect(doc, a, b);
    setBoardTitle(doc, 'Repairs');
    const { nodes, edges, title } = store.getState();
    expect(nodes.map((n) => [n.type, n.position])).toEqual([
      ['step', { x: 10, y: 20 }],
      ['step', { x: 300, y: 20 }],
      ['note', { x: 0, y: 200 }],
    ]);
    expect(nodes[0].data).toEqual({ label: 'Take call', lane: null });
    expect(nodes[2].data).toEqual({ text: 'Why?', colour: 'pink' });
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ source: a, target: b, data: { kind: 'flow' } });
    expect(title).toBe('Repairs');
  });

  test('a move rebuilds only the moved node and keeps local fields', () => {
    const { doc, store } = setup();
    const ids = Array.from({ length: 50 }, (_, i) => addStep(doc, { position: { x: i * 200, y: 0 } }));
    // Local-only state, as React Flow would set it.
    store.setState((s) => ({ nodes: s.nodes.map((n, i) => (i === 3 ? { ...n, selected: true } : n)) }));
    const before = store.getState().nodes;
    moveNodes(doc, [{ id: ids[3], position: { x: 5, y: 6 } }]);
    const after = store.getState().nodes;
    expect(after).not.toBe(before);
    after.forEach((node, i) => (i === 3 ? expect(node).not.toBe(before[i]) : expect(node).toBe(before[i])));
    expect(after[3]).toMatchObject({ position: { x: 5, y: 6 }, selected: true });
  });

  test('an update that changes nothing the store shows leaves the store alone', () => {
    const { doc, store } = setup();
    const id = addStep(doc, { position: { x: 0, y: 0 } });
    // Our own drag frame: the store already has the position when the update comes back.
    store.setState((s) => ({ nodes: s.nodes.map((n) => ({ ...n, position: { x: 40, y: 0 } })) }));
    const before = store.getState().nodes;
    moveNodes(doc, [{ id, position: { x: 40, y: 0 } }]);
    expect(store.getState().nodes).toBe(before);
  });

  test('renames, deletions (with their edges) and remote updates come through', () => {
    const { doc, store } = setup();
    const a = addStep(doc, { position: { x: 0, y: 0 } });
    const b = addStep(doc, { position: { x: 1, y: 0 } });
    connect(doc, a, b);
    renameNode(doc, a, 'Code job');
    expect(store.getState().nodes[0].data).toMatchObject({ label: 'Code job' });

    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    renameNode(remote, b, 'From elsewhere', 'remote');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'provider');
    expect(store.getState().nodes[1].data).toMatchObject({ label: 'From elsewhere' });

    deleteElements(doc, { nodeIds: [a] });
    expect(store.getState().nodes.map((n) => n.id)).toEqual([b]);
    expect(store.getState().edges).toEqual([]);
  });

  test('stops listening when unbound', () => {
    const { doc, store, unbind } = setup();
    unbind();
    addStep(doc, { position: { x: 0, y: 0 } });
    expect(store.getState().nodes).toEqual([]);
  });
});

describe('patchById', () => {
  test('returns the same array when nothing changed', () => {
    const items = [{ id: 'a' }, { id: 'b' }];
    const source = new Map([['a', 1]]);
    expect(patchById(items, new Set(['a']), source, (_id, _v, prev) => prev ?? null)).toBe(items);
  });
});
