/**
 * Reading the board document into plain data. Readers must be forgiving: a
 * board written by an older or newer client, or a hand-edited import, opens
 * with safe defaults instead of crashing, and never shows a dangling edge.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_SCHEMA_VERSION,
  DEFAULT_BOARD_TITLE,
  addNote,
  addStep,
  connect,
  countSteps,
  deleteElements,
  edgesMap,
  initBoard,
  lanesMap,
  metaMap,
  nodesMap,
  readBoard,
  readEdge,
  readLane,
  readMeta,
  readNode,
  type FieldValue,
} from '../../src/model';

/** Writes a raw nested map, the way an old client or an import might have. */
function raw(fields: Record<string, FieldValue>): Y.Map<FieldValue> {
  const map = new Y.Map<FieldValue>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}
function putNode(doc: Y.Doc, id: string, fields: Record<string, FieldValue>): void {
  nodesMap(doc).set(id, raw(fields));
}
function putEdge(doc: Y.Doc, id: string, fields: Record<string, FieldValue>): void {
  edgesMap(doc).set(id, raw(fields));
}
function putLane(doc: Y.Doc, id: string, fields: Record<string, FieldValue>): void {
  lanesMap(doc).set(id, raw(fields));
}
/** A standalone nested map must be inside a doc before it can be read. */
function attached(fields: Record<string, FieldValue>): Y.Map<FieldValue> {
  const doc = new Y.Doc();
  nodesMap(doc).set('x', raw(fields));
  const map = nodesMap(doc).get('x');
  if (!map) throw new Error('test: map not attached');
  return map;
}

describe('readBoard on an empty or new board', () => {
  it('reads an empty document as an untitled, empty board of the current format', () => {
    expect(readBoard(new Y.Doc())).toEqual({
      meta: { title: DEFAULT_BOARD_TITLE, schemaVersion: BOARD_SCHEMA_VERSION },
      nodes: [],
      edges: [],
      lanes: [],
    });
  });

  it('reads what the operations wrote', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Housing repairs');
    const a = addStep(doc, { position: { x: 0, y: 0 }, label: 'Take call' });
    const b = addStep(doc, { position: { x: 200, y: 0 }, label: 'Code job' });
    const n = addNote(doc, { position: { x: 0, y: 300 }, text: 'Why?', colour: 'green' });
    const e = connect(doc, a, b);
    const board = readBoard(doc);
    expect(board.meta).toEqual({ title: 'Housing repairs', schemaVersion: BOARD_SCHEMA_VERSION });
    expect(board.nodes).toEqual(
      expect.arrayContaining([
        { id: a, kind: 'step', position: { x: 0, y: 0 }, label: 'Take call', lane: null },
        { id: b, kind: 'step', position: { x: 200, y: 0 }, label: 'Code job', lane: null },
        { id: n, kind: 'note', position: { x: 0, y: 300 }, text: 'Why?', colour: 'green' },
      ]),
    );
    expect(board.nodes).toHaveLength(3);
    expect(board.edges).toEqual([{ id: e, kind: 'flow', source: a, target: b }]);
  });

  it('gives the same board on a replica built from the encoded state', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Copy me');
    const a = addStep(doc, { position: { x: 1, y: 2 }, label: 'A' });
    const b = addStep(doc, { position: { x: 3, y: 4 }, label: 'B' });
    connect(doc, a, b);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readBoard(copy)).toEqual(readBoard(doc));
  });

  it('returns plain data that does not change when the document changes later', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: { x: 0, y: 0 }, label: 'Before' });
    const snapshot = readBoard(doc);
    const copy = structuredClone(snapshot);
    deleteElements(doc, { nodeIds: [a] });
    addStep(doc, { position: { x: 5, y: 5 }, label: 'After' });
    expect(snapshot).toEqual(copy);
    expect(snapshot.nodes.map((n) => n.id)).toEqual([a]);
  });
});

describe('readBoard: nodes', () => {
  it('skips nodes of unknown or missing kind, keeping the rest of the board', () => {
    const doc = new Y.Doc();
    putNode(doc, 'sticker', { kind: 'sticker', x: 0, y: 0, label: 'From the future' });
    putNode(doc, 'nokind', { x: 0, y: 0, label: 'No kind' });
    putNode(doc, 'numkind', { kind: 3, x: 0, y: 0 });
    putNode(doc, 'nullkind', { kind: null });
    putNode(doc, 'step', { kind: 'step', x: 0, y: 0, label: 'Real step', lane: null });
    expect(readBoard(doc).nodes.map((n) => n.id)).toEqual(['step']);
  });

  it('reads demand (by the customer’s words), purpose and condition generically', () => {
    const doc = new Y.Doc();
    putNode(doc, 'd', { kind: 'demand', x: 1, y: 2, words: 'Where is my repair?' });
    putNode(doc, 'p', { kind: 'purpose', x: 3, y: 4, label: 'Fix it right first time' });
    putNode(doc, 'c', { kind: 'condition', x: 5, y: 6 });
    expect(readBoard(doc).nodes).toEqual([
      { id: 'd', kind: 'demand', position: { x: 1, y: 2 }, label: 'Where is my repair?' },
      { id: 'p', kind: 'purpose', position: { x: 3, y: 4 }, label: 'Fix it right first time' },
      { id: 'c', kind: 'condition', position: { x: 5, y: 6 }, label: '' },
    ]);
  });

  it('gives a step missing its fields position 0,0, an empty label and no lane', () => {
    const doc = new Y.Doc();
    putNode(doc, 's', { kind: 'step' });
    expect(readBoard(doc).nodes).toEqual([{ id: 's', kind: 'step', position: { x: 0, y: 0 }, label: '', lane: null }]);
  });

  it('replaces fields of the wrong type with safe defaults', () => {
    const doc = new Y.Doc();
    putNode(doc, 's', { kind: 'step', x: '12', y: true, label: 42, lane: 7 });
    putNode(doc, 'nan', { kind: 'step', x: Number.NaN, y: Number.POSITIVE_INFINITY, label: 'ok', lane: 'l1' });
    const board = readBoard(doc);
    expect(board.nodes).toEqual([
      { id: 's', kind: 'step', position: { x: 0, y: 0 }, label: '', lane: null },
      { id: 'nan', kind: 'step', position: { x: 0, y: 0 }, label: 'ok', lane: 'l1' },
    ]);
  });

  it('reads a note with no colour, or an unknown colour, as yellow', () => {
    const doc = new Y.Doc();
    putNode(doc, 'none', { kind: 'note', x: 0, y: 0, text: 'no colour' });
    putNode(doc, 'odd', { kind: 'note', x: 0, y: 0, text: 'odd colour', colour: 'ultraviolet' });
    putNode(doc, 'num', { kind: 'note', x: 0, y: 0, text: 'numeric colour', colour: 3 });
    putNode(doc, 'pink', { kind: 'note', x: 0, y: 0, text: 'pink', colour: 'pink' });
    const colours = Object.fromEntries(readBoard(doc).nodes.map((n) => [n.id, n.kind === 'note' ? n.colour : null]));
    expect(colours).toEqual({ none: 'yellow', odd: 'yellow', num: 'yellow', pink: 'pink' });
  });

  it('reads a note with no text as empty, and keeps its line breaks otherwise', () => {
    const doc = new Y.Doc();
    putNode(doc, 'empty', { kind: 'note', x: 0, y: 0 });
    putNode(doc, 'list', { kind: 'note', x: 0, y: 0, text: 'a\nb\n' });
    expect(readBoard(doc).nodes).toEqual([
      { id: 'empty', kind: 'note', position: { x: 0, y: 0 }, text: '', colour: 'yellow' },
      { id: 'list', kind: 'note', position: { x: 0, y: 0 }, text: 'a\nb\n', colour: 'yellow' },
    ]);
  });

  it('never shows fields the document should not hold (no label on a note, no colour on a step)', () => {
    const doc = new Y.Doc();
    putNode(doc, 'n', { kind: 'note', x: 0, y: 0, text: 't', label: 'stray', selected: true });
    putNode(doc, 's', { kind: 'step', x: 0, y: 0, label: 'l', colour: 'pink', dragging: true });
    const [note, step] = readBoard(doc).nodes;
    expect(Object.keys(note).sort()).toEqual(['colour', 'id', 'kind', 'position', 'text']);
    expect(Object.keys(step).sort()).toEqual(['id', 'kind', 'label', 'lane', 'position']);
  });

  it('takes the id from the map key, not from a field inside', () => {
    const doc = new Y.Doc();
    putNode(doc, 'key-id', { id: 'field-id', kind: 'step', x: 0, y: 0, label: 'A' });
    expect(readBoard(doc).nodes[0].id).toBe('key-id');
  });
});

describe('readNode', () => {
  it('returns null for an unknown kind', () => {
    expect(readNode('x', attached({ kind: 'widget' }))).toBeNull();
    expect(readNode('x', attached({}))).toBeNull();
  });

  it('reads a step under the id it is given', () => {
    expect(readNode('abc', attached({ kind: 'step', x: 4, y: 5, label: 'L', lane: 'lane1' }))).toEqual({
      id: 'abc',
      kind: 'step',
      position: { x: 4, y: 5 },
      label: 'L',
      lane: 'lane1',
    });
  });
});

describe('readBoard: edges', () => {
  function twoSteps(doc: Y.Doc): void {
    putNode(doc, 'a', { kind: 'step', x: 0, y: 0, label: 'A' });
    putNode(doc, 'b', { kind: 'step', x: 100, y: 0, label: 'B' });
  }

  it('reads well-formed edges of every kind', () => {
    const doc = new Y.Doc();
    twoSteps(doc);
    putNode(doc, 'd', { kind: 'demand', x: 0, y: 0, label: 'D' });
    putNode(doc, 'c', { kind: 'condition', x: 0, y: 0, label: 'C' });
    putEdge(doc, 'f', { kind: 'flow', source: 'a', target: 'b' });
    putEdge(doc, 'e', { kind: 'entry', source: 'd', target: 'a' });
    putEdge(doc, 'x', { kind: 'causes', source: 'c', target: 'd' });
    expect(readBoard(doc).edges).toEqual([
      { id: 'f', kind: 'flow', source: 'a', target: 'b' },
      { id: 'e', kind: 'entry', source: 'd', target: 'a' },
      { id: 'x', kind: 'causes', source: 'c', target: 'd' },
    ]);
  });

  it('skips malformed edges: unknown or missing kind, missing or non-text ends', () => {
    const doc = new Y.Doc();
    twoSteps(doc);
    putEdge(doc, 'unknown-kind', { kind: 'handoff', source: 'a', target: 'b' });
    putEdge(doc, 'no-kind', { source: 'a', target: 'b' });
    putEdge(doc, 'no-source', { kind: 'flow', target: 'b' });
    putEdge(doc, 'no-target', { kind: 'flow', source: 'a' });
    putEdge(doc, 'numeric-end', { kind: 'flow', source: 'a', target: 2 });
    putEdge(doc, 'null-end', { kind: 'flow', source: null, target: 'b' });
    putEdge(doc, 'good', { kind: 'flow', source: 'a', target: 'b' });
    expect(readBoard(doc).edges.map((e) => e.id)).toEqual(['good']);
  });

  it('skips edges whose ends are gone', () => {
    const doc = new Y.Doc();
    twoSteps(doc);
    putEdge(doc, 'to-nowhere', { kind: 'flow', source: 'a', target: 'deleted' });
    putEdge(doc, 'from-nowhere', { kind: 'flow', source: 'deleted', target: 'b' });
    putEdge(doc, 'good', { kind: 'flow', source: 'a', target: 'b' });
    expect(readBoard(doc).edges.map((e) => e.id)).toEqual(['good']);
  });

  it('hides an edge once one of its ends is deleted by any means', () => {
    const doc = new Y.Doc();
    twoSteps(doc);
    putEdge(doc, 'ab', { kind: 'flow', source: 'a', target: 'b' });
    expect(readBoard(doc).edges).toHaveLength(1);
    nodesMap(doc).delete('b'); // a raw delete that leaves the edge record behind
    expect(edgesMap(doc).has('ab')).toBe(true);
    expect(readBoard(doc).edges).toEqual([]);
  });

  it('skips edges to an element of an unknown kind, since that element is not shown', () => {
    const doc = new Y.Doc();
    twoSteps(doc);
    putNode(doc, 'future', { kind: 'sticker', x: 0, y: 0 });
    putEdge(doc, 'to-future', { kind: 'flow', source: 'a', target: 'future' });
    expect(readBoard(doc).edges).toEqual([]);
  });

  it('readEdge returns null for a malformed edge and the edge otherwise', () => {
    const doc = new Y.Doc();
    putEdge(doc, 'bad', { kind: 'sideways', source: 'a', target: 'b' });
    putEdge(doc, 'good', { kind: 'causes', source: 'a', target: 'b' });
    const bad = edgesMap(doc).get('bad');
    const good = edgesMap(doc).get('good');
    if (!bad || !good) throw new Error('test: edges not written');
    expect(readEdge('bad', bad)).toBeNull();
    expect(readEdge('good', good)).toEqual({ id: 'good', kind: 'causes', source: 'a', target: 'b' });
  });
});

describe('readBoard: lanes', () => {
  it('sorts lanes by their order, whatever order they were written in', () => {
    const doc = new Y.Doc();
    putLane(doc, 'contractor', { name: 'Contractor', order: 3, colour: '#fee' });
    putLane(doc, 'contact', { name: 'Contact centre', order: 0, colour: '#eef' });
    putLane(doc, 'supervisor', { name: 'Supervisor', order: 2, colour: '#efe' });
    putLane(doc, 'admin', { name: 'Repairs admin', order: 1, colour: '#ffe' });
    expect(readBoard(doc).lanes.map((l) => l.name)).toEqual([
      'Contact centre',
      'Repairs admin',
      'Supervisor',
      'Contractor',
    ]);
  });

  it('sorts negative and fractional orders numerically, not as text', () => {
    const doc = new Y.Doc();
    putLane(doc, 'ten', { name: '10', order: 10 });
    putLane(doc, 'two', { name: '2', order: 2 });
    putLane(doc, 'half', { name: '0.5', order: 0.5 });
    putLane(doc, 'neg', { name: '-1', order: -1 });
    expect(readBoard(doc).lanes.map((l) => l.id)).toEqual(['neg', 'half', 'two', 'ten']);
  });

  it('breaks ties in order by id, so every replica shows the same lane order', () => {
    const a = new Y.Doc();
    putLane(a, 'zeta', { name: 'Z', order: 1 });
    putLane(a, 'alpha', { name: 'A', order: 1 });
    const b = new Y.Doc();
    putLane(b, 'alpha', { name: 'A', order: 1 });
    putLane(b, 'zeta', { name: 'Z', order: 1 });
    expect(readBoard(a).lanes.map((l) => l.id)).toEqual(['alpha', 'zeta']);
    expect(readBoard(b).lanes).toEqual(readBoard(a).lanes);
  });

  it('gives a lane missing its fields an empty name, order 0 and the default colour', () => {
    const doc = new Y.Doc();
    putLane(doc, 'bare', {});
    putLane(doc, 'odd', { name: 5, order: 'first', colour: null });
    expect(readBoard(doc).lanes).toEqual([
      { id: 'bare', name: '', order: 0, colour: '#e2e8f0' },
      { id: 'odd', name: '', order: 0, colour: '#e2e8f0' },
    ]);
  });

  it('readLane reads a lane under the id it is given', () => {
    const doc = new Y.Doc();
    putLane(doc, 'l1', { name: 'Contact centre', order: 2, colour: '#abcdef' });
    const lane = lanesMap(doc).get('l1');
    if (!lane) throw new Error('test: lane not written');
    expect(readLane('l1', lane)).toEqual({ id: 'l1', name: 'Contact centre', order: 2, colour: '#abcdef' });
  });
});

describe('readMeta', () => {
  it('defaults the title to "Untitled board" when missing, empty or not text', () => {
    for (const title of [undefined, '', 17, null]) {
      const doc = new Y.Doc();
      if (title !== undefined) metaMap(doc).set('title', title);
      expect(readMeta(doc).title).toBe('Untitled board');
    }
  });

  it('defaults the format version to the current one when missing or not a number', () => {
    const doc = new Y.Doc();
    expect(readMeta(doc).schemaVersion).toBe(BOARD_SCHEMA_VERSION);
    metaMap(doc).set('schemaVersion', 'one');
    expect(readMeta(doc).schemaVersion).toBe(BOARD_SCHEMA_VERSION);
  });

  it('reports the format version a board was written with', () => {
    const doc = new Y.Doc();
    metaMap(doc).set('schemaVersion', 2);
    metaMap(doc).set('title', 'Newer board');
    expect(readMeta(doc)).toEqual({ title: 'Newer board', schemaVersion: 2 });
    expect(readBoard(doc).meta).toEqual(readMeta(doc));
  });
});

describe('countSteps', () => {
  it('is 0 on an empty board', () => {
    expect(countSteps(new Y.Doc())).toBe(0);
  });

  it('counts only steps, not notes, edges or other kinds', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: { x: 0, y: 0 } });
    const b = addStep(doc, { position: { x: 0, y: 0 } });
    addStep(doc, { position: { x: 0, y: 0 } });
    connect(doc, a, b);
    addNote(doc, { position: { x: 0, y: 0 }, text: 'not a step' });
    putNode(doc, 'd', { kind: 'demand', label: 'demand' });
    putNode(doc, 'p', { kind: 'purpose', label: 'purpose' });
    putNode(doc, 'u', { kind: 'sticker' });
    expect(countSteps(doc)).toBe(3);
  });

  it('agrees with the steps readBoard shows, and follows deletions', () => {
    const doc = new Y.Doc();
    const ids = [0, 1, 2, 3].map((x) => addStep(doc, { position: { x, y: 0 } }));
    deleteElements(doc, { nodeIds: [ids[0], ids[2]] });
    expect(countSteps(doc)).toBe(2);
    expect(countSteps(doc)).toBe(readBoard(doc).nodes.filter((n) => n.kind === 'step').length);
  });
});
