/**
 * Screen-reader announcements end to end (issue 16): two people on one
 * board in two browser contexts; Sam adds and names a step, and Ana's
 * polite live region says who added what, in words. Ana's own changes and
 * Sam's cursor moving over the map are never announced.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createBoard } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 20_000;

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor({ timeout: SEEN_WITHIN_MS });
}

async function addStep(page: Page, label: string): Promise<void> {
  await page.getByTestId('add-step').click();
  const editor = page.getByTestId('inline-editor');
  await editor.waitFor({ timeout: SEEN_WITHIN_MS });
  await editor.fill(label);
  await editor.press('Enter');
  await page.getByTestId('step-label').filter({ hasText: label }).waitFor({ timeout: SEEN_WITHIN_MS });
}

describe.runIf(chromiumAvailable())('other people’s changes are announced politely', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('Sam adds a step; Ana’s live region says “Sam added a step: Visit and diagnose”', async () => {
    const boardId = await createBoard(e2e.server, 'Announced');
    const ana = (await e2e.newPerson({ name: 'Ana' })).page;
    const sam = (await e2e.newPerson({ name: 'Sam' })).page;
    await openBoard(ana, boardId);
    await openBoard(sam, boardId);

    const region = ana.getByTestId('announcements');
    expect(await region.getAttribute('aria-live')).toBe('polite');

    // Ana's own step and Sam's cursor moving over the map say nothing to Ana.
    await addStep(ana, 'Take repair call');
    const map = await sam.locator('.react-flow__pane').boundingBox();
    if (!map) throw new Error('the map is not on screen');
    for (let i = 0; i < 10; i += 1) await sam.mouse.move(map.x + 100 + i * 40, map.y + 200);

    await addStep(sam, 'Visit and diagnose');
    // Adding then naming is two changes by one person; both land in one announcement or the first names the
    // new step "New step" and the next, a few seconds later, the name: wait for the one that says the name.
    await expect
      .poll(async () => (await region.textContent())?.trim(), { timeout: SEEN_WITHIN_MS, interval: 200 })
      .toMatch(/^Sam (added|changed) a step: Visit and diagnose$/);
    expect((await region.textContent()) ?? '').not.toContain('Ana');
  });
});
