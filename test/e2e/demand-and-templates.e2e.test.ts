/**
 * Templates, the demand table and auto-layout end to end: a board made from
 * an example through the board list, demand pasted and typed into the table
 * (and seen as demand on the board), and "Tidy up" reaching a second person.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E, openBoardTool } from './helpers';

const SEEN_WITHIN_MS = 5000;

interface DocNode {
  kind: string;
  words?: string;
  count?: number;
  demandClass?: string;
  x: number;
  y: number;
}

/** The board's nodes as the open document holds them. */
async function docNodes(page: Page): Promise<Record<string, DocNode>> {
  return page.evaluate(() => {
    const doc = window.__purposeboard?.doc;
    return doc ? (doc.getMap('nodes').toJSON() as Record<string, DocNode>) : {};
  });
}

/** Every node's position, by id, in a stable order: map iteration order differs between replicas. */
async function positions(page: Page): Promise<string> {
  const nodes = await docNodes(page);
  return JSON.stringify(
    Object.keys(nodes)
      .sort()
      .map((id) => [id, nodes[id].x, nodes[id].y]),
  );
}

async function demandWords(page: Page): Promise<string[]> {
  return Object.values(await docNodes(page))
    .filter((n) => n.kind === 'demand')
    .map((n) => n.words ?? '');
}

async function waitForLive(page: Page): Promise<void> {
  await waitFor(
    async () => ((await page.getByTestId('connection-status').textContent()) ?? '').includes('Live'),
    SEEN_WITHIN_MS,
    'the board to be live',
  );
}

/** Pastes text into the focused element as a spreadsheet would (a real paste event with clipboard data). */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((content) => {
    const data = new DataTransfer();
    data.setData('text/plain', content);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

describe.skipIf(!chromiumAvailable())('templates, the demand table and auto-layout', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('a board from an example, demand pasted and typed, tidied up for everyone', async () => {
    const { page: a } = await e2e.newPerson();
    await a.goto('/');

    // The board list offers the templates with their descriptions.
    const option = a.locator('[data-testid="template-option"][data-template-id="housing-repairs-before"]');
    await option.waitFor({ state: 'attached' });
    await a.getByTestId('example-board').first().waitFor();
    await a.getByTestId('new-board-template').selectOption('housing-repairs-before');
    expect(await a.getByTestId('template-description').textContent()).toMatch(/55% failure demand/);
    await a.getByTestId('new-board-title').fill('Repairs workshop');
    await a.getByTestId('create-board').click();
    await a.waitForURL(/\/b\//);
    await waitForLive(a);
    const boardUrl = a.url();

    // The template's steps are on the board.
    await waitFor(
      async () => Object.values(await docNodes(a)).filter((n) => n.kind === 'step').length === 10,
      SEEN_WITHIN_MS,
      'the ten steps of the template',
    );
    await waitFor(async () => (await a.getByTestId('step-node').count()) > 0, SEEN_WITHIN_MS, 'steps on screen');
    const templateDemand = (await demandWords(a)).length;
    expect(templateDemand).toBe(6);

    // The demand table lists every demand item.
    await openBoardTool(a, 'open-demand-table');
    const table = a.getByTestId('demand-table');
    await table.waitFor();
    expect(await table.getByTestId('demand-row').count()).toBe(6);
    expect(await a.getByTestId('demand-period').inputValue()).toBe('one week');

    // Paste two good rows and a bad one: the good ones become demand, the bad one is reported by line.
    await a.getByTestId('demand-new-words').focus();
    await paste(
      a,
      'Where is my repair?\tfailure\t12\tyes\nThe form is wrong\tfailure\tlots\tno\nFix my door\tvalue\t40\tno\n',
    );
    await waitFor(
      async () => (await table.getByTestId('demand-row').count()) === 8,
      SEEN_WITHIN_MS,
      'two pasted rows in the table',
    );
    expect(await a.getByTestId('demand-paste-errors').textContent()).toMatch(
      /Demand row 2: the count must be a whole number/,
    );
    const words = await demandWords(a);
    expect(words).toContain('Where is my repair?');
    expect(words).toContain('Fix my door');
    expect(words).not.toContain('The form is wrong');
    // Nothing typed into the words field by the paste.
    expect(await a.getByTestId('demand-new-words').inputValue()).toBe('');

    // Type a row: words, Tab, class, Tab, count, Enter.
    await a.getByTestId('demand-new-words').fill('Can you come on Saturday?');
    await a.keyboard.press('Tab');
    await a.keyboard.press('Tab');
    await a.keyboard.type('abc');
    await a.keyboard.press('Enter');
    expect(await a.getByTestId('demand-new-error').textContent()).toMatch(/whole number/);
    expect(await demandWords(a)).not.toContain('Can you come on Saturday?');
    await a.getByTestId('demand-new-count').fill('7');
    await a.getByTestId('demand-new-count').press('Enter');
    await waitFor(
      async () => (await table.getByTestId('demand-row').count()) === 9,
      SEEN_WITHIN_MS,
      'the typed row in the table',
    );
    expect(await demandWords(a)).toContain('Can you come on Saturday?');
    // A new blank row, with the cursor in its words.
    expect(await a.getByTestId('demand-new-words').inputValue()).toBe('');
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('demand-new-words');
    expect(await a.getByTestId('demand-total').textContent()).toBe('1,059');

    // Escape closes the table.
    await a.keyboard.press('Escape');
    await table.waitFor({ state: 'detached' });

    // The capability editor reads a pasted series, reports a bad line and saves once it is fixed.
    await openBoardTool(a, 'open-capability');
    await a.getByTestId('capability-input').fill('12\n19, 8\nsoon\n3d 4h');
    expect(await a.getByTestId('capability-errors').textContent()).toMatch(/Line 3/);
    expect(await a.getByTestId('capability-save').isDisabled()).toBe(true);
    await a.getByTestId('capability-input').fill('12\n19, 8\n3d 4h');
    await a.getByTestId('capability-unit').selectOption('days');
    await a.getByTestId('capability-save').click();
    await a.getByTestId('capability-editor').waitFor({ state: 'detached' });
    expect(await a.evaluate(() => window.__purposeboard!.doc.getArray('capability').toArray())).toEqual([
      12 * 1440,
      19 * 1440,
      8 * 1440,
      3 * 1440 + 4 * 60,
    ]);

    // Another person opens the board; a scrambled board is tidied up for both.
    const { page: b } = await e2e.newPerson();
    await b.goto(boardUrl);
    await waitForLive(b);
    await waitFor(async () => (await demandWords(b)).length === 9, SEEN_WITHIN_MS, 'the demand for person B');
    await a.evaluate(() => {
      const doc = window.__purposeboard!.doc;
      const nodes = doc.getMap('nodes') as unknown as Map<string, { set(k: string, v: number): void }>;
      doc.transact(() => {
        let i = 0;
        nodes.forEach((node) => {
          node.set('x', 1000 + ((i * 37) % 400));
          node.set('y', 1000 + ((i * 53) % 400));
          i++;
        });
      });
    });
    await waitFor(
      async () => Object.values(await docNodes(b)).every((n) => n.x >= 1000),
      SEEN_WITHIN_MS,
      'the scrambled board for person B',
    );
    const before = await positions(b);
    await openBoardTool(a, 'auto-layout');
    await waitFor(async () => (await positions(b)) !== before, SEEN_WITHIN_MS, 'the tidied board for person B');
    await waitFor(
      async () => (await positions(b)) === (await positions(a)),
      SEEN_WITHIN_MS,
      'both people seeing the same layout',
    );
    const laidOut = Object.values(await docNodes(b));
    const steps = laidOut.filter((n) => n.kind === 'step');
    const demand = laidOut.filter((n) => n.kind === 'demand');
    const firstStepX = Math.min(...steps.map((s) => s.x));
    expect(demand.every((d) => d.x < firstStepX)).toBe(true);
  });
});
