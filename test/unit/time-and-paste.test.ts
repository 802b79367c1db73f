/** Reading and writing times as people type them, and demand pasted from a spreadsheet. */
import { describe, expect, it } from 'vitest';
import { formatTime, parseTime } from '../../src/model/time';
import { parseDemandRows } from '../../src/model/demand-paste';

describe('parseTime', () => {
  it.each([
    ['45m', 45],
    ['45 m', 45],
    ['3h', 180],
    ['2d', 2880],
    ['1.5 d', 2160],
    ['1,5 d', 2160],
    ['1d 4h', 1440 + 240],
    ['24 d 10 m', 24 * 1440 + 10],
    ['2 days', 2880],
    ['90', 90],
    ['1 week', 7 * 1440],
    [' 10 MIN ', 10],
  ])('"%s" is %d minutes', (text, minutes) => {
    expect(parseTime(text)).toEqual({ ok: true, minutes });
  });

  it.each(['', 'soon', '3x', '-5m', 'm5', '2d and a bit', '1..5h'])('"%s" is refused with a message', (text) => {
    const parsed = parseTime(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/time|unit|45m/);
  });
});

describe('formatTime', () => {
  it.each([
    [45, '45 m'],
    [60, '1 h'],
    [200, '3 h 20 m'],
    [2880, '2 d'],
    [24 * 1440 + 10, '24 d'],
    [54 * 1440 + 11 * 60 + 7, '54 d 11 h'],
    [0, '0 m'],
    [44.6, '45 m'],
  ])('%d minutes reads "%s"', (minutes, text) => {
    expect(formatTime(minutes)).toBe(text);
  });

  it('shows "—" when there is no time', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime(Number.NaN)).toBe('—');
  });
});

describe('parseDemandRows', () => {
  it('reads tab-separated rows pasted from a spreadsheet, with a header', () => {
    const text =
      "Customer's words\tClass\tCount\tPredictable\nI need a repair\tvalue\t420\tyes\nWhen are you coming?\tFailure\t260\tY\n";
    expect(parseDemandRows(text)).toEqual({
      rows: [
        { words: 'I need a repair', demandClass: 'value', count: 420, predictable: true },
        { words: 'When are you coming?', demandClass: 'failure', count: 260, predictable: true },
      ],
      errors: [],
    });
  });

  it('reads comma-separated rows with quoted words, thousands separators in quotes, and no header', () => {
    const { rows, errors } = parseDemandRows('"Nobody came, again",failure,"1,200",no\r\nI need a repair,v,5,');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { words: 'Nobody came, again', demandClass: 'failure', count: 1200, predictable: false },
      { words: 'I need a repair', demandClass: 'value', count: 5, predictable: false },
    ]);
  });

  it('reports each bad row by line number and keeps the good ones', () => {
    const text = [
      'I need a repair\tvalue\t420\tyes',
      '\tvalue\t3\tyes',
      'Where is it?\tmaybe\t3\tyes',
      'Where is it?\tfailure\t2.5\tyes',
      'Where is it?\tfailure\t-1\tyes',
      'Where is it?\tfailure\t\tyes',
      'Where is it?\tfailure\t4\tperhaps',
      '',
      'Nobody came\tfailure\t90\tno',
    ].join('\n');
    const { rows, errors } = parseDemandRows(text);
    expect(rows.map((r) => r.words)).toEqual(['I need a repair', 'Nobody came']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(errors[0].message).toBe(
      "Demand row 2: the customer's words are missing: write what the customer said in the first column.",
    );
    expect(errors[1].message).toBe('Demand row 3: the class must be “value” or “failure” (you wrote maybe).');
    expect(errors[2].message).toMatch(
      /^Demand row 4: the count must be a whole number of 0 or more \(you wrote .+\)\.$/,
    );
    expect(errors[5].message).toMatch(/^Demand row 7: “predictable” must be yes or no \(you wrote .+\)\.$/);
  });
});
