/**
 * Format 2 of the board file: saved versions travel with the board. Export
 * writes each version's board in the file's own element form (oldest first,
 * same board → same bytes); import rebuilds each version through the same
 * checks as the board; a format-1 file (no versions) still opens.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BOARD_FILE_FORMAT_VERSION,
  BoardFileError,
  addStep,
  boardContentOf,
  deleteElements,
  exportBoardFile,
  getTemplate,
  importBoardFile,
  importVersions,
  nodesMap,
  parseBoardFile,
  parseBoardFileText,
  readMeta,
  serialiseBoardFile,
  type BoardFile,
} from '../../src/model';

function templateDoc(id: string): Y.Doc {
  const doc = new Y.Doc();
  getTemplate(id)!.apply(doc);
  return doc;
}

/** A live board (housing repairs with 3 steps deleted) and two saved versions of its history. */
function boardWithVersions() {
  const first = templateDoc('housing-repairs-before');
  const second = new Y.Doc();
  Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
  addStep(second, { position: { x: 9000, y: 0 }, label: 'Added in workshop 2' });
  const live = new Y.Doc();
  Y.applyUpdate(live, Y.encodeStateAsUpdate(second));
  deleteElements(live, { nodeIds: [...nodesMap(live).keys()].slice(0, 3) });
  const versions = [
    { name: 'Workshop 2', savedBy: 'Bob', savedAt: 2_000, doc: second },
    { name: 'Before – workshop 1', savedBy: 'Ann', savedAt: 1_000, doc: first },
  ];
  return { live, versions };
}

describe('export with versions', () => {
  it('each version in the file’s own form, oldest first, the same bytes every time', () => {
    const { live, versions } = boardWithVersions();
    const text = serialiseBoardFile(exportBoardFile(live, versions));
    const file = JSON.parse(text) as BoardFile;
    expect(file.formatVersion).toBe(BOARD_FILE_FORMAT_VERSION);
    expect(file.versions.map((v) => [v.name, v.savedBy, v.savedAt])).toEqual([
      ['Before – workshop 1', 'Ann', 1_000],
      ['Workshop 2', 'Bob', 2_000],
    ]);
    expect(file.versions[0].board).toEqual(boardContentOf(versions[1].doc));
    expect(file.versions[1].board.nodes).toHaveLength(file.versions[0].board.nodes.length + 1);
    expect(Object.keys(file.versions[0])).toEqual(['name', 'savedBy', 'savedAt', 'board']);
    expect(Object.keys(file.versions[0].board)).toEqual([
      'title',
      'period',
      'lanes',
      'nodes',
      'edges',
      'capability',
      'outcomes',
    ]);
    // Same board → same bytes, whatever order the versions were handed over in.
    expect(serialiseBoardFile(exportBoardFile(live, [...versions].reverse()))).toBe(text);
    // A board with no versions has an empty list.
    expect(exportBoardFile(live).versions).toEqual([]);
  });
});

describe('import with versions', () => {
  it('rebuilds every version through the model operations; export → import → export gives the same bytes', () => {
    const { live, versions } = boardWithVersions();
    const text = serialiseBoardFile(exportBoardFile(live, versions));
    const file = parseBoardFileText(text);
    const board = new Y.Doc();
    importBoardFile(board, file);
    const imported = importVersions(file);
    expect(imported.map((v) => v.name)).toEqual(['Before – workshop 1', 'Workshop 2']);
    expect(readMeta(imported[0].doc).title).toBe(readMeta(versions[1].doc).title);
    expect(serialiseBoardFile(exportBoardFile(board, imported))).toBe(text);
    for (const v of imported) v.doc.destroy();
  });

  it('a format-1 file (no versions) opens with none', () => {
    const file = JSON.parse(serialiseBoardFile(exportBoardFile(templateDoc('housing-repairs-after')))) as Record<
      string,
      unknown
    >;
    delete file.versions;
    const parsed = parseBoardFile({ ...file, formatVersion: 1 });
    expect(parsed.formatVersion).toBe(BOARD_FILE_FORMAT_VERSION);
    expect(parsed.versions).toEqual([]);
    expect(importVersions(parsed)).toEqual([]);
  });

  it.each([
    [
      'a version without a name',
      (f: BoardFile) => ({ ...f, versions: [{ ...f.versions[0], name: undefined }] }),
      /^Saved version 1: the name is missing\.$/,
    ],
    [
      'a savedAt that is not a whole number',
      (f: BoardFile) => ({ ...f, versions: [{ ...f.versions[0], savedAt: 'yesterday' }] }),
      /^Saved version 1 \(“.+”\): the time it was saved must be a whole number \(you wrote “yesterday”\)\.$/,
    ],
    [
      'a version step in a lane the version does not have',
      (f: BoardFile) => {
        const board = structuredClone(f.versions[0].board);
        const step = board.nodes.findIndex((n) => n.kind === 'step');
        (board.nodes[step] as { lane: string }).lane = 'nowhere';
        return { ...f, versions: [{ ...f.versions[0], board }] };
      },
      /^Saved version 1 \(“.+”\), step \d+ \(“.+”\): the lane names a lane that is not in the file \(id “nowhere”\)\.$/,
    ],
    [
      'a file of format 2 with no versions list',
      (f: BoardFile) => ({ ...f, versions: undefined }),
      /^The list of saved versions is missing\.$/,
    ],
  ])('%s is refused with its path', (_name, breakIt, message) => {
    const { live, versions } = boardWithVersions();
    const file = JSON.parse(serialiseBoardFile(exportBoardFile(live, versions))) as BoardFile;
    let error: unknown;
    try {
      parseBoardFile(breakIt(file));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BoardFileError);
    expect((error as Error).message).toMatch(message);
  });

  it('a version the model operations refuse is reported at its path and builds nothing', () => {
    const { live, versions } = boardWithVersions();
    const file = JSON.parse(serialiseBoardFile(exportBoardFile(live, versions))) as BoardFile;
    const step = file.versions[1].board.nodes.findIndex((n) => n.kind === 'step');
    // LT below PT passes the schema (it cannot say so) but not updateStep.
    Object.assign(file.versions[1].board.nodes[step], { pt: 100, lt: 5 });
    let error: BoardFileError | null = null;
    try {
      importVersions(parseBoardFile(file));
    } catch (e) {
      error = e as BoardFileError;
    }
    expect(error?.path).toMatch(new RegExp(`^versions\\[1\\]\\.board\\.nodes\\[${step}\\]`));
    expect(error?.message).toMatch(
      /^Saved version 2 \(“.+”\), step \d+ \(“.+”\): lead time cannot be less than process time \(LT includes PT\)\.$/,
    );
  });
});
