/**
 * Undo and redo end to end: two people on one board, each undoing only their
 * own changes, with the keyboard and with the palette's buttons.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createBoard, waitFor } from '../helpers/server';
import { centreOf, chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 5000;

function step(page: Page, label: string): Locator {
  return page.locator('[data-testid="step-node"]', {
    has: page.locator('[data-testid="step-label"]', { hasText: label }),
  });
}

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitFor(
    async () => ((await page.getByTestId('connection-status').textContent()) ?? '').trim() === 'Live',
    SEEN_WITHIN_MS,
    'the board to be live',
  );
}

/** The labels of the steps in this page's copy of the board, sorted. */
async function stepLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const labels: string[] = [];
    window.__purposeboard!.doc.getMap<{ get(key: string): unknown }>('nodes').forEach((node) => {
      if (node.get('kind') === 'step') labels.push(String(node.get('label')));
    });
    return labels.sort();
  });
}

async function waitForLabels(page: Page, expected: string[], what: string): Promise<void> {
  let last: string[] = [];
  await waitFor(
    async () => {
      last = await stepLabels(page);
      return JSON.stringify(last) === JSON.stringify([...expected].sort());
    },
    SEEN_WITHIN_MS,
    () => `${what} (last seen: ${JSON.stringify(last)})`,
  );
}

/** Where the step with this label is stored, in this page's copy of the board. */
async function storedPosition(page: Page, label: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((wanted) => {
    let found: { x: number; y: number } | null = null;
    window.__purposeboard!.doc.getMap<{ get(key: string): unknown }>('nodes').forEach((node) => {
      if (node.get('label') === wanted) found = { x: Number(node.get('x')), y: Number(node.get('y')) };
    });
    return found;
  }, label);
}

async function isDisabled(locator: Locator): Promise<boolean> {
  return locator.isDisabled();
}

describe.skipIf(!chromiumAvailable())('undo and redo', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('each person undoes only their own changes, by keyboard and by button', async () => {
    const boardId = await createBoard(e2e.server, 'Undo board');
    const { page: a } = await e2e.newPerson();
    const { page: b } = await e2e.newPerson();
    await openBoard(a, boardId);
    await openBoard(b, boardId);

    const undoA = a.getByTestId('undo');
    const redoA = a.getByTestId('redo');
    expect(await isDisabled(undoA)).toBe(true);
    expect(await isDisabled(redoA)).toBe(true);
    expect(await undoA.getAttribute('title')).toContain('Ctrl+Z');
    expect(await redoA.getAttribute('title')).toContain('Ctrl+Shift+Z');

    // A adds a step from the palette and names it: two changes.
    await a.getByTestId('add-step').click();
    const editorA = a.getByTestId('inline-editor');
    await editorA.waitFor();
    await editorA.fill('Take call');
    await editorA.press('Enter');
    await editorA.waitFor({ state: 'detached' });
    await step(b, 'Take call').waitFor({ timeout: SEEN_WITHIN_MS });
    await waitFor(async () => !(await isDisabled(undoA)), SEEN_WITHIN_MS, 'A’s undo button to be enabled');

    // B adds a step of their own, away from A's (top left of the canvas).
    const pane = await b.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('the canvas is not on screen');
    await b.mouse.dblclick(pane.x + 140, pane.y + 120);
    const editorB = b.getByTestId('inline-editor');
    await editorB.waitFor();
    await editorB.fill('Code job');
    await editorB.press('Enter');
    await editorB.waitFor({ state: 'detached' });
    await waitForLabels(a, ['Code job', 'Take call'], 'A to see B’s step');

    // A's first undo takes back the name, the second the step; B's step stays on both screens.
    await a.keyboard.press('Control+z');
    await waitForLabels(b, ['Code job', 'New step'], 'B to see A’s rename undone');
    await a.keyboard.press('Control+z');
    for (const page of [a, b]) await waitForLabels(page, ['Code job'], 'A’s step to be gone');
    await step(b, 'Code job').waitFor();
    expect(await step(a, 'New step').count()).toBe(0);
    await waitFor(async () => await isDisabled(undoA), SEEN_WITHIN_MS, 'nothing left for A to undo');
    expect(await isDisabled(redoA)).toBe(false);
    // B's own change is still B's to undo.
    expect(await isDisabled(b.getByTestId('undo'))).toBe(false);

    // A's Ctrl+Z again does nothing to B's step.
    await a.keyboard.press('Control+z');
    expect(await stepLabels(a)).toEqual(['Code job']);

    // Redo with Ctrl+Shift+Z, then Ctrl+Y.
    await a.keyboard.press('Control+Shift+z');
    await waitForLabels(b, ['Code job', 'New step'], 'A’s step to come back');
    await a.keyboard.press('Control+y');
    for (const page of [a, b]) await waitForLabels(page, ['Code job', 'Take call'], 'A’s name to come back');
    await waitFor(async () => await isDisabled(redoA), SEEN_WITHIN_MS, 'nothing left for A to redo');

    // A drags the step across the canvas: many moves, one undo step.
    const startStored = await storedPosition(a, 'Take call');
    expect(startStored).not.toBeNull();
    const start = await centreOf(a, '[data-testid="step-node"]:has-text("Take call")');
    await a.mouse.move(start.x, start.y);
    await a.mouse.down();
    await a.mouse.move(start.x + 120, start.y + 90, { steps: 12 });
    await a.mouse.move(start.x + 220, start.y + 140, { steps: 12 });
    await a.mouse.up();
    // The drag stores a position on every frame, and B may see any of them first: the drop is the
    // position A stored once its drag has ended, and it counts only once B has that same position.
    let dropped: { x: number; y: number } | null = null;
    let seenByB: { x: number; y: number } | null = null;
    await waitFor(
      async () => {
        if ((await a.locator('.react-flow__node.dragging').count()) > 0) return false;
        dropped = await storedPosition(a, 'Take call');
        seenByB = await storedPosition(b, 'Take call');
        return (
          dropped !== null && dropped.x - startStored!.x > 150 && JSON.stringify(seenByB) === JSON.stringify(dropped)
        );
      },
      SEEN_WITHIN_MS,
      () => `B to see the step where A dropped it (A: ${JSON.stringify(dropped)}, B: ${JSON.stringify(seenByB)})`,
    );

    await undoA.click();
    await waitFor(
      async () => JSON.stringify(await storedPosition(b, 'Take call')) === JSON.stringify(startStored),
      SEEN_WITHIN_MS,
      'B to see the step back where it started, after one undo',
    );
    // One undo took back the whole drag, and nothing before it: the name stays.
    expect(await stepLabels(a)).toEqual(['Code job', 'Take call']);
    expect(await storedPosition(a, 'Take call')).toEqual(startStored);
    expect(await isDisabled(redoA)).toBe(false);

    // Ctrl+Z while typing in the inline editor is the text field's own undo, not the board's.
    await step(a, 'Take call').dblclick();
    await editorA.waitFor();
    await editorA.fill('Take a call');
    await editorA.press('Control+z');
    expect(await editorA.isVisible()).toBe(true);
    expect(await stepLabels(a)).toEqual(['Code job', 'Take call']);
    expect(await storedPosition(a, 'Take call')).toEqual(startStored);
    await editorA.press('Escape');
    await editorA.waitFor({ state: 'detached' });
    expect(await stepLabels(a)).toEqual(['Code job', 'Take call']);
    expect(await storedPosition(a, 'Take call')).toEqual(startStored);

    // The redo of the drag is still there: the editor's Ctrl+Z took nothing from the board's history.
    await a.getByTestId('redo').click();
    let redoneAtB: { x: number; y: number } | null = null;
    await waitFor(
      async () => JSON.stringify((redoneAtB = await storedPosition(b, 'Take call'))) === JSON.stringify(dropped),
      SEEN_WITHIN_MS,
      () => `B to see the drag redone (want ${JSON.stringify(dropped)}, B: ${JSON.stringify(redoneAtB)})`,
    );
  });
});
