/**
 * A lock refused for a non-facilitator (issue 15), two browsers. Sam, the
 * facilitator, locks a step from its menu; Ana, an editor, sees the padlock,
 * cannot drag it, and is told why when she tries to rename it. Then the race
 * the server alone can catch: Ana is offline when Sam locks another step and
 * moves it on her screen; back online, the server refuses the move (4409),
 * her board opens afresh with the step back where Sam sees it, and a notice
 * says why. Sam never sees the move.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import * as Y from 'yjs';
import { api, newKey, waitFor } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 15_000;
const SHOTS = process.env.PURPOSEBOARD_SHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/${name}-390.png` });
  await page.setViewportSize(size);
}

async function status(page: Page): Promise<string> {
  return ((await page.getByTestId('connection-status').textContent()) ?? '').trim();
}

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitFor(async () => (await status(page)) === 'Live', SEEN_WITHIN_MS, 'the board to be live');
}

/** A step's position and lock in this page's copy of the board. */
async function stepState(page: Page, id: string): Promise<{ x: number; y: number; lockedBy: string | null }> {
  return page.evaluate((nodeId) => {
    const node = (
      window as unknown as {
        __purposeboard: { doc: { getMap(name: string): Map<string, Map<string, unknown>> } };
      }
    ).__purposeboard.doc
      .getMap('nodes')
      .get(nodeId);
    return {
      x: Number(node?.get('x')),
      y: Number(node?.get('y')),
      lockedBy: typeof node?.get('lockedBy') === 'string' ? String(node.get('lockedBy')) : null,
    };
  }, id);
}

function step(page: Page, id: string) {
  return page.locator(`[data-testid="step-node"][data-id="${id}"]`);
}

async function toasts(page: Page): Promise<string> {
  return (await page.getByTestId('toast').allTextContents()).join('\n');
}

async function lockFromMenu(page: Page, id: string): Promise<void> {
  await step(page, id).click({ button: 'right' });
  await page.getByTestId('card-menu-lock').click();
}

async function drag(page: Page, id: string, dx: number, dy: number): Promise<void> {
  const box = (await step(page, id).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy, { steps: 10 });
  await page.mouse.up();
}

let e2e: E2E;
let boardId: string;
let editorKey: string;

describe.skipIf(!chromiumAvailable())('locked cards', () => {
  beforeAll(async () => {
    e2e = await startE2E();
    const response = await api(`${e2e.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Housing repairs workshop', template: 'housing-repairs-before' }),
    });
    const created = (await response.json()) as { id: string; links: { edit: string } };
    boardId = created.id;
    editorKey = await newKey(e2e.server);
    const joined = await api(`${e2e.server.url}/api/join`, {
      key: editorKey,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ link: created.links.edit }),
    });
    expect(joined.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  test('a lock refused for a non-facilitator: no drag, a notice, and a change the server refused is undone on her screen', async () => {
    const { page: sam } = await e2e.newPerson({ name: 'Sam' });
    const { page: ana, context: anaContext } = await e2e.newPerson({ name: 'Ana', key: editorKey });
    await Promise.all([openBoard(sam, boardId), openBoard(ana, boardId)]);
    const ids = await sam.getByTestId('step-node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')!));
    const [first, second] = ids;

    // Sam locks the first step from its menu; Ana sees the padlock.
    await lockFromMenu(sam, first);
    await step(ana, first).getByTestId('card-lock').waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await step(ana, first).getByTestId('card-lock').getAttribute('aria-label')).toBe('Locked by Sam');
    expect((await stepState(ana, first)).lockedBy).toBe('Sam');

    // Ana cannot drag it, and a rename is refused with the words.
    const before = await stepState(ana, first);
    await drag(ana, first, 160, 40);
    expect(await stepState(ana, first)).toEqual(before);
    await step(ana, first).dblclick();
    await waitFor(
      async () => (await toasts(ana)).includes('is locked by Sam: only a facilitator can change it.'),
      SEEN_WITHIN_MS,
      'Ana to be told the card is locked',
    );
    expect(await ana.getByTestId('inline-editor').count()).toBe(0);
    await shot(ana, 'lock-refused-locally');

    // The card menu offers Ana no Lock, and no Rename or Delete on the locked card.
    await step(ana, first).click({ button: 'right' });
    const menu = ana.getByTestId('card-menu');
    if ((await menu.count()) > 0) {
      expect(await ana.getByTestId('card-menu-lock').count()).toBe(0);
      expect(await ana.getByTestId('card-menu-rename').count()).toBe(0);
      expect(await ana.getByTestId('card-menu-delete').count()).toBe(0);
      await ana.keyboard.press('Escape');
    }

    // The race: Ana is offline when Sam locks the second step; she moves it on her screen.
    await goOffline(anaContext, ana);
    await lockFromMenu(sam, second);
    await waitFor(async () => (await stepState(sam, second)).lockedBy === 'Sam', SEEN_WITHIN_MS, 'Sam’s lock');
    const stored = await stepState(sam, second);
    await drag(ana, second, 180, 60);
    const moved = await stepState(ana, second);
    expect(moved.x).not.toBe(stored.x);

    // Back online the server refuses it: her board opens afresh, the step where Sam has it, with a notice.
    await anaContext.setOffline(false);
    let seen = '';
    await waitFor(
      async () =>
        (seen = await toasts(ana)).includes(
          'is locked by Sam: only a facilitator can change it. Your change was undone.',
        ),
      SEEN_WITHIN_MS * 2,
      () => `the notice (toasts: ${seen})`,
    );
    await waitFor(async () => (await status(ana)) === 'Live', SEEN_WITHIN_MS, 'Ana live again');
    await waitFor(
      async () => {
        const now = await stepState(ana, second);
        return now.x === stored.x && now.y === stored.y && now.lockedBy === 'Sam';
      },
      SEEN_WITHIN_MS,
      'the refused move undone on Ana’s screen',
    );
    await step(ana, second).getByTestId('card-lock').waitFor({ timeout: SEEN_WITHIN_MS });
    // The board opened afresh is one Ana, not two: her old presence went with the refused document.
    let people = '';
    await waitFor(
      async () => {
        people = await sam.evaluate(() => {
          const w = window as unknown as {
            __purposeboard: { provider: { awareness: { getStates(): Map<number, { user?: { name: string } }> } } };
          };
          return JSON.stringify(
            [...w.__purposeboard.provider.awareness.getStates()].map(([id, st]) => [id, st.user?.name]),
          );
        });
        return ((await sam.getByTestId('here-count').textContent()) ?? '').includes('2 here');
      },
      20_000,
      () => `two people here (Sam's awareness: ${people})`,
    );
    await shot(ana, 'lock-refused-by-server');
    // Sam never saw it, and the server does not have it.
    expect(await stepState(sam, second)).toEqual(stored);
    const state = new Y.Doc();
    const response = await api(`${e2e.server.url}/api/boards/${boardId}/state`, { key: e2e.server.key });
    Y.applyUpdate(state, new Uint8Array(await response.arrayBuffer()));
    const onServer = state.getMap<Y.Map<unknown>>('nodes').get(second)!;
    expect({ x: onServer.get('x'), y: onServer.get('y') }).toEqual({ x: stored.x, y: stored.y });

    // Ana carries on with an unlocked card, and Sam sees that.
    const third = ids[2];
    const start = await stepState(sam, third);
    await drag(ana, third, 120, 0);
    await waitFor(
      async () => (await stepState(sam, third)).x !== start.x,
      SEEN_WITHIN_MS,
      'Sam to see Ana’s move of an unlocked card',
    );

    // Sam unlocks with the keyboard (Shift+L on the selected card); Ana's padlock goes.
    await step(sam, first).click();
    await sam.keyboard.press('Shift+L');
    await waitFor(
      async () => (await step(ana, first).getByTestId('card-lock').count()) === 0,
      SEEN_WITHIN_MS,
      'the padlock to go on Ana’s screen',
    );
    await shot(sam, 'lock-facilitator');
  });
});

async function goOffline(context: BrowserContext, page: Page): Promise<void> {
  await context.setOffline(true);
  await waitFor(
    async () => (await status(page)).startsWith('Offline') || (await status(page)).startsWith('Reconnecting'),
    SEEN_WITHIN_MS,
    'Ana offline',
  );
}
