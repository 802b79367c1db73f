/**
 * The three process-behaviour signals, on hand-made series whose limits are
 * worked out in the comments (x̄ ± 2.66 · mean moving range, lower not below 0).
 */
import { describe, expect, it } from 'vitest';
import { describeSignal, findSignals, limitSegments, signalPoints, LONG_RUN } from '../../src/model';

function signalsOf(values: number[], breaks: number[] = []) {
  return findSignals(values, limitSegments(values, breaks));
}

describe('signals on an XmR chart', () => {
  it('flags a point beyond the upper limit, and only that point', () => {
    // x̄ = 128/9 = 14.22; moving ranges 2 ×7 and 28 → 42/8 = 5.25; upper = 14.22 + 13.97 = 28.19; lower 0.26.
    // The 40 is beyond the upper limit; the eight before it all sit below the mean, a long run.
    const values = [10, 12, 10, 12, 10, 12, 10, 12, 40];
    expect(signalsOf(values)).toEqual([
      { rule: 'long-run', side: 'below', points: [0, 1, 2, 3, 4, 5, 6, 7] },
      { rule: 'beyond-limit', side: 'above', points: [8] },
    ]);
  });

  it('flags 8 in a row on one side of the mean, not 7', () => {
    // x̄ = 10; upper 21.12, lower 0 (midline above 15.56, below 5): the 11s and 12s are above the
    // mean but not near a limit; the 2 and 3 are near the lower limit, but only 2 of their 4.
    const values = [11, 12, 11, 12, 11, 12, 11, 12, 2, 14, 3, 9];
    expect(signalsOf(values)).toEqual([{ rule: 'long-run', side: 'above', points: [0, 1, 2, 3, 4, 5, 6, 7] }]);
    expect(LONG_RUN).toBe(8);
    // x̄ = 118/12 = 9.83: seven above, then the 2 breaks the run before it counts.
    const seven = [11, 12, 11, 12, 11, 12, 11, 2, 14, 3, 9, 10];
    expect(signalsOf(seven).filter((s) => s.rule === 'long-run')).toEqual([]);
  });

  it('flags 3 of 4 points closer to a limit than to the mean, merging overlapping windows', () => {
    // x̄ = 224/20 = 11.2; upper 15.54, lower 6.86; midline above 13.37. Points 8, 9 and 11 (15) are
    // near the upper limit, not beyond it. The 10s and 11s sit below the mean: two runs of 8 below.
    const values = [10, 11, 10, 11, 10, 11, 10, 11, 15, 15, 11, 15, 10, 11, 10, 11, 10, 11, 10, 11];
    expect(signalsOf(values)).toEqual([
      { rule: 'long-run', side: 'below', points: [0, 1, 2, 3, 4, 5, 6, 7] },
      { rule: 'near-limit', side: 'above', points: [8, 9, 11] },
      { rule: 'long-run', side: 'below', points: [12, 13, 14, 15, 16, 17, 18, 19] },
    ]);
  });

  it('finds nothing in a constant series (limits on the mean) or a short one', () => {
    expect(signalsOf([5, 5, 5, 5, 5, 5, 5, 5, 5, 5])).toEqual([]);
    expect(signalsOf([4, 6, 4, 6, 4, 6, 4])).toEqual([]);
    expect(signalsOf([7])).toEqual([]);
    expect(signalsOf([])).toEqual([]);
  });

  it('recomputes the limits from a chosen point, so a redesign’s shift is not a signal against the old limits', () => {
    const before = [24, 26, 22, 25, 23, 27, 24, 25, 23, 26];
    const after = [5, 6, 4, 5, 6, 5, 4, 6, 5, 5];
    const values = [...before, ...after];
    const one = limitSegments(values);
    expect(one).toHaveLength(1);
    // On one set of limits (x̄ 14.8; mR̄ 55/19 = 2.89; upper 22.5, lower 7.1) the shift shows by every
    // rule. Points beyond a limit one after another are one signal; the 22 (case 3) is inside.
    const onOne = signalsOf(values);
    expect(onOne.filter((s) => s.rule === 'beyond-limit').map((s) => [s.side, s.points])).toEqual([
      ['above', [0, 1]],
      ['above', [3, 4, 5, 6, 7, 8, 9]],
      ['below', [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]],
    ]);
    expect(new Set(onOne.map((s) => s.rule))).toEqual(new Set(['beyond-limit', 'near-limit', 'long-run']));
    expect(onOne.filter((s) => s.rule === 'long-run').map((s) => [s.side, s.points.length])).toEqual([
      ['above', 10],
      ['below', 10],
    ]);

    const two = limitSegments(values, [10]);
    expect(two.map(({ from, to }) => [from, to])).toEqual([
      [0, 9],
      [10, 19],
    ]);
    expect(two[0].limits.mean).toBeCloseTo(24.5, 10);
    expect(two[1].limits.mean).toBeCloseTo(5.1, 10);
    expect(signalsOf(values, [10])).toEqual([]);
  });

  it('ignores a break that would leave fewer than two points on a side', () => {
    expect(limitSegments([1, 2, 3, 4], [3]).map((s) => s.from)).toEqual([0]);
    expect(limitSegments([1, 2, 3, 4], [1]).map((s) => s.from)).toEqual([0]);
    expect(limitSegments([1, 2, 3, 4], [2, 2, 2.5]).map((s) => s.from)).toEqual([0, 2]);
  });

  it('names each signal in plain words, counting points from 1', () => {
    expect(describeSignal({ rule: 'beyond-limit', side: 'above', points: [8] }, 'case')).toBe(
      'Case 9 is beyond the upper limit: something special happened, or the system changed here.',
    );
    expect(describeSignal({ rule: 'beyond-limit', side: 'below', points: [10, 11, 12] }, 'case')).toMatch(
      /^Cases 11–13 are beyond the lower limit/,
    );
    expect(describeSignal({ rule: 'long-run', side: 'below', points: [10, 11, 12, 13, 14, 15, 16, 17] })).toBe(
      'Points 11–18: 8 in a row below the mean — the system changed here.',
    );
    expect(describeSignal({ rule: 'near-limit', side: 'above', points: [8, 9, 11] })).toMatch(
      /^Points 9–12: 3 of 4 points closer to the upper limit than to the mean/,
    );
    expect([...signalPoints([{ rule: 'near-limit', side: 'above', points: [8, 9, 11] }])]).toEqual([8, 9, 11]);
  });
});
