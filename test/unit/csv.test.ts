/** The demand and step tables as CSV: RFC 4180 quoting, a header, reading order, and demand that reads back in. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  DEMAND_CSV_HEADER,
  addDemand,
  addLane,
  addStep,
  exportDemandCsv,
  exportStepsCsv,
  getTemplate,
  parseDemandRows,
  toCsv,
  updateStep,
} from '../../src/model';

describe('toCsv', () => {
  it('quotes only fields with a comma, a quote or a line break, doubles quotes, ends lines with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['plain', 'with, comma'],
          ['say "hi"', 'two\nlines'],
          [null, 3.5],
          [true, false],
        ],
      ),
    ).toBe('a,b\r\nplain,"with, comma"\r\n"say ""hi""","two\nlines"\r\n,3.5\r\nyes,no\r\n');
  });
});

describe('demand CSV', () => {
  it('has the header, one row per demand type in reading order, and reads back in unchanged', () => {
    const doc = new Y.Doc();
    addDemand(doc, {
      position: { x: -300, y: 100 },
      words: 'Where is "my" repair, again?',
      demandClass: 'failure',
      count: 12,
      predictable: true,
    });
    addDemand(doc, {
      position: { x: -300, y: 0 },
      words: 'My boiler is broken',
      demandClass: 'value',
      count: 40,
      predictable: false,
    });
    const csv = exportDemandCsv(doc);
    expect(csv).toBe(
      `${DEMAND_CSV_HEADER.join(',')}\r\nMy boiler is broken,value,40,no\r\n"Where is ""my"" repair, again?",failure,12,yes\r\n`,
    );
    const { rows, errors } = parseDemandRows(csv);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { words: 'My boiler is broken', demandClass: 'value', count: 40, predictable: false },
      { words: 'Where is "my" repair, again?', demandClass: 'failure', count: 12, predictable: true },
    ]);
  });
});

describe('step CSV', () => {
  it('gives lane name, class, waste type, PT and LT in minutes and as text, %C&A and contact; missing values are empty', () => {
    const doc = new Y.Doc();
    const lane = addLane(doc, 'Contact centre, level 2');
    const b = addStep(doc, { position: { x: 200, y: 0 }, label: 'Check eligibility', lane });
    updateStep(doc, b, { stepClass: 'waste', wasteType: 'check', pt: 15, lt: 2880, ca: 80 });
    const a = addStep(doc, { position: { x: 0, y: 0 }, label: 'Take the call' });
    updateStep(doc, a, { stepClass: 'value', pt: 5, customerContact: true });
    expect(exportStepsCsv(doc)).toBe(
      'label,lane,class,waste type,PT minutes,LT minutes,PT,LT,%C&A,customer contact\r\n' +
        'Take the call,,value,,5,,5 m,,,yes\r\n' +
        'Check eligibility,"Contact centre, level 2",waste,check,15,2880,15 m,2 d,80,no\r\n',
    );
  });

  it('a template: one row per step, the same bytes twice', () => {
    const doc = new Y.Doc();
    getTemplate('housing-repairs-before')!.apply(doc);
    const csv = exportStepsCsv(doc);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(11);
    expect(exportStepsCsv(doc)).toBe(csv);
  });
});
