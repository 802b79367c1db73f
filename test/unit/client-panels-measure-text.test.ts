/** The analysis panel's words and numbers: units, rounding, "—", explanations. */
import { describe, expect, test } from 'vitest';
import { computeMeasures, type Measures } from '../../src/model';
import { MEASURE_TEXTS, capabilitySentence, measureValueText, periodPhrase } from '../../src/export/measure-text';
import { formatCount, formatInUnit, formatPct, niceCeiling, shorten } from '../../src/export/format';
import {
  parseCountInput,
  parsePercentInput,
  parseTimeInput,
  whatMattersFromText,
} from '../../src/panels/inspector-fields';

describe('formatPct', () => {
  test('reads as ux.md says: 55%, 11.9%, 0.7%', () => {
    expect(formatPct(55)).toBe('55%');
    expect(formatPct(11.94)).toBe('11.9%');
    expect(formatPct(0.72)).toBe('0.7%');
    expect(formatPct(16.666)).toBe('16.7%');
    expect(formatPct(100)).toBe('100%');
    expect(formatPct(0)).toBe('0%');
  });
  test('a trailing .0 is dropped, a tiny share is not shown as 0%', () => {
    expect(formatPct(30.02)).toBe('30%');
    expect(formatPct(4.96)).toBe('5%');
    expect(formatPct(0.01)).toBe('<0.1%');
  });
  test('missing is —', () => {
    expect(formatPct(null)).toBe('—');
    expect(formatPct(Number.NaN)).toBe('—');
  });
});

test('formatCount groups thousands and shows — for missing', () => {
  expect(formatCount(1000)).toBe('1,000');
  expect(formatCount(6)).toBe('6');
  expect(formatCount(null)).toBe('—');
});

describe('measures as the panel shows them', () => {
  const empty: Measures = computeMeasures({ steps: [], flowEdges: [], demand: [], capabilitySeries: [] });

  test('every key is a measure of the model, with a one-line explanation', () => {
    const keys = new Set(Object.keys(empty));
    for (const m of MEASURE_TEXTS) {
      if (!m.key.startsWith('capability')) expect(keys.has(m.key), m.key).toBe(true);
      expect(m.explanation.length).toBeGreaterThan(10);
      expect(m.explanation).not.toContain('\n');
    }
  });

  test('an empty board shows — where inputs are missing, 0 for counts', () => {
    expect(measureValueText(empty, 'failureDemandPct')).toBe('—');
    expect(measureValueText(empty, 'endToEndLeadTime')).toBe('—');
    expect(measureValueText(empty, 'capabilityMean')).toBe('—');
    expect(measureValueText(empty, 'totalDemand')).toBe('0');
    expect(measureValueText(empty, 'handoffs')).toBe('0');
  });

  test('times are formatted with formatTime', () => {
    const m = { ...empty, endToEndLeadTime: 24 * 1440 + 10, processTime: 250 };
    expect(measureValueText(m, 'endToEndLeadTime')).toBe('24 d');
    expect(measureValueText(m, 'processTime')).toBe('4 h 10 m');
  });
});

test('the capability sentence, and a hint when there is no capability', () => {
  expect(capabilitySentence({ mean: 1440 * 12, upper: 1440 * 30, lower: 0 })).toBe(
    'A case takes between 0 and 30 days; on average 12 days.',
  );
  expect(capabilitySentence(null)).toMatch(/at least two/);
});

test('period, unit values, axis ceilings and shortening', () => {
  expect(periodPhrase('one week')).toBe('Counts per one week');
  expect(periodPhrase(null)).toBe('Counting period not set');
  expect(formatInUnit(1440 * 12.5, 'days')).toBe('12.5 d');
  expect(formatInUnit(180, 'hours')).toBe('3 h');
  expect(niceCeiling(0)).toBe(1);
  expect(niceCeiling(420)).toBe(500);
  expect(niceCeiling(23)).toBe(25);
  expect(niceCeiling(100)).toBe(100);
  expect(shorten('I need a repair', 50)).toBe('I need a repair');
  expect(shorten('I need an adaptation to my home', 10)).toBe('I need an…');
});

describe('inspector input reading', () => {
  test('times: 45m, 3h, 2d, 1.5 d; empty clears; nonsense is an error', () => {
    expect(parseTimeInput('45m')).toEqual({ ok: true, value: 45 });
    expect(parseTimeInput('3h')).toEqual({ ok: true, value: 180 });
    expect(parseTimeInput('2d')).toEqual({ ok: true, value: 2880 });
    expect(parseTimeInput('1.5 d')).toEqual({ ok: true, value: 2160 });
    expect(parseTimeInput('  ')).toEqual({ ok: true, value: null });
    expect(parseTimeInput('soon').ok).toBe(false);
  });
  test('%C&A: 80, 80%, empty; words are an error; range is left to the model', () => {
    expect(parsePercentInput('80')).toEqual({ ok: true, value: 80 });
    expect(parsePercentInput('92.5 %')).toEqual({ ok: true, value: 92.5 });
    expect(parsePercentInput('')).toEqual({ ok: true, value: null });
    expect(parsePercentInput('150')).toEqual({ ok: true, value: 150 });
    expect(parsePercentInput('lots').ok).toBe(false);
  });
  test('counts: 260, 1,000; empty and words are errors; fractions go to the model', () => {
    expect(parseCountInput('260')).toEqual({ ok: true, value: 260 });
    expect(parseCountInput('1,000')).toEqual({ ok: true, value: 1000 });
    expect(parseCountInput('2.5')).toEqual({ ok: true, value: 2.5 });
    expect(parseCountInput('-3')).toEqual({ ok: true, value: -3 });
    expect(parseCountInput('').ok).toBe(false);
    expect(parseCountInput('many').ok).toBe(false);
  });
  test('what matters: one item per line, bullets and blank lines dropped', () => {
    expect(whatMattersFromText('- fix it first time\n\n• come when I’m in \n')).toEqual([
      'fix it first time',
      'come when I’m in',
    ]);
  });
});
