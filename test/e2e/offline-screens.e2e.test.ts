/**
 * Every screen and tool loaded on demand (issue 18) opens offline after one
 * visit: the service worker keeps every chunk the build made, not only the
 * ones the first visit happened to load. With the network off, the board
 * (from its device copy), its demand table, capability editor, Tidy up and presenter mode,
 * the version view and the comparison chooser all start from the cache. Data
 * from /api is not cached, so those screens say they cannot reach the server;
 * what is checked is that their code arrived and runs (no "Loading…" stuck,
 * no crashed panel).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { addStep } from '../../src/model';
import { connectClient, synced } from '../helpers/clients';
import { api, createBoard } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E, openBoardTool, startPresenting } from './helpers';

const OPENS_WITHIN_MS = 15_000;

async function status(page: Page): Promise<string> {
  return ((await page.getByTestId('connection-status').textContent()) ?? '').trim();
}

describe.skipIf(!chromiumAvailable())('screens loaded on demand, offline', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('after one visit to the board list and a board, every screen opens with the network off', async () => {
    const boardId = await createBoard(e2e.server, 'Cached screens');
    const writer = connectClient(e2e.server.wsUrl, boardId);
    await synced(writer);
    addStep(writer.doc, { position: { x: 0, y: 0 }, label: 'Take call' });
    expect(await writer.saved()).toBe(true);
    writer.destroy();
    const saved = await api(`${e2e.server.url}/api/boards/${boardId}/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Before', savedBy: 'Ana' }),
    });
    expect(saved.status).toBe(201);
    const versionId = ((await saved.json()) as { id: string }).id;

    const { context, page } = await e2e.newPerson({ name: 'Ana' });
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/assets/')) failedRequests.push(url.pathname);
    });
    // One visit online: the board list, then the board (which leaves its device copy).
    await page.goto('/');
    await page.getByTestId('start-from-example').waitFor({ timeout: OPENS_WITHIN_MS });
    await page.goto(`/b/${boardId}`);
    await page.getByTestId('step-label').filter({ hasText: 'Take call' }).waitFor({ timeout: OPENS_WITHIN_MS });
    // The worker controls the page once it is installed, and it installs only with every chunk cached.
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, {
      timeout: OPENS_WITHIN_MS,
    });
    const chunks = await page.evaluate(`(async () => {
      const listed = document.querySelector('meta[name="purposeboard-assets"]').content.split(' ');
      const cache = await caches.open('purposeboard-shell-v1');
      const cached = (await cache.keys()).map((request) => new URL(request.url).pathname);
      return { listed, missing: listed.filter((asset) => !cached.includes(asset)) };
    })()`);
    const { listed, missing } = chunks as { listed: string[]; missing: string[] };
    expect(listed.filter((asset) => asset.endsWith('.js')).length).toBeGreaterThan(3);
    expect(missing).toEqual([]);

    await context.setOffline(true);

    // The board, reloaded offline: the board screen's chunk from the cache, the board from the device copy.
    await page.reload();
    await page.getByTestId('step-label').filter({ hasText: 'Take call' }).waitFor({ timeout: OPENS_WITHIN_MS });
    await expect.poll(() => status(page), { timeout: OPENS_WITHIN_MS }).toBe('Offline — changes kept on this device');

    // The board's tools loaded on demand.
    await openBoardTool(page, 'open-demand-table');
    await page.getByTestId('demand-table').waitFor({ timeout: OPENS_WITHIN_MS });
    await page.getByTestId('demand-table-close').click();
    await page.getByTestId('demand-table').waitFor({ state: 'detached' });
    await openBoardTool(page, 'open-capability');
    await page.getByTestId('capability-editor').waitFor({ timeout: OPENS_WITHIN_MS });
    await page.getByTestId('capability-close').click();
    await page.getByTestId('capability-editor').waitFor({ state: 'detached' });
    await openBoardTool(page, 'auto-layout');
    await page
      .getByTestId('toast')
      .filter({ hasText: /Tidied up|already tidy/ })
      .waitFor({ timeout: OPENS_WITHIN_MS });

    // Presenter mode: its chunk from the cache, the sections from the device copy; offline the view
    // moves on by itself (the room hears of it on reconnecting).
    await startPresenting(page);
    await page.getByTestId('presenter-view').waitFor({ timeout: OPENS_WITHIN_MS });
    await expect.poll(() => page.getByTestId('presenter-title').textContent()).toBe('The flow');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('presenter-title').textContent()).toBe('Measures');
    await page.getByTestId('presenter-measures').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('presenter-view').waitFor({ state: 'detached' });

    // The version view: its code runs and says the server cannot be reached.
    await page.goto(`/b/${boardId}/v/${versionId}`);
    const versionMissing = page.getByTestId('version-not-found');
    await versionMissing.waitFor({ timeout: OPENS_WITHIN_MS });
    expect(await versionMissing.textContent()).toContain('Could not reach the server');

    // The comparison: its chooser runs.
    await page.goto('/compare');
    await page.getByTestId('compare-chooser').waitFor({ timeout: OPENS_WITHIN_MS });

    expect(await page.getByTestId('panel-crashed').count()).toBe(0);
    expect(failedRequests).toEqual([]);
  });
});
