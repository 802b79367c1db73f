/**
 * Export and import in Chromium: the Export menu downloads the same bytes as
 * the API, and a board file imported through the board list opens as a new
 * board (a bad one is refused in place, and nothing is created).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { api as authFetch, waitFor } from '../helpers/server';
import { BOARD_FILE_FORMAT_VERSION } from '../../src/model';
import { chromiumAvailable, startE2E, type E2E, openBoardTool } from './helpers';

const SEEN_WITHIN_MS = 10_000;
/** pdftoppm (poppler-utils) turns a PDF page into a PNG; .ci/run installs it. */
const PDFTOPPM = spawnSync('pdftoppm', ['-v']).error === undefined;
/** Where the e2e tests leave the pictures they make, to look at (SCREENSHOT_DIR, else a temp folder). */
const SHOTS = process.env.SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pb-export-'));

/** Distinct colours in a PNG, sampled every 5th pixel. */
function distinctColours(buffer: Buffer): number {
  const png = PNG.sync.read(buffer);
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 5) {
    colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  }
  return colours.size;
}

async function waitForLive(page: Page): Promise<void> {
  await waitFor(
    async () => ((await page.getByTestId('connection-status').textContent()) ?? '').includes('Live'),
    SEEN_WITHIN_MS,
    'the board to be live',
  );
}

describe.skipIf(!chromiumAvailable())('export and import in the browser', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  async function api(path: string, init?: RequestInit) {
    return authFetch(`${e2e.server.url}${path}`, init);
  }
  async function boardCount(): Promise<number> {
    return ((await (await api('/api/boards')).json()) as unknown[]).length;
  }

  test('Export → Board file downloads the bytes the API gives', async () => {
    const created = (await (
      await api('/api/boards', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'Repairs – before', template: 'housing-repairs-before' }),
      })
    ).json()) as { id: string };
    const { page } = await e2e.newPerson();
    await page.goto(`/b/${created.id}`);
    await waitForLive(page);

    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const today = new Date().toISOString().slice(0, 10);
    expect(download.suggestedFilename()).toBe(`Repairs – before – ${today}.json`);
    const downloaded = fs.readFileSync((await download.path())!);
    const fromApi = Buffer.from(await (await api(`/api/boards/${created.id}/export?format=json`)).arrayBuffer());
    expect(downloaded.equals(fromApi)).toBe(true);

    await page.getByTestId('export-menu').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv-steps').click()]);
    expect(csv.suggestedFilename()).toBe(`Repairs – before – ${today}-steps.csv`);
    expect(fs.readFileSync((await csv.path())!, 'utf8')).toMatch(/^label,lane,class,waste type,/);
  });

  test('Import board file on the board list: a bad file is refused in place, a good one opens as a new board', async () => {
    const created = (await (
      await api('/api/boards', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'To carry on elsewhere', template: 'benefits-claim-after' }),
      })
    ).json()) as { id: string };
    const file = Buffer.from(await (await api(`/api/boards/${created.id}/export?format=json`)).arrayBuffer());
    const before = await boardCount();

    const { page } = await e2e.newPerson();
    await page.goto('/');
    await page.getByTestId('import-board').waitFor();

    const broken = JSON.parse(file.toString('utf8')) as { formatVersion: number };
    broken.formatVersion = 7;
    await page.getByTestId('import-board-input').setInputFiles({
      name: 'newer.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    await page.getByTestId('import-board-error').waitFor();
    expect(await page.getByTestId('import-board-error').textContent()).toMatch(
      new RegExp(
        `newer\\.json.*This file was saved by a newer Purposeboard \\(format 7; this one reads up to ${BOARD_FILE_FORMAT_VERSION}\\)`,
      ),
    );
    expect(await boardCount()).toBe(before);

    await page.getByTestId('import-board-input').setInputFiles({
      name: 'board.json',
      mimeType: 'application/json',
      buffer: file,
    });
    await page.waitForURL((url) => /^\/b\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(created.id));
    await waitForLive(page);
    await waitFor(
      async () => (await page.getByTestId('board-title').textContent())?.includes('To carry on elsewhere') ?? false,
      SEEN_WITHIN_MS,
      'the imported board title',
    );
    expect(await boardCount()).toBe(before + 1);
    const newId = decodeURIComponent(new URL(page.url()).pathname.slice(3));
    const reexported = Buffer.from(await (await api(`/api/boards/${newId}/export?format=json`)).arrayBuffer());
    expect(reexported.equals(file)).toBe(true);
  });

  async function templateBoard(title: string, template: string): Promise<string> {
    const response = await api('/api/boards', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title, template }),
    });
    return ((await response.json()) as { id: string }).id;
  }
  async function apiBytes(id: string, format: string): Promise<Buffer> {
    return Buffer.from(await (await api(`/api/boards/${id}/export?format=${format}`)).arrayBuffer());
  }

  test('PDF report, PNG and SVG: a progress line, then the bytes of the API under a dated name; a PDF page renders', async () => {
    const id = await templateBoard('Repairs – before', 'housing-repairs-before');
    const { page } = await e2e.newPerson();
    await page.goto(`/b/${id}`);
    await waitForLive(page);
    const today = new Date().toISOString().slice(0, 10);

    await page.getByTestId('export-menu').click();
    await page.screenshot({ path: path.join(SHOTS, 'export-menu.png') });
    const progress = page.waitForSelector('[data-testid="export-progress"]:has-text("Making the PDF report…")');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pdf').click()]);
    await progress;
    await page.screenshot({
      clip: { x: 480, y: 0, width: 800, height: 60 },
    });
    expect(pdf.suggestedFilename()).toBe(`Repairs – before – ${today}.pdf`);
    const pdfBytes = fs.readFileSync((await pdf.path())!);
    expect(pdfBytes.equals(await apiBytes(id, 'pdf'))).toBe(true);
    await page.getByTestId('export-progress').waitFor({ state: 'detached' });

    for (const format of ['png', 'svg'] as const) {
      await page.getByTestId('export-menu').click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(`export-${format}`).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`Repairs – before – ${today}.${format}`);
      const bytes = fs.readFileSync((await download.path())!);
      expect(bytes.equals(await apiBytes(id, format)), format).toBe(true);
      if (format === 'png') {
        fs.writeFileSync(path.join(SHOTS, 'export-map.png'), bytes);
        expect(distinctColours(bytes)).toBeGreaterThan(100);
      }
    }

    // Under CI a missing pdftoppm is a failure: .ci/run installs it.
    if (process.env.CI === 'true') expect(PDFTOPPM, 'pdftoppm (poppler-utils) is installed').toBe(true);
    if (PDFTOPPM) {
      const pdfPath = path.join(SHOTS, 'report.pdf');
      fs.writeFileSync(pdfPath, pdfBytes);
      for (const pageNumber of [1, 3]) {
        const prefix = path.join(SHOTS, `report-page-${pageNumber}`);
        execFileSync('pdftoppm', [
          '-png',
          '-r',
          '60',
          '-f',
          String(pageNumber),
          '-l',
          String(pageNumber),
          '-singlefile',
          pdfPath,
          prefix,
        ]);
        const rendered = fs.readFileSync(`${prefix}.png`);
        const decoded = PNG.sync.read(rendered);
        // Page 1 is A4 portrait, page 3 (the map) landscape, at 60 dpi.
        const [long, short] = [Math.max(decoded.width, decoded.height), Math.min(decoded.width, decoded.height)];
        expect(Math.abs(long - 702)).toBeLessThanOrEqual(1);
        expect(Math.abs(short - 496)).toBeLessThanOrEqual(1);
        expect(decoded.width < decoded.height).toBe(pageNumber === 1);
        expect(distinctColours(rendered)).toBeGreaterThan(pageNumber === 1 ? 10 : 50);
      }
    }
  });

  test('Import demand (CSV): a bad file lists its refused lines and adds nothing; a good one appears live', async () => {
    const id = await templateBoard('Demand import', 'blank');
    const { page } = await e2e.newPerson();
    await page.goto(`/b/${id}`);
    await waitForLive(page);
    const other = await e2e.newPerson();
    await other.page.goto(`/b/${id}`);
    await waitForLive(other.page);

    await page.getByTestId('export-menu').click();
    await expect(page.getByTestId('import-demand').textContent()).resolves.toBe('Import demand (CSV)…');
    await page.getByTestId('import-demand').click();
    await page
      .getByTestId('import-demand-input')
      .first()
      .setInputFiles({
        name: 'counts.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'words,class,count,predictable\nfine,value,3,no\nbad,value,2.5,no\nok,failure,1,yes\nworse,neither,1,no\n',
        ),
      });
    const report = page.getByTestId('import-demand-report');
    await report.waitFor();
    const text = (await report.textContent()) ?? '';
    expect(text).toContain(
      '“counts.csv” was not imported, nothing was added: 2 rows have a problem. Correct them and import the file again.',
    );
    expect(text).toMatch(/Demand row 3: .*whole number/);
    expect(text).toMatch(/Demand row 5: /);
    await page.screenshot({ path: path.join(SHOTS, 'import-demand-refused.png') });
    expect((await apiBytes(id, 'csv-demand')).toString()).toBe('words,class,count,predictable\r\n');
    expect(await page.getByTestId('measure-totalDemand').textContent()).toBe('0');

    await openBoardTool(page, 'open-demand-table');
    const table = page.getByTestId('demand-table');
    await table.getByTestId('import-demand-input').setInputFiles({
      name: 'week.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'words,class,count,predictable\r\nMy boiler is broken,value,40,yes\r\n"Where is the engineer?",failure,12,no\r\n',
      ),
    });
    await waitFor(
      async () =>
        ((await table.getByTestId('import-demand-report').textContent()) ?? '').includes('Added 2 demand rows'),
      SEEN_WITHIN_MS,
      'the import report',
    );
    await page.screenshot({ path: path.join(SHOTS, 'import-demand-table.png') });
    // The rows are on the board, for this person and for the other one, without a reload.
    await waitFor(
      async () => (await other.page.getByTestId('measure-totalDemand').textContent()) === '52',
      SEEN_WITHIN_MS,
      'demand on the other screen',
    );
    // The importer's own table gets the rows over the live connection too, and not necessarily before the other screen.
    let values: string[] = [];
    await waitFor(
      async () => {
        values = (await page.evaluate(
          `[...document.querySelectorAll('[data-testid="demand-table"] input')].map((input) => input.value)`,
        )) as string[];
        return values.includes('My boiler is broken') && values.includes('Where is the engineer?');
      },
      SEEN_WITHIN_MS,
      () => `the imported rows in the importer's demand table (it shows ${JSON.stringify(values)})`,
    );
  });
});
