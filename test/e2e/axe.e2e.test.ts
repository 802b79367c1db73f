/**
 * axe-core on every screen (issue 16): the board list, a board in light and
 * dark (with someone else on it), the inspector open, the demand table, the
 * analysis panel's tables, the share menu, the comparison, the version view,
 * the not-found screens and a failed join: no serious or critical violation,
 * and each screen has one main landmark and one h1. axe-core's own source is
 * injected into the page (no wrapper library), so the checks are axe's, run
 * in the real Chromium on the built app and the real server. New screens from
 * other issues join one of the two tests below.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { api, createBoard } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E, openBoardTool } from './helpers';

const OPENS_WITHIN_MS = 30_000;
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: AxeNode[];
}

/** Rules this project holds to whatever axe's impact says: one main landmark and one h1 per screen. */
const ALWAYS_REQUIRED = new Set(['landmark-one-main', 'page-has-heading-one', 'landmark-no-duplicate-main']);

/** Runs axe on the page as it is; the violations that fail the test, in words a person can act on. */
async function axeFailures(page: Page): Promise<string[]> {
  // Evaluated through the devtools protocol: the app's Content-Security-Policy (script-src 'self') refuses an inline <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // Still "experimental" in axe, but WCAG 2.5.3: a control's name holds its visible words (the avatars).
      rules: { 'label-content-name-mismatch': { enabled: true } },
      resultTypes: ['violations'],
    })) as { violations: unknown[] };
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || ALWAYS_REQUIRED.has(v.id))
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 8)
          .map((node) => `    ${JSON.stringify(node.target)} ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`)
          .join('\n'),
    );
}

async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const failures = await axeFailures(page);
  // Soft: one run reports every screen's violations, not only the first screen's.
  expect.soft(failures, `axe on ${screen}:\n${failures.join('\n')}`).toEqual([]);
  // axe's rules allow several h1s; one per screen is this project's rule (on a board it is the board's title).
  expect.soft(await page.locator('main').count(), `main landmarks on ${screen}`).toBe(1);
  expect.soft(await page.locator('h1').count(), `h1 on ${screen}`).toBe(1);
}

describe.runIf(chromiumAvailable())('axe-core finds no serious or critical violation', () => {
  let e2e: E2E;
  let beforeId: string;
  let afterId: string;
  let versionId: string;

  beforeAll(async () => {
    e2e = await startE2E();
    beforeId = await createBoard(e2e.server, 'Repairs – before', 'housing-repairs-before');
    afterId = await createBoard(e2e.server, 'Repairs – after', 'housing-repairs-after');
    const saved = await api(`${e2e.server.url}/api/boards/${beforeId}/versions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Before – workshop 1', savedBy: 'Ana' }),
    });
    expect(saved.status).toBe(201);
    versionId = ((await saved.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${colorScheme}: the board list, a board, the inspector, the demand table and the share menu`, async () => {
      const { context, page } = await e2e.newPerson({ name: 'Ana' });
      await page.emulateMedia({ colorScheme });
      // Someone else on the board, with a step selected: their avatar and selection mark are checked too.
      const { context: samContext, page: sam } = await e2e.newPerson({ name: 'Sam Miller' });
      await sam.emulateMedia({ colorScheme });
      await sam.goto(`/b/${beforeId}`);
      await sam.getByTestId('step-label').filter({ hasText: 'Take repair call' }).click();

      await page.goto('/');
      await page.getByTestId('start-from-example').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the board list (${colorScheme})`);

      await page.goto(`/b/${beforeId}`);
      await page.getByTestId('step-label').first().waitFor({ timeout: OPENS_WITHIN_MS });
      await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor({ timeout: OPENS_WITHIN_MS });
      await page
        .locator('[data-testid="peer-avatar"][data-name="Sam Miller"]')
        .first()
        .waitFor({ timeout: OPENS_WITHIN_MS });
      await page.locator('.has-remote-mark').first().waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `a board (${colorScheme})`);
      // React Flow's own names ("Edge from <id> to <id>") are never read; the cards' are the method's words.
      expect(await page.locator('[aria-label^="Edge from"]').count()).toBe(0);
      expect(await page.locator('.react-flow__edge[aria-label^="Flow from "]').count()).toBeGreaterThan(5);
      expect(
        await page
          .locator('.react-flow__node[aria-label="Failure demand: When are you coming? 260 per week, predictable"]')
          .count(),
      ).toBe(1);

      // The charts' text alternatives: a summary on each picture, every figure in a table on request.
      expect(await page.getByTestId('pareto-chart').locator('svg').getAttribute('aria-label')).toContain(
        'The largest: I need a repair, 420 (value demand)',
      );
      await page.getByTestId('pareto-table-toggle').click();
      const pareto = page.getByTestId('pareto-table');
      await expect.poll(() => pareto.locator('tbody tr').count()).toBe(6);
      expect(await pareto.locator('tbody tr').nth(1).innerText()).toMatch(
        /When are you coming\?\s+failure demand\s+260\s+68%/,
      );
      await page.getByTestId('capability-chart-table-toggle').click();
      const capability = page.getByTestId('capability-chart-table');
      await expect.poll(() => capability.locator('tbody tr').count()).toBe(20);
      expect(await capability.locator('tbody tr').first().locator('th').innerText()).toBe('Case 1');
      expect(await page.getByTestId('capability-chart-table-toggle').getAttribute('aria-expanded')).toBe('true');
      await expectNoSeriousViolations(page, `the analysis panel's tables (${colorScheme})`);

      await page.getByTestId('step-label').filter({ hasText: 'Code job to schedule of rates' }).click();
      await page.getByTestId('inspector').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the inspector (${colorScheme})`);

      await page.keyboard.press('Escape');
      await openBoardTool(page, 'open-demand-table');
      await page.getByTestId('demand-table').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the demand table (${colorScheme})`);
      await page.keyboard.press('Escape');
      await page.getByTestId('demand-table').waitFor({ state: 'detached', timeout: OPENS_WITHIN_MS });

      await page.getByTestId('share-menu').click();
      await page.getByTestId('share-menu-items').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the share menu (${colorScheme})`);
      await samContext.close();
      await context.close();
    });

    test(`${colorScheme}: the comparison, the version view, not-found screens and a failed join`, async () => {
      const { page } = await e2e.newPerson({ name: 'Ana' });
      await page.emulateMedia({ colorScheme });

      await page.goto(`/compare?before=${beforeId}&after=${afterId}`);
      await page.getByTestId('headline-item').first().waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the comparison (${colorScheme})`);
      // The removed/added marks are drawn by CSS: the cards' names say them in words.
      const before = page.getByTestId('compare-map-before');
      expect(await before.locator('[aria-label$="(removed step)"]').count()).toBeGreaterThan(0);
      expect(await page.locator('[aria-label^="Edge from"]').count()).toBe(0);

      await page.goto(`/b/${beforeId}/v/${versionId}`);
      await page.getByTestId('version-screen').waitFor({ timeout: OPENS_WITHIN_MS });
      await page.getByTestId('step-label').first().waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the version view (${colorScheme})`);

      await page.goto('/nothing-here');
      await page.getByText('There is nothing at').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the not-found screen (${colorScheme})`);

      await page.goto('/b/no-such-board');
      await page.getByTestId('board-not-found').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `a board not found (${colorScheme})`);

      await page.goto('/join/not-a-real-link');
      await page.getByTestId('join-failed').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `a join link that opens nothing (${colorScheme})`);
    });

    test(`${colorScheme}: the demand study — the form that starts one, the study screen, the panel, the capture page`, async () => {
      const json = async (method: string, path: string, body?: unknown) => {
        const response = await api(`${e2e.server.url}${path}`, {
          method,
          headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
        return (await response.json()) as Record<string, unknown>;
      };
      // A blank board: the example boards come with a study of their own, whose types a new one could not drop.
      const studyBoard = await createBoard(e2e.server, `Study (${colorScheme})`);
      const blankBoard = await createBoard(e2e.server, `No study yet (${colorScheme})`);
      const today = new Date().toISOString().slice(0, 10);
      await json('PUT', `/api/boards/${studyBoard}/study`, {
        demandTypes: [
          { name: 'Report a repair', class: 'value' },
          { name: 'Chasing', class: 'failure', definition: 'Asks where something promised is' },
        ],
        handlingTypes: [
          { name: 'One stop', oneStop: true },
          { name: 'Pass-on', oneStop: false },
        ],
        contactMethods: ['Phone', 'Email'],
        defaultContactMethod: 'Phone',
        whatMattersCategories: ['Kept informed'],
        start: today,
        end: today,
        capture: { classification: true, handling: true, valueLinking: true },
      });
      await json('POST', `/api/boards/${studyBoard}/study/entries`, {
        entries: [
          {
            id: `axe-a-${colorScheme}`,
            verbatim: 'My boiler is broken',
            type: 'Report a repair',
            handling: 'One stop',
          },
          {
            id: `axe-b-${colorScheme}`,
            verbatim: 'Where is the plumber?',
            type: 'Chasing',
            valueDemandType: 'Report a repair',
            cause: 'No parts',
          },
          { id: `axe-c-${colorScheme}`, verbatim: 'The damp is back' },
        ],
      });
      const links = await json('GET', `/api/boards/${studyBoard}/links`);
      const { context, page } = await e2e.newPerson({ name: 'Ana' });
      await page.emulateMedia({ colorScheme });

      await page.goto(`/b/${blankBoard}/study`);
      await page.getByTestId('study-settings').waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the form that starts a study (${colorScheme})`);

      await page.goto(`/b/${studyBoard}/study`);
      await page.getByTestId('study-entry').first().waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the study screen (${colorScheme})`);

      await page.goto(`/b/${studyBoard}`);
      await page.getByTestId('study-analysis').waitFor({ timeout: OPENS_WITHIN_MS });
      await page.getByTestId('place-study-cards').click();
      await page.locator('[data-testid="demand-node"][data-study-type]').first().waitFor({ timeout: OPENS_WITHIN_MS });
      await expectNoSeriousViolations(page, `the board with its study (${colorScheme})`);
      await context.close();

      const { context: phoneContext, page: phone } = await e2e.newPerson({ name: 'Sam', key: null });
      await phone.setViewportSize({ width: 360, height: 740 });
      await phone.emulateMedia({ colorScheme });
      await phone.goto(new URL(String(links.collect)).pathname);
      await phone.getByTestId('capture-type').waitFor({ timeout: OPENS_WITHIN_MS });
      await phone.getByTestId('capture-class').getByRole('button', { name: 'Failure' }).click();
      await phone.getByTestId('capture-save').click();
      await phone.getByTestId('capture-problem').waitFor();
      await expectNoSeriousViolations(phone, `the capture page (${colorScheme})`);
      await phoneContext.close();
    });
  }
});
