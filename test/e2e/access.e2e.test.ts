/**
 * Who may open and change a board, in three browsers (issue 12): the
 * facilitator shares View only with Bo and Can edit with Cy; Cy's edits reach
 * Bo live while Bo changes nothing; the lock stops Cy and lifts again; turning
 * off the edit link ends Cy's access in plain words and hands Cy's offline
 * edit back as a board file, and a reload shows Cy no board.
 * PURPOSEBOARD_SHOTS=<dir> saves screenshots at 1280×720 and 390×844.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 5000;
const SHOTS = process.env.PURPOSEBOARD_SHOTS;

async function text(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId);
  return (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '').trim() : '<missing>';
}

async function waitForText(page: Page, testId: string, expected: string, what = testId): Promise<void> {
  let last = '';
  await waitFor(
    async () => (last = await text(page, testId)) === expected,
    SEEN_WITHIN_MS,
    () => `${what} to say "${expected}" (last: "${last}")`,
  );
}

/** The labels of the steps in this page's copy of the board, sorted. */
async function stepLabels(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const labels = [];
    window.__purposeboard.doc.getMap('nodes').forEach((node) => {
      if (node.get('kind') === 'step') labels.push(String(node.get('label')));
    });
    return labels.sort();
  })()`);
}

async function waitForLabels(page: Page, expected: string[], what: string): Promise<void> {
  let last: string[] = [];
  await waitFor(
    async () => JSON.stringify((last = await stepLabels(page))) === JSON.stringify([...expected].sort()),
    SEEN_WITHIN_MS,
    () => `${what} (last seen: ${JSON.stringify(last)})`,
  );
}

async function addStep(page: Page, label: string): Promise<void> {
  // The whole board in view, with room around it: a new step goes next to the others, where it can be named.
  await page.locator('.react-flow__controls-fitview').click();
  await page.locator('.react-flow__controls-zoomout').click();
  await page.getByTestId('add-step').click();
  const editor = page.getByTestId('inline-editor');
  await editor.waitFor({ timeout: SEEN_WITHIN_MS }).catch(async (error: unknown) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/failed-add-${label}.png` });
    throw error;
  });
  await editor.fill(label);
  await editor.press('Enter');
  await editor.waitFor({ state: 'detached' });
}

/** Both sizes: the projector's and a phone's. */
async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, fullPage });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage });
  await page.setViewportSize(size);
}

/** Opens Share ▾ and reads a link once it has come. */
async function shareLink(page: Page, kind: 'edit' | 'view'): Promise<string> {
  const field = page.getByTestId(`share-url-${kind}`);
  let value = '';
  await waitFor(
    async () => (value = await field.inputValue()).includes('/join/'),
    SEEN_WITHIN_MS,
    () => `the ${kind} link (last: "${value}")`,
  );
  return value;
}

describe.skipIf(!chromiumAvailable())('who may open and change a board', () => {
  let e2e: E2E;
  let fran: Page;
  let bo: Page;
  let cy: Page;
  let cyContext: BrowserContext;
  let boardId = '';
  let editLink = '';

  beforeAll(async () => {
    e2e = await startE2E();
    // Three people, three browsers, each with a key of its own (from POST /api/keys on first visit).
    fran = (await e2e.newPerson({ name: 'Fran', key: null })).page;
    bo = (await e2e.newPerson({ name: 'Bo', key: null })).page;
    ({ page: cy, context: cyContext } = await e2e.newPerson({ name: 'Cy', key: null }));
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('the facilitator shares View only and Can edit; the edits of one reach the other live, and the viewer changes nothing', async () => {
    await fran.goto('/');
    await fran.getByTestId('new-board-title').fill('Benefits – access');
    await fran.getByTestId('create-board').click();
    await waitForText(fran, 'connection-status', 'Live');
    boardId = new URL(fran.url()).pathname.split('/')[2];
    expect(await fran.getByTestId('access-badge').count()).toBe(0);

    await fran.getByTestId('share-menu').click();
    const viewLink = await shareLink(fran, 'view');
    editLink = await shareLink(fran, 'edit');
    expect(viewLink).not.toBe(editLink);
    await fran.getByTestId('show-qr-view').click();
    await fran.getByTestId('qr-dialog').getByTestId('qr-code').waitFor();
    await shot(fran, 'qr-code');
    await fran.keyboard.press('Escape');
    await fran.getByTestId('qr-dialog').waitFor({ state: 'detached' });
    await shot(fran, 'share-menu');
    await fran.keyboard.press('Escape');

    // Bo opens the View only link, Cy the Can edit one: each lands on the board, the link gone from the address.
    await bo.goto(viewLink);
    await waitForText(bo, 'connection-status', 'Live', 'Bo live');
    expect(new URL(bo.url()).pathname).toBe(`/b/${boardId}`);
    await waitForText(bo, 'access-badge', 'View only');
    expect(await bo.locator('.palette').count()).toBe(0);
    await cy.goto(editLink);
    await waitForText(cy, 'connection-status', 'Live', 'Cy live');
    expect(await cy.getByTestId('access-badge').count()).toBe(0);
    await cy.locator('.palette').waitFor();

    await addStep(cy, 'Check the claim');
    await waitForLabels(bo, ['Check the claim'], 'Bo sees Cy’s step');
    await waitForLabels(fran, ['Check the claim'], 'Fran sees Cy’s step');

    // Bo's keys, a double-click and the inspector change nothing.
    const step = bo.locator('[data-testid="step-node"]').first();
    await step.click();
    await bo.keyboard.press('Delete');
    await bo.keyboard.press('s');
    await bo.keyboard.press('Enter');
    await step.dblclick();
    expect(await bo.getByTestId('inline-editor').count()).toBe(0);
    await bo.getByTestId('inspector-read-only').waitFor();
    expect(await bo.getByTestId('inspector').locator('input:enabled, select:enabled, textarea:enabled').count()).toBe(
      0,
    );
    await bo.keyboard.press('Control+z');
    await shot(bo, 'view-only');
    // A change made behind the screens' back is dropped by the server: nobody else ever sees it.
    await bo.evaluate(`window.__purposeboard.doc.getMap('meta').set('title', 'Changed by a viewer')`);
    await cy.keyboard.press('Escape');
    await addStep(cy, 'Decide');
    await waitForLabels(bo, ['Check the claim', 'Decide'], 'Bo sees Cy’s second step');
    expect(await stepLabels(fran)).toEqual(['Check the claim', 'Decide']);
    expect(await text(fran, 'board-title')).toBe('Benefits – access');
    expect(await text(cy, 'board-title')).toBe('Benefits – access');

    // Bo's Share shows who can share, and Bo's board list shows the board with Bo's role.
    await bo.getByTestId('share-menu').click();
    await bo.getByTestId('share-not-facilitator').waitFor();
    await shot(bo, 'share-not-facilitator');
    await bo.keyboard.press('Escape');

    // Bad input: the board's address without a link lets no one in, and says how to get in.
    const outsider = (await e2e.newPerson({ name: 'Dee', key: null })).page;
    await outsider.goto(`/b/${boardId}`);
    await waitForText(
      outsider,
      'access-ended-message',
      'You are not a member of this board. Ask the facilitator for a link.',
    );
    expect(await text(outsider, 'access-ended')).toContain('You are not on this board');
    expect(await outsider.locator('[data-testid="step-node"]').count()).toBe(0);
    await outsider.goto('/join/not-a-real-link');
    await outsider.getByTestId('join-failed').waitFor();
    await shot(outsider, 'join-failed');
    await outsider.context().close();
  });

  test('the facilitator sees who is on the board, locks it and unlocks it, and Cy sees both', async () => {
    await fran.getByTestId('share-menu').click();
    await fran.getByTestId('open-members').click();
    const rows = fran.getByTestId('member-row');
    await waitFor(
      async () => (await rows.count()) === 3,
      SEEN_WITHIN_MS,
      () => 'three members listed',
    );
    const names = await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-name')));
    expect(names.sort()).toEqual(['Bo', 'Cy', 'Fran']);
    await shot(fran, 'members');
    // Bad input: the last facilitator cannot step down; the server says so and the list stays.
    const self = fran.locator('[data-testid="member-row"][data-name="Fran"]');
    await self.getByTestId('member-role').selectOption('viewer');
    await fran.getByTestId('members-error').waitFor();
    expect(await self.getByTestId('member-role').inputValue()).toBe('facilitator');
    await fran.keyboard.press('Escape');
    await fran.getByTestId('members-dialog').waitFor({ state: 'detached' });

    await fran.getByTestId('share-menu').click();
    await fran.getByTestId('toggle-lock').click();
    await waitForText(cy, 'access-badge', 'Locked by Fran', 'Cy sees the lock');
    // Bo, a viewer, stays View only: the lock is news to those it stops.
    await bo.getByTestId('share-menu').click();
    await waitForText(
      bo,
      'share-lock-state',
      'Locked by Fran: only the facilitator can change it.',
      'Bo sees the lock',
    );
    await bo.keyboard.press('Escape');
    expect(await text(bo, 'access-badge')).toBe('View only');
    expect(await cy.locator('.palette').count()).toBe(0);
    await cy.keyboard.press('s');
    await shot(cy, 'locked');
    expect(await stepLabels(cy)).toEqual(['Check the claim', 'Decide']);
    // The facilitator still edits a locked board.
    await addStep(fran, 'Pay');
    await waitForLabels(cy, ['Check the claim', 'Decide', 'Pay'], 'Cy sees Fran’s step on the locked board');

    await fran.getByTestId('share-menu').click();
    await fran.getByTestId('toggle-lock').click();
    await waitFor(
      async () => (await cy.getByTestId('access-badge').count()) === 0,
      SEEN_WITHIN_MS,
      () => 'unlocked',
    );
    await cy.locator('.palette').waitFor();
    await shot(cy, 'unlocked');
    await addStep(cy, 'Tell the customer');
    await waitForLabels(fran, ['Check the claim', 'Decide', 'Pay', 'Tell the customer'], 'Fran sees Cy again');
  });

  test('turning off the edit link ends Cy’s access; Cy’s offline edit comes back as a download, and a reload shows no board', async () => {
    await cyContext.setOffline(true);
    await waitForText(cy, 'connection-status', 'Offline — changes kept on this device', 'Cy offline');
    await addStep(cy, 'Made offline by Cy');

    await fran.getByTestId('share-menu').click();
    await fran.getByTestId('turn-off-edit').click();
    await fran.getByTestId('confirm').click();
    let newEdit = '';
    await waitFor(
      async () => (newEdit = await fran.getByTestId('share-url-edit').inputValue()) !== editLink,
      SEEN_WITHIN_MS,
      () => 'a new edit link',
    );
    expect(newEdit).toContain('/join/');
    await fran.keyboard.press('Escape');

    await cyContext.setOffline(false);
    await waitForText(
      cy,
      'access-ended-message',
      'The facilitator turned off the link you joined with — ask them for a new one.',
      'Cy’s notice',
    );
    await shot(cy, 'access-ended');
    const [download] = await Promise.all([cy.waitForEvent('download'), cy.getByTestId('download-unsent').click()]);
    const file = fs.readFileSync(await download.path(), 'utf8');
    expect(file).toContain('Made offline by Cy');
    expect(JSON.parse(file).format).toBe('purposeboard');
    // The edit never reached the board.
    await addStep(fran, 'After the link was turned off');
    await waitForLabels(
      bo,
      ['After the link was turned off', 'Check the claim', 'Decide', 'Pay', 'Tell the customer'],
      'Bo',
    );
    expect(await stepLabels(fran)).not.toContain('Made offline by Cy');

    // The device copy is gone, and a reload shows Cy no board.
    await waitFor(
      async () =>
        !(await cy.evaluate<string[]>(`indexedDB.databases().then((list) => list.map((d) => d.name))`)).includes(
          `purposeboard-board-${boardId}`,
        ),
      SEEN_WITHIN_MS,
      () => 'Cy’s device copy to be deleted',
    );
    await cy.reload();
    await cy.getByTestId('access-ended').waitFor({ timeout: SEEN_WITHIN_MS });
    expect(await cy.locator('[data-testid="step-node"]').count()).toBe(0);
    await cy.getByTestId('back-to-list').click();
    await cy.getByTestId('join-form').waitFor();
    await waitFor(
      async () => (await cy.getByText('Loading boards…').count()) === 0,
      SEEN_WITHIN_MS,
      () => 'list',
    );
    expect(await cy.locator(`[data-board-id="${boardId}"]`).count()).toBe(0);

    // Bad input: the old link, and something that is not a link, are refused in plain words.
    await cy.getByTestId('join-link').fill(editLink);
    await cy.getByTestId('join-open').click();
    await cy.getByTestId('join-error').waitFor();
    expect(await text(cy, 'join-error')).not.toBe('');
    expect(new URL(cy.url()).pathname).toBe('/');
    await cy.getByTestId('join-link').fill('   ');
    await cy.getByTestId('join-open').click();
    await waitForText(cy, 'join-error', 'Paste the link the facilitator shared first.');
    await shot(cy, 'join-refused', true);

    // With the new link Cy is back, and the board list then shows it with Cy's role.
    await cy.goto(newEdit);
    await waitForText(cy, 'connection-status', 'Live', 'Cy back');
    await cy.goto('/');
    const row = cy.locator(`[data-testid="board-row"][data-board-id="${boardId}"]`);
    await row.waitFor();
    expect((await row.getByTestId('board-row-role').textContent())?.trim()).toBe('Can edit');
    await shot(cy, 'board-list', true);
  });
});
