/** Step fields, demand and rework marks: valid values are stored in one step; invalid ones change nothing. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardOperationError,
  addDemand,
  addNote,
  addStep,
  connect,
  measuresOfDoc,
  nodesMap,
  setRework,
  updateStep,
} from '../../src/model';

function board() {
  const doc = new Y.Doc();
  const step = addStep(doc, { position: { x: 0, y: 0 }, label: 'Pre-inspection visit' });
  return { doc, step };
}

function unchangedBy(doc: Y.Doc, run: () => void): { error: BoardOperationError } {
  const before = Y.encodeStateAsUpdate(doc);
  let error: unknown;
  try {
    run();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(BoardOperationError);
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  return { error: error as BoardOperationError };
}

describe('updateStep', () => {
  it('stores every field in one update, readable by the measures', () => {
    const { doc, step } = board();
    let updates = 0;
    doc.on('update', () => updates++);
    updateStep(doc, step, { stepClass: 'waste', wasteType: 'check', pt: 45, lt: 7200, ca: 80, customerContact: true });
    expect(updates).toBe(1);
    const m = measuresOfDoc(doc);
    expect(m.wasteByType.check).toBe(1);
    expect(nodesMap(doc).get(step)!.toJSON()).toMatchObject({ pt: 45, lt: 7200, ca: 80, customerContact: true });
  });

  it.each([
    [{ pt: 60, lt: 30 }, 'lt', /Lead time cannot be less than process time/],
    [{ ca: 101 }, 'ca', /0 to 100/],
    [{ ca: -1 }, 'ca', /0 to 100/],
    [{ pt: -5 }, 'pt', /0 or more/],
    [{ lt: Number.NaN }, 'lt', /0 or more/],
    [{ stepClass: 'waste', wasteType: 'coffee' }, 'wasteType', /not a waste type/],
    [{ stepClass: 'maybe' }, 'stepClass', /value or waste/],
    [{ lane: 'no-such-lane' }, 'lane', /No lane/],
    [{ label: '   ' }, 'label', /cannot be empty/],
  ])('refuses %o with a message on field %s and stores nothing', (fields, field, message) => {
    const { doc, step } = board();
    // Casts: these are the wrong-typed values a hand-edited file or a buggy client could send.
    const { error } = unchangedBy(doc, () => updateStep(doc, step, fields as Parameters<typeof updateStep>[2]));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('checks LT against the PT already stored', () => {
    const { doc, step } = board();
    updateStep(doc, step, { pt: 45 });
    unchangedBy(doc, () => updateStep(doc, step, { lt: 30 }));
    updateStep(doc, step, { lt: 45 });
    expect(nodesMap(doc).get(step)!.get('lt')).toBe(45);
  });

  it('making a step value clears its waste type; a value step takes no waste type', () => {
    const { doc, step } = board();
    updateStep(doc, step, { stepClass: 'waste', wasteType: 'wait' });
    updateStep(doc, step, { stepClass: 'value' });
    expect(nodesMap(doc).get(step)!.get('wasteType')).toBeNull();
    unchangedBy(doc, () => updateStep(doc, step, { wasteType: 'wait' }));
  });

  it('refuses a note or an unknown id', () => {
    const { doc } = board();
    const note = addNote(doc, { position: { x: 0, y: 0 } });
    unchangedBy(doc, () => updateStep(doc, note, { pt: 5 }));
    unchangedBy(doc, () => updateStep(doc, 'ghost', { pt: 5 }));
  });
});

describe('addDemand', () => {
  it('adds a demand type the measures count', () => {
    const doc = new Y.Doc();
    addDemand(doc, {
      position: { x: 0, y: 0 },
      words: 'Nobody turned up',
      demandClass: 'failure',
      count: 90,
      predictable: true,
    });
    expect(measuresOfDoc(doc)).toMatchObject({ totalDemand: 90, failureDemandPct: 100 });
  });

  it.each([
    [{ count: 2.5 }, /whole number/],
    [{ count: -1 }, /whole number/],
    [{ demandClass: 'other' }, /value or failure/],
    [{ words: '' }, /cannot be empty/],
  ])('refuses %o', (fields, message) => {
    const doc = new Y.Doc();
    const input = {
      position: { x: 0, y: 0 },
      words: 'x',
      demandClass: 'value',
      count: 1,
      predictable: false,
      ...fields,
    };
    // Cast: deliberately wrong values, as an import could carry.
    const { error } = unchangedBy(doc, () => addDemand(doc, input as Parameters<typeof addDemand>[1]));
    expect(error.message).toMatch(message);
  });
});

describe('setRework', () => {
  it('marks a flow edge as rework: it counts as a loop', () => {
    const { doc, step } = board();
    const next = addStep(doc, { position: { x: 100, y: 0 } });
    const edge = connect(doc, step, next);
    setRework(doc, edge, true);
    expect(measuresOfDoc(doc).reworkLoops).toBe(1);
    setRework(doc, edge, false);
    expect(measuresOfDoc(doc).reworkLoops).toBe(0);
    unchangedBy(doc, () => setRework(doc, 'ghost', true));
  });
});
