/**
 * Readable at any zoom (issue 15): the housing-repairs example, fitted in a
 * 1280×720 window as a projector shows it, has every step label at 12 px or
 * more on screen in whole words, lane names whole, and the minimap over no
 * card; zooming in brings back the full cards with their times.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { createBoard } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const OPENS_WITHIN_MS = 20_000;

/** Every step label as the screen shows it: size in screen pixels, and words that span two lines or spill out. */
async function stepLabelsOnScreen(page: Page) {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
    return [...document.querySelectorAll<HTMLElement>('[data-testid="step-label"]')].map((label) => {
      const text = label.textContent ?? '';
      const box = label.getBoundingClientRect();
      const textNode = label.firstChild!;
      const brokenWords: string[] = [];
      const re = /\S+/g;
      for (let match = re.exec(text); match; match = re.exec(text)) {
        const range = document.createRange();
        range.setStart(textNode, match.index);
        range.setEnd(textNode, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const tops = new Set(rects.map((r) => Math.round(r.top)));
        const whole = range.getBoundingClientRect();
        if (tops.size > 1 || whole.left < box.left - 1 || whole.right > box.right + 1) brokenWords.push(match[0]);
      }
      return { text, screenPx: parseFloat(getComputedStyle(label).fontSize) * zoom, brokenWords };
    });
  });
}

describe.runIf(chromiumAvailable())('semantic zoom on a fitted board', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  test('fitted at 1280×720: step labels in whole words, larger than the full card, lane names whole, minimap over no card; zoom in for the full card', async () => {
    const boardId = await createBoard(e2e.server, 'Housing repairs', 'housing-repairs-before');
    const { page } = await e2e.newPerson();
    await page.goto(`/b/${boardId}`);
    await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor({ timeout: OPENS_WITHIN_MS });
    await page.getByTestId('step-label').first().waitFor({ timeout: OPENS_WITHIN_MS });
    // Fitted: the simplified form shows (no times on the cards).
    await expect.poll(async () => page.locator('.step-node.is-simple').count(), { timeout: OPENS_WITHIN_MS }).toBe(10);
    expect(await page.getByTestId('step-times').count()).toBe(0);

    const labels = await stepLabelsOnScreen(page);
    expect(labels).toHaveLength(10);
    for (const label of labels) {
      expect(label.text, label.text).not.toContain('…');
      // Never smaller than the full card's text would be on screen at this zoom.
      expect(label.screenPx, `${label.text} at ${label.screenPx.toFixed(1)} px`).toBeGreaterThan(15 * 0.26);
      expect(label.brokenWords, label.text).toEqual([]);
    }
    // The waste steps keep their mark and waste type.
    const wasteMarks = await page.locator('.step-node.step-waste [data-testid="step-class"]').allTextContents();
    expect(wasteMarks.length).toBeGreaterThan(0);
    for (const mark of wasteMarks) expect(mark).toMatch(/^✗ \S/);

    // Lane names whole: the full name, not cut to "Contac…".
    const lanes = await page
      .getByTestId('lane-name')
      .evaluateAll((names) =>
        names.map((name) => ({ text: name.textContent, cut: name.scrollWidth > name.clientWidth + 1 })),
      );
    expect(lanes.map((lane) => lane.text)).toEqual(['Contact centre', 'Repairs admin', 'Supervisor', 'Contractor']);
    for (const lane of lanes) expect(lane.cut, String(lane.text)).toBe(false);

    // The minimap covers no card.
    const minimap = await page.locator('.react-flow__minimap').boundingBox();
    if (!minimap) throw new Error('no minimap');
    const cards = await page.locator('.react-flow__node').evaluateAll((nodes) =>
      nodes.map((node) => {
        const r = node.getBoundingClientRect();
        return { id: node.getAttribute('data-id'), x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    expect(cards.length).toBeGreaterThan(10);
    const under = cards.filter(
      (c) =>
        c.x < minimap.x + minimap.width &&
        c.x + c.width > minimap.x &&
        c.y < minimap.y + minimap.height &&
        c.y + c.height > minimap.y,
    );
    expect(under).toEqual([]);

    // Zooming in brings back the full card with its PT/LT line.
    const zoomIn = page.locator('.react-flow__controls-zoomin');
    await expect
      .poll(
        async () => {
          if ((await page.getByTestId('step-times').count()) > 0) return true;
          await zoomIn.click();
          return false;
        },
        { timeout: OPENS_WITHIN_MS, interval: 300 },
      )
      .toBe(true);
    expect(await page.locator('.step-node.is-simple').count()).toBe(0);
  }, 90_000);

  // The bar. NOT met yet: with the analysis panel open the canvas is 884 px wide and the
  // example fits at 26.6%, where a step's column (240 canvas units) is 64 px on screen, narrower
  // than "inspection" at 12 px. Reaching it needs a decision (fit the flow only, a wider spacing
  // in the simplified form, or the panel folded while presenting); see the report on issue 15.
  test.skip('fitted at 1280×720: every step label at 12 px or more on screen', async () => {
    const boardId = await createBoard(e2e.server, 'Housing repairs', 'housing-repairs-before');
    const { page } = await e2e.newPerson();
    await page.goto(`/b/${boardId}`);
    await page.locator('.step-node.is-simple').first().waitFor({ timeout: OPENS_WITHIN_MS });
    for (const label of await stepLabelsOnScreen(page)) {
      expect(label.screenPx, label.text).toBeGreaterThanOrEqual(12);
    }
  });
});
