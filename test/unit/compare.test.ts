/**
 * Before and after: compareBoards on the reference example of method.md
 * (housing repairs), a board against itself, boards with nothing in common,
 * empty boards, and a redesign copy (same ids) with steps deleted and a lane
 * changed. Expected figures are worked out from method.md's tables here, not
 * read back from the code.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  COMPARED_MEASURES,
  MINUTES_PER_DAY as D,
  TEMPLATES,
  addDemand,
  addLane,
  addStep,
  afterTitle,
  compareBoards,
  comparedSideOfDoc,
  deleteElements,
  initBoard,
  lanesMap,
  nodesMap,
  parseRef,
  readBeforeBoardId,
  readMeta,
  redesignDoc,
  setCapabilitySeries,
  updateStep,
  type Comparison,
  type TemplateId,
} from '../../src/model';

function applied(id: TemplateId): Y.Doc {
  const doc = new Y.Doc();
  TEMPLATES[id].apply(doc);
  return doc;
}

function side(doc: Y.Doc, ref: string) {
  return comparedSideOfDoc(doc, { ref, title: readMeta(doc).title });
}

function measure(c: Comparison, key: string) {
  const row = c.measures.find((m) => m.key === key);
  if (!row) throw new Error(`no measure ${key}`);
  return row;
}

function stepId(doc: Y.Doc, label: string): string {
  let found = '';
  nodesMap(doc).forEach((node, id) => {
    if (node.get('kind') === 'step' && node.get('label') === label) found = id;
  });
  if (!found) throw new Error(`no step "${label}"`);
  return found;
}

function laneId(doc: Y.Doc, name: string): string {
  let found = '';
  lanesMap(doc).forEach((lane, id) => {
    if (lane.get('name') === name) found = id;
  });
  return found;
}

describe('refs', () => {
  it.each([
    ['abc', { boardId: 'abc', versionId: null }],
    ['a_b-1@v-2', { boardId: 'a_b-1', versionId: 'v-2' }],
  ])('"%s" is a ref', (text, parsed) => expect(parseRef(text)).toEqual(parsed));
  it.each(['', '@v', 'a@', 'a@b@c', 'a b', 'a/b', 'x'.repeat(65)])('"%s" is not', (text) =>
    expect(parseRef(text)).toBeNull(),
  );
});

describe('the reference example: housing repairs before → after (templates, random ids)', () => {
  const before = applied('housing-repairs-before');
  const after = applied('housing-repairs-after');
  const c = compareBoards(side(before, 'b1'), side(after, 'b2'));

  it('end-to-end lead time 24 d 10 m → 5 d 20 m, −79.1%, better', () => {
    // method.md's before table, main path 1→…→10: LT 10 m + (1+5+2+4+3+5+1+2+1) d = 24 d 10 m.
    const leadBefore = 10 + (1 + 5 + 2 + 4 + 3 + 5 + 1 + 2 + 1) * D;
    // After, main path 1→2→3→4: 10 m + 2 d + 3 d + 10 m = 5 d 20 m.
    const leadAfter = 10 + 2 * D + 3 * D + 10;
    expect(leadBefore).toBe(24 * D + 10);
    expect(leadAfter).toBe(5 * D + 20);
    const row = measure(c, 'endToEndLeadTime');
    expect(row).toMatchObject({
      label: 'End-to-end lead time',
      unit: 'minutes',
      direction: 'lower-is-better',
      before: leadBefore,
      after: leadAfter,
      change: leadAfter - leadBefore,
      verdict: 'better',
    });
    expect(row.changePct).toBe(-79.1);
  });

  it('handoffs 6 → 1, failure demand 55% → 16.7%, steps 10 → 4, all better', () => {
    expect(measure(c, 'handoffs')).toMatchObject({ before: 6, after: 1, change: -5, verdict: 'better' });
    const failure = measure(c, 'failureDemandPct');
    expect(failure.before).toBeCloseTo(55, 9); // 550 of 1,000
    expect(failure.after).toBeCloseTo((90 / 540) * 100, 9); // 16.7%
    expect(Math.round(failure.after! * 10) / 10).toBe(16.7);
    expect(failure.verdict).toBe('better');
    expect(measure(c, 'steps')).toMatchObject({ before: 10, after: 4, change: -6, changePct: -60, verdict: 'better' });
  });

  it('the other figures of method.md, each with its own direction', () => {
    expect(measure(c, 'processTime')).toMatchObject({ before: 250, after: 195, direction: 'neutral', verdict: 'n/a' });
    expect(measure(c, 'departmentsTraversed')).toMatchObject({ before: 4, after: 2, verdict: 'better' });
    expect(measure(c, 'reworkLoops')).toMatchObject({ before: 1, after: 0, changePct: -100, verdict: 'better' });
    const rolled = measure(c, 'rolledCAPct');
    expect(Math.round(rolled.before! * 10) / 10).toBe(11.9);
    expect(Math.round(rolled.after! * 10) / 10).toBe(85.7);
    expect(rolled.verdict).toBe('better'); // higher is better
    const activity = measure(c, 'activityRatioPct');
    expect(activity.before).toBeCloseTo((250 / (24 * D + 10)) * 100, 9); // 0.72%
    expect(activity.after).toBeCloseTo((195 / (5 * D + 20)) * 100, 9);
    expect(activity.verdict).toBe('better');
    expect(measure(c, 'valueStepPct')).toMatchObject({ before: 30, after: 100, verdict: 'better' });
    expect(measure(c, 'totalDemand')).toMatchObject({ before: 1000, after: 540, direction: 'neutral', verdict: 'n/a' });
    // The templates' illustrative capability series: twenty cases each, mean 24.3 d before, 5.25 d after.
    const mean = measure(c, 'capability.mean');
    expect(mean.before! / D).toBeCloseTo(24.3, 9);
    expect(mean.after! / D).toBeCloseTo(5.25, 9);
    expect(mean.verdict).toBe('better');
  });

  it('every measure of the table is there once', () => {
    expect(c.measures.map((m) => m.key)).toEqual(COMPARED_MEASURES.map((m) => m.key));
    expect(new Set(c.measures.map((m) => m.key)).size).toBe(c.measures.length);
  });

  it('no ids in common: matched by label; no label is shared, so 10 removed and 4 added', () => {
    expect(c.matchedBy).toBe('label');
    expect(c.steps.removed).toHaveLength(10);
    expect(c.steps.added).toHaveLength(4);
    expect(c.steps.changed).toEqual([]);
    expect(c.steps.unchanged).toBe(0);
    // Left to right as the map reads, lane by name.
    expect(c.steps.removed[0]).toMatchObject({ label: 'Take repair call', lane: 'Contact centre' });
    expect(c.steps.added.map((s) => s.lane)).toEqual(['Contact centre', 'Repair team', 'Repair team', 'Repair team']);
  });

  it('demand per type matched by the customer words', () => {
    expect(c.demand.failurePctBefore).toBeCloseTo(55, 9);
    expect(c.demand.types.map((t) => t.words)).toEqual([
      'I need a repair',
      'When are you coming?',
      "The repair wasn't done properly",
      'Nobody turned up',
      "I'm reporting the same repair again",
      'I need an adaptation to my home',
    ]);
    expect(c.demand.types[1]).toEqual({
      words: 'When are you coming?',
      before: { count: 260, demandClass: 'failure' },
      after: { count: 40, demandClass: 'failure' },
    });
    expect(c.demand.types[0].after).toEqual({ count: 420, demandClass: 'value' });
  });
});

describe('a board compared with itself', () => {
  const doc = applied('housing-repairs-before');
  setCapabilitySeries(doc, [20 * D, 26 * D, 22 * D, 30 * D], 'days');
  const c = compareBoards(side(doc, 'b'), side(doc, 'b'));

  it('no change anywhere, every verdict "same" or "n/a" only where a side lacks data', () => {
    for (const row of c.measures) {
      if (row.before === null) expect(row).toMatchObject({ after: null, verdict: 'n/a' });
      else expect(row, row.key).toMatchObject({ change: 0, verdict: 'same' });
    }
    expect(measure(c, 'capability.mean').verdict).toBe('same');
    expect(c.matchedBy).toBe('id');
    expect(c.steps).toEqual({ removed: [], added: [], changed: [], unchanged: 10 });
    expect(c.demand.types.every((t) => t.before!.count === t.after!.count)).toBe(true);
  });

  it('capability on one scale, in the board unit', () => {
    expect(c.capability.unit).toBe('days');
    expect(c.capability.before.series).toEqual([20, 26, 22, 30]);
    // mean 24.5; moving ranges 6, 4, 8 → mean 6; upper 24.5 + 2.66·6 = 40.46
    expect(c.capability.before.mean).toBeCloseTo(24.5, 9);
    expect(c.capability.before.upper).toBeCloseTo(40.46, 9);
    expect(c.capability.scale).toEqual({ min: 0, max: c.capability.before.upper });
  });
});

describe('boards with nothing in common, and empty boards', () => {
  it('two unrelated boards: label matching, everything removed and added', () => {
    const c = compareBoards(side(applied('housing-repairs-before'), 'x'), side(applied('benefits-claim-before'), 'y'));
    expect(c.matchedBy).toBe('label');
    expect(c.steps.removed).toHaveLength(10);
    expect(c.steps.added).toHaveLength(9);
    // No demand type in common: each appears once with one side null.
    expect(c.demand.types.every((t) => (t.before === null) !== (t.after === null))).toBe(true);
  });

  it('two empty boards: every figure "—" (null) or 0, no crash', () => {
    const a = new Y.Doc();
    initBoard(a, 'Empty');
    const c = compareBoards(side(a, 'a'), side(new Y.Doc(), 'b@v1'));
    expect(c.after).toMatchObject({ boardId: 'b', versionId: 'v1' });
    expect(measure(c, 'endToEndLeadTime')).toMatchObject({ before: null, after: null, verdict: 'n/a' });
    expect(measure(c, 'failureDemandPct')).toMatchObject({ before: null, verdict: 'n/a' });
    expect(measure(c, 'steps')).toMatchObject({ before: 0, after: 0, changePct: null, verdict: 'same' });
    expect(c.steps).toEqual({ removed: [], added: [], changed: [], unchanged: 0 });
    expect(c.demand.types).toEqual([]);
    expect(c.capability.scale).toEqual({ min: 0, max: 0 });
    expect(c.capability.before).toEqual({ series: [], mean: null, upper: null, lower: null });
  });

  it('one side empty: "—" against a figure is n/a, and before 0 gives no change %', () => {
    const c = compareBoards(side(new Y.Doc(), 'a'), side(applied('housing-repairs-after'), 'b'));
    expect(measure(c, 'endToEndLeadTime')).toMatchObject({ before: null, after: 5 * D + 20, change: null });
    expect(measure(c, 'steps')).toMatchObject({ before: 0, after: 4, change: 4, changePct: null, verdict: 'worse' });
    expect(c.steps.added).toHaveLength(4);
  });
});

describe('a redesign copy (same ids) with two steps deleted and a lane changed', () => {
  const before = applied('housing-repairs-before');
  const after = redesignDoc(before, 'before-id');
  const pre = stepId(after, 'Pre-inspection visit');
  const post = stepId(after, 'Post-inspection');
  const raise = stepId(after, 'Raise works order');
  deleteElements(after, { nodeIds: [pre, post] });
  updateStep(after, raise, { lane: laneId(after, 'Contact centre') });
  const c = compareBoards(side(before, 'b'), side(after, 'a'));

  it('is linked back to its before board and titled "– after"', () => {
    expect(readBeforeBoardId(after)).toBe('before-id');
    expect(readBeforeBoardId(before)).toBeNull();
    expect(readMeta(after).title).toBe('Untitled board – after');
    expect(afterTitle('x'.repeat(300))).toHaveLength(200);
  });

  it.each([
    ['Housing repairs – before', 'Housing repairs – after'],
    ['Housing repairs - Before', 'Housing repairs – after'],
    ['Claims —before ', 'Claims – after'],
    ['Repairs', 'Repairs – after'],
    // "before" inside the title is the team's own word, not the side's name.
    ['Before the visit', 'Before the visit – after'],
    ['before', 'before – after'],
  ])('the after title of "%s" is "%s"', (title, expected) => expect(afterTitle(title)).toBe(expected));

  it('matches by id: two removed (before ids), one changed with its lane by name, 7 unchanged', () => {
    expect(c.matchedBy).toBe('id');
    expect(c.steps.removed).toEqual([
      { id: pre, label: 'Pre-inspection visit', lane: 'Supervisor' },
      { id: post, label: 'Post-inspection', lane: 'Supervisor' },
    ]);
    expect(c.steps.added).toEqual([]);
    expect(c.steps.changed).toEqual([
      {
        beforeId: raise,
        afterId: raise,
        label: 'Raise works order',
        matchedBy: 'id',
        changes: [{ field: 'lane', before: 'Repairs admin', after: 'Contact centre' }],
      },
    ]);
    expect(c.steps.unchanged).toBe(7);
    expect(measure(c, 'steps')).toMatchObject({ before: 10, after: 8, verdict: 'better' });
  });

  it('each changed field is listed; an added step with a label the before board has matches by label', () => {
    const copy = redesignDoc(before, 'x');
    const call = stepId(copy, 'Take repair call');
    updateStep(copy, call, { label: 'Take the call', pt: 15, lt: 15, ca: 95 });
    updateStep(copy, stepId(copy, 'Schedule contractor'), { stepClass: 'value' });
    const code = stepId(copy, 'Code job to schedule of rates');
    deleteElements(copy, { nodeIds: [code] });
    const again = addStep(copy, { position: { x: 5000, y: 0 }, label: 'Code job to schedule of rates' });
    addDemand(copy, {
      position: { x: 0, y: 0 },
      words: '  when are you   COMING? ',
      demandClass: 'failure',
      count: 5,
      predictable: true,
    });
    addLane(copy, 'Unused');
    const d = compareBoards(side(before, 'b'), side(copy, 'a'));
    expect(d.matchedBy).toBe('id-and-label');
    const byLabel = d.steps.changed.find((s) => s.matchedBy === 'label')!;
    expect(byLabel).toMatchObject({ beforeId: code, afterId: again });
    expect(byLabel.changes.map((ch) => ch.field)).toEqual(['lane', 'class', 'wasteType', 'pt', 'lt', 'ca']);
    expect(d.steps.changed.find((s) => s.afterId === call)!.changes).toEqual([
      { field: 'label', before: 'Take repair call', after: 'Take the call' },
      { field: 'pt', before: 10, after: 15 },
      { field: 'lt', before: 10, after: 15 },
      { field: 'ca', before: 70, after: 95 },
    ]);
    // Making a step "value" clears its waste type: both listed.
    expect(d.steps.changed.find((s) => s.label === 'Schedule contractor')!.changes).toEqual([
      { field: 'class', before: 'waste', after: 'value' },
      { field: 'wasteType', before: 'wait', after: null },
    ]);
    // The same words, however spaced or capitalised, are one demand type.
    expect(d.demand.types.find((t) => t.words === 'When are you coming?')!.after).toEqual({
      count: 265,
      demandClass: 'failure',
    });
  });
});

describe('capability in different units', () => {
  it('both series in the larger unit, one scale', () => {
    const a = new Y.Doc();
    setCapabilitySeries(a, [120, 240], 'hours');
    const b = new Y.Doc();
    setCapabilitySeries(b, [2 * D, 1 * D], 'days');
    const c = compareBoards(side(a, 'a'), side(b, 'b'));
    expect(c.capability.unit).toBe('days');
    expect(c.capability.before.series).toEqual([120 / D, 240 / D]);
    expect(c.capability.after.series).toEqual([2, 1]);
    // after: mean 1.5, mR 1, upper 1.5 + 2.66 = 4.16 → the top of the scale
    expect(c.capability.scale.max).toBeCloseTo(4.16, 9);
    expect(measure(c, 'capability.mean')).toMatchObject({ before: 180, after: 1.5 * D, verdict: 'worse' });
  });
});
