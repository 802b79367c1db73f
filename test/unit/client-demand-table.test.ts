/**
 * The demand table and capability editor's pure parts: rows pasted in one
 * transaction, where new cards go, counts, totals, when a paste is rows, and
 * reading a capability series with bad values reported by line.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addNote,
  DEMAND_X,
  LOCAL_ORIGIN,
  MINUTES_PER_DAY,
  MINUTES_PER_HOUR,
  addDemand,
  addDemandRows,
  nextDemandPosition,
  nodesMap,
  parseDemandRows,
} from '../../src/model';
import { demandTotals, formatPct, isRowsPaste, parseCount, readDemandTable } from '../../src/panels/DemandTable';
import { formatSeries, parseCapabilityText } from '../../src/panels/CapabilityEditor';

describe('addDemandRows', () => {
  it('adds every good row in one transaction (one update, one undo step), stacked below the lowest demand', () => {
    const doc = new Y.Doc();
    addDemand(doc, { position: { x: 50, y: 300 }, words: 'Old', demandClass: 'value', count: 1, predictable: true });
    const { rows, errors } = parseDemandRows(
      'words\tclass\tcount\tpredictable\nWhere is my repair?\tfailure\t12\tyes\nBad row\tfailure\tlots\tno\nFix my door\tvalue\t40\tno',
    );
    expect(errors.map((e) => e.line)).toEqual([3]);
    const undo = new Y.UndoManager([nodesMap(doc)], { trackedOrigins: new Set([LOCAL_ORIGIN]) });
    let updates = 0;
    doc.on('update', () => updates++);
    const ids = addDemandRows(doc, rows);
    expect(updates).toBe(1);
    expect(ids).toHaveLength(2);
    const [a, b] = ids.map((id) => nodesMap(doc).get(id)!);
    expect([a.get('x'), a.get('y')]).toEqual([DEMAND_X, 400]);
    expect([b.get('x'), b.get('y')]).toEqual([DEMAND_X, 500]);
    expect(a.get('words')).toBe('Where is my repair?');
    expect(a.get('demandClass')).toBe('failure');
    expect(a.get('count')).toBe(12);
    expect(b.get('predictable')).toBe(false);
    expect(readDemandTable(doc).map((r) => r.words)).toEqual(['Old', 'Where is my repair?', 'Fix my door']);
    undo.undo();
    expect(readDemandTable(doc).map((r) => r.words)).toEqual(['Old']);
  });

  it('adds nothing and sends nothing for no rows', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    expect(addDemandRows(doc, [])).toEqual([]);
    expect(updates).toBe(0);
  });

  it('starts a board with no demand in the demand column, at y = 0', () => {
    expect(nextDemandPosition(new Y.Doc())).toEqual({ x: DEMAND_X, y: 0 });
  });

  it('never covers another card someone put in the demand column: the next row starts below it', () => {
    const doc = new Y.Doc();
    addNote(doc, { position: { x: DEMAND_X + 20, y: 40 }, text: 'A question' });
    const next = nextDemandPosition(doc);
    expect(next.x).toBe(DEMAND_X);
    expect(next.y).toBeGreaterThanOrEqual(40 + 140);
  });
});

describe('demand table helpers', () => {
  it('reads counts as whole numbers of 0 or more, refusing the rest in words', () => {
    expect(parseCount('12')).toEqual({ ok: true, count: 12 });
    expect(parseCount(' 1,200 ')).toEqual({ ok: true, count: 1200 });
    expect(parseCount('0')).toEqual({ ok: true, count: 0 });
    for (const bad of ['', '2.5', '-1', 'lots', '1e3']) {
      const parsed = parseCount(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/whole number/);
    }
  });

  it('totals the counts and the failure share', () => {
    const rows = [
      { id: 'a', words: 'a', demandClass: 'value' as const, count: 450, predictable: true },
      { id: 'b', words: 'b', demandClass: 'failure' as const, count: 550, predictable: true },
      { id: 'c', words: 'c', demandClass: null, count: 99, predictable: true },
    ];
    expect(demandTotals(rows)).toEqual({ total: 1000, failure: 550, failurePct: 55 });
    expect(demandTotals([]).failurePct).toBeNull();
    expect(formatPct(55)).toBe('55%');
    expect(formatPct(0.7142)).toBe('0.7%');
    expect(formatPct(null)).toBe('—');
  });

  it('tells a paste of rows from text for one field', () => {
    expect(isRowsPaste('a\tfailure\t3\tyes')).toBe(true);
    expect(isRowsPaste('a, failure, 3, yes\nb, value, 2, no')).toBe(true);
    expect(isRowsPaste('Where is my repair?, failure, 12, yes')).toBe(true);
    expect(isRowsPaste('I rang, and nobody came')).toBe(false);
    expect(isRowsPaste('Where is my repair?')).toBe(false);
  });
});

describe('parseCapabilityText', () => {
  it('reads bare numbers in the chosen unit, one per line or separated by commas, tabs or spaces', () => {
    expect(parseCapabilityText('3\n4, 5\t6 7', 'days')).toEqual({
      minutes: [3, 4, 5, 6, 7].map((d) => d * MINUTES_PER_DAY),
      errors: [],
    });
    expect(parseCapabilityText('1.5', 'hours').minutes).toEqual([90]);
  });

  it('lets a value carry its own unit, in parts or in words', () => {
    expect(parseCapabilityText('3d\n4 h\n1d 4h\n2 days, 30m', 'days').minutes).toEqual([
      3 * MINUTES_PER_DAY,
      4 * MINUTES_PER_HOUR,
      MINUTES_PER_DAY + 4 * MINUTES_PER_HOUR,
      2 * MINUTES_PER_DAY,
      30,
    ]);
    // The same unit twice is two times, not one.
    expect(parseCapabilityText('3d 4d', 'days').minutes).toEqual([3 * MINUTES_PER_DAY, 4 * MINUTES_PER_DAY]);
  });

  it('reports bad values by line and guesses nothing', () => {
    const parsed = parseCapabilityText('3\n\nabc\n5 fortnights\n-2', 'days');
    expect(parsed.minutes).toEqual([3 * MINUTES_PER_DAY]);
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(parsed.errors[0].message).toMatch(/^Line 3: /);
  });

  it('writes a stored series back so it reads the same', () => {
    const minutes = [1440, 2160, 4320];
    expect(formatSeries(minutes, 'days')).toBe('1\n1.5\n3');
    expect(parseCapabilityText(formatSeries(minutes, 'days'), 'days').minutes).toEqual(minutes);
  });
});
