/**
 * The first load stays light (issue 18): the JavaScript a first visit
 * downloads before the board list shows — the entry and its static imports,
 * read from the build's manifest — is at most 180 KB gzip. Screens and tools
 * used later (the board, the comparison, the version view, the dialogs,
 * Tidy up's layout engine, the board-file writer) are chunks of their own. A size is deterministic,
 * unlike a timing, so it can be a test; `npm test` builds before vitest runs.
 */
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initialJs, readManifest, screenJs } from '../helpers/bundle';
import { ROOT } from '../helpers/server';
import { buildClientIfStale } from '../e2e/helpers';

const DIST = path.join(ROOT, 'dist');
const KB = 1000; // as Vite reports sizes

describe('the built client', () => {
  beforeAll(() => buildClientIfStale(), 120_000);

  test('the initial JavaScript is at most 180 KB gzip', () => {
    const initial = initialJs(DIST);
    expect(initial.files.length).toBeGreaterThan(0);
    expect(
      initial.gzipBytes,
      `initial JS is ${(initial.gzipBytes / KB).toFixed(1)} KB gzip: ${initial.files.join(', ')}`,
    ).toBeLessThanOrEqual(180 * KB);
  });

  test('the screens and tools used later are not part of the first load', () => {
    const manifest = readManifest(DIST);
    const initialFiles = new Set(initialJs(DIST).files);
    const onDemand = [
      'src/app/BoardScreen.tsx',
      'src/compare/CompareScreen.tsx',
      'src/compare/VersionScreen.tsx',
      'src/panels/DemandTable.tsx',
      'src/panels/CapabilityEditor.tsx',
      'src/model/layout.ts',
      // The board-file writer and zod: only when access ends with changes unsent.
      'src/model/board-file.ts',
      // Presenter mode: only when someone presents.
      'src/app/presenter/PresenterLayer.tsx',
    ];
    for (const source of onDemand) {
      expect(manifest[source], `${source} is a chunk of its own`).toBeDefined();
      expect(initialFiles.has(manifest[source].file), `${source} is loaded at first`).toBe(false);
      expect(screenJs(DIST, source).gzipBytes, `${source} adds something to download`).toBeGreaterThan(0);
    }
    // Opening a board fetches presenter mode only when someone presents.
    const presenter = manifest['src/app/presenter/PresenterLayer.tsx'].file;
    expect(screenJs(DIST, 'src/app/BoardScreen.tsx').files, 'the board screen loads presenter mode').not.toContain(
      presenter,
    );
    // Opening a board does not fetch the board-file code either.
    const boardFile = manifest['src/model/board-file.ts'].file;
    expect(screenJs(DIST, 'src/app/BoardScreen.tsx').files, 'the board screen loads the board-file code').not.toContain(
      boardFile,
    );
  });
});
