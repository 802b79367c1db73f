/**
 * The demand study in the browser (issue 14), against the real server and
 * its SQLite file: a phone (360×740, a device of its own) opens the Collect
 * demand link, captures five entries — two while offline — and they all
 * arrive once, while the board open in a second context shows its study
 * cards count up live (message 106). The study screen classifies an entry
 * and the failure-demand % follows. Bad input on the phone gets plain words
 * and nothing queued; a turned-off link keeps the phone's entries.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const WITHIN_MS = 20_000;

const SETTINGS = {
  demandTypes: [
    { name: 'Report a repair', class: 'value', definition: 'The tenant tells us something is broken' },
    { name: 'Chasing', class: 'failure', definition: 'The tenant asks where something is that we promised' },
  ],
  handlingTypes: [
    { name: 'One stop', oneStop: true },
    { name: 'Pass-on', oneStop: false },
  ],
  contactMethods: ['Phone', 'Email'],
  defaultContactMethod: 'Phone',
  // Around today, whatever day the test runs.
  start: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
  end: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
  capture: { classification: true, handling: true, valueLinking: true },
};

async function json<T>(e2e: E2E, method: string, path: string, body?: unknown): Promise<T> {
  const response = await api(`${e2e.server.url}${path}`, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

async function newStudyBoard(e2e: E2E, title: string): Promise<{ boardId: string; collect: string }> {
  const { id } = await json<{ id: string }>(e2e, 'POST', '/api/boards', { title });
  await json(e2e, 'PUT', `/api/boards/${id}/study`, SETTINGS);
  const links = await json<{ collect: string }>(e2e, 'GET', `/api/boards/${id}/links`);
  return { boardId: id, collect: links.collect };
}

interface EntryPage {
  entries: Array<{ id: string; verbatim: string; collector: string; type?: string }>;
  total: number;
}

async function stored(e2e: E2E, boardId: string): Promise<EntryPage> {
  return json<EntryPage>(e2e, 'GET', `/api/boards/${boardId}/study/entries?limit=1000`);
}

async function queueStatus(phone: Page): Promise<string> {
  return ((await phone.getByTestId('capture-queue-status').textContent()) ?? '').trim();
}

/** A phone of its own: no key (it gets one, as a new device does), no remembered name, 360×740. */
async function openPhone(e2e: E2E, link: string) {
  const { context, page } = await e2e.newPerson({ name: null, key: null });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(new URL(link).pathname);
  await page.getByTestId('capture-page').waitFor({ timeout: WITHIN_MS });
  return { context, phone: page };
}

async function capture(phone: Page, words: string, choices: { type?: string } = {}) {
  await phone.getByTestId('capture-verbatim').fill(words);
  if (choices.type) await phone.getByTestId('capture-type').getByRole('button', { name: choices.type }).click();
  await phone.getByTestId('capture-save').click();
  // Saving clears the form for the next call.
  await expect.poll(() => phone.getByTestId('capture-verbatim').inputValue()).toBe('');
}

describe.skipIf(!chromiumAvailable())('the demand study in the browser', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('a phone captures five entries, two offline; each arrives once and the board counts them live; bad input gets plain words', async () => {
    const { boardId, collect } = await newStudyBoard(e2e, 'Repairs study');

    // The facilitator's board, in a context of its own: the study's types become cards.
    const { page: board } = await e2e.newPerson({ name: 'Fran' });
    await board.goto(`/b/${boardId}`);
    await board.getByTestId('analysis-study').waitFor({ timeout: WITHIN_MS });
    await board.getByTestId('place-study-cards').click();
    const card = (name: string) => board.locator('[data-testid="demand-node"][data-study-type]', { hasText: name });
    await card('Chasing').waitFor({ timeout: WITHIN_MS });
    const cardCount = async (name: string) =>
      Number((await card(name).getByTestId('demand-count').textContent())?.trim());
    expect(await cardCount('Chasing')).toBe(0);
    expect(await cardCount('Report a repair')).toBe(0);

    const { context, phone } = await openPhone(e2e, collect);
    // The link's address became the capture page's own (a phone reloads it offline).
    expect(new URL(phone.url()).pathname).toMatch(/^\/collect\//);
    expect(await phone.getByTestId('capture-board-title').textContent()).toBe('Repairs study');

    await phone.getByTestId('capture-name').fill('Sam');
    await phone.getByTestId('capture-name-save').click();
    await phone.getByTestId('capture-collector').waitFor();

    // Bad input: nothing is queued, the phone says why in plain words.
    await phone.getByTestId('capture-save').click();
    expect(await phone.getByTestId('capture-problem').textContent()).toBe(
      'Write what the customer asked for, in their own words.',
    );
    await phone.getByTestId('capture-verbatim').fill('x'.repeat(2001));
    await phone.getByTestId('capture-save').click();
    expect(await phone.getByTestId('capture-problem').textContent()).toBe(
      'That is 2,001 characters; at most 2,000 fit. Shorten it.',
    );
    expect(await queueStatus(phone)).toBe('All entries sent');

    await capture(phone, 'My boiler is broken', { type: 'Report a repair' });
    await capture(phone, 'When is the plumber coming?', { type: 'Chasing' });
    await capture(phone, 'The window will not close');
    await expect.poll(() => queueStatus(phone), { timeout: WITHIN_MS }).toBe('All entries sent');
    await expect.poll(async () => (await stored(e2e, boardId)).total, { timeout: WITHIN_MS }).toBe(3);
    // Live on the board: one of each type so far, and the failure-demand % of the classified ones.
    await expect.poll(() => cardCount('Chasing'), { timeout: WITHIN_MS }).toBe(1);
    expect(await cardCount('Report a repair')).toBe(1);
    await expect.poll(() => board.getByTestId('panel-study-total').textContent(), { timeout: WITHIN_MS }).toBe('3');
    expect(await board.getByTestId('panel-study-failure-pct').textContent()).toBe('50%');

    await context.setOffline(true);
    await capture(phone, 'Nobody came on Tuesday', { type: 'Chasing' });
    await capture(phone, 'The damp is back');
    await expect.poll(() => queueStatus(phone), { timeout: WITHIN_MS }).toMatch(/^2 entries waiting to send/);
    expect((await stored(e2e, boardId)).total).toBe(3);
    expect(await cardCount('Chasing')).toBe(1);

    await context.setOffline(false);
    await expect.poll(() => queueStatus(phone), { timeout: WITHIN_MS }).toBe('All entries sent');
    await expect.poll(() => cardCount('Chasing'), { timeout: WITHIN_MS }).toBe(2);
    await expect.poll(() => board.getByTestId('panel-study-total').textContent(), { timeout: WITHIN_MS }).toBe('5');
    expect(await board.getByTestId('panel-study-failure-pct').textContent()).toBe('66.7%');
    // The card's inspector shows the study's figure, not a count to type.
    await card('Chasing').click();
    const inspector = board.getByTestId('inspector-study');
    await inspector.waitFor({ timeout: WITHIN_MS });
    expect(await inspector.textContent()).toContain('2 entries of this type in the demand study');
    const page = await stored(e2e, boardId);
    expect(page.total).toBe(5);
    expect(page.entries.map((e) => e.verbatim).sort()).toEqual(
      [
        'My boiler is broken',
        'When is the plumber coming?',
        'The window will not close',
        'Nobody came on Tuesday',
        'The damp is back',
      ].sort(),
    );
    expect(new Set(page.entries.map((e) => e.id)).size).toBe(5);
    expect(page.entries.every((e) => e.collector === 'Sam')).toBe(true);

    // The name is remembered on the phone.
    await phone.reload();
    await phone.getByTestId('capture-collector').waitFor({ timeout: WITHIN_MS });
    expect(await phone.getByTestId('capture-collector').textContent()).toBe('Sam');
  });

  test('Undo takes the last entry back; a turned-off link keeps the queued entries and says why', async () => {
    const { boardId, collect } = await newStudyBoard(e2e, 'Undo and turn off');
    const { context, phone } = await openPhone(e2e, collect);
    await phone.getByTestId('capture-name').fill('Ana');
    await phone.getByTestId('capture-name-save').click();

    await capture(phone, 'First call');
    await capture(phone, 'A call typed by mistake');
    await expect.poll(async () => (await stored(e2e, boardId)).total, { timeout: WITHIN_MS }).toBe(2);
    await phone.getByTestId('capture-undo').click();
    await phone.getByTestId('capture-notice').waitFor({ timeout: WITHIN_MS });
    await expect
      .poll(async () => (await stored(e2e, boardId)).entries.map((e) => e.verbatim), { timeout: WITHIN_MS })
      .toEqual(['First call']);

    // The facilitator turns the collect link off while the phone is offline with two entries.
    await context.setOffline(true);
    await capture(phone, 'Queued one');
    await capture(phone, 'Queued two');
    await json(e2e, 'POST', `/api/boards/${boardId}/links/collect/rotate`);
    await context.setOffline(false);
    await phone.evaluate(() => window.dispatchEvent(new Event('online')));
    const alert = phone.getByTestId('capture-link-off');
    await alert.waitFor({ timeout: WITHIN_MS });
    expect(await alert.textContent()).toContain('The 2 waiting entries stay on this phone');
    expect(await queueStatus(phone)).toBe('2 entries kept on this phone, not sent');
    expect((await stored(e2e, boardId)).total).toBe(1);
    // Still kept after a reload.
    await phone.reload();
    await phone.getByTestId('capture-link-off').waitFor({ timeout: WITHIN_MS });
    expect(await queueStatus(phone)).toBe('2 entries kept on this phone, not sent');
  });
});

describe.skipIf(!chromiumAvailable())('the study screen', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('classifying an entry moves the chips and the failure-demand %; a new type is added from inside the edit', async () => {
    const { boardId } = await newStudyBoard(e2e, 'Classify');
    const at = new Date().toISOString();
    await json(e2e, 'POST', `/api/boards/${boardId}/study/entries`, {
      entries: [
        { id: 'entry-one-0001', verbatim: 'My boiler is broken', type: 'Report a repair', handling: 'One stop', at },
        { id: 'entry-two-0002', verbatim: 'Where is my plumber?', type: 'Chasing', at },
        { id: 'entry-three-003', verbatim: 'The damp is back again', at },
      ],
    });
    const { page } = await e2e.newPerson({ name: 'Fran' });
    await page.goto(`/b/${boardId}`);
    await page.getByTestId('board-title').filter({ hasText: 'Classify' }).waitFor({ timeout: WITHIN_MS });
    // The way to the study screen is in the analysis panel's Demand study section.
    await page.getByTestId('panel-open-study').click();
    await page.getByTestId('study-list').waitFor({ timeout: WITHIN_MS });
    expect(await page.getByTestId('study-entry').count()).toBe(3);
    await expect.poll(() => page.getByTestId('study-failure-pct').textContent(), { timeout: WITHIN_MS }).toBe('50%');
    expect(await page.getByTestId('study-need-classification').textContent()).toBe('Needs classification (1)');

    const damp = page.getByTestId('study-entry').filter({ hasText: 'The damp is back again' });
    await damp.getByTestId('study-entry-type').selectOption({ label: 'Chasing' });
    await expect.poll(() => page.getByTestId('study-failure-pct').textContent(), { timeout: WITHIN_MS }).toBe('66.7%');
    await expect
      .poll(() => page.getByTestId('study-need-classification').textContent(), { timeout: WITHIN_MS })
      .toBe('Needs classification (0)');

    // "+ Add new…" from inside the edit: the type is made and the entry takes it.
    const plumber = page.getByTestId('study-entry').filter({ hasText: 'Where is my plumber?' });
    await plumber.getByTestId('study-entry-type').selectOption({ label: '+ Add new…' });
    await page.getByTestId('study-new-type-name').fill('Progress chasing');
    await page.getByTestId('study-new-type-save').click();
    await page.getByTestId('study-add-type-dialog').waitFor({ state: 'detached' });
    await expect
      .poll(
        async () => {
          const entries = (await stored(e2e, boardId)).entries;
          const study = await json<{ settings: { demandTypes: Array<{ id: string; name: string }> } }>(
            e2e,
            'GET',
            `/api/boards/${boardId}/study`,
          );
          const added = study.settings.demandTypes.find((t) => t.name === 'Progress chasing');
          return added !== undefined && entries.find((e) => e.verbatim === 'Where is my plumber?')?.type === added.id;
        },
        { timeout: WITHIN_MS },
      )
      .toBe(true);

    // Search and a chip filter the list.
    await page.getByTestId('study-search').fill('boiler');
    await expect.poll(() => page.getByTestId('study-entry').count(), { timeout: WITHIN_MS }).toBe(1);
    await page.getByTestId('study-search').fill('');
    await page.getByTestId('study-need-handling').click();
    await expect.poll(() => page.getByTestId('study-entry').count(), { timeout: WITHIN_MS }).toBe(2);
  });
});
