/** The comparison UI's pure helpers: routes, how values and changes are said, highlights, board-list pairs. */
import { describe, expect, test } from 'vitest';
import { comparePath, parseRoute, versionPath } from '../../src/ui/router';
import {
  describeChange,
  formatChange,
  formatChangePct,
  formatValue,
  highlightsOf,
  verdictText,
} from '../../src/export/compare-text';
import { formatSavedAt } from '../../src/export/format';
import { refOf } from '../../src/compare/refs';
import { formatUnitValue, spreadLabels } from '../../src/compare/CompareCharts';
import { groupPairs, type BoardSummary } from '../../src/api/boards';
import type { Comparison } from '../../src/model';

describe('routes of versions and the comparison', () => {
  test('a version, the comparison and the chooser', () => {
    expect(parseRoute('/b/abc/v/v1')).toEqual({ screen: 'version', boardId: 'abc', versionId: 'v1' });
    expect(parseRoute(versionPath('a b', 'x y'))).toEqual({ screen: 'version', boardId: 'a b', versionId: 'x y' });
    expect(parseRoute('/compare', '?before=a&after=b%40v1')).toEqual({
      screen: 'compare',
      before: 'a',
      after: 'b@v1',
      choose: false,
    });
    expect(parseRoute('/compare')).toEqual({ screen: 'compare', before: null, after: null, choose: false });
    expect(parseRoute('/compare/', '?before=%20%20&choose=1')).toEqual({
      screen: 'compare',
      before: null,
      after: null,
      choose: true,
    });
    const path = comparePath('a', 'b@v1', true);
    const url = new URL(path, 'http://x');
    expect(parseRoute(url.pathname, url.search)).toEqual({
      screen: 'compare',
      before: 'a',
      after: 'b@v1',
      choose: true,
    });
    expect(comparePath()).toBe('/compare');
  });
  test('bad addresses are unknown, not a crash', () => {
    expect(parseRoute('/b/abc/v/%E0%A4%A')).toEqual({ screen: 'unknown', path: '/b/abc/v/%E0%A4%A' });
    expect(parseRoute('/b/abc/v/')).toEqual({ screen: 'unknown', path: '/b/abc/v/' });
    expect(parseRoute('/compare/x')).toEqual({ screen: 'unknown', path: '/compare/x' });
    expect(parseRoute('/b/abc', '?before=x')).toEqual({ screen: 'board', boardId: 'abc' });
  });
});

describe('values, changes and verdicts', () => {
  test('each unit says its value, and a missing side is "—"', () => {
    expect(formatValue('minutes', 24 * 1440 + 10)).toBe('24 d');
    expect(formatValue('percent', 55)).toBe('55%');
    expect(formatValue('percent', 16.666)).toBe('16.7%');
    expect(formatValue('count', 6)).toBe('6');
    expect(formatValue('count', 1234)).toBe('1,234');
    expect(formatValue('count', null)).toBe('—');
    expect(formatValue('minutes', null)).toBe('—');
    expect(formatValue('percent', Number.NaN)).toBe('—');
  });
  test('a change carries its sign; a change of a percentage is in points', () => {
    expect(formatChange('minutes', -(19 * 1440 - 10))).toBe('−19 d');
    expect(formatChange('minutes', 90)).toBe('+1 h 30 m');
    expect(formatChange('count', -5)).toBe('−5');
    expect(formatChange('count', 2)).toBe('+2');
    expect(formatChange('percent', -38.333)).toBe('−38.3 points');
    expect(formatChange('count', 0)).toBe('0');
    expect(formatChange('percent', 0)).toBe('0 points');
    expect(formatChange('minutes', null)).toBe('—');
  });
  test('the relative change', () => {
    expect(formatChangePct(-79.1)).toBe('−79.1%');
    expect(formatChangePct(12)).toBe('+12%');
    expect(formatChangePct(0)).toBe('0%');
    expect(formatChangePct(null)).toBe('—');
  });
  test('verdicts have a word and a symbol, not only a colour', () => {
    expect(verdictText('better')).toBe('✓ better');
    expect(verdictText('worse')).toBe('✗ worse');
    expect(verdictText('same')).toBe('= same');
    expect(verdictText('n/a')).toBe('—');
  });
  test('each changed field of a step, in words', () => {
    expect(describeChange({ field: 'lane', before: 'Supervisor', after: 'Repairs admin' })).toBe(
      'lane: Supervisor → Repairs admin',
    );
    expect(describeChange({ field: 'lane', before: 'Supervisor', after: null })).toBe('lane: Supervisor → no lane');
    expect(describeChange({ field: 'pt', before: 45, after: 30 })).toBe('PT: 45 m → 30 m');
    expect(describeChange({ field: 'lt', before: 2880, after: null })).toBe('LT: 2 d → none');
    expect(describeChange({ field: 'ca', before: 80, after: 95 })).toBe('%C&A: 80% → 95%');
    expect(describeChange({ field: 'class', before: 'waste', after: 'value' })).toBe('class: waste → value');
    expect(describeChange({ field: 'wasteType', before: 'check', after: null })).toBe('waste type: check → none');
    expect(describeChange({ field: 'label', before: 'Inspect', after: 'Look' })).toBe('name: “Inspect” → “Look”');
  });
  test('capability values in the chart unit, a saved date, refs', () => {
    expect(formatUnitValue(12.54, 'days')).toBe('12.5 d');
    expect(formatUnitValue(3, 'hours')).toBe('3 h');
    expect(formatUnitValue(123.4, 'minutes')).toBe('123 m');
    expect(formatSavedAt(Date.UTC(2026, 10, 23, 12, 5))).toMatch(/23 Nov 2026/);
    expect(refOf('b1', null)).toBe('b1');
    expect(refOf('b1', 'v2')).toBe('b1@v2');
  });
});

describe('highlights on the two maps', () => {
  test('removed on before, added on after, changed on both by their own ids', () => {
    const steps = {
      removed: [{ id: 'r1', label: 'Pre-inspect', lane: 'Supervisor' }],
      added: [{ id: 'a1', label: 'Book slot', lane: null }],
      changed: [
        { beforeId: 'c1', afterId: 'c1', label: 'Do repair', matchedBy: 'id' as const, changes: [] },
        { beforeId: 'c2', afterId: 'x2', label: 'Close', matchedBy: 'label' as const, changes: [] },
      ],
      unchanged: 3,
    };
    const { before, after } = highlightsOf({ steps } as unknown as Comparison);
    expect([...before]).toEqual([
      ['r1', 'removed'],
      ['c1', 'changed'],
      ['c2', 'changed'],
    ]);
    expect([...after]).toEqual([
      ['a1', 'added'],
      ['c1', 'changed'],
      ['x2', 'changed'],
    ]);
  });
  test('nothing to mark when nothing changed', () => {
    const steps = { removed: [], added: [], changed: [], unchanged: 0 };
    const { before, after } = highlightsOf({ steps } as unknown as Comparison);
    expect(before.size + after.size).toBe(0);
  });
});

describe('board list pairs', () => {
  const board = (id: string, beforeBoardId?: string): BoardSummary => ({
    id,
    title: id,
    updatedAt: 0,
    steps: 0,
    role: 'facilitator',
    locked: false,
    ...(beforeBoardId ? { beforeBoardId } : {}),
  });
  test('an after board goes under its before board, in the place of the newer of the two', () => {
    const groups = groupPairs([board('x'), board('after', 'before'), board('y'), board('before')]);
    expect(groups.map((g) => [g.board.id, g.afters.map((a) => a.id)])).toEqual([
      ['x', []],
      ['before', ['after']],
      ['y', []],
    ]);
  });
  test('a redesign of a redesign joins the group; a missing before board or a loop leaves a board on its own', () => {
    const groups = groupPairs([
      board('c', 'b'),
      board('b', 'a'),
      board('a'),
      board('orphan', 'gone'),
      board('self', 'self'),
    ]);
    expect(groups.map((g) => [g.board.id, g.afters.map((a) => a.id)])).toEqual([
      ['a', ['c', 'b']],
      ['orphan', []],
      ['self', []],
    ]);
  });
  test('two boards naming each other do not loop', () => {
    const groups = groupPairs([board('p', 'q'), board('q', 'p')]);
    expect(groups.flatMap((g) => [g.board.id, ...g.afters.map((a) => a.id)]).sort()).toEqual(['p', 'q']);
  });
});

describe('capability chart labels', () => {
  test('labels far apart stay where their lines are', () => {
    expect(spreadLabels([10, 60, 120], 12, 140)).toEqual([10, 60, 120]);
  });
  test('close labels are pushed apart, and pulled up at the bottom', () => {
    expect(spreadLabels([100, 104, 110], 12, 140)).toEqual([100, 112, 124]);
    expect(spreadLabels([130, 134, 139], 12, 140)).toEqual([116, 128, 140]);
  });
});
