/**
 * The comparison's headline (src/model/headline.ts): which four to six
 * changes open the comparison, and how each reads. On the reference pair
 * (method.md's housing repairs before → after), on boards where only one side
 * has the data, and on hand-made measure rows for each part of the rule.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  COMPARED_MEASURES,
  MINUTES_PER_DAY as D,
  TEMPLATES,
  compareBoards,
  comparedSideOfDoc,
  initBoard,
  pickHeadline,
  readMeta,
  setCapabilitySeries,
  type ComparedMeasure,
  type TemplateId,
} from '../../src/model';
import { headlineText } from '../../src/export';

function board(id?: TemplateId): Y.Doc {
  const doc = new Y.Doc();
  if (id) TEMPLATES[id].apply(doc);
  else initBoard(doc, 'Empty');
  return doc;
}

function side(doc: Y.Doc, ref: string) {
  return comparedSideOfDoc(doc, { ref, title: readMeta(doc).title });
}

/** A compared row as compareBoards makes it, for hand-made cases. */
function row(key: string, before: number | null, after: number | null): ComparedMeasure {
  const def = COMPARED_MEASURES.find((m) => m.key === key)!;
  const change = before === null || after === null ? null : after - before;
  const verdict =
    change === null
      ? 'n/a'
      : change === 0
        ? 'same'
        : def.direction === 'neutral'
          ? 'n/a'
          : change < 0 === (def.direction === 'lower-is-better')
            ? 'better'
            : 'worse';
  return {
    key,
    label: def.label,
    unit: def.unit,
    direction: def.direction,
    before,
    after,
    change,
    changePct: change === null || before === 0 || before === null ? null : Math.round((change / before) * 1000) / 10,
    verdict,
  };
}

describe('the reference pair: housing repairs before → after', () => {
  const c = compareBoards(side(board('housing-repairs-before'), 'b1'), side(board('housing-repairs-after'), 'b2'));
  const lines = c.headline.map(headlineText);

  it('opens with the six largest changes in the method’s order of importance, in plain words', () => {
    expect(lines).toEqual([
      // 24 d 10 m → 5 d 20 m is −79.1% (compare.test.ts works it out from method.md's tables).
      'End-to-end time: 24 d → 5 d (−79%)',
      // The templates' illustrative series: means 24.3 d and 5.25 d; a measured average reads in days.
      'Measured end-to-end time, average: 24.3 d → 5.3 d (−78%)',
      // The templates' illustrative result, eight weeks each: averages 59.375% and 93.5%, a result right after the times.
      'Repairs fixed at the first visit, %: 59% → 94% (+34 points)',
      // 550 of 1,000 → 90 of 540: 55% → 16.7%, 38.3 points down.
      'Failure demand: 55% → 17% (−38 points)',
      'Handoffs: 6 → 1',
      // 11.9% → 85.7%.
      'Rolled C&A: 12% → 86% (+74 points)',
    ]);
  });

  it('every line is an improvement by the measure’s own direction, one per family', () => {
    expect(c.headline.every((h) => h.verdict === 'better')).toBe(true);
    // Value demand % is failure demand % the other way round, and handoffs on the main path repeat handoffs.
    expect(c.headline.map((h) => h.key)).not.toContain('valueDemandPct');
    expect(c.headline.map((h) => h.key)).not.toContain('handoffsOnMainPath');
    expect(c.headline.map((h) => h.key)).not.toContain('capability.upper');
  });

  it('without capability series the next change takes the last place: rework loops 1 → 0', () => {
    const before = board('housing-repairs-before');
    const after = board('housing-repairs-after');
    setCapabilitySeries(before, [], 'days');
    setCapabilitySeries(after, [], 'days');
    const without = compareBoards(side(before, 'b1'), side(after, 'b2'));
    expect(without.headline.map(headlineText).at(-1)).toBe('Rework loops: 1 → 0');
    expect(without.headline.map((h) => h.key)).not.toContain('capability.mean');
    expect(without.headline).toHaveLength(6);
  });
});

describe('the second example: benefits claim before → after', () => {
  it('says its own story in the same words', () => {
    const c = compareBoards(side(board('benefits-claim-before'), 'b1'), side(board('benefits-claim-after'), 'b2'));
    expect(c.headline.map(headlineText).slice(0, 4)).toEqual([
      'End-to-end time: 42 d → 7 d 1 h (−83%)',
      'Measured end-to-end time, average: 42.6 d → 7.2 d (−83%)',
      'New claims decided within 14 days, %: 8.5% → 86% (+77 points)',
      'Failure demand: 51% → 11% (−40 points)',
    ]);
  });
});

describe('boards where only one side has the data', () => {
  it('an empty after board: nothing to say, an empty headline (no "—" lines)', () => {
    const c = compareBoards(side(board('housing-repairs-before'), 'b1'), side(board(), 'b2'));
    // Counts such as handoffs are 0 on an empty board, so they did change; lead time and demand % are "—".
    const keys = c.headline.map((h) => h.key);
    expect(keys).not.toContain('endToEndLeadTime');
    expect(keys).not.toContain('failureDemandPct');
    for (const h of c.headline) {
      expect(h.before).not.toBeNull();
      expect(h.after).not.toBeNull();
    }
  });

  it('capability on the before board only: no capability line', () => {
    const after = board('housing-repairs-after');
    setCapabilitySeries(after, [], 'days');
    const c = compareBoards(side(board('housing-repairs-before'), 'b1'), side(after, 'b2'));
    expect(c.measures.find((m) => m.key === 'capability.mean')?.after).toBeNull();
    expect(c.headline.map((h) => h.key)).not.toContain('capability.mean');
    // The sixth place goes to the next change both sides have: rework loops.
    expect(c.headline.map((h) => h.key).at(-1)).toBe('reworkLoops');
  });

  it('two empty boards: an empty headline', () => {
    expect(compareBoards(side(board(), 'b1'), side(board(), 'b2')).headline).toEqual([]);
  });
});

describe('the rule, on hand-made rows', () => {
  it('a neutral measure, an unchanged one and one missing a side are never in it', () => {
    const h = pickHeadline([
      row('processTime', 250, 100), // neutral
      row('handoffs', 3, 3), // same
      row('endToEndLeadTime', null, 500), // "—" before
      row('reworkLoops', 2, 1),
    ]);
    expect(h.map((x) => x.key)).toEqual(['reworkLoops']);
  });

  it('a change for the worse is said too, with its sign', () => {
    const [line] = pickHeadline([row('endToEndLeadTime', 2 * D, 3 * D)]);
    expect(line.verdict).toBe('worse');
    expect(headlineText(line)).toBe('End-to-end time: 2 d → 3 d (+50%)');
  });

  it('a large change comes before a medium one whatever their order of importance', () => {
    const h = pickHeadline([
      row('endToEndLeadTime', 10 * D, 7 * D), // −30%: medium
      row('departmentsTraversed', 4, 1), // −75%: large
    ]);
    expect(h.map((x) => x.key)).toEqual(['departmentsTraversed', 'endToEndLeadTime']);
  });

  it('within a band the order of importance decides, not the exact size', () => {
    const h = pickHeadline([row('handoffs', 10, 1), row('endToEndLeadTime', 10 * D, 4 * D)]);
    expect(h.map((x) => x.key)).toEqual(['endToEndLeadTime', 'handoffs']);
  });

  it('at most six lines; small changes only to make up four', () => {
    const many = pickHeadline([
      row('endToEndLeadTime', 10 * D, 2 * D),
      row('failureDemandPct', 60, 20),
      row('handoffs', 6, 1),
      row('rolledCAPct', 10, 80),
      row('reworkLoops', 2, 0),
      row('wasteSteps', 7, 0),
      row('departmentsTraversed', 4, 1),
    ]);
    expect(many).toHaveLength(6);
    expect(many.map((x) => x.key)).not.toContain('departmentsTraversed');

    const few = pickHeadline([
      row('endToEndLeadTime', 10 * D, 2 * D), // large
      row('handoffs', 100, 95), // small
      row('reworkLoops', 100, 97), // small
      row('wasteSteps', 100, 98), // small
      row('steps', 100, 99), // small, same family as waste steps
      row('departmentsTraversed', 100, 99), // small, a fifth line: left out
    ]);
    expect(few.map((x) => x.key)).toEqual(['endToEndLeadTime', 'handoffs', 'reworkLoops', 'wasteSteps']);
  });

  it('from 0 to something is a large change (no percentage to say)', () => {
    const [line] = pickHeadline([row('reworkLoops', 0, 2)]);
    expect(line.verdict).toBe('worse');
    expect(headlineText(line)).toBe('Rework loops: 0 → 2');
  });

  it('small percentages keep their decimal, and a point is a point', () => {
    const [line] = pickHeadline([row('activityRatioPct', 0.7, 1.7)]);
    expect(headlineText(line)).toBe('Activity ratio: 0.7% → 1.7% (+1 point)');
  });
});
