/**
 * The walking skeleton end to end: the built app served by the real server,
 * driven in Chromium by two people (two browser contexts) on one board.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { api, createBoard, waitFor } from '../helpers/server';
import { centreOf, chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 5000;

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = SEEN_WITHIN_MS): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = (await locator.count()) > 0 ? await textOf(locator.first()) : '<missing>';
      return typeof expected === 'string' ? last === expected : expected.test(last);
    },
    timeoutMs,
    () => `text ${String(expected)} (last seen: "${last}")`,
  );
}

function step(page: Page, label: string): Locator {
  return page.locator('[data-testid="step-node"]', {
    has: page.locator('[data-testid="step-label"]', { hasText: label }),
  });
}

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitForText(page.getByTestId('connection-status'), 'Live');
}

async function edgeCount(page: Page): Promise<number> {
  return page.locator('.react-flow__edge').count();
}

describe.skipIf(!chromiumAvailable())('the board in a browser', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('two people build a flow together, and it is all there after a reload', async () => {
    const boardId = await createBoard(e2e.server, 'Housing repairs');
    const { page: a } = await e2e.newPerson();
    const { page: b } = await e2e.newPerson();
    await openBoard(a, boardId);
    await openBoard(b, boardId);
    await waitForText(a.getByTestId('board-title'), /Housing repairs/);

    // A adds a step from the palette; it opens for naming straight away.
    await a.getByTestId('add-step').click();
    const editor = a.getByTestId('inline-editor');
    await editor.waitFor();
    await editor.fill('Take call');
    await editor.press('Enter');
    await step(b, 'Take call').waitFor({ timeout: SEEN_WITHIN_MS });

    // A adds a second step by double-clicking empty canvas to the right, then renames the first by double-click.
    const first = await centreOf(a, '[data-testid="step-node"]');
    await a.mouse.dblclick(first.x + 320, first.y);
    await editor.waitFor();
    await editor.fill('Code job');
    await editor.press('Enter');
    await step(a, 'Take call').dblclick();
    await editor.fill('Take repair call');
    await editor.press('Enter');
    await step(b, 'Code job').waitFor({ timeout: SEEN_WITHIN_MS });
    await step(b, 'Take repair call').waitFor({ timeout: SEEN_WITHIN_MS });

    // B connects them by dragging from one step's handle to the other's.
    const from = step(b, 'Take repair call').getByTestId('step-handle-out');
    const to = step(b, 'Code job').getByTestId('step-handle-in');
    await step(b, 'Take repair call').hover();
    const fromBox = await from.boundingBox();
    const toBox = await to.boundingBox();
    if (!fromBox || !toBox) throw new Error('handles are not on screen');
    await b.mouse.move(fromBox.x + fromBox.width / 2, fromBox.y + fromBox.height / 2);
    await b.mouse.down();
    await b.mouse.move(toBox.x + toBox.width / 2 - 20, toBox.y + toBox.height / 2, { steps: 8 });
    await b.mouse.move(toBox.x + toBox.width / 2, toBox.y + toBox.height / 2, { steps: 4 });
    await b.mouse.up();
    await waitFor(async () => (await edgeCount(a)) === 1, SEEN_WITHIN_MS, 'A to see the edge B drew');

    // Both are told their work is stored.
    await waitForText(a.getByTestId('save-status'), 'All changes saved');
    await waitForText(b.getByTestId('save-status'), 'All changes saved');

    // A note, then a reload: everything is still there.
    await a.keyboard.press('Escape');
    await a.getByTestId('add-note').click();
    await editor.fill('Why inspect first?');
    await a.keyboard.press('Control+Enter');
    await b.getByTestId('note-node').filter({ hasText: 'Why inspect first?' }).waitFor({ timeout: SEEN_WITHIN_MS });
    await waitForText(a.getByTestId('save-status'), 'All changes saved');

    await a.reload();
    await waitForText(a.getByTestId('connection-status'), 'Live');
    await step(a, 'Take repair call').waitFor();
    await step(a, 'Code job').waitFor();
    await a.getByTestId('note-node').filter({ hasText: 'Why inspect first?' }).waitFor();
    await waitFor(async () => (await edgeCount(a)) === 1, SEEN_WITHIN_MS, 'the edge after a reload');
    expect(await a.getByTestId('step-node').count()).toBe(2);
  });

  test('moving and deleting steps reaches the other person', async () => {
    const boardId = await createBoard(e2e.server, 'Moves');
    const { page: a } = await e2e.newPerson();
    const { page: b } = await e2e.newPerson();
    await openBoard(a, boardId);
    await openBoard(b, boardId);
    await a.keyboard.press('s');
    await a.getByTestId('inline-editor').press('Enter');
    await step(b, 'New step').waitFor({ timeout: SEEN_WITHIN_MS });

    const start = await centreOf(a, '[data-testid="step-node"]');
    await a.mouse.move(start.x, start.y);
    await a.mouse.down();
    await a.mouse.move(start.x + 150, start.y + 80, { steps: 10 });
    await a.mouse.up();
    const moved = await centreOf(a, '[data-testid="step-node"]');
    expect(moved.x - start.x).toBeGreaterThan(100);
    await waitFor(
      async () => {
        const seen = await centreOf(b, '[data-testid="step-node"]');
        return Math.abs(seen.x - moved.x) < 1 && Math.abs(seen.y - moved.y) < 1;
      },
      SEEN_WITHIN_MS,
      'B to see the step where A dropped it',
    );

    // Click to select, Delete to remove.
    await step(a, 'New step').click();
    await a.keyboard.press('Delete');
    await waitFor(async () => (await b.getByTestId('step-node').count()) === 0, SEEN_WITHIN_MS, 'the step gone for B');
  });

  test('an unknown board address says so, with a way back to the list', async () => {
    const { page } = await e2e.newPerson();
    await page.goto('/b/doesNotExist123');
    const notFound = page.getByTestId('board-not-found');
    await notFound.waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await textOf(notFound)).toContain('Board not found');
    expect(await page.getByTestId('step-node').count()).toBe(0);
    await notFound.getByRole('link', { name: /board list/ }).click();
    await page.getByTestId('new-board-title').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  test('the board list creates, renames and (after asking) deletes boards', async () => {
    const { page } = await e2e.newPerson();
    await page.goto('/');
    await page.getByTestId('new-board-title').waitFor();

    // An empty name is refused in place.
    await page.getByTestId('create-board').click();
    await waitForText(page.getByTestId('create-board-error'), /name/);

    await page.getByTestId('new-board-title').fill('Council tax – new claims');
    await page.getByTestId('create-board').click();
    await waitFor(() => new URL(page.url()).pathname.startsWith('/b/'), SEEN_WITHIN_MS, 'the new board to open');
    await waitForText(page.getByTestId('board-title'), 'Council tax – new claims');
    await waitForText(page.getByTestId('connection-status'), 'Live');

    await page.getByTestId('back-to-boards').click();
    const row = page.getByTestId('board-row').filter({ hasText: 'Council tax – new claims' });
    await row.waitFor();
    expect(await textOf(row.getByTestId('board-row-steps'))).toBe('0 steps');

    await row.getByTestId('rename-board').click();
    await page.getByTestId('rename-board-input').fill('Council tax – before');
    await page.getByTestId('rename-board-save').click();
    const renamed = page.getByTestId('board-row').filter({ hasText: 'Council tax – before' });
    await renamed.waitFor();

    // Delete asks first; cancelling keeps the board.
    await renamed.getByTestId('delete-board').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('cancel').click();
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect(await renamed.count()).toBe(1);

    await renamed.getByTestId('delete-board').click();
    await page.getByTestId('confirm').click();
    await renamed.waitFor({ state: 'detached' });
    const boards = (await (await api(`${e2e.server.url}/api/boards`)).json()) as { title: string }[];
    expect(boards.map((board) => board.title)).not.toContain('Council tax – before');
  });
});
