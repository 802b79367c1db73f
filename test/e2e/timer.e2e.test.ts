/**
 * The workshop timer end to end (issue 15): the facilitator starts it in one
 * browser, an editor in another sees the same label and countdown, and so
 * does someone who opens the board later; +1 min and Stop reach everyone.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { api, newKey, waitFor } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 10_000;
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

/** The countdown on a page, in seconds. */
async function secondsLeft(page: Page): Promise<number> {
  const words = (await page.getByTestId('timer-remaining').textContent()) ?? '';
  const parts = words.split(':').map(Number);
  if (parts.length < 2 || parts.some((n) => !Number.isFinite(n))) throw new Error(`no countdown in "${words}"`);
  return parts.reduce((total, n) => total * 60 + n, 0);
}

/** Both pages count down together: b is read between two reads of a, within a second of them. */
async function expectSameCountdown(a: Page, b: Page): Promise<void> {
  const first = await secondsLeft(a);
  const other = await secondsLeft(b);
  const again = await secondsLeft(a);
  expect(other).toBeLessThanOrEqual(first + 1);
  expect(other).toBeGreaterThanOrEqual(again - 1);
}

let e2e: E2E;
let boardId: string;
let editorKey: string;

describe.skipIf(!chromiumAvailable())('the workshop timer', () => {
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

  test('the facilitator starts, adds a minute and stops; everyone sees the same countdown', async () => {
    const { page: facilitator } = await e2e.newPerson({ name: 'Sam' });
    const { page: editor } = await e2e.newPerson({ name: 'Ana', key: editorKey });
    await Promise.all([openBoard(facilitator, boardId), openBoard(editor, boardId)]);
    // Only the facilitator may set it: the editor has no button (and the server would refuse anyway).
    await facilitator.getByTestId('timer-button').waitFor();
    expect(await editor.getByTestId('timer-button').count()).toBe(0);

    // Bad input: no label, then 0 minutes — a clear message and no timer.
    await facilitator.getByTestId('timer-button').click();
    await facilitator.getByTestId('timer-minutes').fill('1');
    await facilitator.getByTestId('timer-start').click();
    await facilitator.getByText('Say what the time is for').waitFor();
    await facilitator.getByTestId('timer-label').fill('Listening to demand');
    await facilitator.getByTestId('timer-minutes').fill('0');
    await facilitator.getByTestId('timer-start').click();
    await facilitator.getByText('Give a number of minutes above 0').waitFor();
    expect(await editor.getByTestId('timer-display').count()).toBe(0);

    await facilitator.getByTestId('timer-minutes').fill('1');
    await facilitator.getByTestId('timer-start').click();
    for (const page of [facilitator, editor]) {
      await page.getByTestId('timer-display').waitFor({ timeout: SEEN_WITHIN_MS });
      expect(await page.locator('.timer-label').textContent()).toBe('Listening to demand');
    }
    await expectSameCountdown(facilitator, editor);
    expect(await secondsLeft(editor)).toBeGreaterThan(30);
    expect(await secondsLeft(editor)).toBeLessThanOrEqual(60);

    // Someone who opens the board now sees the same timer at once.
    const { page: late } = await e2e.newPerson({ name: 'Lee', key: editorKey });
    await openBoard(late, boardId);
    await late.getByTestId('timer-display').waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await late.locator('.timer-label').textContent()).toBe('Listening to demand');
    await expectSameCountdown(facilitator, late);
    await shot(editor, 'timer-running');

    // +1 min moves both.
    const before = await secondsLeft(editor);
    await facilitator.getByTestId('timer-button').click();
    await shot(facilitator, 'timer-controls');
    await facilitator.getByTestId('timer-add-minute').click();
    for (const page of [facilitator, editor]) {
      await waitFor(async () => (await secondsLeft(page)) > 60, SEEN_WITHIN_MS, 'the added minute');
    }
    expect(await secondsLeft(editor)).toBeGreaterThan(before);
    await expectSameCountdown(facilitator, editor);

    // Pause shows on both and the countdown holds still.
    await facilitator.getByTestId('timer-pause').click();
    await editor.locator('.timer-paused').waitFor({ timeout: SEEN_WITHIN_MS });
    await facilitator.getByTestId('timer-resume').waitFor();
    await facilitator.getByTestId('timer-resume').click();
    await editor.locator('.timer-paused').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });

    // Stop clears both.
    await facilitator.getByTestId('timer-stop').click();
    for (const page of [facilitator, editor, late]) {
      await page.getByTestId('timer-display').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
    }
  }, 120_000);

  test('at the end everyone gets a gentle signal: a pulse and "Time is up" said politely', async () => {
    const { page: facilitator } = await e2e.newPerson({ name: 'Sam' });
    const { page: editor } = await e2e.newPerson({ name: 'Ana', key: editorKey });
    await Promise.all([openBoard(facilitator, boardId), openBoard(editor, boardId)]);
    await facilitator.getByTestId('timer-button').click();
    await facilitator.getByTestId('timer-label').fill('Quick check');
    // A few seconds, so the test sees the end: the form takes decimals of a minute.
    await facilitator.getByTestId('timer-minutes').fill('0.05');
    await facilitator.getByTestId('timer-start').click();
    await editor.getByTestId('timer-display').waitFor({ timeout: SEEN_WITHIN_MS });
    await waitFor(
      async () => (await editor.getByTestId('timer-announcement').textContent()) === 'Time is up: Quick check',
      SEEN_WITHIN_MS,
      'the end to be announced',
    );
    expect(await editor.locator('.timer-display.is-up').count()).toBe(1);
    expect(await editor.getByTestId('timer-remaining').textContent()).toBe('time is up');
    await shot(editor, 'timer-up');
    await facilitator.getByTestId('timer-button').click();
    await facilitator.getByTestId('timer-stop').click();
    await editor.getByTestId('timer-display').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
  }, 120_000);
});
