/**
 * Before and after in Chromium: "Start the redesign" from the housing-repairs
 * example, steps removed and a lane changed on the after board through the
 * board's own UI, then the comparison: the removed and changed steps are
 * marked on the maps, the measures table says what /api/compare says, and
 * the two maps pan together until they are unlinked. Versions: save, open
 * read-only (nothing can be changed), restore as a new board. The board list
 * shows the pair; an unknown board gives a clear message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { api as authFetch, createBoard, waitFor } from '../helpers/server';
import type { Comparison } from '../../src/model';
import { formatChange, formatChangePct, formatValue, verdictText } from '../../src/export/compare-text';
import { formatPct } from '../../src/export/format';
import { chromiumAvailable, startE2E, type E2E } from './helpers';

const SEEN_WITHIN_MS = 10_000;
/** Set to a folder to keep screenshots of the screens (for a person to look at). */
const SHOTS = process.env.E2E_SCREENSHOTS ?? '';

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function waitForLive(page: Page): Promise<void> {
  await waitFor(
    async () => (await textOf(page.getByTestId('connection-status'))).includes('Live'),
    SEEN_WITHIN_MS,
    'the board to be live',
  );
}

function boardIdOf(page: Page): string {
  const match = /^\/b\/([^/]+)$/.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`not on a board: ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/** The viewport transform of one map ("translate(x, y) scale(z)"). */
async function transformOf(page: Page, map: string): Promise<string> {
  return page
    .locator(`[data-testid="${map}"] .react-flow__viewport`)
    .evaluate((el) => (el as HTMLElement).style.transform);
}

/** A point on a map's empty background (where a drag pans), found by asking the page what is under it. */
async function emptyPointOf(page: Page, map: string): Promise<{ x: number; y: number }> {
  // Only what is on screen can be found by its point (the table may have been scrolled to).
  await page.getByTestId(map).scrollIntoViewIfNeeded();
  const box = await page.getByTestId(map).boundingBox();
  if (!box) throw new Error(`${map} is not on screen`);
  const found = (await page.evaluate(`(() => {
    const box = ${JSON.stringify(box)};
    for (let fy = 0.9; fy > 0.1; fy -= 0.05) {
      for (let fx = 0.9; fx > 0.1; fx -= 0.05) {
        const x = box.x + box.width * fx, y = box.y + box.height * fy;
        const el = document.elementFromPoint(x, y);
        if (el && el.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  })()`)) as { x: number; y: number } | null;
  if (!found) throw new Error(`no empty background on ${map}`);
  return found;
}

async function drag(page: Page, from: { x: number; y: number }, by: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + by.x / 2, from.y + by.y / 2, { steps: 4 });
  await page.mouse.move(from.x + by.x, from.y + by.y, { steps: 4 });
  await page.mouse.up();
}

describe.skipIf(!chromiumAvailable())('before and after in the browser', () => {
  let e2e: E2E;
  let beforeId = '';
  let afterId = '';

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  async function api<T>(pathname: string, init?: RequestInit): Promise<T> {
    const response = await authFetch(`${e2e.server.url}${pathname}`, init);
    if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  test('start the redesign, change the after board, compare: marks, figures and linked maps', async () => {
    ({ id: beforeId } = await api<{ id: string }>('/api/boards', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Repairs', template: 'housing-repairs-before' }),
    }));
    const { page } = await e2e.newPerson({ name: 'Sam Taylor' });
    await page.goto(`/b/${beforeId}`);
    await waitForLive(page);

    // The menu is in the header; "Start the redesign" says what it does and opens the new board.
    await page.getByTestId('before-after-menu').click();
    await shot(page, 'menu-before-board');
    expect(await textOf(page.getByTestId('start-redesign'))).toMatch(/linked “after” copy/);
    await page.getByTestId('start-redesign').click();
    await waitFor(
      () => /^\/b\/[^/]+$/.test(new URL(page.url()).pathname) && boardIdOf(page) !== beforeId,
      SEEN_WITHIN_MS,
      'the after board to open',
    );
    afterId = boardIdOf(page);
    await waitForLive(page);
    await waitFor(
      async () => (await textOf(page.getByTestId('board-title'))) === 'Repairs – after',
      SEEN_WITHIN_MS,
      'the after title',
    );
    // The notice says where the person has landed, with the comparison one click away; closed, it is gone.
    const notice = page.getByTestId('redesign-notice');
    await notice.waitFor();
    expect(await textOf(notice)).toMatch(
      /^This is the after board — a copy of ‘Repairs’\. The before board is unchanged\.\s*Compare now/,
    );
    expect(await page.getByTestId('redesign-compare-now').getAttribute('href')).toBe(
      `/compare?before=${beforeId}&after=${afterId}`,
    );
    await shot(page, 'redesign-landing');
    await page.getByTestId('redesign-notice-close').click();
    await waitFor(async () => (await notice.count()) === 0, SEEN_WITHIN_MS, 'the notice to close');

    // On the after board: delete two steps (select, Delete) and move a third into another lane (inspector).
    const stepNodes = page.getByTestId('step-node');
    await waitFor(async () => (await stepNodes.count()) >= 4, SEEN_WITHIN_MS, 'the steps on screen');
    const steps = await stepNodes.evaluateAll((els) =>
      els.map((el) => ({
        id: el.getAttribute('data-id') ?? '',
        label: el.querySelector('[data-testid="step-label"]')?.textContent ?? '',
      })),
    );
    const removed = [steps[1], steps[2]];
    const relaned = steps[3];
    for (const gone of removed) {
      await page.locator(`[data-testid="step-node"][data-id="${gone.id}"] [data-testid="step-label"]`).click();
      await page.keyboard.press('Delete');
      await waitFor(
        async () => (await page.locator(`[data-testid="step-node"][data-id="${gone.id}"]`).count()) === 0,
        SEEN_WITHIN_MS,
        `“${gone.label}” deleted`,
      );
    }
    await page.locator(`[data-testid="step-node"][data-id="${relaned.id}"] [data-testid="step-label"]`).click();
    const laneField = page.getByTestId('field-lane');
    await laneField.waitFor();
    const current = await laneField.inputValue();
    const other = await laneField
      .locator('option')
      .evaluateAll(
        (options, current) => options.map((o) => (o as HTMLOptionElement).value).find((v) => v !== '' && v !== current),
        current,
      );
    expect(other).toBeTruthy();
    await laneField.selectOption(other as string);

    // The server sees the changes (saved) before the comparison is asked for.
    await waitFor(
      async () => {
        const c = await api<Comparison>(`/api/compare?before=${beforeId}&after=${afterId}`);
        return c.steps.removed.length === 2 && c.steps.changed.some((s) => s.afterId === relaned.id);
      },
      SEEN_WITHIN_MS,
      'the changes to reach the server',
    );

    // "Compare with before" on the after board.
    await page.getByTestId('before-after-menu').click();
    await page.getByTestId('after-of').waitFor();
    await shot(page, 'menu-after-board');
    await page.getByTestId('compare-with-before').click();
    await page.getByTestId('compare-screen').waitFor();
    const comparison = await api<Comparison>(`/api/compare?before=${beforeId}&after=${afterId}`);

    // Removed steps marked on the before map, the changed step on both maps.
    const before = page.getByTestId('compare-map-before');
    const after = page.getByTestId('compare-map-after');
    await waitFor(
      async () => (await before.locator('.react-flow__node.compare-removed').count()) === 2,
      SEEN_WITHIN_MS,
      'removed marks',
    );
    const marked = await before
      .locator('.react-flow__node.compare-removed')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
    expect(marked.sort()).toEqual(removed.map((s) => s.id).sort());
    expect(comparison.steps.removed.map((s) => s.id).sort()).toEqual(removed.map((s) => s.id).sort());
    expect(await before.locator(`.react-flow__node.compare-changed[data-id="${relaned.id}"]`).count()).toBe(1);
    expect(await after.locator(`.react-flow__node.compare-changed[data-id="${relaned.id}"]`).count()).toBe(1);
    expect(await after.locator(`.react-flow__node[data-id="${removed[0].id}"]`).count()).toBe(0);
    const laneChange = page.locator(`[data-testid="changed-step"][data-id="${relaned.id}"] [data-field="lane"]`);
    expect(await textOf(laneChange)).toMatch(/^lane: .+ → .+$/);
    expect(await page.getByTestId('removed-step').count()).toBe(2);

    // Every row of the measures table says what the API says; rows unchanged at 0 on both sides are folded.
    const rows = page.getByTestId('measure-row');
    const zeros = comparison.measures.filter((m) => m.change === 0 && m.before === 0 && m.after === 0);
    expect(zeros.length).toBeGreaterThan(0);
    expect(await rows.count()).toBe(comparison.measures.length - zeros.length);
    expect(await textOf(page.getByTestId('unfold-measures'))).toBe(`${zeros.length} more measures unchanged ▸`);
    await page.getByTestId('unfold-measures').click();
    expect(await rows.count()).toBe(comparison.measures.length);
    for (const measure of comparison.measures) {
      const row = page.locator(`[data-testid="measure-row"][data-key="${measure.key}"]`);
      expect(await textOf(row.getByTestId('measure-before'))).toBe(formatValue(measure.unit, measure.before));
      expect(await textOf(row.getByTestId('measure-after'))).toBe(formatValue(measure.unit, measure.after));
      expect(await textOf(row.getByTestId('measure-change'))).toBe(formatChange(measure.unit, measure.change));
      expect(await textOf(row.getByTestId('measure-change-pct'))).toBe(formatChangePct(measure.changePct));
      expect(await textOf(row.getByTestId('measure-verdict'))).toBe(verdictText(measure.verdict));
      expect(await row.getAttribute('class')).toBe(`verdict-${measure.verdict}`);
    }
    // Two steps fewer is a new figure, not the before board's.
    const stepRow = comparison.measures.find((m) => m.before !== null && m.after !== null && m.before - m.after === 2);
    expect(stepRow).toBeDefined();
    await shot(page, 'comparison');
    if (SHOTS) {
      // The whole page at once: a tall window for the picture only.
      await page.setViewportSize({ width: 1280, height: 2000 });
      await shot(page, 'comparison-details');
      await page.setViewportSize({ width: 1280, height: 720 });
    }

    // Panning one map pans the other; unlinked, it does not.
    await waitFor(
      async () => (await transformOf(page, 'compare-map-before')) === (await transformOf(page, 'compare-map-after')),
      SEEN_WITHIN_MS,
      'the maps to start in step',
    );
    const start = await transformOf(page, 'compare-map-after');
    await drag(page, await emptyPointOf(page, 'compare-map-before'), { x: 90, y: 40 });
    await waitFor(
      async () => (await transformOf(page, 'compare-map-after')) !== start,
      SEEN_WITHIN_MS,
      'the after map to follow',
    );
    expect(await transformOf(page, 'compare-map-after')).toBe(await transformOf(page, 'compare-map-before'));
    // ...and the other way round.
    await drag(page, await emptyPointOf(page, 'compare-map-after'), { x: -50, y: 30 });
    await waitFor(
      async () => (await transformOf(page, 'compare-map-before')) === (await transformOf(page, 'compare-map-after')),
      SEEN_WITHIN_MS,
      'the before map to follow',
    );

    await page.getByTestId('link-views').uncheck();
    const afterUnlinked = await transformOf(page, 'compare-map-after');
    const beforeUnlinked = await transformOf(page, 'compare-map-before');
    await drag(page, await emptyPointOf(page, 'compare-map-before'), { x: 70, y: -30 });
    await waitFor(
      async () => (await transformOf(page, 'compare-map-before')) !== beforeUnlinked,
      SEEN_WITHIN_MS,
      'the before map to pan',
    );
    expect(await transformOf(page, 'compare-map-after')).toBe(afterUnlinked);

    // One above the other: each map takes the whole width, and the board is fitted larger.
    await page.getByTestId('link-views').check();
    const sideZoom = await transformOf(page, 'compare-map-before');
    await page.getByTestId('stack-maps').click();
    await waitFor(
      async () => ((await page.getByTestId('compare-map-after').boundingBox())?.width ?? 0) > 1000,
      SEEN_WITHIN_MS,
      'the maps one above the other',
    );
    const zoomOf = (transform: string) => Number(/scale\(([\d.]+)\)/.exec(transform)?.[1]);
    await waitFor(
      async () => zoomOf(await transformOf(page, 'compare-map-before')) > zoomOf(sideZoom),
      SEEN_WITHIN_MS,
      'a larger fit',
    );
    await shot(page, 'comparison-stacked');
  });

  test('save a version, open it read-only, restore it as a new board', async () => {
    const { page } = await e2e.newPerson({ name: 'Sam Taylor' });
    await page.goto(`/b/${beforeId}`);
    await waitForLive(page);
    await page.getByTestId('before-after-menu').click();
    await page.getByTestId('save-version').click();
    // Bad input: no name is refused in place, and nothing is saved.
    await page.getByTestId('save-version-confirm').click();
    expect(await textOf(page.getByTestId('save-version-error'))).toMatch(/name/);
    expect(await api<unknown[]>(`/api/boards/${beforeId}/versions`)).toEqual([]);
    expect(await page.getByTestId('version-saved-by').inputValue()).toBe('Sam Taylor');
    await page.getByTestId('version-name').fill('Before – workshop 1');
    await shot(page, 'save-version-dialog');
    await page.getByTestId('save-version-confirm').click();
    await page.getByTestId('save-version-dialog').waitFor({ state: 'detached' });
    const [version] = await api<Array<{ id: string; name: string; savedBy: string }>>(
      `/api/boards/${beforeId}/versions`,
    );
    expect(version).toMatchObject({ name: 'Before – workshop 1', savedBy: 'Sam Taylor' });

    await page.getByTestId('before-after-menu').click();
    const row = page.locator(`[data-testid="version-row"][data-version-id="${version.id}"]`);
    expect(await textOf(row)).toMatch(/Before – workshop 1.*Sam Taylor/);
    await shot(page, 'menu-with-version');
    await row.getByTestId('open-version').click();

    await page.getByTestId('version-banner').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/b/${beforeId}/v/${version.id}`);
    expect(await textOf(page.getByTestId('version-banner'))).toMatch(
      /Version “Before – workshop 1” saved by Sam Taylor on .+ — read-only/,
    );
    const stepsShown = page.locator('[data-testid="version-map"] [data-testid="step-node"]');
    await waitFor(async () => (await stepsShown.count()) > 0, SEEN_WITHIN_MS, 'the version map');
    const count = await stepsShown.count();
    await shot(page, 'version-view');

    // Nothing can be changed: a click selects nothing, Delete removes nothing, a double-click edits nothing, lanes have no controls.
    const first = stepsShown.first();
    await first.click({ force: true });
    await page.keyboard.press('Delete');
    await first.dblclick({ force: true });
    expect(await page.locator('[data-testid="version-map"] .react-flow__node.selected').count()).toBe(0);
    expect(await page.locator('[data-testid="version-map"] input, [data-testid="version-map"] textarea').count()).toBe(
      0,
    );
    expect(await stepsShown.count()).toBe(count);
    expect(await page.locator('[data-testid="version-map"] [data-testid="lane-remove"]').first().isVisible()).toBe(
      false,
    );

    // The version against the live board: the comparison names the version.
    await page.getByTestId('compare-version-with-live').click();
    await page.getByTestId('compare-screen').waitFor();
    expect(await textOf(page.getByTestId('compare-before-title'))).toBe(
      'before Repairs — version “Before – workshop 1”',
    );
    expect(await textOf(page.getByTestId('compare-after-title'))).toBe('after Repairs');
    await page.goBack();
    await page.getByTestId('version-banner').waitFor();

    await page.getByTestId('restore-version').click();
    await waitFor(
      () => /^\/b\/[^/]+$/.test(new URL(page.url()).pathname),
      SEEN_WITHIN_MS,
      'the restored board to open',
    );
    const restoredId = boardIdOf(page);
    expect(restoredId).not.toBe(beforeId);
    await waitForLive(page);
    await waitFor(
      async () => (await textOf(page.getByTestId('board-title'))) === 'Before – workshop 1 (restored)',
      SEEN_WITHIN_MS,
      'the restored title',
    );
    await waitFor(
      async () => (await page.getByTestId('step-node').count()) === count,
      SEEN_WITHIN_MS,
      'the restored steps',
    );
  });

  test('the board list shows the pair, with Compare', async () => {
    const { page } = await e2e.newPerson();
    await page.goto('/');
    const pair = page.locator(`[data-testid="board-pair"][data-board-id="${beforeId}"]`);
    await pair.waitFor();
    const afterRow = pair.locator(`[data-testid="board-row"][data-board-id="${afterId}"]`);
    expect(await textOf(afterRow.getByTestId('after-tag'))).toBe('after');
    expect(await afterRow.getByTestId('compare-pair').getAttribute('href')).toBe(
      `/compare?before=${beforeId}&after=${afterId}`,
    );
    // The after board is listed once, inside its pair.
    expect(await page.locator(`[data-testid="board-row"][data-board-id="${afterId}"]`).count()).toBe(1);
    await pair.scrollIntoViewIfNeeded();
    await shot(page, 'board-list-pair');
    await afterRow.getByTestId('compare-pair').click();
    await page.getByTestId('compare-screen').waitFor();
  });

  test('an unknown board gives a clear message, and /compare alone offers a choice', async () => {
    const { page } = await e2e.newPerson();
    await page.goto('/compare?before=nope&after=nope');
    await page.getByTestId('compare-not-found').waitFor();
    expect(await textOf(page.getByTestId('compare-not-found'))).toMatch(/nope/);
    expect(await page.getByTestId('back-to-list').getAttribute('href')).toBe('/');
    await shot(page, 'compare-not-found');

    await page.goto(`/b/${beforeId}/v/nope`);
    await page.getByTestId('version-not-found').waitFor();

    // Two boards with no steps: the table, every figure "—" or nought, and no crash.
    const empty = async (title: string) =>
      (
        await api<{ id: string }>('/api/boards', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ title }),
        })
      ).id;
    const [e1, e2] = [await empty('Empty one'), await empty('Empty two')];
    const nothing = await api<Comparison>(`/api/compare?before=${e1}&after=${e2}`);
    await page.goto(`/compare?before=${e1}&after=${e2}`);
    await page.getByTestId('measures-table').waitFor();
    // Nothing changed: an empty headline that says so, and every row unchanged at 0 folded away until asked for.
    expect(await textOf(page.getByTestId('compare-headline'))).toMatch(/^No measure changed/);
    const shown = await page.getByTestId('measure-row').count();
    await page.getByTestId('unfold-measures').click();
    expect(shown).toBeLessThan(nothing.measures.length);
    expect(await page.getByTestId('measure-row').count()).toBe(nothing.measures.length);
    const lead = page.locator('[data-testid="measure-row"][data-key="endToEndLeadTime"]');
    expect(await textOf(lead.getByTestId('measure-before'))).toBe('—');
    expect(await textOf(lead.getByTestId('measure-change-pct'))).toBe('—');
    expect(await page.getByTestId('panel-crashed').count()).toBe(0);

    await page.goto(`/compare?before=${beforeId}`);
    await page.getByTestId('compare-chooser').waitFor();
    // The before board's redesign is offered as the after side.
    await waitFor(
      async () => (await page.getByTestId('choose-after-board').inputValue()) === afterId,
      SEEN_WITHIN_MS,
      'the after board preselected',
    );
    expect(await page.getByTestId('choose-before-board').inputValue()).toBe(beforeId);
    await shot(page, 'compare-chooser');
    await page.getByTestId('compare-go').click();
    await page.getByTestId('compare-screen').waitFor();
    expect(new URL(page.url()).search).toBe(`?before=${beforeId}&after=${afterId}`);
  });

  test('two boards with no step ids in common are matched by label, and the view says so', async () => {
    const create = (title: string, template: string) =>
      api<{ id: string }>('/api/boards', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title, template }),
      });
    // Each with a capability series of its own (through the board file), to see both charts on one scale.
    const withCapability = async (template: string, title: string, days: number[]) => {
      const made = await create(title, template);
      const file = await api<{ capability: { unit: string; minutes: number[] } }>(
        `/api/boards/${made.id}/export?format=json`,
      );
      file.capability = { unit: 'days', minutes: days.map((d) => d * 1440) };
      return api<{ id: string }>('/api/boards/import', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(file),
      });
    };
    const a = await withCapability('housing-repairs-before', 'Housing repairs', [20, 31, 18, 27, 24, 29, 22]);
    const b = await withCapability('housing-repairs-after', 'Redesigned', [5, 6, 4, 5, 7, 5, 6]);
    const comparison = await api<Comparison>(`/api/compare?before=${a.id}&after=${b.id}`);
    const { page } = await e2e.newPerson();
    await page.goto(`/compare?before=${a.id}&after=${b.id}`);
    await page.getByTestId('compare-screen').waitFor();
    expect(await page.getByTestId('matched-by-label').count()).toBe(comparison.matchedBy === 'label' ? 1 : 0);
    if (comparison.matchedBy === 'label') {
      expect(await textOf(page.getByTestId('matched-by-label'))).toBe(
        'These boards share no step ids; steps are matched by their labels.',
      );
    }
    const removed = page.locator('[data-testid="compare-map-before"] .react-flow__node.compare-removed');
    await waitFor(
      async () => (await removed.count()) === comparison.steps.removed.length,
      SEEN_WITHIN_MS,
      'removed marks',
    );
    expect(await page.locator('[data-testid="compare-map-after"] .react-flow__node.compare-added').count()).toBe(
      comparison.steps.added.length,
    );
    expect(await textOf(page.getByTestId('failure-demand-pct'))).toBe(
      `Failure demand: ${formatPct(comparison.demand.failurePctBefore)} before → ${formatPct(comparison.demand.failurePctAfter)} after`,
    );
    // Both capability charts on the comparison's one scale.
    const charts = page.locator('figure[data-testid="compare-capability-chart"]');
    expect(await charts.count()).toBe(2);
    const tops = await charts.evaluateAll((els) => els.map((el) => el.getAttribute('data-top')));
    expect(tops[0]).toBe(tops[1]);
    expect(Number(tops[0])).toBeGreaterThanOrEqual(comparison.capability.scale.max);
    await shot(page, 'comparison-templates');
    if (SHOTS) await page.locator('.compare-charts').screenshot({ path: path.join(SHOTS, 'capability-charts.png') });
    await page.setViewportSize({ width: 1280, height: 2000 });
    await shot(page, 'comparison-templates-details');
  });

  test('the comparison opens with the headline: at 1280×720 it and the maps’ key are on the first screen', async () => {
    const before = await createBoard(e2e.server, 'Housing repairs – before', 'housing-repairs-before');
    const after = await createBoard(e2e.server, 'Housing repairs – after', 'housing-repairs-after');
    const comparison = await api<Omit<Comparison, 'headline'> & { headline: Array<{ key: string; text: string }> }>(
      `/api/compare?before=${before}&after=${after}`,
    );
    expect(comparison.headline.length).toBeGreaterThanOrEqual(4);
    const { page } = await e2e.newPerson();
    await page.goto(`/compare?before=${before}&after=${after}`);
    const items = page.getByTestId('headline-item');
    await waitFor(async () => (await items.count()) === comparison.headline.length, SEEN_WITHIN_MS, 'the headline');
    // In the API's order and words, each with its verdict in a word too (colour is not the only signal).
    const said = await items.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    expect(said).toEqual(comparison.headline.map((h) => `${h.text}, better`));
    expect(await textOf(items.first().getByTestId('headline-label'))).toBe('End-to-end time');
    expect(await textOf(items.first().getByTestId('headline-figures'))).toBe('24 d → 5 d');
    expect(await textOf(items.first().getByTestId('headline-change'))).toBe('−79% · ✓ better');
    // Headline, then the maps, then the table; the headline and the maps' key above the fold.
    const box = async (testId: string) => (await page.getByTestId(testId).boundingBox())!;
    const headline = await box('compare-headline');
    const legend = await box('compare-legend');
    const map = await box('compare-map-before');
    const table = await box('measures-table');
    expect(headline.y + headline.height).toBeLessThanOrEqual(720);
    expect(legend.y + legend.height).toBeLessThanOrEqual(720);
    expect(headline.y).toBeLessThan(map.y);
    expect(map.y).toBeLessThan(table.y);
    await shot(page, 'comparison-headline');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('compare-headline').waitFor();
    await shot(page, 'comparison-headline-phone');
    await page.setViewportSize({ width: 390, height: 2400 });
    await shot(page, 'comparison-headline-phone-long');
  });

  test('an example from the board list makes the pair, linked as before and after, and opens the before board', async () => {
    const { page } = await e2e.newPerson();
    await page.goto('/');
    const card = page.locator('[data-testid="example-board"][data-template-id="benefits-claim-before"]');
    await card.waitFor();
    // One card per example, each saying it makes both boards.
    expect(await page.getByTestId('example-board').count()).toBe(2);
    expect(await textOf(card)).toMatch(/^Benefits claim.*Before and after, linked, to compare$/);
    await shot(page, 'board-list-examples');
    await card.click();
    await waitFor(() => /^\/b\/[^/]+$/.test(new URL(page.url()).pathname), SEEN_WITHIN_MS, 'a board to open');
    const opened = boardIdOf(page);
    await waitForLive(page);
    await waitFor(
      async () => (await textOf(page.getByTestId('board-title'))) === 'Benefits claim — before',
      SEEN_WITHIN_MS,
      'the before board',
    );
    const boards = await api<Array<{ id: string; title: string; beforeBoardId?: string }>>('/api/boards');
    const after = boards.find((b) => b.beforeBoardId === opened);
    expect(after?.title).toBe('Benefits claim – after');
    // The pair is one click from the comparison, whose headline tells the example's story.
    await page.goto(`/compare?before=${opened}&after=${after!.id}`);
    const first = page.getByTestId('headline-item').first();
    await first.waitFor();
    expect(await first.getAttribute('aria-label')).toBe('End-to-end time: 42 d → 7 d 1 h (−83%), better');
    // Capability charts on both sides: no "No capability data".
    expect(await page.locator('figure[data-testid="compare-capability-chart"]').count()).toBe(2);
  });

  test('results: added from the analysis panel, refused in plain words when wrong, compared by name', async () => {
    const before = await createBoard(e2e.server, 'Contacts – before');
    const after = await createBoard(e2e.server, 'Contacts – after');
    const { page } = await e2e.newPerson();
    const addResult = async (boardId: string, values: string) => {
      await page.goto(`/b/${boardId}`);
      await waitForLive(page);
      await page.getByTestId('add-result').click();
      await page.getByTestId('result-name').fill('Contacts into the service per week');
      await page.getByTestId('result-unit').selectOption('count');
      await page.getByTestId('result-values').fill(values);
    };
    await addResult(before, '2026-01-05 480\n2026-01-12 5x0');
    // A bad line is named and nothing can be saved until it is fixed.
    expect(await textOf(page.getByTestId('result-errors'))).toBe(
      'Line 2: "5x0" is not a number: write a value like 24.1, or a date and a value.',
    );
    expect(await page.getByTestId('result-save').isDisabled()).toBe(true);
    await shot(page, 'results-editor-error');
    await page.getByTestId('result-values').fill('2026-01-05 480\n2026-01-12 520');
    await page.getByTestId('result-save').click();
    const row = page.getByTestId('result-row');
    await waitFor(async () => (await row.count()) === 1, SEEN_WITHIN_MS, 'the result in the panel');
    expect(await textOf(row.getByTestId('result-value'))).toBe('500');
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'results-panel');
    // The same name again (another case) is refused in place, and the board keeps one result.
    await page.getByTestId('add-result').click();
    await page.getByTestId('result-name').fill('contacts into the service PER WEEK');
    await page.getByTestId('result-values').fill('3');
    await page.getByTestId('result-save').click();
    expect(await textOf(page.getByTestId('result-error'))).toBe(
      'This board already has a result named “Contacts into the service per week”',
    );
    await page.keyboard.press('Escape');
    expect(await row.count()).toBe(1);

    await addResult(after, '250');
    await page.getByTestId('result-save').click();
    await waitFor(async () => (await row.count()) === 1, SEEN_WITHIN_MS, 'the after board’s result');
    await waitFor(
      async () => (await api<Comparison>(`/api/compare?before=${before}&after=${after}`)).outcomes[0]?.after === 250,
      SEEN_WITHIN_MS,
      'the result to reach the server',
    );
    await page.goto(`/compare?before=${before}&after=${after}`);
    const compared = page.locator('[data-testid="outcome-row"][data-key="outcome:contacts into the service per week"]');
    await compared.waitFor();
    expect(await textOf(compared.getByTestId('outcome-before'))).toBe('500');
    expect(await textOf(compared.getByTestId('outcome-after'))).toBe('250');
    expect(await textOf(compared.getByTestId('outcome-verdict'))).toBe('✓ better');
    // Nothing else differs between two blank boards: the result is the headline.
    expect(await page.getByTestId('headline-item').first().getAttribute('aria-label')).toBe(
      'Contacts into the service per week: 500 → 250 (−50%), better',
    );
    await page.getByTestId('compare-outcomes').scrollIntoViewIfNeeded();
    await shot(page, 'comparison-results');
  });
});
