/**
 * The room: a projector at 1280×720 with nine people on the board, and a
 * participant on a 390×844 phone. The board title stays readable (at least 24
 * characters) because the board tools fold into "Tools ▾", which still works;
 * on the phone nothing runs off the screen and the palette sits at the bottom.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createBoard, waitFor } from '../helpers/server';
import { connectClient, synced, type TestClient } from '../helpers/clients';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const TITLE = 'Housing repairs — before the redesign';
const PEOPLE = ['Sam Patel', 'Alex Jones', 'Priya Shah', 'Jo Smith', 'Chris Lee', 'Dana Wu', 'Mo Khan', 'Lee Park'];

/** How many of the title's characters show: its visible width over its whole width. */
async function visibleTitleCharacters(page: Page): Promise<number> {
  return page.getByTestId('board-title').evaluate((button) => {
    const text = button.querySelector('.board-title-text') as HTMLElement;
    const length = text.textContent?.length ?? 0;
    return Math.floor((length * text.clientWidth) / Math.max(1, text.scrollWidth));
  });
}

async function openWithEveryone(page: Page, boardId: string, people: number): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await page.locator('[data-testid="step-node"]').first().waitFor();
  // Earlier tests' people may still be here too.
  await waitFor(
    async () => {
      const text =
        (await page
          .getByTestId('here-count')
          .textContent()
          .catch(() => '')) ?? '';
      return Number(/(\d+) here/.exec(text)?.[1] ?? 0) >= people;
    },
    10_000,
    `${people} people to be here`,
  );
}

describe.skipIf(!chromiumAvailable())('the header and the phone layout in the room', () => {
  let e2e: E2E;
  let boardId: string;
  const peers: TestClient[] = [];

  beforeAll(async () => {
    e2e = await startE2E();
    boardId = await createBoard(e2e.server, TITLE, 'housing-repairs-before');
    for (const name of PEOPLE) {
      const client = connectClient(e2e.server.wsUrl, boardId);
      peers.push(client);
      await synced(client);
      client.provider.awareness.setLocalState({
        joinedAt: Date.now(),
        user: { name, colour: '#2563eb' },
        cursor: null,
        selection: [],
        editing: null,
        view: null,
      });
    }
  }, 120_000);

  afterAll(async () => {
    for (const client of peers) client.destroy();
    await e2e?.close();
  });

  test('at 1280 px with nine people the title shows at least 24 characters and the folded tools still work', async () => {
    const { page } = await e2e.newPerson({ name: 'Facilitator' });
    await openWithEveryone(page, boardId, PEOPLE.length + 1);
    await expect.poll(() => visibleTitleCharacters(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(24);
    await expect(page.getByTestId('more-peers').textContent()).resolves.toMatch(/^\+\d+$/);

    // The tools are in the menu, and each opens what its button did.
    await page.getByTestId('tools-menu').click();
    await page.getByRole('menuitem', { name: 'Demand table' }).click();
    await page.getByTestId('demand-new-words').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('demand-new-words').waitFor({ state: 'detached' });
    await page.getByTestId('tools-menu').click();
    await expect(page.getByRole('menuitem', { name: 'Bring everyone here' }).isEnabled()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu', { name: 'Board tools' }).count()).resolves.toBe(0);
  });

  test('with the room to spare the tools stay on the header, whole', async () => {
    const { page } = await e2e.newPerson({ name: 'Alone' });
    const quiet = await createBoard(e2e.server, 'Quiet board');
    await page.goto(`/b/${quiet}`);
    await page.getByTestId('board-title').filter({ hasText: 'Quiet board' }).waitFor();
    await page.getByTestId('open-demand-table').waitFor();
    await expect(page.getByTestId('tools-menu').count()).resolves.toBe(0);
    await expect(visibleTitleCharacters(page)).resolves.toBe('Quiet board'.length);
  });

  test('on a 390 px phone nothing runs off the screen, the title shows and the palette sits at the bottom', async () => {
    const { page } = await e2e.newPerson({ name: 'Phone' });
    await page.setViewportSize({ width: 390, height: 844 });
    await openWithEveryone(page, boardId, PEOPLE.length + 1);
    const layout = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
      return {
        pageWidth: document.documentElement.scrollWidth,
        header: box('.board-header'),
        palette: box('.palette'),
        canvas: box('.board-canvas'),
        share: box('[data-testid="share-menu"]'),
      };
    });
    expect(layout.pageWidth).toBeLessThanOrEqual(390);
    expect(layout.header.right).toBeLessThanOrEqual(390);
    expect(layout.share.right).toBeLessThanOrEqual(390);
    // The palette is a row under the map, within thumb reach.
    expect(layout.palette.top).toBeGreaterThanOrEqual(layout.canvas.bottom - 1);
    expect(layout.palette.bottom).toBeLessThanOrEqual(844);
    expect(layout.canvas.height).toBeGreaterThan(500);
    await expect.poll(() => visibleTitleCharacters(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(14);
    await expect(page.getByTestId('tools-menu').isVisible()).resolves.toBe(true);
  });
});
