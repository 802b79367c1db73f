/**
 * Undo and redo of one person's own changes (src/collab/undo.ts) on plain
 * Y.Docs: two docs exchanging updates stand for two people on one board.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addDemandRows,
  addLane,
  addStep,
  autoLayout,
  connect,
  deleteElements,
  edgesMap,
  getTemplate,
  initBoard,
  moveLane,
  moveNodes,
  nodesMap,
  setBoardTitle,
  setCapabilitySeries,
  updateStep,
} from '../../src/model';
import { UNDO_CLEANUP_ORIGIN, createBoardUndo, removeDanglingEdges, type BoardUndo } from '../../src/collab/undo';

const REMOTE = 'test:remote';

/** The doc's content with map keys sorted, so a restored key compares equal wherever it was re-inserted. */
function canon(doc: Y.Doc): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, sortKeys(v)]),
      );
    }
    return value;
  };
  return JSON.stringify(sortKeys(doc.toJSON()));
}

function positionOf(doc: Y.Doc, id: string): { x: unknown; y: unknown } {
  const node = nodesMap(doc).get(id);
  return { x: node?.get('x'), y: node?.get('y') };
}

const undos: BoardUndo[] = [];
afterEach(() => {
  undos.splice(0).forEach((u) => u.destroy());
});

function undoFor(doc: Y.Doc, seen: { canUndo: boolean; canRedo: boolean }[] = []): BoardUndo {
  const undo = createBoardUndo(doc, (availability) => seen.push(availability));
  undos.push(undo);
  return undo;
}

/** Two people: every update one makes reaches the other, with a remote origin. */
function twoPeople(): { a: Y.Doc; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(b, update, REMOTE);
  });
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(a, update, REMOTE);
  });
  initBoard(a, 'Board', 'test:setup');
  return { a, b };
}

describe('undo of one person’s changes', () => {
  it('undoes each model operation as one step, back to exactly what was there before', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Board', REMOTE);
    const undo = undoFor(doc);
    const operations: [string, () => void][] = [];
    let first = '';
    let second = '';
    let lane = '';
    operations.push(['add a step', () => void (first = addStep(doc, { position: { x: 0, y: 0 } }))]);
    operations.push(['add a second step', () => void (second = addStep(doc, { position: { x: 300, y: 0 } }))]);
    operations.push(['connect them', () => void connect(doc, first, second)]);
    operations.push(['add a lane', () => void (lane = addLane(doc, 'Front office'))]);
    operations.push(['add another lane', () => void addLane(doc, 'Back office')]);
    operations.push([
      'an inspector edit of several fields',
      () => updateStep(doc, first, { label: 'Take call', stepClass: 'value', pt: 5, lt: 60, lane }),
    ]);
    operations.push(['rename the board', () => void setBoardTitle(doc, 'Renamed')]);
    operations.push([
      'paste demand rows',
      () =>
        void addDemandRows(doc, [
          { words: 'My boiler is broken', demandClass: 'value', count: 12, predictable: true },
          { words: 'Where is my engineer?', demandClass: 'failure', count: 7, predictable: true },
        ]),
    ]);
    operations.push(['paste a capability series', () => setCapabilitySeries(doc, [60, 120, 90], 'minutes')]);
    operations.push(['insert a template', () => getTemplate('housing-repairs-before')!.apply(doc)]);
    operations.push(['auto-layout', () => void autoLayout(doc)]);
    operations.push(['move a lane', () => moveLane(doc, lane, 1)]);
    operations.push(['delete a step with its edge', () => deleteElements(doc, { nodeIds: [second] })]);

    const before: string[] = [];
    for (const [name, run] of operations) {
      before.push(canon(doc));
      const steps = undo.manager.undoStack.length;
      run();
      expect(canon(doc), `${name} changed something`).not.toBe(before[before.length - 1]);
      expect(undo.manager.undoStack.length, `${name} is one step`).toBe(steps + 1);
    }
    for (let i = operations.length - 1; i >= 0; i--) {
      expect(undo.undo()).toBe(true);
      expect(canon(doc), `undo of ${operations[i][0]}`).toBe(before[i]);
    }
    expect(undo.canUndo()).toBe(false);
    expect(undo.undo()).toBe(false);
  });

  it('keeps two operations made straight after each other as two steps', () => {
    const doc = new Y.Doc();
    const undo = undoFor(doc);
    const id = addStep(doc, { position: { x: 0, y: 0 } });
    updateStep(doc, id, { label: 'Take call' });
    expect(undo.manager.undoStack.length).toBe(2);
    undo.undo();
    expect(nodesMap(doc).get(id)?.get('label')).toBe('New step');
    undo.undo();
    expect(nodesMap(doc).has(id)).toBe(false);
  });

  it('undoes a whole drag, and the lane it was dropped in, in one step', () => {
    const doc = new Y.Doc();
    const undo = undoFor(doc);
    const lane = addLane(doc, 'Front office');
    const id = addStep(doc, { position: { x: 10, y: 20 } });
    updateStep(doc, id, { label: 'Take call' });
    const steps = undo.manager.undoStack.length;

    undo.beginDrag();
    for (let frame = 1; frame <= 40; frame++) moveNodes(doc, [{ id, position: { x: 10 + frame * 5, y: 20 + frame } }]);
    updateStep(doc, id, { lane });
    undo.endDrag();
    expect(positionOf(doc, id)).toEqual({ x: 210, y: 60 });
    expect(undo.manager.undoStack.length).toBe(steps + 1);

    // After the drag, operations are separate steps again.
    updateStep(doc, id, { label: 'Take repair call' });
    expect(undo.manager.undoStack.length).toBe(steps + 2);
    undo.undo();
    expect(nodesMap(doc).get(id)?.get('label')).toBe('Take call');

    undo.undo();
    expect(positionOf(doc, id)).toEqual({ x: 10, y: 20 });
    expect(nodesMap(doc).get(id)?.get('lane')).toBe(null);
    expect(nodesMap(doc).get(id)?.get('label')).toBe('Take call');
  });

  it('does not join a drag to the change made just before it', () => {
    const doc = new Y.Doc();
    const undo = undoFor(doc);
    const id = addStep(doc, { position: { x: 0, y: 0 } });
    undo.beginDrag();
    moveNodes(doc, [{ id, position: { x: 50, y: 0 } }]);
    moveNodes(doc, [{ id, position: { x: 100, y: 0 } }]);
    undo.endDrag();
    undo.undo();
    expect(positionOf(doc, id)).toEqual({ x: 0, y: 0 });
  });

  it('closes an unfinished drag before undoing, so later changes do not merge into it', () => {
    const doc = new Y.Doc();
    const undo = undoFor(doc);
    const id = addStep(doc, { position: { x: 0, y: 0 } });
    undo.beginDrag();
    moveNodes(doc, [{ id, position: { x: 50, y: 0 } }]);
    expect(undo.undo()).toBe(true);
    expect(undo.manager.captureTimeout).toBe(0);
    updateStep(doc, id, { label: 'One' });
    updateStep(doc, id, { label: 'Two' });
    undo.undo();
    expect(nodesMap(doc).get(id)?.get('label')).toBe('One');
  });

  it('never removes another person’s concurrent change', () => {
    const { a, b } = twoPeople();
    const undoA = undoFor(a);
    const undoB = undoFor(b);
    const mine = addStep(a, { position: { x: 0, y: 0 }, label: 'Mine' });
    const theirs = addStep(b, { position: { x: 300, y: 0 }, label: 'Theirs' });
    updateStep(b, mine, { stepClass: 'waste' });
    expect(nodesMap(a).has(theirs)).toBe(true);

    // A's undo stack holds only A's own change.
    expect(undoA.manager.undoStack.length).toBe(1);
    undoA.undo();
    for (const doc of [a, b]) {
      expect(nodesMap(doc).has(mine)).toBe(false);
      expect(nodesMap(doc).get(theirs)?.get('label')).toBe('Theirs');
    }
    // B's undo likewise only touches B's work.
    expect(undoB.manager.undoStack.length).toBe(2);

    undoA.redo();
    for (const doc of [a, b]) expect(nodesMap(doc).get(mine)?.get('label')).toBe('Mine');
    expect(nodesMap(b).has(theirs)).toBe(true);
  });

  it('undoes a move without moving back what another person moved at the same time', () => {
    const { a, b } = twoPeople();
    const undoA = undoFor(a);
    const one = addStep(a, { position: { x: 0, y: 0 } });
    const two = addStep(a, { position: { x: 300, y: 0 } });
    moveNodes(a, [{ id: one, position: { x: 40, y: 40 } }]);
    moveNodes(b, [{ id: two, position: { x: 500, y: 500 } }]);
    undoA.undo();
    for (const doc of [a, b]) {
      expect(positionOf(doc, one)).toEqual({ x: 0, y: 0 });
      expect(positionOf(doc, two)).toEqual({ x: 500, y: 500 });
    }
  });

  it('brings a deleted step back together with its edges, on both screens', () => {
    const { a, b } = twoPeople();
    const undoA = undoFor(a);
    const one = addStep(a, { position: { x: 0, y: 0 } });
    const two = addStep(a, { position: { x: 300, y: 0 } });
    const three = addStep(b, { position: { x: 600, y: 0 } });
    const e1 = connect(a, one, two);
    const e2 = connect(b, two, three);
    deleteElements(a, { nodeIds: [two] });
    expect(edgesMap(b).size).toBe(0);
    undoA.undo();
    for (const doc of [a, b]) {
      expect(nodesMap(doc).has(two)).toBe(true);
      expect([...edgesMap(doc).keys()].sort()).toEqual([e1, e2].sort());
    }
    undoA.redo();
    for (const doc of [a, b]) {
      expect(nodesMap(doc).has(two)).toBe(false);
      expect(edgesMap(doc).size).toBe(0);
    }
  });

  it('does not bring back an edge whose end someone else deleted meanwhile', () => {
    const { a, b } = twoPeople();
    const undoA = undoFor(a);
    const one = addStep(a, { position: { x: 0, y: 0 } });
    const two = addStep(a, { position: { x: 300, y: 0 } });
    const edge = connect(a, one, two);
    deleteElements(a, { edgeIds: [edge] });
    deleteElements(b, { nodeIds: [two] });
    expect(undoA.undo()).toBe(true);
    for (const doc of [a, b]) expect(edgesMap(doc).has(edge)).toBe(false);
  });

  it('redoes what was undone, and a new change drops the redo', () => {
    const seen: { canUndo: boolean; canRedo: boolean }[] = [];
    const doc = new Y.Doc();
    const undo = undoFor(doc, seen);
    expect(seen.at(-1)).toEqual({ canUndo: false, canRedo: false });
    const id = addStep(doc, { position: { x: 0, y: 0 } });
    expect(seen.at(-1)).toEqual({ canUndo: true, canRedo: false });
    undo.undo();
    expect(nodesMap(doc).has(id)).toBe(false);
    expect(seen.at(-1)).toEqual({ canUndo: false, canRedo: true });
    expect(undo.redo()).toBe(true);
    expect(nodesMap(doc).get(id)?.get('label')).toBe('New step');
    expect(seen.at(-1)).toEqual({ canUndo: true, canRedo: false });
    undo.undo();
    addStep(doc, { position: { x: 50, y: 50 } });
    expect(undo.canRedo()).toBe(false);
    expect(undo.redo()).toBe(false);
  });

  it('counts undo, redo and their clean-up as this person’s changes (they must be saved)', () => {
    const doc = new Y.Doc();
    const undo = undoFor(doc);
    const origins: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    addStep(doc, { position: { x: 0, y: 0 } });
    undo.undo();
    undo.redo();
    expect(origins.length).toBe(3);
    expect(origins.every((o) => undo.isLocalOrigin(o))).toBe(true);
    expect(undo.isLocalOrigin(UNDO_CLEANUP_ORIGIN)).toBe(true);
    expect(undo.isLocalOrigin(REMOTE)).toBe(false);
  });

  it('removeDanglingEdges leaves a consistent board alone', () => {
    const doc = new Y.Doc();
    const one = addStep(doc, { position: { x: 0, y: 0 } });
    const two = addStep(doc, { position: { x: 300, y: 0 } });
    connect(doc, one, two);
    expect(removeDanglingEdges(doc)).toBe(0);
    expect(edgesMap(doc).size).toBe(1);
  });
});
