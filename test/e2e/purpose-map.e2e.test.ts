/**
 * A small purpose map built through the UI only — lanes, three steps placed
 * in them, connected by dragging, times typed in the inspector, two demand
 * rows pasted into the demand table, a purpose — while the analysis panel's
 * measures change on both people's screens.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { api, createBoard, waitFor } from '../helpers/server';
import { chromiumAvailable, startE2E, type E2E, openBoardTool } from './helpers';

const SEEN_WITHIN_MS = 5000;

async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function expectText(locator: Locator, expected: string, what: string): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = (await locator.count()) > 0 ? await text(locator.first()) : '<missing>';
      return last === expected;
    },
    SEEN_WITHIN_MS,
    () => `${what} to read "${expected}" (last seen: "${last}")`,
  );
}

const measure = (page: Page, key: string) => page.getByTestId(`measure-${key}`);

/** Selecting an element turns the right panel into its inspector; the tab brings the analysis back. */
async function showAnalysis(page: Page): Promise<void> {
  await page.getByTestId('tab-analysis').click();
  await page.getByTestId('analysis-panel').waitFor();
}

function step(page: Page, label: string): Locator {
  return page.locator('[data-testid="step-node"]', {
    has: page.locator('[data-testid="step-label"]', { hasText: label }),
  });
}

async function nameInEditor(page: Page, name: string): Promise<void> {
  const editor = page.getByTestId('inline-editor');
  await editor.waitFor();
  await editor.fill(name);
  await editor.press('Enter');
  await editor.waitFor({ state: 'detached' });
}

/** Double-clicks empty canvas at `fraction` of the canvas width, in the middle of a lane's band. */
async function addStepInLane(page: Page, laneIndex: number, fraction: number, label: string): Promise<void> {
  const band = await page.getByTestId('lane-band').nth(laneIndex).boundingBox();
  const canvas = await page.locator('.react-flow').boundingBox();
  if (!band || !canvas) throw new Error('the lane band is not on screen');
  await page.mouse.dblclick(canvas.x + canvas.width * fraction, band.y + band.height / 2);
  await nameInEditor(page, label);
}

async function connectSteps(page: Page, from: string, to: string): Promise<void> {
  await step(page, from).hover();
  const out = await step(page, from).getByTestId('step-handle-out').boundingBox();
  const into = await step(page, to).getByTestId('step-handle-in').boundingBox();
  if (!out || !into) throw new Error('handles are not on screen');
  await page.mouse.move(out.x + out.width / 2, out.y + out.height / 2);
  await page.mouse.down();
  await page.mouse.move(into.x + into.width / 2 - 20, into.y + into.height / 2, { steps: 8 });
  await page.mouse.move(into.x + into.width / 2, into.y + into.height / 2, { steps: 4 });
  await page.mouse.up();
}

async function setTimes(page: Page, label: string, pt: string, lt: string): Promise<void> {
  await step(page, label).getByTestId('step-label').click();
  await page.getByTestId('inspector').waitFor();
  for (const [field, value] of [
    ['pt', pt],
    ['lt', lt],
  ]) {
    const input = page.getByTestId(`field-${field}`);
    await input.fill(value);
    await input.press('Enter');
  }
  await expect.poll(() => page.getByTestId('field-error-lt').count()).toBe(0);
}

/** Pastes text into the focused element as a spreadsheet would (a real paste event with clipboard data). */
async function paste(page: Page, content: string): Promise<void> {
  await page.evaluate((value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    (document.activeElement ?? document.body).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, content);
}

describe.skipIf(!chromiumAvailable())('building a purpose map through the UI', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('lanes, steps, flow, times, demand and purpose: the panel follows, for both people', async () => {
    const boardId = await createBoard(e2e.server, 'Repairs workshop');
    const { page: a } = await e2e.newPerson();
    const { page: b } = await e2e.newPerson();
    for (const page of [a, b]) {
      await page.goto(`/b/${boardId}`);
      await expectText(page.getByTestId('connection-status'), 'Live', 'the connection');
    }
    // An empty board: nothing to measure yet.
    await expectText(measure(a, 'failureDemandPct'), '—', 'failure demand on an empty board');
    await expectText(measure(a, 'endToEndLeadTime'), '—', 'lead time on an empty board');

    // Two lanes, named as they are added.
    await a.getByTestId('add-lane').click();
    await nameInEditor(a, 'Contact centre');
    await a.getByTestId('add-lane').click();
    await nameInEditor(a, 'Repair team');
    await b.getByTestId('lane-name').filter({ hasText: 'Repair team' }).waitFor({ timeout: SEEN_WITHIN_MS });

    // Three steps placed in the lanes by double-clicking their bands.
    await addStepInLane(a, 0, 0.35, 'Take call');
    await addStepInLane(a, 0, 0.6, 'Book visit');
    await addStepInLane(a, 1, 0.85, 'Repair');
    await expectText(measure(a, 'steps'), '3', 'the step count');

    // Connected by dragging handle to handle: one handoff, from the contact centre to the repair team.
    await a.keyboard.press('Escape');
    await connectSteps(a, 'Take call', 'Book visit');
    await connectSteps(a, 'Book visit', 'Repair');
    await expectText(measure(a, 'handoffs'), '1', 'handoffs');
    await expectText(measure(b, 'handoffs'), '1', "handoffs on B's screen");
    await expectText(measure(a, 'departmentsTraversed'), '2', 'departments traversed');

    // Times typed in the inspector, in friendly units: lead time appears once every step has one.
    await setTimes(a, 'Take call', '10m', '10 m');
    await setTimes(a, 'Book visit', '5m', '1d');
    await showAnalysis(a);
    await expectText(measure(a, 'endToEndLeadTime'), '—', 'lead time with a step still lacking LT');
    await setTimes(a, 'Repair', '1.5h', '2 d');

    // A lead time shorter than the process time is refused in place and not stored.
    const lt = a.getByTestId('field-lt');
    await lt.fill('30m');
    await lt.press('Enter');
    await expect.poll(() => text(a.getByTestId('field-error-lt'))).toMatch(/less than process time/);
    await lt.press('Escape');
    await showAnalysis(a);
    await expectText(measure(a, 'endToEndLeadTime'), '3 d', 'lead time');
    await expectText(measure(a, 'processTime'), '1 h 45 m', 'process time');
    await expectText(measure(b, 'endToEndLeadTime'), '3 d', "lead time on B's screen");

    // Two demand rows pasted into the demand table from a spreadsheet.
    await openBoardTool(a, 'open-demand-table');
    await a.getByTestId('demand-new-words').focus();
    await paste(a, 'I need a repair\tvalue\t30\tyes\nWhen are you coming?\tfailure\t10\tyes\n');
    await waitFor(async () => (await a.getByTestId('demand-row').count()) === 2, SEEN_WITHIN_MS, 'two demand rows');
    await a.keyboard.press('Escape');
    await a.keyboard.press('Escape');
    await showAnalysis(a);
    await expectText(measure(a, 'failureDemandPct'), '25%', 'failure demand');
    await expectText(measure(b, 'failureDemandPct'), '25%', "failure demand on B's screen");
    await expectText(measure(b, 'totalDemand'), '40', "total demand on B's screen");

    // The purpose, with what matters, from the palette and the inspector.
    await a.getByTestId('add-purpose').click();
    await nameInEditor(a, 'Fix my home right first time');
    // The purpose goes at the top of the board, above the lanes (issue 15): B fits the board to see it.
    await b.locator('.react-flow__controls-fitview').click();
    await b.getByTestId('purpose-node').filter({ hasText: 'Fix my home right first time' }).waitFor({
      timeout: SEEN_WITHIN_MS,
    });

    // Both people see the same measures, and they are what the server computes too.
    await showAnalysis(a);
    const fromServer = (await (await api(`${e2e.server.url}/api/boards/${boardId}/measures`)).json()) as Record<
      string,
      unknown
    >;
    expect(fromServer).toMatchObject({
      handoffs: 1,
      endToEndLeadTime: 10 + 1440 + 2880,
      processTime: 105,
      failureDemandPct: 25,
    });
    for (const key of ['failureDemandPct', 'handoffs', 'endToEndLeadTime', 'activityRatioPct', 'rolledCAPct']) {
      expect(await text(measure(b, key))).toBe(await text(measure(a, key)));
    }
  });
});
