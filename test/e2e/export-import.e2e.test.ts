/**
 * Export and import in Chromium: the Export menu downloads the same bytes as
 * the API, and a board file imported through the board list opens as a new
 * board (a bad one is refused in place, and nothing is created).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '../helpers/server';
import { BOARD_FILE_FORMAT_VERSION } from '../../src/model';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 10_000;

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
    return fetch(`${e2e.server.url}${path}`, init);
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
        `newer\\.json.*formatVersion: this file is format 7; this Purposeboard reads up to ${BOARD_FILE_FORMAT_VERSION}`,
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
});
