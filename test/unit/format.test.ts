/**
 * Issue 16, plain numbers: every rule of how a time, a capability and a
 * change read, as the panel, the comparison, the exports and the report say them.
 */
import { describe, expect, it } from 'vitest';
import { formatTime, formatTimeExact } from '../../src/model';
import { capabilitySentence, measureValueText } from '../../src/export/measure-text';
import { formatChange, formatChangePct, formatOutcomeChange, headlineText } from '../../src/export/compare-text';
import { formatInWords, formatPct, wordUnitFor } from '../../src/export/format';
import { compareOutcomes } from '../../src/model';

const DAY = 1440;

describe('formatTime: the two largest units', () => {
  it('shows a time under an hour in minutes', () => {
    expect(formatTime(0)).toBe('0 m');
    expect(formatTime(45)).toBe('45 m');
    expect(formatTime(59.4)).toBe('59 m');
  });
  it('shows hours and minutes under a day', () => {
    expect(formatTime(60)).toBe('1 h');
    expect(formatTime(90)).toBe('1 h 30 m');
    expect(formatTime(23 * 60 + 59)).toBe('23 h 59 m');
  });
  it('shows days and hours from a day, rounded to the hour', () => {
    expect(formatTime(54 * DAY + 11 * 60 + 7)).toBe('54 d 11 h');
    expect(formatTime(24 * DAY + 10)).toBe('24 d');
    expect(formatTime(DAY + 30)).toBe('1 d 1 h');
    expect(formatTime(2 * DAY - 20)).toBe('2 d');
  });
  it('keeps the sign of a negative time and a dash for a missing one', () => {
    expect(formatTime(-90)).toBe('−1 h 30 m');
    expect(formatTime(null)).toBe('—');
    expect(formatTime(Number.NaN)).toBe('—');
  });
  it('says an estimate in one unit, with "about"', () => {
    expect(formatTime(27 * DAY + 300, { estimate: true })).toBe('about 27 d');
    expect(formatTime(1.5 * DAY, { estimate: true })).toBe('about 1.5 d');
    expect(formatTime(200, { estimate: true })).toBe('about 3.3 h');
    expect(formatTime(42.4, { estimate: true })).toBe('about 42 m');
    expect(formatTime(0, { estimate: true })).toBe('0 m');
  });
  it('keeps an exact form, down to the minute, for editing fields', () => {
    expect(formatTimeExact(24 * DAY + 10)).toBe('24 d 10 m');
    expect(formatTimeExact(54 * DAY + 11 * 60 + 7)).toBe('54 d 11 h 7 m');
    expect(formatTimeExact(null)).toBe('—');
  });
});

describe('capability in words', () => {
  it('reads "a case takes between 0 and 54 days; on average 27 days"', () => {
    const capability = { mean: 27 * DAY + 100, upper: 54 * DAY + 11 * 60 + 7, lower: 0 };
    expect(capabilitySentence(capability as never)).toBe('A case takes between 0 and 54 days; on average 27 days.');
  });
  it('uses hours or minutes when the upper limit is below a day or an hour', () => {
    expect(capabilitySentence({ mean: 150, upper: 300, lower: 30 } as never)).toBe(
      'A case takes between 0.5 and 5 hours; on average 2.5 hours.',
    );
    expect(capabilitySentence({ mean: 20, upper: 41, lower: 1 } as never)).toBe(
      'A case takes between 1 and 41 minutes; on average 20 minutes.',
    );
  });
  it('says "1 day", not "1 days", and prompts when there is no series', () => {
    expect(formatInWords(DAY, wordUnitFor(DAY), true)).toBe('1 day');
    expect(capabilitySentence(null)).toMatch(/Add at least two end-to-end times/);
  });
  it('shows the capability figures in the panel as estimates', () => {
    const measures = { capability: { mean: 27 * DAY + 100, upper: 54 * DAY, lower: 0 } } as never;
    expect(measureValueText(measures, 'capabilityMean')).toBe('about 27 d');
    expect(measureValueText(measures, 'capabilityUpper')).toBe('about 54 d');
  });
});

describe('changes', () => {
  it('gives a change of a percentage in points, never a percent of a percent', () => {
    expect(formatChange('percent', 17 - 55)).toBe('−38 points');
    expect(formatChange('percent', 1)).toBe('+1 point');
    expect(formatChange('percent', 0)).toBe('0 points');
    expect(formatOutcomeChange('percent', -13.2)).toBe('−13.2 points');
  });
  it('has no relative change for a result in percent, but has one for a count', () => {
    const outcome = (unit: 'percent' | 'count', value: number) => ({
      id: unit,
      name: `Repeat calls ${unit}`,
      unit,
      direction: 'lower-is-better' as const,
      points: [{ date: '2026-01-01', value }],
    });
    const [pct, count] = compareOutcomes(
      [outcome('percent', 8), outcome('count', 200)],
      [outcome('percent', 57.8), outcome('count', 100)],
    );
    expect(pct.changePct).toBeNull();
    expect(formatChangePct(pct.changePct)).toBe('—');
    expect(formatOutcomeChange('percent', pct.change)).toBe('+49.8 points');
    expect(count.changePct).toBe(-50);
  });
  it('gives a change of a time in the two largest units', () => {
    expect(formatChange('minutes', 5 * DAY + 20 - (24 * DAY + 10))).toBe('−19 d');
    expect(formatChange('minutes', 95)).toBe('+1 h 35 m');
  });
  it('reads a headline as "55% → 17% (−38 points)"', () => {
    const item = {
      key: 'failureDemandPct',
      label: 'Failure demand',
      unit: 'percent',
      before: 55,
      after: 17,
      change: -38,
      changePct: null,
    };
    expect(headlineText(item as never)).toBe('Failure demand: 55% → 17% (−38 points)');
  });
  it('keeps percentages as before', () => {
    expect(formatPct(55)).toBe('55%');
    expect(formatPct(0.7)).toBe('0.7%');
  });
});
