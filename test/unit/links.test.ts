/**
 * Linking by keyboard and by picker: the kind of edge two cards make, every
 * card a card can be linked to (turned round where the method says so), the
 * type-ahead filter, and the Tab order of the cards.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCondition,
  addDemand,
  addLane,
  addNote,
  addStep,
  connect,
  edgeKindFor,
  filterLinkTargets,
  flowOrder,
  linkTargets,
  readBoard,
} from '../../src/model';

function housing() {
  const doc = new Y.Doc();
  const contact = addLane(doc, 'Contact centre');
  const admin = addLane(doc, 'Repairs admin');
  // Made out of order on purpose: Tab must follow the lanes and x, not the order of making.
  const code = addStep(doc, { position: { x: 400, y: 40 }, label: 'Code job to schedule of rates', lane: contact });
  const book = addStep(doc, { position: { x: 100, y: 240 }, label: 'Book appointment', lane: admin });
  const take = addStep(doc, { position: { x: 100, y: 40 }, label: 'Take repair call', lane: contact });
  const loose = addStep(doc, { position: { x: 0, y: 900 }, label: 'Visit and diagnose' });
  const demand = addDemand(doc, {
    position: { x: -300, y: 60 },
    words: 'When are you coming?',
    demandClass: 'failure',
    count: 260,
    predictable: true,
  });
  const condition = addCondition(doc, {
    position: { x: 200, y: 600 },
    label: 'Schedule of rates',
    conditionType: 'procedure',
  });
  const note = addNote(doc, { position: { x: 0, y: -200 }, text: 'Ask the contractor' });
  return { doc, contact, admin, code, book, take, loose, demand, condition, note };
}

describe('edgeKindFor', () => {
  it('gives flow, entry and causes, turning a link made the other way round', () => {
    expect(edgeKindFor('step', 'step')).toEqual({ kind: 'flow', reversed: false });
    expect(edgeKindFor('demand', 'step')).toEqual({ kind: 'entry', reversed: false });
    expect(edgeKindFor('step', 'demand')).toEqual({ kind: 'entry', reversed: true });
    expect(edgeKindFor('condition', 'demand')).toEqual({ kind: 'causes', reversed: false });
    expect(edgeKindFor('step', 'condition')).toEqual({ kind: 'causes', reversed: true });
  });
  it('refuses links the method has no edge for', () => {
    expect(edgeKindFor('note', 'step')).toBeNull();
    expect(edgeKindFor('demand', 'demand')).toBeNull();
    expect(edgeKindFor('purpose', 'step')).toBeNull();
    expect(edgeKindFor('condition', 'condition')).toBeNull();
  });
});

describe('flowOrder', () => {
  it('visits demand, then the steps lane by lane and left to right, then conditions and notes', () => {
    const b = housing();
    const board = readBoard(b.doc);
    expect(flowOrder(board.nodes, board.lanes)).toEqual([
      b.demand,
      b.take,
      b.code,
      b.book,
      b.loose,
      b.condition,
      b.note,
    ]);
  });
  it('follows the lanes’ order, not the order they were made in', () => {
    const cards = [
      { id: 'a', kind: 'step', position: { x: 0, y: 0 }, lane: 'top' },
      { id: 'b', kind: 'step', position: { x: 0, y: 0 }, lane: 'bottom' },
    ];
    expect(
      flowOrder(cards, [
        { id: 'bottom', order: 1 },
        { id: 'top', order: 0 },
      ]),
    ).toEqual(['a', 'b']);
    expect(
      flowOrder(cards, [
        { id: 'bottom', order: 0 },
        { id: 'top', order: 1 },
      ]),
    ).toEqual(['b', 'a']);
  });
  it('puts a step whose lane is gone with the steps in no lane, and breaks ties by id', () => {
    const cards = [
      { id: 'z', kind: 'step', position: { x: 5, y: 0 }, lane: 'gone' },
      { id: 'y', kind: 'step', position: { x: 5, y: 0 }, lane: null },
      { id: 'x', kind: 'step', position: { x: 1, y: 0 }, lane: 'here' },
    ];
    expect(flowOrder(cards, [{ id: 'here', order: 0 }])).toEqual(['x', 'y', 'z']);
  });
});

describe('linkTargets', () => {
  it('offers a step the other steps (flow), the demand (entry, turned round) and the condition (causes, turned round)', () => {
    const b = housing();
    const targets = linkTargetsOf(b, b.take);
    expect(targets.map((t) => [t.label, t.edgeKind, t.source, t.target])).toEqual([
      ['When are you coming?', 'entry', b.demand, b.take],
      ['Code job to schedule of rates', 'flow', b.take, b.code],
      ['Book appointment', 'flow', b.take, b.book],
      ['Visit and diagnose', 'flow', b.take, b.loose],
      ['Schedule of rates', 'causes', b.condition, b.take],
    ]);
    expect(targets.find((t) => t.id === b.book)?.laneName).toBe('Repairs admin');
    expect(targets.find((t) => t.id === b.loose)?.laneName).toBeNull();
  });
  it('offers a condition the steps and the demand it can cause, and never a note', () => {
    const b = housing();
    const targets = linkTargetsOf(b, b.condition);
    expect(targets.every((t) => t.edgeKind === 'causes' && t.source === b.condition)).toBe(true);
    expect(targets.map((t) => t.id)).toEqual([b.demand, b.take, b.code, b.book, b.loose]);
  });
  it('marks a link already made with its edge, so it is not made twice', () => {
    const b = housing();
    const edge = connect(b.doc, b.take, b.code, 'flow');
    const targets = linkTargetsOf(b, b.take);
    expect(targets.find((t) => t.id === b.code)?.existingEdge).toBe(edge);
    expect(targets.find((t) => t.id === b.book)?.existingEdge).toBeNull();
    // From the other end the same pair is a different link (code → take), not yet made.
    expect(linkTargetsOf(b, b.code).find((t) => t.id === b.take)?.existingEdge).toBeNull();
  });
  it('gives nothing for a note or an id not on the board', () => {
    const b = housing();
    expect(linkTargetsOf(b, b.note)).toEqual([]);
    expect(linkTargetsOf(b, 'no-such-card')).toEqual([]);
  });
});

describe('filterLinkTargets', () => {
  it('keeps the targets containing every typed word, ignoring case, accents and word order', () => {
    const b = housing();
    const targets = linkTargetsOf(b, b.take);
    expect(filterLinkTargets(targets, 'CODE').map((t) => t.id)).toEqual([b.code]);
    expect(filterLinkTargets(targets, 'rates code').map((t) => t.id)).toEqual([b.code]);
    expect(filterLinkTargets(targets, 'admin').map((t) => t.id)).toEqual([b.book]);
    expect(filterLinkTargets(targets, 'diagnosé').map((t) => t.id)).toEqual([b.loose]);
    expect(filterLinkTargets(targets, '  ')).toHaveLength(targets.length);
    expect(filterLinkTargets(targets, 'nothing like this')).toEqual([]);
  });
});

function linkTargetsOf(b: ReturnType<typeof housing>, id: string) {
  return linkTargets(readBoard(b.doc), id);
}
