/**
 * A 5,000-step board (issue 18) opens and stays usable: its cards render, a
 * card dragged with the mouse moves, and another person's browser sees it
 * move. Behaviour only; how fast is the bench's business (npm run bench).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { addStep, connect } from '../../src/model';
import { connectClient, storedPatiently, synced } from '../helpers/clients';
import { createBoard } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const STEPS = 5000;
const COLUMNS = 40;
const OPENS_WITHIN_MS = 120_000;

type BoardWindow = { __purposeboard?: { doc: Y.Doc } };

/** The x of a step in this page's copy of the board. */
function xOnPage(page: Page, id: string): Promise<number | null> {
  return page.evaluate(
    (stepId) =>
      (
        (window as unknown as BoardWindow).__purposeboard?.doc.getMap('nodes').get(stepId) as Y.Map<unknown> | undefined
      )?.get('x') as number | null,
    id,
  );
}

describe.skipIf(!chromiumAvailable())('a 5,000-step board', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('opens, renders its cards, and a dragged card moves for everyone', { timeout: 600_000 }, async () => {
    const boardId = await createBoard(e2e.server, 'Very large board');
    const writer = connectClient(e2e.server.wsUrl, boardId);
    await synced(writer);
    let previous: string | null = null;
    writer.doc.transact(() => {
      for (let i = 0; i < STEPS; i++) {
        const id = addStep(writer.doc, {
          position: { x: (i % COLUMNS) * 220, y: Math.floor(i / COLUMNS) * 140 },
          label: `Step ${i + 1}`,
        });
        if (previous && i % COLUMNS !== 0) connect(writer.doc, previous, id);
        previous = id;
      }
    });
    expect(await storedPatiently(writer)).toBe(true);
    writer.destroy();

    const { page: a } = await e2e.newPerson({ name: 'Ana' });
    const { page: b } = await e2e.newPerson({ name: 'Bea' });
    for (const page of [a, b]) {
      await page.goto(`/b/${boardId}`);
      await page.waitForFunction(
        (n) => ((window as unknown as BoardWindow).__purposeboard?.doc.getMap('nodes').size ?? 0) >= n,
        STEPS,
        { timeout: OPENS_WITHIN_MS },
      );
      // The board opens fitted around its middle: some of its steps are on screen.
      await page.getByTestId('step-node').first().waitFor({ timeout: OPENS_WITHIN_MS });
    }
    expect(await a.getByTestId('step-node').count()).toBeGreaterThan(0);

    const card = a.getByTestId('step-node').first();
    const id = await card.getAttribute('data-id');
    if (!id) throw new Error('the step on screen has no id');
    const before = await xOnPage(a, id);
    const box = await card.boundingBox();
    if (!box || before === null) throw new Error('no step on screen');
    await a.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await a.mouse.down();
    await a.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 10 });
    await a.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 10 });
    await a.mouse.up();

    await expect.poll(() => xOnPage(a, id), { timeout: 30_000 }).toBeGreaterThan(before);
    const moved = await xOnPage(a, id);
    await expect.poll(() => xOnPage(b, id), { timeout: 30_000 }).toBe(moved);
    // On B's screen the card sits further right than it did.
    const onB = b.locator(`[data-testid="step-node"][data-id="${id}"]`);
    await expect
      .poll(async () => (await onB.boundingBox())?.x ?? -Infinity, { timeout: 30_000 })
      .toBeGreaterThan(box.x + 20);
    // Bea's copy of the board is still whole.
    expect(await b.evaluate(() => (window as unknown as BoardWindow).__purposeboard?.doc.getMap('nodes').size)).toBe(
      STEPS,
    );
  });
});
