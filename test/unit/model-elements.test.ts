/** Purpose, system conditions, demand edits and the counting period: valid input is stored; invalid input changes nothing. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardOperationError,
  CONDITION_TYPES,
  LOCAL_ORIGIN,
  MAX_WHAT_MATTERS,
  addCondition,
  addDemand,
  addPurpose,
  addStep,
  measuresOfDoc,
  metaMap,
  nodesMap,
  readBoard,
  readPeriod,
  renameNode,
  setPeriod,
  updateCondition,
  updateDemand,
  updatePurpose,
  whatMattersOf,
} from '../../src/model';

const at = { x: 10, y: -200 };

function unchangedBy(doc: Y.Doc, run: () => void): BoardOperationError {
  const before = Y.encodeStateAsUpdate(doc);
  let error: unknown;
  try {
    run();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(BoardOperationError);
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  return error as BoardOperationError;
}

function countUpdates(doc: Y.Doc): { origins: unknown[] } {
  const seen = { origins: [] as unknown[] };
  doc.on('update', (_u: Uint8Array, origin: unknown) => seen.origins.push(origin));
  return seen;
}

describe('addPurpose / updatePurpose', () => {
  it('stores the statement (as label) and what matters as one \\n-separated field, in one update', () => {
    const doc = new Y.Doc();
    const seen = countUpdates(doc);
    const id = addPurpose(doc, {
      position: at,
      statement: '  Do the right repair\n at the right time ',
      whatMatters: ['Fix it first time', '  ', "Come when\nI'm in"],
    });
    expect(seen.origins).toEqual([LOCAL_ORIGIN]);
    const node = nodesMap(doc).get(id)!;
    expect(node.toJSON()).toMatchObject({
      id,
      kind: 'purpose',
      x: 10,
      y: -200,
      label: 'Do the right repair at the right time',
      whatMatters: "Fix it first time\nCome when I'm in",
    });
    expect(whatMattersOf(node)).toEqual(['Fix it first time', "Come when I'm in"]);
    // The canvas and the readers see the statement with no special case.
    expect(readBoard(doc).nodes[0]).toMatchObject({ kind: 'purpose', label: 'Do the right repair at the right time' });
  });

  it('updates either field, one update; an edit that changes nothing sends nothing', () => {
    const doc = new Y.Doc();
    const id = addPurpose(doc, { position: at, statement: 'Purpose', whatMatters: [] });
    const seen = countUpdates(doc);
    updatePurpose(doc, id, { whatMatters: ['A', 'B'] });
    updatePurpose(doc, id, { statement: 'Do the right repair', whatMatters: ['B', 'A'] }, 'someone');
    expect(seen.origins).toEqual([LOCAL_ORIGIN, 'someone']);
    updatePurpose(doc, id, { statement: 'Do the right repair' });
    expect(seen.origins).toHaveLength(2);
    expect(whatMattersOf(nodesMap(doc).get(id)!)).toEqual(['B', 'A']);
    updatePurpose(doc, id, { whatMatters: [] });
    expect(whatMattersOf(nodesMap(doc).get(id)!)).toEqual([]);
    // renameNode (the inline editor) renames a purpose too.
    renameNode(doc, id, 'Help people live at home');
    expect(nodesMap(doc).get(id)!.get('label')).toBe('Help people live at home');
  });

  it.each([
    [{ statement: '   ' }, 'statement', /cannot be empty/],
    [{ statement: 'x'.repeat(501) }, 'statement', /too long/],
    [{ statement: 42 }, 'statement', /must be text/],
    [{ whatMatters: 'Fix it first time' }, 'whatMatters', /list/],
    [{ whatMatters: ['ok', 7] }, 'whatMatters', /must be text/],
    [{ whatMatters: Array.from({ length: MAX_WHAT_MATTERS + 1 }, (_, i) => `item ${i}`) }, 'whatMatters', /fewer/],
  ])('updatePurpose refuses %o (field %s) and stores nothing', (fields, field, message) => {
    const doc = new Y.Doc();
    const id = addPurpose(doc, { position: at, statement: 'Purpose', whatMatters: ['A'] });
    // Casts: the wrong-typed values a buggy client or a hand-edited file could send.
    const error = unchangedBy(doc, () => updatePurpose(doc, id, fields as Parameters<typeof updatePurpose>[2]));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('addPurpose refuses a bad position, statement or list before writing', () => {
    const doc = new Y.Doc();
    unchangedBy(doc, () => addPurpose(doc, { position: { x: Number.NaN, y: 0 }, statement: 'P', whatMatters: [] }));
    unchangedBy(doc, () => addPurpose(doc, { position: at, statement: '', whatMatters: [] }));
    unchangedBy(doc, () => addPurpose(doc, { position: at, statement: 'P', whatMatters: ['x'.repeat(501)] }));
    expect(nodesMap(doc).size).toBe(0);
  });

  it('updatePurpose refuses a missing element or an element of another kind', () => {
    const doc = new Y.Doc();
    const step = addStep(doc, { position: at });
    expect(unchangedBy(doc, () => updatePurpose(doc, 'nope', { statement: 'P' })).message).toMatch(/No element/);
    expect(unchangedBy(doc, () => updatePurpose(doc, step, { statement: 'P' })).message).toMatch(/not a purpose/);
  });
});

describe('addCondition / updateCondition', () => {
  it('stores every kind of condition method.md names', () => {
    expect([...CONDITION_TYPES]).toEqual([
      'target',
      'it',
      'procedure',
      'specialisation',
      'eligibility',
      'structure',
      'other',
    ]);
    const doc = new Y.Doc();
    for (const conditionType of CONDITION_TYPES) {
      const id = addCondition(doc, { position: at, label: `A ${conditionType}`, conditionType });
      expect(nodesMap(doc).get(id)!.toJSON()).toMatchObject({
        kind: 'condition',
        label: `A ${conditionType}`,
        conditionType,
      });
    }
  });

  it('updates label and type in one update', () => {
    const doc = new Y.Doc();
    const id = addCondition(doc, { position: at, label: 'Paid per visit', conditionType: 'other' });
    const seen = countUpdates(doc);
    updateCondition(doc, id, { label: 'Contractor paid per visit', conditionType: 'target' });
    expect(seen.origins).toHaveLength(1);
    expect(nodesMap(doc).get(id)!.toJSON()).toMatchObject({
      label: 'Contractor paid per visit',
      conditionType: 'target',
    });
  });

  it.each([
    [{ label: '' }, 'label', /cannot be empty/],
    [{ conditionType: 'culture' }, 'conditionType', /not a kind of system condition/],
    [{ conditionType: 'toString' }, 'conditionType', /not a kind of system condition/],
    [{ label: 'ok', conditionType: null }, 'conditionType', /not a kind/],
  ])('updateCondition refuses %o (field %s) and stores nothing', (fields, field, message) => {
    const doc = new Y.Doc();
    const id = addCondition(doc, { position: at, label: 'Targets', conditionType: 'target' });
    const error = unchangedBy(doc, () => updateCondition(doc, id, fields as Parameters<typeof updateCondition>[2]));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('addCondition refuses an unknown type or an empty label before writing', () => {
    const doc = new Y.Doc();
    const bad = { position: at, label: 'X', conditionType: 'weather' } as unknown as Parameters<typeof addCondition>[1];
    unchangedBy(doc, () => addCondition(doc, bad));
    unchangedBy(doc, () => addCondition(doc, { position: at, label: ' ', conditionType: 'it' }));
    const step = addStep(doc, { position: at });
    expect(unchangedBy(doc, () => updateCondition(doc, step, { label: 'X' })).message).toMatch(
      /not a system condition/,
    );
  });
});

describe('updateDemand', () => {
  function withDemand() {
    const doc = new Y.Doc();
    const id = addDemand(doc, {
      position: { x: -300, y: 0 },
      words: 'When are you coming?',
      demandClass: 'failure',
      count: 260,
      predictable: true,
    });
    return { doc, id };
  }

  it('changes any fields in one update, read by the measures', () => {
    const { doc, id } = withDemand();
    const seen = countUpdates(doc);
    updateDemand(doc, id, { count: 40, predictable: false });
    expect(seen.origins).toHaveLength(1);
    updateDemand(doc, id, { words: 'I need a repair', demandClass: 'value', count: 0 });
    expect(nodesMap(doc).get(id)!.toJSON()).toMatchObject({
      words: 'I need a repair',
      demandClass: 'value',
      count: 0,
      predictable: false,
    });
    updateDemand(doc, id, { count: 30 });
    expect(measuresOfDoc(doc)).toMatchObject({ totalDemand: 30, failureDemandPct: 0, predictablePct: 0 });
  });

  it.each([
    [{ count: -1 }, 'count'],
    [{ count: 2.5 }, 'count'],
    [{ count: Number.NaN }, 'count'],
    [{ count: '3' }, 'count'],
    [{ demandClass: 'waste' }, 'demandClass'],
    [{ words: '  ' }, 'words'],
    [{ words: 'fine', count: -3 }, 'count'],
  ])('refuses %o (field %s) and stores nothing', (fields, field) => {
    const { doc, id } = withDemand();
    const error = unchangedBy(doc, () => updateDemand(doc, id, fields as Parameters<typeof updateDemand>[2]));
    expect(error.field).toBe(field);
  });

  it('refuses an element that is not demand', () => {
    const doc = new Y.Doc();
    const step = addStep(doc, { position: at });
    expect(unchangedBy(doc, () => updateDemand(doc, step, { count: 3 })).message).toMatch(/not a demand/);
  });
});

describe('setPeriod', () => {
  it('sets the counting period in meta key "period", cleans it, and clears it when empty', () => {
    const doc = new Y.Doc();
    expect(readPeriod(doc)).toBeNull();
    const seen = countUpdates(doc);
    setPeriod(doc, '  one\n week ');
    expect(metaMap(doc).get('period')).toBe('one week');
    expect(readPeriod(doc)).toBe('one week');
    setPeriod(doc, 'one week');
    expect(seen.origins).toHaveLength(1);
    setPeriod(doc, '   ');
    expect(metaMap(doc).has('period')).toBe(false);
    expect(readPeriod(doc)).toBeNull();
  });

  it('refuses a period that is too long or not text', () => {
    const doc = new Y.Doc();
    setPeriod(doc, 'one week');
    expect(unchangedBy(doc, () => setPeriod(doc, 'x'.repeat(201))).field).toBe('period');
    expect(unchangedBy(doc, () => setPeriod(doc, 7 as unknown as string)).field).toBe('period');
    expect(readPeriod(doc)).toBe('one week');
  });
});
