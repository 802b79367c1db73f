/**
 * The right panel end to end: the housing-repairs "before" board shows
 * method.md's figures in the analysis; an edit in one person's inspector
 * changes the measures for another person; a value the model refuses is
 * shown in place and not stored.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { api, waitFor } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E, openBoardTool } from './helpers';

const SEEN_WITHIN_MS = 5000;

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function waitForText(locator: Locator, expected: string, timeoutMs = SEEN_WITHIN_MS): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = (await locator.count()) > 0 ? await textOf(locator.first()) : '<missing>';
      return last === expected;
    },
    timeoutMs,
    () => `text "${expected}" (last seen: "${last}")`,
  );
}

async function createTemplateBoard(url: string, template: string): Promise<string> {
  const response = await api(`${url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Housing repairs – before', template }),
  });
  if (response.status !== 201) throw new Error(`could not create a board: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitForText(page.getByTestId('connection-status'), 'Live');
  await page.getByTestId('analysis-panel').waitFor();
}

/** A stored field of the step with this label, read from the page's own document. */
function storedStepField(page: Page, label: string, field: string): Promise<unknown> {
  return page.evaluate(
    ([label, field]) => {
      const nodes = window.__purposeboard!.doc.getMap('nodes');
      for (const node of nodes.values() as IterableIterator<{ get(key: string): unknown }>) {
        if (node.get('kind') === 'step' && node.get('label') === label) return node.get(field);
      }
      return undefined;
    },
    [label, field],
  );
}

describe.skipIf(!chromiumAvailable())('the analysis panel and the inspector', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('housing repairs (before) reads as method.md says; an inspector edit reaches another person', async () => {
    const boardId = await createTemplateBoard(e2e.server.url, 'housing-repairs-before');
    const { page: a } = await e2e.newPerson();
    const { page: b } = await e2e.newPerson();
    await openBoard(a, boardId);
    await openBoard(b, boardId);

    // method.md, "Measures, before" (process time 250 m reads 4 h 10 m through formatTime).
    const expected: Record<string, string> = {
      totalDemand: '1,000',
      failureDemandPct: '55%',
      valueDemandPct: '45%',
      endToEndLeadTime: '24 d',
      processTime: '4 h 10 m',
      activityRatioPct: '0.7%',
      rolledCAPct: '11.9%',
      handoffs: '6',
      handoffsOnMainPath: '5',
      departmentsTraversed: '4',
      reworkLoops: '1',
      customerContacts: '6',
      steps: '10',
      valueSteps: '3',
      // The template's illustrative series of twenty repairs: a mean of 24.3 days, an estimate.
      capabilityMean: 'about 24 d',
    };
    for (const [key, value] of Object.entries(expected)) await waitForText(a.getByTestId(`measure-${key}`), value);
    await waitForText(a.getByTestId('period'), 'Counts per one week');
    await a.getByTestId('pareto-chart').waitFor();
    await a.getByTestId('waste-chart').waitFor();

    // Each measure explains its formula on keyboard focus too.
    const row = a.getByTestId('measure-failureDemandPct').locator('..');
    await row.focus();
    const describedBy = await row.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(await a.locator(`[id="${describedBy}"]`).isVisible()).toBe(true);

    // Selecting a step opens the inspector.
    const firstStep = a.locator('[data-testid="step-node"]', {
      has: a.locator('[data-testid="step-label"]', { hasText: 'Take repair call' }),
    });
    await firstStep.click();
    await a.getByTestId('inspector').waitFor();
    await waitForText(a.getByTestId('tab-inspector'), 'Inspector');
    expect(await a.getByTestId('field-lt').inputValue()).toBe('10 m');

    // LT 10 m → 1 d 10 m puts a day on the main path, for both people.
    await a.getByTestId('field-lt').fill('1d 10m');
    await a.getByTestId('field-lt').press('Enter');
    expect(await a.getByTestId('field-error-lt').count()).toBe(0);
    expect(await storedStepField(a, 'Take repair call', 'lt')).toBe(1450);
    await waitForText(b.getByTestId('measure-endToEndLeadTime'), '25 d');
    await a.getByTestId('tab-analysis').click();
    await waitForText(a.getByTestId('measure-endToEndLeadTime'), '25 d');

    // An invalid %C&A is shown in place and not stored; Escape puts the stored value back.
    await firstStep.click();
    await a.getByTestId('tab-inspector').click();
    const ca = a.getByTestId('field-ca');
    await ca.fill('150');
    await ca.press('Enter');
    await waitForText(a.getByTestId('field-error-ca'), '%C&A must be from 0 to 100');
    expect(await ca.inputValue()).toBe('150');
    expect(await storedStepField(a, 'Take repair call', 'ca')).toBe(70);
    expect(await storedStepField(b, 'Take repair call', 'ca')).toBe(70);
    await ca.press('Escape');
    expect(await ca.inputValue()).toBe('70');
    expect(await a.getByTestId('field-error-ca').count()).toBe(0);
    await waitForText(b.getByTestId('measure-rolledCAPct'), '11.9%');
  });

  test('the panel collapses so the map uses the width, and comes back', async () => {
    const boardId = await createTemplateBoard(e2e.server.url, 'housing-repairs-before');
    const { page } = await e2e.newPerson();
    await openBoard(page, boardId);
    const canvas = page.locator('.board-canvas');
    const before = (await canvas.boundingBox())!.width;
    await page.getByTestId('panel-toggle').click();
    await waitFor(async () => (await page.getByTestId('analysis-panel').count()) === 0, SEEN_WITHIN_MS, 'collapse');
    expect((await canvas.boundingBox())!.width).toBeGreaterThan(before + 250);
    await page.getByTestId('panel-toggle').click();
    await page.getByTestId('analysis-panel').waitFor();
  });

  test('a capability series with a shift names the signal where it is drawn; new limits from the redesign explain it', async () => {
    const boardId = await createTemplateBoard(e2e.server.url, 'housing-repairs-before');
    const { page } = await e2e.newPerson();
    await openBoard(page, boardId);
    const chart = page.getByTestId('capability-chart');
    // Ten repairs around 24 days, then ten around 5: the redesign.
    const days = [24, 26, 22, 25, 23, 27, 24, 25, 23, 26, 5, 6, 4, 5, 6, 5, 4, 6, 5, 5];
    await openBoardTool(page, 'open-capability');
    await page.getByTestId('capability-input').fill(days.join('\n'));
    await page.getByTestId('capability-unit').selectOption('days');
    await page.getByTestId('capability-save').click();
    await page.getByTestId('capability-editor').waitFor({ state: 'detached' });
    await waitForText(
      chart.getByTestId('chart-signals').locator('li[data-rule="long-run"]').first(),
      'Cases 1–10: 10 in a row above the mean — the system changed here.',
    );
    expect(await chart.locator('circle.is-signal').count()).toBe(days.length);

    // A case number that leaves one case on a side is refused in place, and nothing is stored.
    await openBoardTool(page, 'open-capability');
    await page.getByTestId('capability-limits-from').fill('20');
    expect(await page.getByTestId('capability-limits-from').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('capability-save').isDisabled()).toBe(true);
    await page.getByTestId('capability-limits-from').fill('11');
    await page.getByTestId('capability-save').click();
    await page.getByTestId('capability-editor').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => window.__purposeboard!.doc.getMap('meta').get('capabilityLimitsFrom'))).toBe(10);
    await waitFor(
      async () =>
        (await chart.getByTestId('chart-limits').count()) === 2 &&
        (await chart.getByTestId('chart-signals').count()) === 0,
      SEEN_WITHIN_MS,
      'two sets of limits and no signal',
    );
    // The latest limits are the ones labelled: the system now takes about 5 days.
    expect(await chart.locator('text', { hasText: 'x̄' }).textContent()).toBe('x̄ 5.1 d');
  });
});
