/**
 * The named board operations on plain Y.Docs: what each writes, that each is
 * one transaction with the right origin, that bad input changes nothing, and
 * that concurrent edits on two replicas merge the way a workshop expects.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_SCHEMA_VERSION,
  BoardOperationError,
  DEFAULT_BOARD_TITLE,
  DEFAULT_STEP_LABEL,
  LOCAL_ORIGIN,
  MAX_LABEL_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_TITLE_LENGTH,
  addNote,
  addStep,
  connect,
  deleteElements,
  edgesMap,
  initBoard,
  lanesMap,
  metaMap,
  moveNodes,
  nodesMap,
  readBoard,
  renameNode,
  setBoardTitle,
  type Board,
  type BoardNode,
  type EdgeKind,
  type FieldValue,
  type Note,
  type NoteColour,
  type Position,
  type Step,
} from '../../src/model';

// ---------------------------------------------------------------- helpers

/** Counts the updates a doc emits and the origins of its transactions. */
function record(doc: Y.Doc): { updates: Uint8Array[]; origins: unknown[] } {
  const log = { updates: [] as Uint8Array[], origins: [] as unknown[] };
  doc.on('update', (update: Uint8Array) => log.updates.push(update));
  doc.on('afterTransaction', (transaction: Y.Transaction) => log.origins.push(transaction.origin));
  return log;
}

/**
 * Runs `action`, expects it to throw a BoardOperationError, and expects the
 * document to be byte-for-byte what it was, with no update emitted.
 */
function expectRejected(doc: Y.Doc, action: () => unknown): void {
  const before = Y.encodeStateAsUpdate(doc);
  const boardBefore = readBoard(doc);
  const log = record(doc);
  expect(action).toThrow(BoardOperationError);
  expect(log.updates).toHaveLength(0);
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  expect(readBoard(doc)).toEqual(boardBefore);
}

/** Swaps full state both ways so that the two replicas have seen everything. */
function sync(a: Y.Doc, b: Y.Doc): void {
  const fromA = Y.encodeStateAsUpdate(a);
  const fromB = Y.encodeStateAsUpdate(b);
  Y.applyUpdate(b, fromA);
  Y.applyUpdate(a, fromB);
}

/** A second replica holding exactly what `doc` holds now. */
function replicaOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** There is no lane operation yet, so lanes are written the way a later one will. */
function putLane(doc: Y.Doc, id: string, name: string, order: number): void {
  doc.transact(() => {
    const lane = new Y.Map<FieldValue>();
    lane.set('name', name);
    lane.set('order', order);
    lane.set('colour', '#ffffff');
    lanesMap(doc).set(id, lane);
  });
}

function nodeById(board: Board, id: string): BoardNode {
  const node = board.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`test: no node ${id} on the board`);
  return node;
}
function stepById(doc: Y.Doc, id: string): Step {
  const node = nodeById(readBoard(doc), id);
  if (node.kind !== 'step') throw new Error(`test: node ${id} is a ${node.kind}, not a step`);
  return node;
}
function noteById(doc: Y.Doc, id: string): Note {
  const node = nodeById(readBoard(doc), id);
  if (node.kind !== 'note') throw new Error(`test: node ${id} is a ${node.kind}, not a note`);
  return node;
}

/** A node kind the next issue adds (demand, condition), written directly. */
function putOtherNode(doc: Y.Doc, id: string, kind: 'demand' | 'purpose' | 'condition'): void {
  doc.transact(() => {
    const node = new Y.Map<FieldValue>();
    for (const [key, value] of Object.entries({ id, kind, x: 0, y: 0, label: kind })) node.set(key, value);
    nodesMap(doc).set(id, node);
  });
}

const at = (x: number, y: number): Position => ({ x, y });

/** Sorted by id, because map iteration order can differ between replicas. */
function canonical(doc: Y.Doc): Board {
  const board = readBoard(doc);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return { ...board, nodes: [...board.nodes].sort(byId), edges: [...board.edges].sort(byId) };
}

// ---------------------------------------------------------------- initBoard / setBoardTitle

describe('initBoard', () => {
  it('sets the title and the format version', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Housing repairs');
    expect(readBoard(doc).meta).toEqual({ title: 'Housing repairs', schemaVersion: BOARD_SCHEMA_VERSION });
    expect(metaMap(doc).get('schemaVersion')).toBe(BOARD_SCHEMA_VERSION);
  });

  it('collapses whitespace in the title and trims it', () => {
    const doc = new Y.Doc();
    initBoard(doc, '  Housing \n\t repairs  ');
    expect(readBoard(doc).meta.title).toBe('Housing repairs');
  });

  it('gives an empty or blank title the default title', () => {
    for (const title of ['', '   ', '\n\t']) {
      const doc = new Y.Doc();
      initBoard(doc, title);
      expect(metaMap(doc).get('title')).toBe(DEFAULT_BOARD_TITLE);
    }
  });

  it('is one update with the local origin by default', () => {
    const doc = new Y.Doc();
    const log = record(doc);
    initBoard(doc, 'A board');
    expect(log.updates).toHaveLength(1);
    expect(log.origins).toEqual([LOCAL_ORIGIN]);
  });

  it('uses the origin it is given', () => {
    const doc = new Y.Doc();
    const log = record(doc);
    const serverOrigin = { who: 'server' };
    initBoard(doc, 'A board', serverOrigin);
    expect(log.origins).toEqual([serverOrigin]);
    expect(log.updates).toHaveLength(1);
  });

  it('can be called twice without touching the format version', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'First');
    metaMap(doc).set('schemaVersion', 7); // a board written by a newer client
    initBoard(doc, 'Second');
    expect(readBoard(doc).meta).toEqual({ title: 'Second', schemaVersion: 7 });
  });

  it('accepts a title of exactly the maximum length and rejects a longer one, changing nothing', () => {
    const doc = new Y.Doc();
    initBoard(doc, 't'.repeat(MAX_TITLE_LENGTH));
    expect(readBoard(doc).meta.title).toHaveLength(MAX_TITLE_LENGTH);
    expectRejected(doc, () => initBoard(doc, 'x'.repeat(MAX_TITLE_LENGTH + 1)));
    expect(readBoard(doc).meta.title).toBe('t'.repeat(MAX_TITLE_LENGTH));
  });

  it('rejects a title that is not text, writing nothing', () => {
    const doc = new Y.Doc();
    expectRejected(doc, () => initBoard(doc, 42 as unknown as string));
    expect(metaMap(doc).size).toBe(0);
  });
});

describe('setBoardTitle', () => {
  it('renames the board and returns the cleaned title', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Old');
    expect(setBoardTitle(doc, '  New   name ')).toBe('New name');
    expect(readBoard(doc).meta.title).toBe('New name');
  });

  it('is one update with the local origin by default, or the given origin', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Old');
    const log = record(doc);
    setBoardTitle(doc, 'New');
    setBoardTitle(doc, 'Newer', 'remote-api');
    expect(log.updates).toHaveLength(2);
    expect(log.origins).toEqual([LOCAL_ORIGIN, 'remote-api']);
  });

  it('rejects an empty or blank title and keeps the old one', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Keep me');
    for (const title of ['', '    ', '\n']) expectRejected(doc, () => setBoardTitle(doc, title));
    expect(readBoard(doc).meta.title).toBe('Keep me');
  });

  it('rejects a title over the maximum length and keeps the old one', () => {
    const doc = new Y.Doc();
    initBoard(doc, 'Keep me');
    expectRejected(doc, () => setBoardTitle(doc, 'x'.repeat(MAX_TITLE_LENGTH + 1)));
    expect(setBoardTitle(doc, 'y'.repeat(MAX_TITLE_LENGTH))).toHaveLength(MAX_TITLE_LENGTH);
  });

  it('measures the length after collapsing whitespace', () => {
    const doc = new Y.Doc();
    const padded = ' '.repeat(MAX_TITLE_LENGTH) + 'Short' + ' '.repeat(MAX_TITLE_LENGTH);
    expect(setBoardTitle(doc, padded)).toBe('Short');
  });
});

// ---------------------------------------------------------------- addStep

describe('addStep', () => {
  it('places a step with its label and position and no lane', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(120, -40), label: 'Take repair call' });
    expect(readBoard(doc).nodes).toEqual([
      { id, kind: 'step', position: { x: 120, y: -40 }, label: 'Take repair call', lane: null },
    ]);
  });

  it('stores every field as its own key of a nested map, with the id inside', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(1, 2), label: 'Code job' });
    const node = nodesMap(doc).get(id);
    expect(node).toBeInstanceOf(Y.Map);
    expect(node?.toJSON()).toEqual({ id, kind: 'step', x: 1, y: 2, label: 'Code job', lane: null });
  });

  it('gives each step a fresh id', () => {
    const doc = new Y.Doc();
    const ids = new Set(Array.from({ length: 50 }, () => addStep(doc, { position: at(0, 0) })));
    expect(ids.size).toBe(50);
    expect(nodesMap(doc).size).toBe(50);
  });

  it('labels a step "New step" when no label, or a blank one, is given', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: at(0, 0) });
    const b = addStep(doc, { position: at(0, 0), label: '' });
    const c = addStep(doc, { position: at(0, 0), label: '  \n ' });
    for (const id of [a, b, c]) expect(stepById(doc, id).label).toBe(DEFAULT_STEP_LABEL);
  });

  it('collapses whitespace and line breaks in the label', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(0, 0), label: '  Visit\n  property \t to inspect ' });
    expect(stepById(doc, id).label).toBe('Visit property to inspect');
  });

  it('puts the step in an existing lane', () => {
    const doc = new Y.Doc();
    putLane(doc, 'contact', 'Contact centre', 0);
    const id = addStep(doc, { position: at(0, 0), lane: 'contact' });
    expect(stepById(doc, id).lane).toBe('contact');
  });

  it('is one update with the local origin by default, or the given origin', () => {
    const doc = new Y.Doc();
    const log = record(doc);
    addStep(doc, { position: at(0, 0), label: 'A' });
    addStep(doc, { position: at(0, 0), label: 'B' }, 'template');
    expect(log.updates).toHaveLength(2);
    expect(log.origins).toEqual([LOCAL_ORIGIN, 'template']);
  });

  it('rejects an unknown lane, writing nothing', () => {
    const doc = new Y.Doc();
    putLane(doc, 'contact', 'Contact centre', 0);
    expectRejected(doc, () => addStep(doc, { position: at(0, 0), lane: 'no-such-lane' }));
  });

  it('rejects positions that are not finite numbers, writing nothing', () => {
    const doc = new Y.Doc();
    addStep(doc, { position: at(0, 0), label: 'Existing' });
    const bad: Position[] = [
      at(Number.NaN, 0),
      at(0, Number.NaN),
      at(Number.POSITIVE_INFINITY, 0),
      at(0, Number.NEGATIVE_INFINITY),
      { x: '5', y: 0 } as unknown as Position,
    ];
    for (const position of bad) expectRejected(doc, () => addStep(doc, { position, label: 'Bad' }));
    expectRejected(doc, () => addStep(doc, { position: undefined as unknown as Position }));
    expect(readBoard(doc).nodes).toHaveLength(1);
  });

  it('accepts a label of exactly the maximum length and rejects a longer one', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(0, 0), label: 'a'.repeat(MAX_LABEL_LENGTH) });
    expect(stepById(doc, id).label).toHaveLength(MAX_LABEL_LENGTH);
    expectRejected(doc, () => addStep(doc, { position: at(0, 0), label: 'a'.repeat(MAX_LABEL_LENGTH + 1) }));
  });

  it('rejects a label that is not text', () => {
    const doc = new Y.Doc();
    expectRejected(doc, () => addStep(doc, { position: at(0, 0), label: 7 as unknown as string }));
  });

  it('keeps only x and y of the position it is given', () => {
    const doc = new Y.Doc();
    const position = { x: 3, y: 4, selected: true } as Position;
    const id = addStep(doc, { position });
    expect(Object.keys(nodesMap(doc).get(id)?.toJSON() ?? {}).sort()).toEqual(
      ['id', 'kind', 'label', 'lane', 'x', 'y'].sort(),
    );
  });
});

// ---------------------------------------------------------------- addNote

describe('addNote', () => {
  it('places a yellow, empty note by default', () => {
    const doc = new Y.Doc();
    const id = addNote(doc, { position: at(5, 6) });
    expect(readBoard(doc).nodes).toEqual([{ id, kind: 'note', position: { x: 5, y: 6 }, text: '', colour: 'yellow' }]);
  });

  it('keeps the line breaks and spacing of the note text exactly', () => {
    const doc = new Y.Doc();
    const text = 'Questions:\n- why pre-inspect?\n-  who checks   it?\n';
    const id = addNote(doc, { position: at(0, 0), text, colour: 'pink' });
    expect(noteById(doc, id)).toMatchObject({ text, colour: 'pink' });
  });

  it('accepts every note colour', () => {
    const doc = new Y.Doc();
    const colours: NoteColour[] = ['yellow', 'pink', 'blue', 'green', 'purple'];
    for (const colour of colours) {
      const id = addNote(doc, { position: at(0, 0), colour });
      expect(noteById(doc, id).colour).toBe(colour);
    }
  });

  it('rejects an unknown colour, writing nothing', () => {
    const doc = new Y.Doc();
    expectRejected(doc, () => addNote(doc, { position: at(0, 0), colour: 'red' as NoteColour }));
    expectRejected(doc, () => addNote(doc, { position: at(0, 0), colour: '' as NoteColour }));
  });

  it('rejects a non-finite position, writing nothing', () => {
    const doc = new Y.Doc();
    expectRejected(doc, () => addNote(doc, { position: at(Number.NaN, 1), text: 'x' }));
    expectRejected(doc, () => addNote(doc, { position: at(1, Number.POSITIVE_INFINITY), text: 'x' }));
  });

  it('accepts text of exactly the maximum length and rejects longer text', () => {
    const doc = new Y.Doc();
    const id = addNote(doc, { position: at(0, 0), text: 'n'.repeat(MAX_NOTE_LENGTH) });
    expect(noteById(doc, id).text).toHaveLength(MAX_NOTE_LENGTH);
    expectRejected(doc, () => addNote(doc, { position: at(0, 0), text: 'n'.repeat(MAX_NOTE_LENGTH + 1) }));
  });

  it('rejects text that is not text', () => {
    const doc = new Y.Doc();
    expectRejected(doc, () => addNote(doc, { position: at(0, 0), text: ['a'] as unknown as string }));
  });

  it('is one update with the local origin by default, or the given origin', () => {
    const doc = new Y.Doc();
    const log = record(doc);
    addNote(doc, { position: at(0, 0), text: 'a' });
    addNote(doc, { position: at(0, 0), text: 'b' }, 'template');
    expect(log.updates).toHaveLength(2);
    expect(log.origins).toEqual([LOCAL_ORIGIN, 'template']);
  });

  it('is not counted as a step', () => {
    const doc = new Y.Doc();
    addNote(doc, { position: at(0, 0), text: 'a' });
    expect(readBoard(doc).nodes.filter((n) => n.kind === 'step')).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- renameNode

describe('renameNode', () => {
  it('renames a step, collapsing whitespace', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(10, 20), label: 'Old', lane: null });
    renameNode(doc, id, '  Book \n contractor  ');
    expect(stepById(doc, id)).toEqual({
      id,
      kind: 'step',
      position: { x: 10, y: 20 },
      label: 'Book contractor',
      lane: null,
    });
  });

  it('rewrites a note, keeping its line breaks, and allows empty note text', () => {
    const doc = new Y.Doc();
    const id = addNote(doc, { position: at(0, 0), text: 'first', colour: 'blue' });
    renameNode(doc, id, 'line 1\nline 2');
    expect(noteById(doc, id)).toMatchObject({ text: 'line 1\nline 2', colour: 'blue' });
    renameNode(doc, id, '');
    expect(noteById(doc, id).text).toBe('');
    expect(nodesMap(doc).get(id)?.has('label')).toBe(false);
  });

  it('renames the other kinds of element by their label', () => {
    const doc = new Y.Doc();
    putOtherNode(doc, 'p1', 'purpose');
    renameNode(doc, 'p1', '  Fix my repair   right first time ');
    expect(nodeById(readBoard(doc), 'p1')).toMatchObject({ kind: 'purpose', label: 'Fix my repair right first time' });
  });

  it('is one update with the local origin by default, or the given origin', () => {
    const doc = new Y.Doc();
    const step = addStep(doc, { position: at(0, 0), label: 'A' });
    const note = addNote(doc, { position: at(0, 0), text: 'a' });
    const log = record(doc);
    renameNode(doc, step, 'B');
    renameNode(doc, note, 'b');
    renameNode(doc, step, 'C', 'api');
    renameNode(doc, note, 'c', 'api');
    expect(log.updates).toHaveLength(4);
    expect(log.origins).toEqual([LOCAL_ORIGIN, LOCAL_ORIGIN, 'api', 'api']);
  });

  it('rejects an unknown or deleted id, writing nothing', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(0, 0), label: 'Gone soon' });
    expectRejected(doc, () => renameNode(doc, 'no-such-id', 'x'));
    deleteElements(doc, { nodeIds: [id] });
    expectRejected(doc, () => renameNode(doc, id, 'Back again'));
    expect(nodesMap(doc).has(id)).toBe(false);
  });

  it('rejects an empty or blank step label and keeps the old one', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(0, 0), label: 'Keep' });
    for (const text of ['', '   ', '\n\t']) expectRejected(doc, () => renameNode(doc, id, text));
    expect(stepById(doc, id).label).toBe('Keep');
  });

  it('rejects a step label over the maximum length and accepts exactly the maximum', () => {
    const doc = new Y.Doc();
    const id = addStep(doc, { position: at(0, 0), label: 'Keep' });
    expectRejected(doc, () => renameNode(doc, id, 'x'.repeat(MAX_LABEL_LENGTH + 1)));
    renameNode(doc, id, 'x'.repeat(MAX_LABEL_LENGTH));
    expect(stepById(doc, id).label).toHaveLength(MAX_LABEL_LENGTH);
  });

  it('rejects note text over the maximum length and keeps the old text', () => {
    const doc = new Y.Doc();
    const id = addNote(doc, { position: at(0, 0), text: 'Keep' });
    expectRejected(doc, () => renameNode(doc, id, 'x'.repeat(MAX_NOTE_LENGTH + 1)));
    expect(noteById(doc, id).text).toBe('Keep');
  });

  it('rejects a new label that is not text', () => {
    const doc = new Y.Doc();
    const step = addStep(doc, { position: at(0, 0), label: 'Keep' });
    const note = addNote(doc, { position: at(0, 0), text: 'Keep' });
    expectRejected(doc, () => renameNode(doc, step, null as unknown as string));
    expectRejected(doc, () => renameNode(doc, note, 3 as unknown as string));
  });
});

// ---------------------------------------------------------------- moveNodes

describe('moveNodes', () => {
  it('moves several elements in one update with the local origin', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: at(0, 0), label: 'A' });
    const b = addStep(doc, { position: at(10, 10), label: 'B' });
    const n = addNote(doc, { position: at(20, 20), text: 'n' });
    const log = record(doc);
    moveNodes(doc, [
      { id: a, position: at(100, 0) },
      { id: b, position: at(110, 10) },
      { id: n, position: at(-5.5, 1e6) },
    ]);
    expect(log.updates).toHaveLength(1);
    expect(log.origins).toEqual([LOCAL_ORIGIN]);
    expect(stepById(doc, a).position).toEqual({ x: 100, y: 0 });
    expect(stepById(doc, b).position).toEqual({ x: 110, y: 10 });
    expect(noteById(doc, n).position).toEqual({ x: -5.5, y: 1e6 });
  });

  it('uses the origin it is given', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: at(0, 0) });
    const log = record(doc);
    moveNodes(doc, [{ id: a, position: at(1, 1) }], 'auto-layout');
    expect(log.origins).toEqual(['auto-layout']);
  });

  it('leaves the label and lane of a moved step alone', () => {
    const doc = new Y.Doc();
    putLane(doc, 'admin', 'Repairs admin', 1);
    const a = addStep(doc, { position: at(0, 0), label: 'Code job', lane: 'admin' });
    moveNodes(doc, [{ id: a, position: at(50, 60) }]);
    expect(stepById(doc, a)).toEqual({
      id: a,
      kind: 'step',
      position: { x: 50, y: 60 },
      label: 'Code job',
      lane: 'admin',
    });
  });

  it('skips ids deleted meanwhile instead of recreating them', () => {
    const doc = new Y.Doc();
    const kept = addStep(doc, { position: at(0, 0), label: 'Kept' });
    const gone = addStep(doc, { position: at(0, 0), label: 'Gone' });
    deleteElements(doc, { nodeIds: [gone] });
    moveNodes(doc, [
      { id: gone, position: at(9, 9) },
      { id: kept, position: at(5, 5) },
      { id: 'never-existed', position: at(1, 1) },
    ]);
    expect(nodesMap(doc).has(gone)).toBe(false);
    expect(nodesMap(doc).has('never-existed')).toBe(false);
    expect(readBoard(doc).nodes.map((n) => n.id)).toEqual([kept]);
    expect(stepById(doc, kept).position).toEqual({ x: 5, y: 5 });
  });

  it('emits no update when nothing actually moves', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: at(3, 4) });
    const log = record(doc);
    moveNodes(doc, [{ id: a, position: at(3, 4) }]);
    moveNodes(doc, []);
    moveNodes(doc, [{ id: 'gone', position: at(3, 4) }]);
    expect(log.updates).toHaveLength(0);
  });

  it('writes only the coordinate that changed, so a concurrent move of the other axis is kept', () => {
    const a = new Y.Doc();
    const id = addStep(a, { position: at(0, 0) });
    const b = replicaOf(a);
    moveNodes(a, [{ id, position: at(100, 0) }]); // horizontal only
    moveNodes(b, [{ id, position: at(0, 200) }]); // vertical only
    sync(a, b);
    expect(stepById(a, id).position).toEqual({ x: 100, y: 200 });
    expect(stepById(b, id).position).toEqual({ x: 100, y: 200 });
  });

  it('rejects the whole move if any position is not finite, moving nothing', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: at(0, 0) });
    const b = addStep(doc, { position: at(0, 0) });
    expectRejected(doc, () =>
      moveNodes(doc, [
        { id: a, position: at(10, 10) },
        { id: b, position: at(Number.NaN, 10) },
      ]),
    );
    expectRejected(doc, () => moveNodes(doc, [{ id: a, position: at(10, Number.POSITIVE_INFINITY) }]));
    expect(stepById(doc, a).position).toEqual({ x: 0, y: 0 });
  });
});

// ---------------------------------------------------------------- connect

describe('connect', () => {
  function twoSteps(doc: Y.Doc): [string, string] {
    return [addStep(doc, { position: at(0, 0), label: 'A' }), addStep(doc, { position: at(200, 0), label: 'B' })];
  }

  it('draws a flow edge between two steps by default', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    const id = connect(doc, a, b);
    expect(readBoard(doc).edges).toEqual([{ id, kind: 'flow', source: a, target: b }]);
    expect(edgesMap(doc).get(id)?.toJSON()).toEqual({ id, kind: 'flow', source: a, target: b });
  });

  it('is one update with the local origin by default, or the given origin', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    const log = record(doc);
    connect(doc, a, b);
    connect(doc, b, a, 'flow', 'template');
    expect(log.updates).toHaveLength(2);
    expect(log.origins).toEqual([LOCAL_ORIGIN, 'template']);
  });

  it('gives back the existing edge when the same pair is connected again, writing nothing', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    const first = connect(doc, a, b);
    const log = record(doc);
    expect(connect(doc, a, b)).toBe(first);
    expect(connect(doc, a, b, 'flow')).toBe(first);
    expect(log.updates).toHaveLength(0);
    expect(readBoard(doc).edges).toHaveLength(1);
  });

  it('treats the opposite direction as a different edge (a rework loop)', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    const forward = connect(doc, a, b);
    const back = connect(doc, b, a);
    expect(back).not.toBe(forward);
    expect(readBoard(doc).edges).toHaveLength(2);
  });

  it('rejects connecting a step to itself, writing nothing', () => {
    const doc = new Y.Doc();
    const [a] = twoSteps(doc);
    expectRejected(doc, () => connect(doc, a, a));
  });

  it('rejects unknown or deleted ends, writing nothing', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    expectRejected(doc, () => connect(doc, a, 'missing'));
    expectRejected(doc, () => connect(doc, 'missing', b));
    deleteElements(doc, { nodeIds: [b] });
    expectRejected(doc, () => connect(doc, a, b));
    expect(edgesMap(doc).size).toBe(0);
  });

  it('rejects a flow from or to a note, writing nothing', () => {
    const doc = new Y.Doc();
    const [a] = twoSteps(doc);
    const note = addNote(doc, { position: at(0, 0), text: 'n' });
    const note2 = addNote(doc, { position: at(0, 0), text: 'm' });
    expectRejected(doc, () => connect(doc, note, a));
    expectRejected(doc, () => connect(doc, a, note));
    expectRejected(doc, () => connect(doc, note, note2));
  });

  it('allows entry from demand to a step and causes from a condition to a step or demand', () => {
    const doc = new Y.Doc();
    const [a] = twoSteps(doc);
    putOtherNode(doc, 'demand', 'demand');
    putOtherNode(doc, 'cond', 'condition');
    const entry = connect(doc, 'demand', a, 'entry');
    const causesStep = connect(doc, 'cond', a, 'causes');
    const causesDemand = connect(doc, 'cond', 'demand', 'causes');
    expect(readBoard(doc).edges).toEqual(
      expect.arrayContaining([
        { id: entry, kind: 'entry', source: 'demand', target: a },
        { id: causesStep, kind: 'causes', source: 'cond', target: a },
        { id: causesDemand, kind: 'causes', source: 'cond', target: 'demand' },
      ]),
    );
  });

  it('rejects each kind of edge between the wrong kinds of element', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    putOtherNode(doc, 'demand', 'demand');
    putOtherNode(doc, 'cond', 'condition');
    putOtherNode(doc, 'purpose', 'purpose');
    expectRejected(doc, () => connect(doc, a, b, 'entry')); // entry must start at demand
    expectRejected(doc, () => connect(doc, a, 'demand', 'entry')); // and end at a step
    expectRejected(doc, () => connect(doc, 'demand', a, 'flow')); // flow is step → step
    expectRejected(doc, () => connect(doc, a, 'cond', 'causes')); // causes starts at a condition
    expectRejected(doc, () => connect(doc, 'cond', 'purpose', 'causes')); // and ends at a step or demand
  });

  it('rejects an unknown kind of edge, writing nothing', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    expectRejected(doc, () => connect(doc, a, b, 'handoff' as EdgeKind));
  });

  // BUG: EDGE_ENDS is a plain object, so a kind named like an Object.prototype
  // member ('toString', 'constructor', '__proto__') passes the `!ends` check and
  // then crashes with a TypeError instead of the promised BoardOperationError.
  it('rejects an edge kind named like a built-in object property with a BoardOperationError', () => {
    const doc = new Y.Doc();
    const [a, b] = twoSteps(doc);
    for (const kind of ['toString', 'constructor', '__proto__']) {
      expectRejected(doc, () => connect(doc, a, b, kind as EdgeKind));
    }
  });
});

// ---------------------------------------------------------------- deleteElements

describe('deleteElements', () => {
  function chain(doc: Y.Doc): { a: string; b: string; c: string; ab: string; bc: string } {
    const a = addStep(doc, { position: at(0, 0), label: 'A' });
    const b = addStep(doc, { position: at(100, 0), label: 'B' });
    const c = addStep(doc, { position: at(200, 0), label: 'C' });
    return { a, b, c, ab: connect(doc, a, b), bc: connect(doc, b, c) };
  }

  it('removes a step with every edge touching it, in one update with the local origin', () => {
    const doc = new Y.Doc();
    const { a, b, c } = chain(doc);
    const log = record(doc);
    deleteElements(doc, { nodeIds: [b] });
    expect(log.updates).toHaveLength(1);
    expect(log.origins).toEqual([LOCAL_ORIGIN]);
    expect(
      readBoard(doc)
        .nodes.map((n) => n.id)
        .sort(),
    ).toEqual([a, c].sort());
    expect(edgesMap(doc).size).toBe(0); // removed from the document, not just hidden by the reader
  });

  it('uses the origin it is given', () => {
    const doc = new Y.Doc();
    const { a } = chain(doc);
    const log = record(doc);
    deleteElements(doc, { nodeIds: [a] }, 'api');
    expect(log.origins).toEqual(['api']);
  });

  it('removes only the edges it is given when deleting edges', () => {
    const doc = new Y.Doc();
    const { ab, bc } = chain(doc);
    deleteElements(doc, { edgeIds: [ab] });
    expect(readBoard(doc).nodes).toHaveLength(3);
    expect(readBoard(doc).edges.map((e) => e.id)).toEqual([bc]);
  });

  it('removes notes, steps and edges together', () => {
    const doc = new Y.Doc();
    const { a, c, bc } = chain(doc);
    const note = addNote(doc, { position: at(0, 0), text: 'n' });
    deleteElements(doc, { nodeIds: [a, note], edgeIds: [bc] });
    const board = readBoard(doc);
    expect(board.nodes.map((n) => n.id)).toHaveLength(2);
    expect(board.nodes.map((n) => n.id)).toContain(c);
    expect(board.edges).toEqual([]);
    expect(edgesMap(doc).size).toBe(0);
  });

  it('ignores ids that are already gone without error or update', () => {
    const doc = new Y.Doc();
    const { b } = chain(doc);
    deleteElements(doc, { nodeIds: [b] });
    const before = Y.encodeStateAsUpdate(doc);
    const log = record(doc);
    expect(() => deleteElements(doc, { nodeIds: [b, 'never-existed'], edgeIds: ['no-edge'] })).not.toThrow();
    expect(() => deleteElements(doc, {})).not.toThrow();
    expect(log.updates).toHaveLength(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('still deletes the live ids when some of the ids are already gone', () => {
    const doc = new Y.Doc();
    const { a, b, c } = chain(doc);
    deleteElements(doc, { nodeIds: [a] });
    deleteElements(doc, { nodeIds: [a, c] });
    expect(readBoard(doc).nodes.map((n) => n.id)).toEqual([b]);
    expect(edgesMap(doc).size).toBe(0);
  });

  it('is one undo step that brings back the step and its edges together', () => {
    const doc = new Y.Doc();
    const { a, b, c, ab, bc } = chain(doc);
    const undo = new Y.UndoManager([nodesMap(doc), edgesMap(doc)], {
      trackedOrigins: new Set([LOCAL_ORIGIN]),
      captureTimeout: 0,
    });
    deleteElements(doc, { nodeIds: [b] });
    undo.undo();
    const board = readBoard(doc);
    expect(board.nodes.map((n) => n.id).sort()).toEqual([a, b, c].sort());
    expect(board.edges.map((e) => e.id).sort()).toEqual([ab, bc].sort());
    expect(stepById(doc, b).label).toBe('B');
    undo.destroy();
  });
});

// ---------------------------------------------------------------- undo tracks only local work

describe('the local origin and undo', () => {
  it('undoes this person’s change but never another person’s', () => {
    const mine = new Y.Doc();
    const step = addStep(mine, { position: at(0, 0), label: 'Shared' });
    const theirs = replicaOf(mine);
    const undo = new Y.UndoManager([nodesMap(mine), edgesMap(mine)], {
      trackedOrigins: new Set([LOCAL_ORIGIN]),
      captureTimeout: 0,
    });
    const myNote = addNote(mine, { position: at(0, 0), text: 'mine' });
    const theirStep = addStep(theirs, { position: at(0, 0), label: 'Theirs' });
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs), 'provider');
    undo.undo();
    const ids = readBoard(mine).nodes.map((n) => n.id);
    expect(ids).not.toContain(myNote);
    expect(ids).toEqual(expect.arrayContaining([step, theirStep]));
    undo.destroy();
  });

  it('does not track changes made under another origin', () => {
    const doc = new Y.Doc();
    const undo = new Y.UndoManager([nodesMap(doc)], { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });
    addStep(doc, { position: at(0, 0) }, 'server');
    expect(undo.canUndo()).toBe(false);
    addStep(doc, { position: at(0, 0) });
    expect(undo.canUndo()).toBe(true);
    undo.destroy();
  });
});

// ---------------------------------------------------------------- concurrency

describe('concurrent edits on two replicas', () => {
  function twoReplicas(): { a: Y.Doc; b: Y.Doc; step: string; other: string } {
    const a = new Y.Doc();
    initBoard(a, 'Shared board');
    const step = addStep(a, { position: at(0, 0), label: 'Code job' });
    const other = addStep(a, { position: at(300, 0), label: 'Book contractor' });
    const b = replicaOf(a);
    return { a, b, step, other };
  }

  it('each operation is a single update another replica can apply on its own', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const log = record(a);
    initBoard(a, 'Board');
    const s1 = addStep(a, { position: at(0, 0), label: 'One' });
    const s2 = addStep(a, { position: at(1, 0), label: 'Two' });
    addNote(a, { position: at(2, 0), text: 'note' });
    connect(a, s1, s2);
    renameNode(a, s1, 'Uno');
    moveNodes(a, [{ id: s2, position: at(9, 9) }]);
    deleteElements(a, { nodeIds: [s1] });
    expect(log.updates).toHaveLength(8);
    for (const update of log.updates) Y.applyUpdate(b, update);
    expect(canonical(b)).toEqual(canonical(a));
  });

  it('one person moves a step while another renames it: both changes are kept', () => {
    const { a, b, step } = twoReplicas();
    moveNodes(a, [{ id: step, position: at(250, 40) }]);
    renameNode(b, step, 'Code job to schedule of rates');
    sync(a, b);
    for (const doc of [a, b]) {
      expect(stepById(doc, step)).toMatchObject({
        label: 'Code job to schedule of rates',
        position: { x: 250, y: 40 },
      });
    }
  });

  it('two people rename the same step at once: both replicas agree on one of the names', () => {
    const { a, b, step } = twoReplicas();
    renameNode(a, step, 'Name from A');
    renameNode(b, step, 'Name from B');
    sync(a, b);
    const label = stepById(a, step).label;
    expect(['Name from A', 'Name from B']).toContain(label);
    expect(stepById(b, step).label).toBe(label);
    expect(canonical(a)).toEqual(canonical(b));
  });

  it('two people move the same step at once: both replicas agree on one position', () => {
    const { a, b, step } = twoReplicas();
    moveNodes(a, [{ id: step, position: at(10, 10) }]);
    moveNodes(b, [{ id: step, position: at(20, 20) }]);
    sync(a, b);
    expect(stepById(a, step).position).toEqual(stepById(b, step).position);
    expect([10, 20]).toContain(stepById(a, step).position.x);
  });

  it('two people retitle the board at once: both replicas agree on one title', () => {
    const { a, b } = twoReplicas();
    setBoardTitle(a, 'Title A');
    setBoardTitle(b, 'Title B');
    sync(a, b);
    expect(readBoard(a).meta.title).toBe(readBoard(b).meta.title);
    expect(['Title A', 'Title B']).toContain(readBoard(a).meta.title);
  });

  it('one deletes a step while the other connects to it: no dangling edge after merging', () => {
    const { a, b, step, other } = twoReplicas();
    deleteElements(a, { nodeIds: [step] });
    connect(b, other, step);
    connect(b, step, other);
    sync(a, b);
    for (const doc of [a, b]) {
      const board = readBoard(doc);
      expect(board.nodes.map((n) => n.id)).toEqual([other]);
      expect(board.edges).toEqual([]);
    }
    expect(canonical(a)).toEqual(canonical(b));
  });

  it('one deletes a step while the other moves it: the step stays deleted', () => {
    const { a, b, step, other } = twoReplicas();
    deleteElements(a, { nodeIds: [step] });
    moveNodes(b, [{ id: step, position: at(999, 999) }]);
    sync(a, b);
    for (const doc of [a, b]) {
      expect(readBoard(doc).nodes.map((n) => n.id)).toEqual([other]);
      expect(nodesMap(doc).has(step)).toBe(false);
    }
  });

  it('one deletes a step while the other renames it: the step stays deleted', () => {
    const { a, b, step, other } = twoReplicas();
    deleteElements(a, { nodeIds: [step] });
    renameNode(b, step, 'Renamed too late');
    sync(a, b);
    for (const doc of [a, b]) expect(readBoard(doc).nodes.map((n) => n.id)).toEqual([other]);
  });

  it('two people delete the same step at once without error', () => {
    const { a, b, step, other } = twoReplicas();
    connect(a, step, other);
    sync(a, b);
    deleteElements(a, { nodeIds: [step] });
    deleteElements(b, { nodeIds: [step] });
    sync(a, b);
    deleteElements(a, { nodeIds: [step] });
    for (const doc of [a, b]) {
      expect(readBoard(doc).nodes.map((n) => n.id)).toEqual([other]);
      expect(readBoard(doc).edges).toEqual([]);
    }
  });

  it('concurrent additions by both people are all kept', () => {
    const { a, b } = twoReplicas();
    const fromA = addStep(a, { position: at(0, 100), label: 'From A' });
    const fromB = addNote(b, { position: at(0, 200), text: 'From B' });
    sync(a, b);
    for (const doc of [a, b]) {
      const ids = readBoard(doc).nodes.map((n) => n.id);
      expect(ids).toHaveLength(4);
      expect(ids).toEqual(expect.arrayContaining([fromA, fromB]));
    }
    expect(canonical(a)).toEqual(canonical(b));
  });
});
