/**
 * Presence end to end: two or three people (browser contexts) on one board see
 * each other's names, cursors, selection and editing; following moves the
 * follower's view until they move it themselves; "Bring everyone here".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { api, waitFor } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E, openBoardTool } from './helpers';

const SEEN_WITHIN_MS = 5000;

interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

async function templateBoard(e2e: E2E): Promise<string> {
  const response = await api(`${e2e.server.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Presence', template: 'housing-repairs-before' }),
  });
  if (response.status !== 201) throw new Error(`could not create a board: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitFor(
    async () => ((await page.getByTestId('connection-status').textContent()) ?? '').trim() === 'Live',
    SEEN_WITHIN_MS,
    'the board to be live',
  );
  await page.locator('[data-testid="step-node"]').first().waitFor();
}

/** The React Flow viewport, from the transform of its viewport element. */
async function viewportOf(page: Page): Promise<Viewport> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const match = /translate\((-?[\d.e+-]+)px, (-?[\d.e+-]+)px\) scale\(([\d.e+-]+)\)/.exec(transform);
  if (!match) throw new Error(`unexpected viewport transform "${transform}"`);
  return { x: Number(match[1]), y: Number(match[2]), zoom: Number(match[3]) };
}

const near = (a: Viewport, b: Viewport) =>
  Math.abs(a.x - b.x) < 2 && Math.abs(a.y - b.y) < 2 && Math.abs(a.zoom - b.zoom) < 0.001;

async function waitForView(page: Page, expected: () => Promise<Viewport>, what: string): Promise<void> {
  let last: Viewport | null = null;
  let want: Viewport | null = null;
  await waitFor(
    async () => {
      [last, want] = [await viewportOf(page), await expected()];
      return near(last, want);
    },
    SEEN_WITHIN_MS,
    () => `${what} (last ${JSON.stringify(last)}, want ${JSON.stringify(want)})`,
  );
}

/**
 * Waits until the view `page` now shows (its person is `name`) has reached each of `others` through
 * presence: the settled state after which a view that stayed put has really not followed it.
 */
async function waitForViewSeen(page: Page, name: string, others: Page[], what: string): Promise<void> {
  const published = () =>
    page.evaluate(() => {
      const state = window.__purposeboard!.provider.awareness.getLocalState() as { view?: Viewport | null } | null;
      return state?.view ?? null;
    });
  const seenBy = (other: Page) =>
    other.evaluate((who) => {
      const awareness = window.__purposeboard!.provider.awareness;
      for (const [clientId, raw] of awareness.getStates()) {
        const state = raw as { user?: { name?: string }; view?: Viewport | null };
        if (clientId !== awareness.clientID && state.user?.name === who) return state.view ?? null;
      }
      return null;
    }, name);
  let last = '';
  await waitFor(
    async () => {
      const [own, sent] = [await viewportOf(page), await published()];
      const seen = await Promise.all(others.map(seenBy));
      last = JSON.stringify({ own, sent, seen });
      return sent !== null && near(sent, own) && seen.every((view) => view !== null && near(view, sent));
    },
    SEEN_WITHIN_MS,
    () => `${what} (last ${last})`,
  );
}

/** Pans with a right-button drag on empty canvas (the board's pan gesture). */
async function pan(page: Page, dx: number, dy: number): Promise<void> {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no canvas');
  // In the strip fit view leaves free along the bottom, right of the minimap (bottom-left corner).
  const start = { x: pane.x + 260, y: pane.y + pane.height - 60 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down({ button: 'right' });
  for (let i = 1; i <= 5; i++) await page.mouse.move(start.x + (dx * i) / 5, start.y + (dy * i) / 5);
  await page.mouse.up({ button: 'right' });
}

async function text(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId);
  return (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '').trim() : '<missing>';
}

describe.skipIf(!chromiumAvailable())('presence', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('names, cursors, selection and editing of the others; someone who leaves disappears', async () => {
    const boardId = await templateBoard(e2e);
    const { page: a } = await e2e.newPerson({ name: 'Ann Archer' });
    const { page: b } = await e2e.newPerson({ name: 'Bob Baker' });
    await openBoard(a, boardId);
    await openBoard(b, boardId);

    // Who's here.
    await waitFor(async () => (await text(a, 'here-count')) === '· 2 here', SEEN_WITHIN_MS, 'A to see 2 here');
    await a.locator('[data-testid="peer-avatar"][data-name="Bob Baker"]').waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await a.getByTestId('peer-avatar').textContent()).toBe('BB');
    expect(await a.getByTestId('self-avatar').textContent()).toBe('AA');
    const colourOfB = await b.getByTestId('self-avatar').evaluate((el) => getComputedStyle(el).backgroundColor);
    const colourOfA = await a.getByTestId('self-avatar').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(colourOfA).not.toBe(colourOfB);

    // B's cursor, with B's name, on the same spot of the board on A's screen.
    const pane = (await b.locator('.react-flow__pane').boundingBox())!;
    const pointer = { x: pane.x + pane.width * 0.4, y: pane.y + pane.height * 0.6 };
    await b.mouse.move(pointer.x - 20, pointer.y - 20);
    await b.mouse.move(pointer.x, pointer.y, { steps: 4 });
    const cursor = a.locator('[data-testid="remote-cursor"][data-name="Bob Baker"]');
    await cursor.waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await cursor.textContent()).toContain('Bob Baker');
    const viewB = await viewportOf(b);
    const paneA = (await a.locator('.react-flow__pane').boundingBox())!;
    const boardPoint = {
      x: (pointer.x - pane.x - viewB.x) / viewB.zoom,
      y: (pointer.y - pane.y - viewB.y) / viewB.zoom,
    };
    await waitFor(
      async () => {
        const viewA = await viewportOf(a);
        const box = await cursor.boundingBox();
        if (!box) return false;
        const expected = {
          x: paneA.x + viewA.x + boardPoint.x * viewA.zoom,
          y: paneA.y + viewA.y + boardPoint.y * viewA.zoom,
        };
        return Math.abs(box.x - expected.x) < 4 && Math.abs(box.y - expected.y) < 4;
      },
      SEEN_WITHIN_MS,
      "B's cursor at the same board position on A's screen",
    );

    // B selects a step: A sees it outlined in B's colour with B's name.
    const stepB = b.locator('[data-testid="step-node"]').nth(1);
    const stepId = await stepB.getAttribute('data-id');
    await stepB.click();
    const stepA = a.locator(`[data-testid="step-node"][data-id="${stepId}"]`);
    await stepA.locator('[data-testid="remote-mark"]', { hasText: 'Bob Baker' }).waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await stepA.evaluate((el) => getComputedStyle(el).outlineColor)).toBe(colourOfB);

    // B renames it inline: A sees "Bob Baker is editing"; done, it goes back to a selection mark.
    await stepB.dblclick();
    await b.getByTestId('inline-editor').waitFor();
    await stepA
      .locator('[data-testid="remote-mark"]', { hasText: 'Bob Baker is editing' })
      .waitFor({ timeout: SEEN_WITHIN_MS });
    await b.getByTestId('inline-editor').press('Escape');
    await waitFor(
      async () => (await stepA.getByTestId('remote-mark').textContent()) === 'Bob Baker',
      SEEN_WITHIN_MS,
      'the editing mark to go',
    );

    // While B drags the step, A sees it move before B lets go.
    const wrapperA = a.locator(`.react-flow__node[data-id="${stepId}"]`);
    const transformOnA = () => wrapperA.evaluate((el) => (el as HTMLElement).style.transform);
    const before = await transformOnA();
    const box = (await stepB.boundingBox())!;
    await b.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await b.mouse.down();
    await b.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 10, { steps: 5 });
    await b.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 5 });
    await waitFor(
      async () => (await transformOnA()) !== before,
      SEEN_WITHIN_MS,
      'the step to move on A during the drag',
    );
    await b.mouse.up();

    // B leaves: the cursor, the avatar and the count follow within 5 s.
    await b.close();
    await cursor.waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
    await waitFor(async () => (await text(a, 'here-count')) === '· 1 here', SEEN_WITHIN_MS, 'A alone again');
    expect(await a.getByTestId('peer-avatar').count()).toBe(0);
    expect(await stepA.getByTestId('remote-mark').count()).toBe(0);
  });

  test('following a view until a pan of one’s own; bringing everyone to one view', async () => {
    const boardId = await templateBoard(e2e);
    const { page: a } = await e2e.newPerson({ name: 'Ann Archer' });
    const { page: b } = await e2e.newPerson({ name: 'Bob Baker' });
    const { page: c } = await e2e.newPerson({ name: 'Cy Cole' });
    for (const page of [a, b, c]) await openBoard(page, boardId);
    await waitFor(async () => (await text(a, 'here-count')) === '· 3 here', SEEN_WITHIN_MS, 'three here');

    // A follows B: B's pans and zooms move A's view.
    await a.locator('[data-testid="peer-avatar"][data-name="Bob Baker"]').click();
    await a.getByTestId('follow-banner').waitFor();
    expect(await text(a, 'follow-banner')).toContain('Following Bob Baker');
    await pan(b, 150, -80);
    await waitForView(a, () => viewportOf(b), "A's view to follow B's pan");
    await b.getByRole('button', { name: 'Zoom in' }).click();
    await waitForView(a, () => viewportOf(b), "A's view to follow B's zoom");

    // A pans: following stops, and B's next pan no longer moves A.
    await pan(a, -120, 40);
    await a.getByTestId('follow-banner').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
    const own = await viewportOf(a);
    await pan(b, 200, 0);
    await waitForViewSeen(b, 'Bob Baker', [a], "B's pan to reach A");
    expect(near(await viewportOf(a), own)).toBe(true);

    // Following again, then Escape stops it.
    await a.locator('[data-testid="peer-avatar"][data-name="Bob Baker"]').click();
    await waitForView(a, () => viewportOf(b), "A's view to jump to B's");
    await a.keyboard.press('Escape');
    await a.getByTestId('follow-banner').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });

    // C brings everyone to C's view; each can move away again.
    await pan(c, -250, 120);
    const viewC = await viewportOf(c);
    expect(near(await viewportOf(a), viewC)).toBe(false);
    await openBoardTool(c, 'bring-everyone');
    await waitForView(a, () => viewportOf(c), "A's view to jump to C's");
    await waitForView(b, () => viewportOf(c), "B's view to jump to C's");
    await pan(b, 100, 100);
    await waitForViewSeen(b, 'Bob Baker', [a, c], "B's own pan to reach A and C");
    expect(near(await viewportOf(b), viewC)).toBe(false);
  });

  test('the first visit asks for a name; clicking one’s own avatar changes it', async () => {
    const boardId = await templateBoard(e2e);
    const { page: a } = await e2e.newPerson({ name: 'Ann Archer' });
    const { page: d } = await e2e.newPerson({ name: null });
    await openBoard(a, boardId);
    await d.goto(`/b/${boardId}`);
    const dialog = d.getByTestId('name-dialog');
    await dialog.waitFor();
    await d.getByTestId('name-input').fill('Dee Dunn');
    await d.getByTestId('name-input').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await a.locator('[data-testid="peer-avatar"][data-name="Dee Dunn"]').waitFor({ timeout: SEEN_WITHIN_MS });

    // Remembered on the device: no dialog after a reload.
    await d.reload();
    await d.getByTestId('self-avatar').waitFor();
    expect(await d.getByTestId('self-avatar').textContent()).toBe('DD');
    expect(await dialog.count()).toBe(0);

    await d.getByTestId('self-avatar').click();
    await d.getByTestId('name-input').fill('Dee Davis');
    await d.getByTestId('name-save').click();
    await a.locator('[data-testid="peer-avatar"][data-name="Dee Davis"]').waitFor({ timeout: SEEN_WITHIN_MS });
  });
});
