/**
 * Dot voting and comments end to end (issue 15), two browsers: the
 * facilitator starts a vote on system conditions, each person clicks cards
 * and sees only their own dots until the reveal, then both see the ranked
 * list and the dots on the cards. Then a comment thread: written by one,
 * answered by the other, resolved.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { api, newKey, waitFor } from '../helpers/server';
import { chromiumAvailable, openBoardTool, startE2E, type E2E } from './helpers';

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

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitFor(
    async () => ((await page.getByTestId('connection-status').textContent()) ?? '').trim() === 'Live',
    SEEN_WITHIN_MS,
    'the board to be live',
  );
}

let e2e: E2E;
let boardId: string;
let editorKey: string;

describe.skipIf(!chromiumAvailable())('dot voting and comments', () => {
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

  test('a vote from start to reveal: only your own dots until the reveal, then the ranked list', async () => {
    const { page: facilitator } = await e2e.newPerson({ name: 'Sam' });
    const { page: editor } = await e2e.newPerson({ name: 'Ana', key: editorKey });
    await Promise.all([openBoard(facilitator, boardId), openBoard(editor, boardId)]);
    // The room's header button, or "Tools ▾" when the header is crowded.
    await openBoardTool(facilitator, 'comments-button');
    await facilitator.getByTestId('start-vote').waitFor();
    await openBoardTool(editor, 'comments-button');
    await editor.getByTestId('comments-list').waitFor();
    expect(await editor.getByTestId('start-vote').count()).toBe(0);
    await editor.keyboard.press('Escape');

    await facilitator.getByTestId('start-vote').click();
    await facilitator.getByTestId('vote-start').click();
    await facilitator.getByText('Say what the vote is about').waitFor();
    await facilitator.getByTestId('vote-question').fill('Which system condition first?');
    await facilitator.getByTestId('vote-kind').selectOption('condition');
    await facilitator.getByTestId('vote-dots-per-person').fill('2');
    await facilitator.getByTestId('vote-start').click();
    await editor.getByTestId('vote-bar').waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await editor.getByTestId('vote-left').textContent()).toContain('2 of 2 left');

    const conditions = editor.getByTestId('condition-node');
    expect(await conditions.count()).toBeGreaterThanOrEqual(2);
    const first = (await conditions.nth(0).getAttribute('data-id'))!;
    const second = (await conditions.nth(1).getAttribute('data-id'))!;
    const card = (page: Page, id: string) => page.locator(`[data-testid="condition-node"][data-id="${id}"]`);

    await card(editor, first).click();
    await card(editor, first).click();
    await waitFor(
      async () => ((await editor.getByTestId('vote-left').textContent()) ?? '').includes('0 of 2 left'),
      SEEN_WITHIN_MS,
      'the editor to have placed both dots',
    );
    // A third dot is over the budget: a clear message, nothing changes.
    await card(editor, second).click();
    await editor.getByText('You have placed all 2 of your dots').waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await card(editor, second).getByTestId('vote-dots').count()).toBe(0);

    await card(facilitator, second).click();
    await waitFor(
      async () => ((await facilitator.getByTestId('vote-left').textContent()) ?? '').includes('1 of 2 left'),
      SEEN_WITHIN_MS,
      'the facilitator to have placed a dot',
    );
    await waitFor(
      async () => ((await facilitator.getByTestId('vote-left').textContent()) ?? '').includes('2 people have voted'),
      SEEN_WITHIN_MS,
      'two people to have voted',
    );
    // Hidden until the reveal: nobody sees the other's dots.
    expect(await card(facilitator, first).getByTestId('vote-dots').count()).toBe(0);
    expect(await card(editor, second).getByTestId('vote-dots').count()).toBe(0);
    await shot(editor, 'vote-open');

    await facilitator.getByTestId('vote-reveal').click();
    for (const page of [facilitator, editor]) {
      await page.getByTestId('vote-ranking').waitFor({ timeout: SEEN_WITHIN_MS });
      const rows = page.getByTestId('vote-ranking-row');
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(0).textContent()).toContain('2 dots');
      expect(await rows.nth(1).textContent()).toContain('1 dot');
      await waitFor(
        async () => ((await card(page, first).getByTestId('vote-dots').textContent()) ?? '') === '●●',
        SEEN_WITHIN_MS,
        'everyone’s dots on the cards after the reveal',
      );
    }
    await shot(facilitator, 'vote-revealed');
    // The result is kept as a record, listed in the analysis panel.
    await facilitator.getByTestId('tab-analysis').click();
    await facilitator.getByTestId('vote-record').first().waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await facilitator.getByTestId('vote-record').first().textContent()).toContain(
      'Vote: Which system condition first?',
    );
    // A dot after the vote closed: refused in plain words.
    await card(editor, second).click();
    await editor.getByText('This vote has closed').waitFor({ timeout: SEEN_WITHIN_MS });
    await facilitator.getByTestId('vote-end').click();
    await editor.getByTestId('vote-bar').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
  }, 180_000);

  test('a comment thread with a reply and resolve', async () => {
    const { page: facilitator } = await e2e.newPerson({ name: 'Sam' });
    const { page: editor } = await e2e.newPerson({ name: 'Ana', key: editorKey });
    await Promise.all([openBoard(facilitator, boardId), openBoard(editor, boardId)]);
    const target = facilitator.getByTestId('condition-node').first();
    const id = (await target.getAttribute('data-id'))!;
    await target.click({ button: 'right' });
    await facilitator.getByTestId('card-menu-comments').click();
    await facilitator.getByTestId('comment-new-send').click();
    await facilitator.getByText('Write something first').waitFor();
    await facilitator.getByTestId('comment-new').fill('Who sets this target, and why?');
    await facilitator.getByTestId('comment-new-send').click();
    await facilitator.getByTestId('comment').first().waitFor({ timeout: SEEN_WITHIN_MS });

    const badge = editor.locator(`[data-testid="condition-node"][data-id="${id}"] [data-testid="comment-count"]`);
    await badge.waitFor({ timeout: SEEN_WITHIN_MS });
    expect((await badge.textContent())?.trim()).toContain('1');
    await badge.click();
    await editor.getByTestId('comments-dialog').waitFor();
    await editor.getByTestId('comment-reply').fill('The contact centre manager, from the service plan.');
    await editor.getByTestId('comment-reply-send').click();
    await facilitator.getByText('The contact centre manager').waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await facilitator.getByTestId('comment').count()).toBe(2);
    await shot(facilitator, 'comment-thread');

    await facilitator.getByTestId('comment-resolve').click();
    await editor.getByTestId('comment-resolved').waitFor({ timeout: SEEN_WITHIN_MS });
    await badge.waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
  }, 180_000);
});
