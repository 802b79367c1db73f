/** The board file: round trip of every template, the same bytes for the same board, every bad file refused with its path. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_FILE_FORMAT_VERSION,
  BOARD_FILE_MAX_BYTES,
  BoardFileError,
  boardFileJsonSchema,
  exportBoardFile,
  getTemplate,
  importBoardFile,
  listTemplates,
  measuresOfDoc,
  parseBoardFile,
  parseBoardFileText,
  readBoard,
  readCapabilitySeries,
  readPeriod,
  serialiseBoardFile,
  setCapabilitySeries,
  saveCapability,
  addNote,
  type BoardFile,
} from '../../src/model';

function templateDoc(id: string): Y.Doc {
  const doc = new Y.Doc();
  getTemplate(id)!.apply(doc);
  return doc;
}

function sorted<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function boardOf(doc: Y.Doc) {
  const board = readBoard(doc);
  return { ...board, nodes: sorted(board.nodes), edges: sorted(board.edges) };
}

function importText(text: string): Y.Doc {
  const doc = new Y.Doc();
  importBoardFile(doc, parseBoardFileText(text));
  return doc;
}

/** A small valid file to break in one place at a time. */
function smallFile(): BoardFile & Record<string, unknown> {
  const doc = templateDoc('housing-repairs-after');
  return JSON.parse(serialiseBoardFile(exportBoardFile(doc))) as BoardFile & Record<string, unknown>;
}

function refusalOnImport(file: BoardFile, doc = new Y.Doc()): BoardFileError {
  try {
    importBoardFile(doc, file);
  } catch (error) {
    expect(error).toBeInstanceOf(BoardFileError);
    return error as BoardFileError;
  }
  throw new Error('the file was imported');
}

function refusal(input: unknown): BoardFileError {
  try {
    if (typeof input === 'string') parseBoardFileText(input);
    else parseBoardFile(input);
  } catch (error) {
    expect(error).toBeInstanceOf(BoardFileError);
    return error as BoardFileError;
  }
  throw new Error('the file was accepted');
}

describe('round trip: every template → board file → a new board', () => {
  it.each(listTemplates().map((t) => t.id))('"%s": identical elements, fields and measures', (id) => {
    const original = templateDoc(id);
    setCapabilitySeries(original, [1440, 2880, 4320.5], 'days');
    addNote(original, { position: { x: 5, y: 6 }, text: 'Line one\nline "two", with a comma', colour: 'pink' });
    const text = serialiseBoardFile(exportBoardFile(original));
    const copy = importText(text);
    expect(boardOf(copy)).toEqual(boardOf(original));
    expect(copy.getMap('nodes').toJSON()).toEqual(original.getMap('nodes').toJSON());
    expect(copy.getMap('edges').toJSON()).toEqual(original.getMap('edges').toJSON());
    expect(copy.getMap('lanes').toJSON()).toEqual(original.getMap('lanes').toJSON());
    expect(readPeriod(copy)).toBe(readPeriod(original));
    expect(readCapabilitySeries(copy)).toEqual(readCapabilitySeries(original));
    expect(measuresOfDoc(copy)).toEqual(measuresOfDoc(original));
    expect(serialiseBoardFile(exportBoardFile(copy))).toBe(text);
  });

  it('the import is one transaction: one update for the whole board', () => {
    const text = serialiseBoardFile(exportBoardFile(templateDoc('housing-repairs-before')));
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => (updates += 1));
    importBoardFile(doc, parseBoardFileText(text), 'import');
    expect(updates).toBe(1);
  });
});

describe('the same board gives the same bytes', () => {
  it('twice in a row, and from a replica that received the board in another order', () => {
    const doc = templateDoc('benefits-claim-before');
    const first = serialiseBoardFile(exportBoardFile(doc));
    expect(serialiseBoardFile(exportBoardFile(doc))).toBe(first);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    expect(serialiseBoardFile(exportBoardFile(replica))).toBe(first);
    expect(first.endsWith('}\n')).toBe(true);
    expect(first).toContain(`\n  "formatVersion": ${BOARD_FILE_FORMAT_VERSION},\n`);
    // No export time: the only dates are those of a result's own values.
    expect(first.replace(/"date": ("\d{4}-\d{2}-\d{2}"|null)/g, '')).not.toMatch(/exported|date|time"/i);
  });

  it('key order is fixed whatever order the object was built in', () => {
    const file = smallFile();
    const shuffled = Object.fromEntries(Object.entries(file).reverse()) as BoardFile;
    expect(serialiseBoardFile(shuffled)).toBe(serialiseBoardFile(file));
  });
});

describe('a bad file is refused with what is wrong and where, and nothing is written', () => {
  const cases: [string, (file: ReturnType<typeof smallFile>) => unknown, RegExp][] = [
    [
      'not JSON',
      () => '{"formatVersion": 1, ',
      /^This file is not a Purposeboard board file \(it is not valid JSON\)\.$/,
    ],
    ['not an object', () => '[1, 2]', /^This file is not a Purposeboard board file \(it holds no board\)\.$/],
    [
      'a newer format',
      (f) => ({ ...f, formatVersion: 5 }),
      /^This file was saved by a newer Purposeboard \(format 5; this one reads up to 4\)\. Update Purposeboard/,
    ],
    ['no format version', (f) => ({ ...f, formatVersion: undefined }), /^The format version is missing\.$/],
    [
      'a format version that is not a number',
      (f) => ({ ...f, formatVersion: '1' }),
      /^The format version must be a whole number\.$/,
    ],
    [
      'another kind of file',
      (f) => ({ ...f, format: 'excalidraw' }),
      /^This file is not a Purposeboard board file \(it says it is "excalidraw"\)\.$/,
    ],
    ['a missing title', (f) => ({ ...f, title: undefined }), /^The title is missing\.$/],
    ['a title of the wrong type', (f) => ({ ...f, title: 42 }), /^The title must be text \(you wrote 42\)\.$/],
    [
      'a count that is not a whole number',
      (f) => withDemand(f, { count: 2.5 }),
      /^Demand \d+ \(“.+”\): the count must be a whole number \(you wrote 2\.5\)\.$/,
    ],
    [
      'a count given as text',
      (f) => withDemand(f, { count: '12' }),
      /^Demand \d+ \(“.+”\): the count must be a whole number \(you wrote “12”\)\.$/,
    ],
    [
      'a negative count',
      (f) => withDemand(f, { count: -1 }),
      /^Demand \d+ \(“.+”\): the count must be a whole number of 0 or more \(you wrote -1\)\.$/,
    ],
    ['a missing count', (f) => withDemand(f, { count: undefined }), /^Demand \d+ \(“.+”\): the count is missing\.$/],
    [
      'an unknown node kind',
      (f) => withNode(f, 0, { kind: 'sticker' }),
      /^Element 1( \(“.+”\))?: the kind of element is not one we know: it must be one of step, note, demand, purpose, condition \(you wrote "sticker"\)\.$/,
    ],
    [
      'an edge to a node that does not exist',
      (f) => withEdge(f, 1, { target: 'nowhere' }),
      /^Arrow 2: the end of the arrow points to no element in the file \(id “nowhere”\)\.$/,
    ],
    [
      'an edge from a node that does not exist',
      (f) => withEdge(f, 0, { source: 'gone' }),
      /^Arrow 1: the start of the arrow points to no element in the file \(id “gone”\)\.$/,
    ],
    [
      'a step in a lane that does not exist',
      (f) => withStep(f, { lane: 'nolane' }),
      /^Step \d+ \(“.+”\): the lane names a lane that is not in the file \(id “nolane”\)\.$/,
    ],
    [
      'a waste type that does not exist',
      (f) => withStep(f, { stepClass: 'waste', wasteType: 'coffee' }),
      /^Step \d+ \(“.+”\): the waste type must be one of check, approval, .+ \(you wrote “coffee”\)\.$/,
    ],
    [
      'a %C&A over 100',
      (f) => withStep(f, { ca: 120 }),
      /^Step \d+ \(“.+”\): the %C&A must be a number from 0 to 100 \(you wrote 120\)\.$/,
    ],
    [
      'an id used twice',
      (f) => withNode(f, 1, { id: f.nodes[0].id }),
      /^[\w ]+ 2( \(“.+”\))?: the id is used twice \(“.+”\); each needs its own\./,
    ],
    [
      'a lane colour that is not one',
      (f) => ({ ...f, lanes: [{ ...f.lanes[0], colour: 'red' }, ...f.lanes.slice(1)] }),
      /^Lane 1 \(“.+”\): the colour must be a colour like "#e0f2fe" \(you wrote “red”\)\.$/,
    ],
    [
      'a capability point below 0',
      (f) => ({ ...f, capability: { unit: 'days', minutes: [1, -5] } }),
      /^Capability time 2: the value must be a number of minutes, 0 or more \(you wrote -5\)\.$/,
    ],
    [
      'new capability limits from the first case',
      (f) => ({ ...f, capability: { unit: 'days', minutes: [1, 2, 3, 4], limitsFrom: 0 } }),
      /^The case the limits are recomputed from must be 1 or more/,
    ],
  ];

  it.each(cases)('%s', (_name, breakIt, message) => {
    const error = refusal(breakIt(smallFile()));
    expect(error.message).toMatch(message);
    // Never the parser's or the schema's own words in the sentence a person reads.
    expect(error.message).not.toMatch(/nodes\[|edges\[|lanes\[|expected|position \d+|JSON at/);
  });

  it('keeps the technical path and problem for machines beside the sentence', () => {
    const error = refusal(withDemand(smallFile(), { count: 2.5 }));
    expect(error.path).toMatch(/^nodes\[\d+\]\.count$/);
    expect(error.problem).toBe('expected a whole number');
  });

  it('says what is wrong in a saved version, by its number and name', () => {
    const file = smallFile();
    const bad = {
      ...file,
      versions: [{ name: 'Workshop 1', savedBy: 'Sam', savedAt: 1, board: withDemand(file, { count: 2.5 }) }],
    };
    const error = refusal(bad);
    expect(error.message).toMatch(/^Saved version 1 \(“Workshop 1”\)|^Demand/);
  });

  it('a rule only the model operations know (LT ≥ PT) is refused with its path, and the board stays empty', () => {
    const file = parseBoardFile(withStep(smallFile(), { pt: 100, lt: 10 }));
    const index = file.nodes.findIndex((n) => n.kind === 'step');
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => (updates += 1));
    const error = refusalOnImport(file, doc);
    expect(error.path).toBe(`nodes[${index}].lt`);
    expect(error.message).toMatch(
      new RegExp(`^Step ${index + 1} \\(“.+”\\): lead time cannot be less than process time \\(LT includes PT\\)\\.$`),
    );
    expect(updates).toBe(0);
    expect(doc.getMap('nodes').size).toBe(0);
  });

  it('a flow-only mark on another kind of edge is refused at the edge', () => {
    const file = smallFile();
    const index = file.edges.findIndex((e) => e.kind !== 'flow');
    expect(index).toBeGreaterThanOrEqual(0);
    const error = refusalOnImport(parseBoardFile(withEdge(file, index, { rework: true })));
    expect(error.message).toBe(`Arrow ${index + 1}: only a flow edge can be rework.`);
    expect(error.path).toBe(`edges[${index}].rework`);
  });

  it('a file over the size limit is refused before it is parsed', () => {
    const big = `{"x":"${'a'.repeat(BOARD_FILE_MAX_BYTES)}"}`;
    expect(refusal(big).message).toMatch(/at most 10485760/);
  });

  it('an import never merges into a board that has content', () => {
    const doc = templateDoc('housing-repairs-after');
    expect(() => importBoardFile(doc, parseBoardFile(smallFile()))).toThrow(/new, empty board/);
  });
});

describe('format 0 is migrated', () => {
  it('lanes get colours, demand "label" becomes "words", rework defaults to false', () => {
    const v0 = {
      formatVersion: 0,
      title: 'Old board',
      lanes: [
        { id: 'l2', name: 'Back office', order: 1 },
        { id: 'l1', name: 'Front desk', order: 0 },
      ],
      nodes: [
        {
          id: 'd1',
          kind: 'demand',
          position: { x: -300, y: 0 },
          label: 'Where is my repair?',
          demandClass: 'failure',
          count: 7,
          predictable: true,
        },
        {
          id: 's1',
          kind: 'step',
          position: { x: 0, y: 0 },
          label: 'Take call',
          lane: 'l1',
          stepClass: 'value',
          wasteType: null,
          pt: 5,
          lt: 10,
          ca: 90,
          customerContact: true,
        },
        {
          id: 's2',
          kind: 'step',
          position: { x: 200, y: 0 },
          label: 'Check',
          lane: 'l2',
          stepClass: 'waste',
          wasteType: 'check',
          pt: 5,
          lt: 60,
          ca: null,
          customerContact: false,
        },
      ],
      edges: [
        { id: 'e1', kind: 'flow', source: 's1', target: 's2' },
        { id: 'e2', kind: 'causes', source: 's1', target: 's2', rework: false },
      ],
    };
    // e2 is a causes edge from a step: the model's rules refuse it on import, with its path.
    expect(() => importBoardFile(new Y.Doc(), parseBoardFile(v0))).toThrow(
      /^Arrow 2: a causes edge cannot join a step to a step\.$/,
    );
    const file = parseBoardFile({ ...v0, edges: [v0.edges[0]] });
    expect(file.formatVersion).toBe(BOARD_FILE_FORMAT_VERSION);
    expect(file.lanes.map((l) => l.colour)).toEqual(['#fef3c7', '#e0f2fe']);
    expect(file.nodes[0]).toMatchObject({ kind: 'demand', words: 'Where is my repair?', count: 7 });
    expect(file.edges[0].rework).toBe(false);
    expect(file.capability).toEqual({ unit: 'days', minutes: [] });
    const doc = new Y.Doc();
    importBoardFile(doc, file);
    expect(measuresOfDoc(doc)).toMatchObject({ steps: 2, totalDemand: 7, endToEndLeadTime: 70 });
  });

  it('a format-0 file with a bad field is refused with its path', () => {
    const error = refusal({ formatVersion: 0, title: 'x', lanes: [{ id: 'a', name: 'A' }], nodes: [], edges: [] });
    expect(error.message).toBe('Lane 1 (“A”): the order is missing.');
    expect(error.path).toBe('lanes[0].order');
  });
});

describe('the capability chart’s new limits', () => {
  it('travel in the board file and come back on import', () => {
    const doc = new Y.Doc();
    saveCapability(doc, { minutes: [1440, 2880, 1440, 2880, 300, 200, 300], unit: 'days', limitsFrom: 4 });
    const file = exportBoardFile(doc);
    expect(file.capability).toEqual({ unit: 'days', minutes: [1440, 2880, 1440, 2880, 300, 200, 300], limitsFrom: 4 });
    const copy = new Y.Doc();
    importBoardFile(copy, parseBoardFileText(serialiseBoardFile(file)));
    expect(readCapabilitySeries(copy)).toEqual(readCapabilitySeries(doc));
    // A board without a break writes no field, so files from before stay byte for byte the same.
    saveCapability(doc, { ...readCapabilitySeries(doc), limitsFrom: null });
    expect('limitsFrom' in exportBoardFile(doc).capability).toBe(false);
  });
});

describe('docs/board-format.schema.json', () => {
  it('is the JSON Schema generated from boardFileSchema (UPDATE_SCHEMA=1 rewrites it; then run prettier on it)', () => {
    const file = path.resolve(import.meta.dirname, '../../docs/board-format.schema.json');
    const generated = boardFileJsonSchema();
    if (process.env.UPDATE_SCHEMA === '1') fs.writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`);
    // Compared as JSON, not bytes: prettier formats the committed file.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toStrictEqual(generated);
  });
});

// ---------------------------------------------------------------- breaking a file in one place

type Loose = ReturnType<typeof smallFile>;
function withNode(file: Loose, index: number, changes: Record<string, unknown>): unknown {
  const nodes: unknown[] = [...file.nodes];
  nodes[index] = { ...file.nodes[index], ...changes };
  return { ...file, nodes };
}
function withDemand(file: Loose, changes: Record<string, unknown>): unknown {
  return withNode(
    file,
    file.nodes.findIndex((n) => n.kind === 'demand'),
    changes,
  );
}
function withStep(file: Loose, changes: Record<string, unknown>): unknown {
  return withNode(
    file,
    file.nodes.findIndex((n) => n.kind === 'step'),
    changes,
  );
}
function withEdge(file: Loose, index: number, changes: Record<string, unknown>): Loose {
  const edges = [...file.edges];
  edges[index] = { ...file.edges[index], ...changes } as (typeof edges)[number];
  return { ...file, edges };
}
