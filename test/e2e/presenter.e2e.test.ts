/**
 * Presenter mode end to end (issue 15): the facilitator presents the housing
 * repairs board section by section in one browser (the projector, 1280×720),
 * two people follow in theirs; one breaks away with a zoom of their own and
 * comes back; someone who opens the board later lands on the section at once;
 * a phone (390×844, touch) follows, votes and adds a note with the map in
 * view. PURPOSEBOARD_SHOTS=<dir> keeps screenshots at 1280×720 and 390×844.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api, newKey, waitFor } from '../helpers/server';
import { NAME_STORAGE_KEY } from '../../src/collab/presence';
import { PARTICIPANT_KEY_STORAGE, chromiumAvailable, startPresenting, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 15_000;
const SHOTS = process.env.PURPOSEBOARD_SHOTS;
const SECTIONS = [
  'Purpose and what matters',
  'Demand',
  'The flow',
  'Flow: Contact centre',
  'Flow: Repairs admin',
  'Flow: Supervisor',
  'Flow: Contractor',
  'System conditions',
  'Measures',
];

/** Until the view stops moving (a framing animates for 150 ms). */
async function settled(page: Page): Promise<void> {
  await waitFor(
    async () => {
      const before = await viewTransform(page);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return before === (await viewTransform(page));
    },
    SEEN_WITHIN_MS,
    'the view to settle',
  );
}

/** A screenshot at the page's size; `alsoPhone`: at 390×844 too (the page is put back after). */
async function shot(page: Page, name: string, alsoPhone = false): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}-${size.width}.png` });
  if (!alsoPhone) return;
  await page.setViewportSize({ width: 390, height: 844 });
  await settled(page);
  await page.screenshot({ path: `${SHOTS}/${name}-390.png` });
  await page.setViewportSize(size);
  await settled(page);
}

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitFor(
    async () => ((await page.getByTestId('connection-status').textContent()) ?? '').trim() === 'Live',
    SEEN_WITHIN_MS,
    'the board to be live',
  );
}

async function text(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId);
  return (await locator.count()) === 0 ? '' : ((await locator.first().textContent()) ?? '').trim();
}

/** The section a follower's banner names, e.g. "Demand (2 of 9)". */
async function followsAt(page: Page, words: string): Promise<void> {
  await waitFor(
    async () => (await text(page, 'presenter-follow-section')).startsWith(words),
    SEEN_WITHIN_MS,
    `a follower to be at "${words}"`,
  );
}

async function presenterAt(page: Page, title: string): Promise<void> {
  await waitFor(
    async () => (await text(page, 'presenter-title')) === title,
    SEEN_WITHIN_MS,
    `the presenter at ${title}`,
  );
}

async function viewTransform(page: Page): Promise<string> {
  return page.locator('.board-canvas .react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
}

/** The steps whose label is `label`: their box is on screen inside the canvas, and nothing covers their centre. */
async function cardInView(page: Page, label: string): Promise<boolean> {
  return page.evaluate((wanted) => {
    const canvas = document.querySelector('.board-canvas')!.getBoundingClientRect();
    const card = [...document.querySelectorAll('[data-testid="step-node"]')].find((el) =>
      el.textContent?.includes(wanted),
    );
    if (!card) return false;
    const box = card.getBoundingClientRect();
    const inside =
      box.left >= canvas.left - 1 &&
      box.right <= canvas.right + 1 &&
      box.top >= canvas.top - 1 &&
      box.bottom <= canvas.bottom + 1;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return inside && hit !== null && card.contains(hit);
  }, label);
}

let e2e: E2E;
let boardId: string;
let editorKey: string;

/** A phone on the board: 390×844, touch, as someone who scanned the QR code. */
async function phonePerson(key: string, name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e2e.browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
    baseURL: e2e.server.url,
  });
  await context.addInitScript(
    ([keyStorage, keyValue, nameStorage, nameValue]) => {
      try {
        if (!localStorage.getItem(keyStorage)) localStorage.setItem(keyStorage, keyValue);
        if (!localStorage.getItem(nameStorage)) localStorage.setItem(nameStorage, nameValue);
      } catch {
        // pages without storage
      }
    },
    [PARTICIPANT_KEY_STORAGE, key, NAME_STORAGE_KEY, name] as const,
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  return { context, page };
}

describe.skipIf(!chromiumAvailable())('presenter mode', () => {
  beforeAll(async () => {
    e2e = await startE2E();
    const response = await api(`${e2e.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Housing repairs – before', template: 'housing-repairs-before' }),
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

  test('the facilitator presents with the keys and buttons; two follow, one breaks away and comes back', async () => {
    const { page: presenter } = await e2e.newPerson({ name: 'Sam' });
    const { page: ana } = await e2e.newPerson({ name: 'Ana', key: editorKey });
    const { page: ben } = await e2e.newPerson({ name: 'Ben', key: editorKey });
    await Promise.all([openBoard(presenter, boardId), openBoard(ana, boardId), openBoard(ben, boardId)]);
    // Only the facilitator has the button (the server refuses anyone else: test/integration/presenter.test.ts).
    await ana.locator('[data-testid="comments-button"], [data-testid="tools-menu"]').first().waitFor();
    const anaTools = ana.getByTestId('tools-menu');
    await ((await anaTools.count()) > 0 ? anaTools : ana.getByTestId('comments-button')).click();
    await ana.locator('[data-testid="comments-list"], [role="menu"]').first().waitFor();
    expect(await ana.getByTestId('present-button').count()).toBe(0);
    await ana.keyboard.press('Escape');

    await startPresenting(presenter);
    await presenter.getByTestId('presenter-view').waitFor({ timeout: SEEN_WITHIN_MS });
    await presenterAt(presenter, SECTIONS[0]);
    // The chrome is hidden: no header, palette or analysis panel; the map has the whole screen.
    expect(await presenter.locator('.board-header').isVisible()).toBe(false);
    expect(await presenter.locator('.palette').isVisible()).toBe(false);
    expect(await presenter.locator('.right-panel').isVisible()).toBe(false);
    const canvas = (await presenter.locator('.board-canvas').boundingBox())!;
    expect(canvas.width).toBe(1280);
    expect(canvas.height).toBe(720);
    expect(await text(presenter, 'presenter-count')).toBe(`1 of ${SECTIONS.length}`);
    for (const page of [ana, ben]) await followsAt(page, `${SECTIONS[0]} (1 of ${SECTIONS.length})`);
    await shot(presenter, 'presenter-purpose', true);

    // → (the keyboard), then PageDown (what a clicker sends), then the on-screen button.
    await presenter.keyboard.press('ArrowRight');
    await presenterAt(presenter, 'Demand');
    await presenter.getByTestId('presenter-panel').locator('[data-testid="pareto-chart"]').waitFor();
    await followsAt(ana, 'Demand (2 of');
    await shot(presenter, 'presenter-demand', true);
    await shot(ana, 'follower-demand');
    await presenter.keyboard.press('PageDown');
    await presenterAt(presenter, 'The flow');
    await presenter.getByTestId('presenter-next').click();
    await presenterAt(presenter, 'Flow: Contact centre');
    // The lane's cards are framed on every screen, large: the projector's labels well above the 12 px bar.
    for (const page of [presenter, ana, ben]) {
      await followsAt(page === presenter ? ana : page, 'Flow: Contact centre');
      await waitFor(() => cardInView(page, 'Take repair call'), SEEN_WITHIN_MS, 'the lane framed');
    }
    const labelPx = await presenter.evaluate(() => {
      const label = [...document.querySelectorAll('[data-testid="step-label"]')].find((el) =>
        el.textContent?.includes('Take repair call'),
      )!;
      return label.getBoundingClientRect().height;
    });
    expect(labelPx).toBeGreaterThan(20);
    expect(await cardInView(presenter, 'Do the repair')).toBe(false);
    await shot(presenter, 'presenter-lane', true);

    // Ben breaks away with a zoom of his own; Ana keeps following.
    const benCanvas = (await ben.locator('.board-canvas').boundingBox())!;
    await ben.mouse.move(benCanvas.x + benCanvas.width / 2, benCanvas.y + benCanvas.height / 2);
    await ben.mouse.wheel(0, 400);
    await ben.getByTestId('presenter-away').waitFor({ timeout: SEEN_WITHIN_MS });
    await settled(ben);
    const benView = await viewTransform(ben);
    await presenter.keyboard.press('ArrowRight');
    await presenterAt(presenter, 'Flow: Repairs admin');
    await followsAt(ana, 'Flow: Repairs admin');
    await waitFor(() => cardInView(ana, 'Raise works order'), SEEN_WITHIN_MS, 'Ana to see the next lane');
    // Ben is told where the presenter is, and his view stays his own.
    await waitFor(
      async () => (await text(ben, 'presenter-away')).includes('Flow: Repairs admin'),
      SEEN_WITHIN_MS,
      'Ben to be told where the presenter is',
    );
    expect(await viewTransform(ben)).toBe(benView);
    await shot(ben, 'follower-away');
    await ben.getByTestId('presenter-back').click();
    await followsAt(ben, 'Flow: Repairs admin');
    await waitFor(() => cardInView(ben, 'Raise works order'), SEEN_WITHIN_MS, 'Ben back on the section');

    // Someone who opens the board now lands on the section at once.
    const { page: late } = await e2e.newPerson({ name: 'Lee', key: editorKey });
    await openBoard(late, boardId);
    await followsAt(late, 'Flow: Repairs admin');
    await waitFor(() => cardInView(late, 'Raise works order'), SEEN_WITHIN_MS, 'the late joiner framed');

    // ← goes back; Esc on a follower's screen breaks away too.
    await presenter.keyboard.press('ArrowLeft');
    await presenterAt(presenter, 'Flow: Contact centre');
    await followsAt(ana, 'Flow: Contact centre');
    await late.keyboard.press('Escape');
    await late.getByTestId('presenter-away').waitFor({ timeout: SEEN_WITHIN_MS });

    // Hide a section and move another: the room's count follows, the order is the facilitator's.
    await presenter.getByTestId('presenter-sections-button').click();
    // The box shows the room's arrangement, so it unticks once the server has taken the change.
    await presenter.getByTestId('presenter-show-demand').click();
    await waitFor(
      async () => !(await presenter.getByTestId('presenter-show-demand').isChecked()),
      SEEN_WITHIN_MS,
      'the demand section hidden',
    );
    await waitFor(
      async () => (await text(presenter, 'presenter-count')) === `3 of ${SECTIONS.length - 1}`,
      SEEN_WITHIN_MS,
      'the demand section hidden',
    );
    await followsAt(ana, `Flow: Contact centre (3 of ${SECTIONS.length - 1})`);
    await shot(presenter, 'presenter-sections');
    await presenter.keyboard.press('Escape'); // closes the menu, not the presentation
    await presenter.getByTestId('presenter-sections').waitFor({ state: 'detached' });
    await presenter.keyboard.press('End');
    await presenterAt(presenter, 'Measures');
    await presenter.getByTestId('presenter-measure-failureDemandPct').waitFor();
    expect(await text(presenter, 'presenter-measure-failureDemandPct')).toBe('55%');
    await followsAt(ana, 'Measures');
    await shot(presenter, 'presenter-measures', true);
    expect(await presenter.getByTestId('presenter-next').isDisabled()).toBe(true);

    // Esc ends it: the chrome is back here, and the others' banners go.
    await presenter.keyboard.press('Escape');
    await presenter.getByTestId('presenter-view').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
    await presenter.locator('.board-header').waitFor({ state: 'visible' });
    for (const page of [ana, ben, late]) {
      await page.getByTestId('presenter-following').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
      await page.getByTestId('presenter-away').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
    }
  }, 240_000);

  test('a phone follows the presenter, votes on a card of the section and adds a note, with the map in view', async () => {
    const { page: presenter } = await e2e.newPerson({ name: 'Sam' });
    await openBoard(presenter, boardId);
    await startPresenting(presenter);
    await presenterAt(presenter, SECTIONS[0]);
    // To the contractor's lane, where "Order parts, book return visit" is a waste step.
    await waitFor(
      async () => {
        if ((await text(presenter, 'presenter-title')) === 'Flow: Contractor') return true;
        await presenter.keyboard.press('ArrowRight');
        await new Promise((resolve) => setTimeout(resolve, 200));
        return false;
      },
      SEEN_WITHIN_MS,
      'the presenter at the contractor lane',
    );
    // The presenter starts a dot vote on waste steps without leaving the presenter view: its top bar has the room menu.
    const top = presenter.locator('.presenter-top');
    await top.getByTestId('comments-button').click();
    await top.getByTestId('start-vote').click();
    await top.getByTestId('vote-question').fill('Which waste first?');
    await top.getByTestId('vote-kind').selectOption('waste');
    await top.getByTestId('vote-dots-per-person').fill('1');
    await top.getByTestId('vote-start').click();
    await presenter.getByTestId('vote-bar').waitFor({ timeout: SEEN_WITHIN_MS });
    // Still presenting, at the same section.
    await presenterAt(presenter, 'Flow: Contractor');

    const { page: phone } = await phonePerson(editorKey, 'Pat');
    await openBoard(phone, boardId);
    await followsAt(phone, 'Flow: Contractor');
    await waitFor(() => cardInView(phone, 'Order parts, book return visit'), SEEN_WITHIN_MS, 'the lane on the phone');
    await phone.getByTestId('vote-bar').waitFor({ timeout: SEEN_WITHIN_MS });
    const card = phone.locator('[data-testid="step-node"]').filter({ hasText: 'Order parts, book return visit' });
    await card.tap();
    await waitFor(
      async () => (await text(phone, 'vote-left')).includes('0 of 1 left'),
      SEEN_WITHIN_MS,
      'the phone to have placed its dot',
    );
    // A note from the palette lands in view; the phone still follows.
    const notesBefore = 0; // the example has no notes
    await phone.getByTestId('add-note').tap();
    await waitFor(
      async () => (await phone.getByTestId('note-node').count()) > 0,
      SEEN_WITHIN_MS,
      'the note on the phone',
    );
    await waitFor(
      async () =>
        (await presenter.evaluate(() => {
          const nodes = window.__purposeboard?.doc.getMap('nodes');
          return [...(nodes?.values() ?? [])].filter((n) => (n as { get(k: string): unknown }).get('kind') === 'note')
            .length;
        })) > notesBefore,
      SEEN_WITHIN_MS,
      'the note to reach the presenter',
    );
    await phone.getByTestId('presenter-following').waitFor();
    await waitFor(() => cardInView(phone, 'Do the repair'), SEEN_WITHIN_MS, 'the map still in view on the phone');
    await shot(phone, 'phone-following');
    await shot(presenter, 'presenter-vote');
    await presenter.getByTestId('vote-end').click();
    await phone.getByTestId('vote-bar').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
    await presenter.getByTestId('presenter-stop').click();
    await phone.getByTestId('presenter-following').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
  }, 240_000);

  test('on an after board the presentation closes with the comparison', async () => {
    const response = await api(`${e2e.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Housing repairs – before', template: 'housing-repairs-before', pair: true }),
    });
    const after = ((await response.json()) as { after: { id: string } }).after.id;
    const { page } = await e2e.newPerson({ name: 'Sam' });
    await openBoard(page, after);
    await startPresenting(page);
    await page.getByTestId('presenter-view').waitFor({ timeout: SEEN_WITHIN_MS });
    await page.keyboard.press('End');
    await presenterAt(page, 'Before and after');
    await page.getByTestId('presenter-headline').waitFor({ timeout: SEEN_WITHIN_MS });
    // The comparison's own headline: the largest changes in words, the end-to-end time among them.
    expect(await page.getByTestId('presenter-headline').textContent()).toContain('End-to-end');
    await shot(page, 'presenter-compare', true);
    await page.keyboard.press('Escape');
    await page.getByTestId('presenter-view').waitFor({ state: 'detached', timeout: SEEN_WITHIN_MS });
  }, 120_000);
});
