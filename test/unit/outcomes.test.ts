/**
 * Outcome measures ("Results", src/model/outcomes.ts): kept on a board with
 * their unit, direction and values; refused in plain words when wrong (the
 * board unchanged); read from a paste; and compared by name between a before
 * and an after board — differing units refused with a message — into the
 * comparison's rows and headline. Figures from the Welsh examples.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardFileError,
  BoardOperationError,
  exportBoardFile,
  importBoardFile,
  parseBoardFile,
  serialiseBoardFile,
  compareBoards,
  compareOutcomes,
  comparedSideOfDoc,
  initBoard,
  outcomeFigure,
  outcomesMap,
  parseOutcomeValues,
  readMeta,
  readOutcomes,
  removeOutcome,
  setOutcome,
  type Outcome,
} from '../../src/model';
import { formatOutcomeChange, formatOutcomeValue, headlineText } from '../../src/export';

function board(): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, 'Social care');
  return doc;
}

const funded = (value: number, id = 'x'): Outcome => ({
  id,
  name: 'Referrals leading to a funded care package',
  unit: 'percent',
  direction: 'lower-is-better',
  points: [{ date: null, value }],
});

describe('results on a board', () => {
  it('a value or a dated series, kept with its unit and direction, listed by name', () => {
    const doc = board();
    setOutcome(doc, {
      name: '  Contacts into the service   per week ',
      unit: 'count',
      direction: 'lower-is-better',
      points: [
        { date: '2026-01-05', value: 480 },
        { date: '2026-01-12', value: 520 },
      ],
    });
    setOutcome(doc, { ...funded(24.1), id: undefined });
    const list = readOutcomes(doc);
    expect(list.map((o) => o.name)).toEqual([
      'Contacts into the service per week',
      'Referrals leading to a funded care package',
    ]);
    expect(list[0].points).toHaveLength(2);
    expect(outcomeFigure(list[0])).toBe(500); // the series' average
    expect(outcomeFigure(list[1])).toBe(24.1);
  });

  it('edits keep the id; removing takes it away', () => {
    const doc = board();
    const id = setOutcome(doc, { ...funded(24.1), id: undefined });
    setOutcome(doc, { ...funded(20), id });
    expect(readOutcomes(doc)).toEqual([{ ...funded(20), id }]);
    removeOutcome(doc, id);
    expect(readOutcomes(doc)).toEqual([]);
  });

  it.each([
    [{ name: ' ' }, 'A result needs a name'],
    [{ name: 'x'.repeat(121) }, 'The name is longer than 120 characters'],
    [{ unit: 'stones' }, 'Unknown unit "stones" (percent, count, hours, days, pounds)'],
    [{ direction: 'sideways' }, 'Unknown direction "sideways"'],
    [{ points: [] }, 'A result needs a value, or a series of dated values'],
    [{ points: [{ date: null, value: 120 }] }, 'Value 1 is not a percentage from 0 to 100'],
    [{ points: [{ date: null, value: Number.NaN }] }, 'Value 1 is not a number'],
    [{ points: [{ date: '2026-02-30', value: 3 }] }, 'Value 1: "2026-02-30" is not a date (YYYY-MM-DD)'],
  ])('refuses %j in plain words, and the board is unchanged', (bad, message) => {
    const doc = board();
    const before = Y.encodeStateAsUpdate(doc);
    let refused: unknown = null;
    try {
      setOutcome(doc, { ...funded(10), ...(bad as object) } as Outcome);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BoardOperationError);
    expect((refused as Error).message).toBe(message);
    expect(outcomesMap(doc).size).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('refuses a second result of the same name, in any spacing or case', () => {
    const doc = board();
    setOutcome(doc, { ...funded(24.1), id: undefined });
    expect(() =>
      setOutcome(doc, { ...funded(3), id: undefined, name: 'referrals leading to a  FUNDED care package' }),
    ).toThrow('This board already has a result named “Referrals leading to a funded care package”');
    expect(readOutcomes(doc)).toHaveLength(1);
  });

  it('skips an entry an old or broken client left unreadable', () => {
    const doc = board();
    const broken = new Y.Map<unknown>();
    outcomesMap(doc).set('b', broken);
    broken.set('name', 'Broken');
    broken.set('unit', 'stones');
    expect(readOutcomes(doc)).toEqual([]);
  });
});

describe('values as typed or pasted', () => {
  it('a value a line, with or without a date; %, £ and thousands separators allowed', () => {
    expect(parseOutcomeValues('24.1%\n\n2026-01-05\t480\n2026-01-12, 1,240\n£9.70').points).toEqual([
      { date: null, value: 24.1 },
      { date: '2026-01-05', value: 480 },
      { date: '2026-01-12', value: 1240 },
      { date: null, value: 9.7 },
    ]);
  });

  it('a bad line is reported by its number, nothing guessed', () => {
    const parsed = parseOutcomeValues('12\nabout ten\n2026-13-01 4');
    expect(parsed.points).toEqual([{ date: null, value: 12 }]);
    expect(parsed.errors).toEqual([
      { line: 2, message: 'Line 2: "about ten" is not a number: write a value like 24.1, or a date and a value.' },
      { line: 3, message: 'Line 3: "2026-13-01" is not a date: write it like 2026-01-05.' },
    ]);
  });
});

describe('compared by name', () => {
  it('the same name in another spacing or case is the same result; before → after with its verdict', () => {
    const [row] = compareOutcomes(
      [funded(24.1)],
      [{ ...funded(10.9), name: 'referrals leading to a funded care  package' }],
    );
    expect(row).toMatchObject({
      key: 'outcome:referrals leading to a funded care package',
      before: 24.1,
      after: 10.9,
      verdict: 'better',
      problem: null,
    });
    expect(row.change).toBeCloseTo(-13.2, 9);
    expect(formatOutcomeValue('percent', row.after)).toBe('10.9%');
    expect(formatOutcomeChange('percent', row.change)).toBe('−13.2 points');
  });

  it('units that differ are refused with a message saying which, and nothing is compared', () => {
    const [row] = compareOutcomes([funded(24.1)], [{ ...funded(120), unit: 'count' }]);
    expect(row).toMatchObject({ before: null, after: null, change: null, verdict: 'n/a' });
    expect(row.problem).toBe(
      'Not compared: “Referrals leading to a funded care package” is in % on the before board and in count on the after board. Give both the same unit.',
    );
  });

  it('directions that differ are refused too', () => {
    const [row] = compareOutcomes([funded(24.1)], [{ ...funded(10), direction: 'higher-is-better' }]);
    expect(row.problem).toMatch(/“lower is better” on the before board and “higher is better” on the after board/);
    expect(row.verdict).toBe('n/a');
  });

  it('a result on one board only: a row with "—" on the other side; before’s first, then after’s own', () => {
    const hours: Outcome = {
      id: 'h',
      name: 'Average home-care package, hours a week',
      unit: 'hours',
      direction: 'lower-is-better',
      points: [{ date: null, value: 9.7 }],
    };
    const rows = compareOutcomes([funded(24.1)], [hours]);
    expect(rows.map((r) => [r.label, r.before, r.after, r.verdict])).toEqual([
      ['Referrals leading to a funded care package', 24.1, null, 'n/a'],
      ['Average home-care package, hours a week', null, 9.7, 'n/a'],
    ]);
  });

  it('in the comparison: its rows, and the headline right after the end-to-end times', () => {
    const before = board();
    const after = board();
    setOutcome(before, { ...funded(24.1), id: undefined });
    setOutcome(after, { ...funded(10.9), id: undefined });
    const hours = (value: number) => ({
      name: 'Average home-care package, hours a week',
      unit: 'hours' as const,
      direction: 'lower-is-better' as const,
      points: [{ date: null, value }],
    });
    setOutcome(before, hours(12));
    setOutcome(after, hours(9.7));
    const side = (doc: Y.Doc, ref: string) => comparedSideOfDoc(doc, { ref, title: readMeta(doc).title });
    const c = compareBoards(side(before, 'b'), side(after, 'a'));
    expect(c.outcomes.map((o) => o.verdict)).toEqual(['better', 'better']);
    // Empty maps: nothing else changed, so the results are the headline. 12 → 9.7 is −19%: medium, after the large.
    expect(c.headline.map(headlineText)).toEqual([
      'Referrals leading to a funded care package: 24% → 11% (−13 points)',
      'Average home-care package, hours a week: 12 h → 9.7 h (−19%)',
    ]);
  });
});

describe('in the board file (format 3)', () => {
  function withResults(): Y.Doc {
    const doc = board();
    setOutcome(doc, { ...funded(24.1), id: 'r1' });
    setOutcome(doc, {
      id: 'r2',
      name: 'Contacts per week',
      unit: 'count',
      direction: 'lower-is-better',
      points: [
        { date: '2026-01-05', value: 480 },
        { date: '2026-01-12', value: 520 },
      ],
    });
    return doc;
  }

  it('carries each result with its id, unit, direction and values, and reads back to the same bytes', () => {
    const file = exportBoardFile(withResults());
    expect(file.formatVersion).toBe(4);
    expect(file.outcomes.map((o) => [o.id, o.name, o.unit, o.points.length])).toEqual([
      ['r1', 'Referrals leading to a funded care package', 'percent', 1],
      ['r2', 'Contacts per week', 'count', 2],
    ]);
    const copy = new Y.Doc();
    importBoardFile(copy, parseBoardFile(JSON.parse(serialiseBoardFile(file))));
    expect(readOutcomes(copy)).toEqual(readOutcomes(withResults()));
    expect(serialiseBoardFile(exportBoardFile(copy))).toBe(serialiseBoardFile(file));
  });

  it('a format 2 file (no results, on the board or in its versions) is migrated: both get an empty list', () => {
    const file = exportBoardFile(board(), [{ name: 'v', savedBy: 'Sam', savedAt: 1, doc: board() }]);
    const without = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'outcomes'));
    const v2 = {
      ...without(file),
      formatVersion: 2,
      versions: file.versions.map((v) => ({ ...v, board: without(v.board) })),
    };
    const parsed = parseBoardFile(v2);
    expect(parsed.formatVersion).toBe(4);
    expect(parsed.outcomes).toEqual([]);
    expect(parsed.versions[0].board.outcomes).toEqual([]);
  });

  it.each([
    [
      { unit: 'stones' },
      /^Result 1 \(“.+”\): the unit must be one of percent, count, hours, days, pounds \(you wrote “stones”\)\.$/,
    ],
    [{ points: [] }, /^Result 1 \(“.+”\): the list of values needs at least one value\.$/],
    [
      { points: [{ date: '5 Jan', value: 1 }] },
      /^Result 1 \(“.+”\), value 1: the date must be a date written YYYY-MM-DD \(you wrote “5 Jan”\)\.$/,
    ],
    [{ points: [{ date: null, value: 140 }] }, /^Result 1 \(“.+”\): value 1 is not a percentage from 0 to 100\.$/],
  ])('a bad result %j is refused naming where, and nothing is made', (bad, message) => {
    const file = exportBoardFile(withResults());
    const broken = { ...file, outcomes: [{ ...file.outcomes[0], ...bad }, file.outcomes[1]] };
    const doc = new Y.Doc();
    let refused: unknown = null;
    try {
      importBoardFile(doc, parseBoardFile(JSON.parse(JSON.stringify(broken))));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BoardFileError);
    expect((refused as Error).message).toMatch(message);
    expect(readOutcomes(doc)).toEqual([]);
  });

  it('two results of one name in a file: refused naming the second', () => {
    const file = exportBoardFile(withResults());
    const twice = { ...file, outcomes: [file.outcomes[0], { ...file.outcomes[1], name: file.outcomes[0].name }] };
    const doc = new Y.Doc();
    expect(() => importBoardFile(doc, parseBoardFile(twice))).toThrow(
      'Result 2 (“Referrals leading to a funded care pack…”): this board already has a result named “Referrals leading to a funded care package”.',
    );
    expect(readOutcomes(doc)).toEqual([]);
  });
});
