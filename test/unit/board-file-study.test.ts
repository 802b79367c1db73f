/**
 * Format 4 of the board file: the demand study travels with the board (its
 * settings and every entry) as an optional top-level `study`. Export writes
 * it in a fixed order (same study, same bytes); a bad study is refused with
 * a sentence naming the entry; formats 3 and 2 still open, with no study.
 * Also the example study the housing-repairs before board ships with.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_FILE_FORMAT_VERSION,
  BoardFileError,
  exportBoardFile,
  getTemplate,
  housingRepairsAfterStudy,
  housingRepairsBeforeStudy,
  parseBoardFile,
  parseBoardFileText,
  serialiseBoardFile,
  studyDayOf,
  type BoardFile,
  type BoardFileStudy,
} from '../../src/model';

function templateDoc(id: string): Y.Doc {
  const doc = new Y.Doc();
  getTemplate(id)!.apply(doc);
  return doc;
}

function smallStudy(): BoardFileStudy {
  return {
    settings: {
      demandTypes: [
        { id: 'repair', name: 'Report a repair', class: 'value', definition: 'Something in the home is broken' },
        { id: 'chasing', name: 'Chasing', class: 'failure', definition: 'Asks where something is that we promised' },
      ],
      handlingTypes: [
        { name: 'One stop', oneStop: true },
        { name: 'Pass-on', oneStop: false },
      ],
      contactMethods: ['Phone', 'Email'],
      defaultContactMethod: 'Phone',
      whatMattersCategories: ["Come when I'm in"],
      start: '2026-03-02',
      end: '2026-03-13',
      capture: { classification: true, handling: true, valueLinking: false },
    },
    entries: [
      {
        id: 'entry-000002',
        at: '2026-03-03T10:00:00.000Z',
        collector: 'Aisha',
        verbatim: 'I called last week about my boiler and nobody came',
        class: 'failure',
        type: 'chasing',
        valueDemandType: 'repair',
        cause: 'No appointment given',
      },
      {
        id: 'entry-000001',
        at: '2026-03-02T09:15:00.000Z',
        collector: 'Dave',
        verbatim: 'My kitchen tap is leaking, "badly", under the sink',
        class: 'value',
        type: 'repair',
        handling: 'One stop',
        contactMethod: 'Phone',
        whatMatters: { category: "Come when I'm in", note: 'I work shifts' },
      },
      { id: 'entry-000003', at: '2026-03-13T17:59:00.000Z', collector: 'Dave', verbatim: 'Not classified yet' },
    ],
  };
}

function fileWith(study: unknown): Record<string, unknown> {
  const file = JSON.parse(serialiseBoardFile(exportBoardFile(templateDoc('housing-repairs-after')))) as Record<
    string,
    unknown
  >;
  return { ...file, study };
}

function refusal(input: unknown): BoardFileError {
  try {
    parseBoardFile(input);
  } catch (error) {
    expect(error).toBeInstanceOf(BoardFileError);
    return error as BoardFileError;
  }
  throw new Error('the file was accepted');
}

describe('a board file carries its demand study (format 4)', () => {
  it('writes the study in a fixed order, entries oldest first, and reads it back unchanged', () => {
    const doc = templateDoc('housing-repairs-before');
    const study = smallStudy();
    const text = serialiseBoardFile(exportBoardFile(doc, [], { study }));
    const written = JSON.parse(text) as BoardFile;
    expect(written.formatVersion).toBe(BOARD_FILE_FORMAT_VERSION);
    expect(Object.keys(written).at(-1)).toBe('study');
    expect(written.study!.entries.map((e) => e.id)).toEqual(['entry-000001', 'entry-000002', 'entry-000003']);
    expect(Object.keys(written.study!.entries[0])).toEqual([
      'id',
      'at',
      'collector',
      'verbatim',
      'class',
      'type',
      'handling',
      'contactMethod',
      'whatMatters',
    ]);
    expect(Object.keys(written.study!.settings)).toEqual([
      'demandTypes',
      'handlingTypes',
      'contactMethods',
      'defaultContactMethod',
      'whatMattersCategories',
      'start',
      'end',
      'capture',
    ]);
    // Read back: the same study; written again: the same bytes, whatever order the entries came in.
    const read = parseBoardFileText(text);
    expect(read.study).toEqual(written.study);
    expect(serialiseBoardFile(read)).toBe(text);
    const reversed = { ...study, entries: [...study.entries].reverse() };
    expect(serialiseBoardFile(exportBoardFile(doc, [], { study: reversed }))).toBe(text);
  });

  it('a board without a study writes no study key at all', () => {
    const doc = templateDoc('housing-repairs-before');
    const text = serialiseBoardFile(exportBoardFile(doc, [], { study: null }));
    expect(text).not.toContain('"study"');
    expect(text).toBe(serialiseBoardFile(exportBoardFile(doc)));
  });

  it('leaves out what belongs to the server that stored the entries (who stored them, when they changed)', () => {
    const study = smallStudy();
    const stored = {
      ...study,
      entries: study.entries.map((e) => ({ ...e, by: 'member-1', createdAt: 1, updatedAt: 2 })),
    };
    const text = serialiseBoardFile(exportBoardFile(new Y.Doc(), [], { study: stored }));
    expect(text).not.toMatch(/"by"|"createdAt"|"updatedAt"/);
  });
});

describe('older files still open', () => {
  it('a format-3 file opens as format 4 with no study, and the board is the same', () => {
    const file = fileWith(undefined);
    const v3: Record<string, unknown> = { ...file, formatVersion: 3 };
    delete v3.study;
    const read = parseBoardFile(v3);
    expect(read.formatVersion).toBe(4);
    expect(read.study).toBeUndefined();
    expect(read.nodes).toEqual((file as unknown as BoardFile).nodes);
  });

  it('a format-3 file cannot smuggle a study in: the key is not part of format 3', () => {
    const read = parseBoardFile({ ...fileWith(smallStudy()), formatVersion: 3 });
    expect(read.study).toBeUndefined();
  });

  it('a format-2 file (no results, no study) still opens', () => {
    const file = fileWith(undefined) as Record<string, unknown> & { versions: unknown[] };
    const v2: Record<string, unknown> = { ...file, formatVersion: 2 };
    delete v2.outcomes;
    delete v2.study;
    const read = parseBoardFile(v2);
    expect(read.formatVersion).toBe(4);
    expect(read.outcomes).toEqual([]);
    expect(read.study).toBeUndefined();
  });
});

describe('a bad study is refused with the entry and what is wrong, and nothing is read', () => {
  const entry = (index: number, change: Record<string, unknown>) => {
    const study = smallStudy();
    const sorted = [...study.entries].sort((a, b) => (a.at < b.at ? -1 : 1));
    sorted[index] = { ...sorted[index], ...change } as (typeof sorted)[number];
    return { ...study, entries: sorted };
  };
  const cases: [string, unknown, RegExp][] = [
    [
      'an empty verbatim',
      entry(0, { verbatim: '  ' }),
      /^Study entry 1: the verbatim \(the customer’s words\) cannot be empty\.$/,
    ],
    [
      'a verbatim over 2,000 characters',
      entry(0, { verbatim: 'x'.repeat(2001) }),
      /^Study entry 1 \(“x+…”\): the verbatim \(the customer’s words\) is longer than 2000 characters\.$/,
    ],
    [
      'an unknown type',
      entry(1, { type: 'Complaint' }),
      /^Study entry 2 \(“I called last week about my boiler and…”\): the demand type names a demand type the study does not have \(“Complaint”\)\.$/,
    ],
    [
      'a date outside the study',
      entry(2, { at: '2026-03-14T08:00:00.000Z' }),
      /^Study entry 3 \(“Not classified yet”\): the time it arrived is outside the study \(2026-03-14; the study runs 2026-03-02 to 2026-03-13\)\.$/,
    ],
    [
      'a time that is not a time',
      entry(2, { at: 'last Tuesday' }),
      /^Study entry 3 \(“Not classified yet”\): the time it arrived must be a time written like 2026-03-02T09:15:00Z/,
    ],
    ['an id too short', entry(0, { id: 'x' }), /^Study entry 1 .*: the id must be an id of 8 to 64 letters/],
    ['the same id twice', entry(1, { id: 'entry-000001' }), /the id is used twice \(“entry-000001”\)/],
    ['a class that is not one', entry(0, { class: 'maybe' }), /the class must be one of value, failure, unsure/],
    [
      'a class its type contradicts',
      entry(0, { class: 'failure' }),
      /the class is failure, but its type “Report a repair” is value/,
    ],
    [
      'an unknown handling',
      entry(0, { handling: 'Escalated' }),
      /names a handling type the study does not have \(“Escalated”\)/,
    ],
    [
      'a failure linked to a failure type',
      entry(1, { valueDemandType: 'chasing' }),
      /the value demand it stems from names a value demand type the study does not have \(“chasing”\)/,
    ],
    [
      'an end before the start',
      { ...smallStudy(), settings: { ...smallStudy().settings, end: '2026-03-01' } },
      /the end date is before the start date/i,
    ],
    ['no entries list', { settings: smallStudy().settings }, /entries is missing|the entries/i],
  ];
  it.each(cases)('%s', (_name, study, message) => {
    const error = refusal(fileWith(study));
    expect(error.message).toMatch(message);
    expect(error.path).toMatch(/^study/);
  });
});

describe('the housing-repairs example study', () => {
  const study = housingRepairsBeforeStudy();

  it('is a valid study that travels in a board file', () => {
    const doc = templateDoc('housing-repairs-before');
    const text = serialiseBoardFile(exportBoardFile(doc, [], { study }));
    expect(parseBoardFileText(text).study!.entries).toHaveLength(study.entries.length);
  });

  it('is the same study every time (seeded), a few hundred entries over three weeks', () => {
    expect(housingRepairsBeforeStudy()).toEqual(study);
    expect(study.entries.length).toBeGreaterThanOrEqual(300);
    expect(study.entries.length).toBeLessThanOrEqual(450);
    const days = new Set(study.entries.map((e) => studyDayOf(e.at)));
    expect(days.size).toBe(15);
    expect(study.settings.start).toBe('2026-03-02');
    expect(study.settings.end).toBe('2026-03-20');
  });

  it('has several collectors, value and failure types with definitions, one stop handling, causes and what matters', () => {
    expect(new Set(study.entries.map((e) => e.collector)).size).toBeGreaterThanOrEqual(4);
    const classes = new Set(study.settings.demandTypes.map((t) => t.class));
    expect(classes).toEqual(new Set(['value', 'failure']));
    for (const type of study.settings.demandTypes) expect(type.definition?.length).toBeGreaterThan(20);
    expect(study.settings.handlingTypes.filter((h) => h.oneStop)).toHaveLength(1);
    expect(study.entries.some((e) => e.cause)).toBe(true);
    expect(study.entries.some((e) => e.whatMatters?.note)).toBe(true);
    expect(study.entries.some((e) => e.valueDemandType)).toBe(true);
    // Some are left for the team to classify, as in a real study in progress.
    expect(study.entries.some((e) => e.type === undefined)).toBe(true);
  });

  it('has the board’s proportions: about 55% failure demand among the classified entries', () => {
    const classified = study.entries.filter((e) => e.class === 'value' || e.class === 'failure');
    const failure = classified.filter((e) => e.class === 'failure').length / classified.length;
    expect(failure).toBeGreaterThan(0.48);
    expect(failure).toBeLessThan(0.62);
  });

  it('reads like customers: varied words in the first person, no placeholders left', () => {
    const verbatims = study.entries.map((e) => e.verbatim);
    expect(new Set(verbatims).size / verbatims.length).toBeGreaterThan(0.75);
    for (const v of verbatims) {
      expect(v).not.toMatch(/[{}]/);
      expect(v).not.toMatch(/^[a-z]/);
    }
    expect(verbatims.filter((v) => /\b(I|I'm|I've|my|me)\b/.test(v)).length / verbatims.length).toBeGreaterThan(0.6);
  });

  it('the after study has far less failure demand and more handled in one stop', () => {
    const after = housingRepairsAfterStudy();
    const share = (s: BoardFileStudy, test: (e: BoardFileStudy['entries'][number]) => boolean) => {
      const classified = s.entries.filter((e) => e.class === 'value' || e.class === 'failure');
      return classified.filter(test).length / classified.length;
    };
    expect(share(after, (e) => e.class === 'failure')).toBeLessThan(0.25);
    const oneStop = (s: BoardFileStudy) => {
      const value = s.entries.filter((e) => e.class === 'value');
      return value.filter((e) => e.handling === 'One stop').length / value.length;
    };
    expect(oneStop(after)).toBeGreaterThan(oneStop(study) + 0.3);
  });
});
