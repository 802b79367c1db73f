/**
 * The board with the keyboard only (issue 16): no mouse and no clicks in the
 * first test. Two lanes, the housing-repairs flow's first four steps with
 * their times, connected with Connect… (K), a system condition linked to the
 * step it causes, cards moved with the arrow keys (each press one undo step),
 * an arrow reached with E and a step deleted; then the panel's measures are
 * the API's. The second test connects with the mouse by dropping on a card's
 * body, not on its dot.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { api, createBoard, waitFor } from '../helpers/server';
import { connectClient, synced } from '../helpers/clients';
import { chromiumAvailable, startE2E, type E2E } from './helpers';
import { addCondition, addStep, readBoard, type Board, type Measures } from '../../src/model';
import { MEASURE_TEXTS, measureValueText } from '../../src/export/measure-text';

const SEEN_WITHIN_MS = 10_000;

async function openBoard(page: Page, boardId: string): Promise<void> {
  await page.goto(`/b/${boardId}`);
  await waitFor(
    async () => ((await page.getByTestId('connection-status').textContent()) ?? '').trim() === 'Live',
    SEEN_WITHIN_MS,
    'the board to be live',
  );
}

/** This page's copy of the board, as plain data. */
async function board(page: Page): Promise<Board> {
  const json = await page.evaluate(() => {
    const doc = window.__purposeboard!.doc;
    const plain = (name: string) => doc.getMap(name).toJSON();
    return { nodes: plain('nodes'), edges: plain('edges'), lanes: plain('lanes'), meta: plain('meta') };
  });
  // Rebuilt into a Y.Doc-free Board by the model's own reader.
  const Y = await import('yjs');
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const name of ['nodes', 'edges', 'lanes'] as const) {
      const map = doc.getMap<InstanceType<typeof Y.Map>>(name);
      for (const [id, fields] of Object.entries(json[name] as Record<string, Record<string, unknown>>)) {
        const inner = new Y.Map();
        for (const [key, value] of Object.entries(fields)) inner.set(key, value);
        map.set(id, inner);
      }
    }
  });
  return readBoard(doc);
}

/** What the focus is on: a card's label, "edge", "canvas", or the test id / tag of anything else. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'page';
    const card = active.closest('.react-flow__node');
    if (card) {
      const label = card.querySelector(
        '[data-testid="step-label"], [data-testid="condition-label"], [data-testid="demand-words"]',
      );
      return `card:${label?.textContent ?? '?'}`;
    }
    if (active.closest('.react-flow__edge')) return 'edge';
    if (active.classList.contains('board-canvas')) return 'canvas';
    return active.getAttribute('data-testid') ?? active.id ?? active.tagName;
  });
}

async function expectFocus(page: Page, expected: string, what: string): Promise<void> {
  let last = '';
  await waitFor(
    async () => (last = await focused(page)) === expected,
    SEEN_WITHIN_MS,
    () => `${what}: focus on ${expected} (last seen: ${last})`,
  );
}

/** Presses Tab (or Shift+Tab) until the focus is on `expected`. */
async function tabTo(page: Page, expected: string, backwards = false): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await focused(page)) === expected) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${expected} (last: ${await focused(page)})`);
}

function stepByLabel(b: Board, label: string) {
  const step = b.nodes.find((n) => n.kind === 'step' && n.label === label);
  if (!step || step.kind !== 'step') throw new Error(`no step "${label}"`);
  return step;
}

const LANE_HEIGHT = 160;
const STEP_HEIGHT = 90;

/**
 * Moves the focused, selected step into lane `index` with the arrow keys:
 * Shift+arrow is 50, an arrow 10 board units.
 */
async function arrowIntoLane(page: Page, label: string, index: number): Promise<void> {
  const step = stepByLabel(await board(page), label);
  const centre = step.position.y + STEP_HEIGHT / 2;
  const wanted = index * LANE_HEIGHT + LANE_HEIGHT / 2;
  let distance = Math.round((wanted - centre) / 10) * 10;
  const big = distance > 0 ? 'Shift+ArrowDown' : 'Shift+ArrowUp';
  const small = distance > 0 ? 'ArrowDown' : 'ArrowUp';
  while (Math.abs(distance) >= 50) {
    await page.keyboard.press(big);
    distance -= Math.sign(distance) * 50;
  }
  while (Math.abs(distance) >= 10) {
    await page.keyboard.press(small);
    distance -= Math.sign(distance) * 10;
  }
}

/** I, then Tab through the inspector to a field, type into it and go on with Tab. */
async function typeInInspector(page: Page, field: string, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
}

describe.skipIf(!chromiumAvailable())('the board by keyboard', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('lanes, four steps with times, links, a condition, moves and a delete, keyboard only; the measures are the API’s', async () => {
    const boardId = await createBoard(e2e.server, 'Housing repairs by keyboard');
    const { page } = await e2e.newPerson();
    await openBoard(page, boardId);
    await page.getByTestId('empty-board-hint').waitFor();

    // Two lanes: L, the name, Enter. The focus comes back to the board, not the page.
    for (const lane of ['Contact centre', 'Repairs admin']) {
      await page.keyboard.press('l');
      await page.getByTestId('inline-editor').waitFor();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type(lane);
      await page.keyboard.press('Enter');
      await expectFocus(page, 'canvas', `after naming the lane ${lane}`);
    }

    // Four steps: S, the name, Enter (the focus stays on the new card), arrows into its lane, times in the inspector.
    const steps = [
      { label: 'Take repair call', lane: 0, pt: '10m', lt: '10m' },
      { label: 'Code job to schedule of rates', lane: 0, pt: '5m', lt: '1d' },
      { label: 'Raise works order', lane: 1, pt: '10m', lt: '2d' },
      { label: 'Schedule contractor', lane: 1, pt: '5m', lt: '4d' },
    ];
    for (const step of steps) {
      await page.keyboard.press('s');
      await page.getByTestId('inline-editor').waitFor();
      await page.keyboard.type(step.label);
      await page.keyboard.press('Enter');
      await expectFocus(page, `card:${step.label}`, `after naming ${step.label}`);
      await arrowIntoLane(page, step.label, step.lane);
      await page.keyboard.press('i');
      await expectFocus(page, 'field-label', 'I goes to the inspector');
      await typeInInspector(page, 'field-pt', step.pt);
      await typeInInspector(page, 'field-lt', step.lt);
      await page.keyboard.press('Escape');
      await expectFocus(page, `card:${step.label}`, `Escape from the inspector returns to ${step.label}`);
    }
    const lanes = (await board(page)).lanes;
    await expect
      .poll(async () => {
        const b = await board(page);
        return steps.map((s) => {
          const stored = stepByLabel(b, s.label);
          return [s.label, lanes.findIndex((lane) => lane.id === stored.lane)];
        });
      })
      .toEqual(steps.map((s) => [s.label, s.lane]));

    // Connect… (K): type part of the next step's name, Enter. The focus comes back to the card.
    for (const [from, to] of [
      ['Take repair call', 'code job'],
      ['Code job to schedule of rates', 'raise'],
      ['Raise works order', 'contractor'],
    ]) {
      await tabTo(page, `card:${from}`, true);
      await page.keyboard.press('k');
      await page.getByTestId('connect-dialog').waitFor();
      await page.keyboard.type(to);
      await page.keyboard.press('Enter');
      await page.getByTestId('connect-dialog').waitFor({ state: 'detached' });
      await expectFocus(page, `card:${from}`, `after connecting ${from}`);
    }
    await expect.poll(async () => (await board(page)).edges.filter((e) => e.kind === 'flow').length).toBe(3);

    // A system condition, named and linked to the step it causes, from the condition's own Connect….
    await page.keyboard.press('c');
    await page.getByTestId('inline-editor').waitFor();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Schedule of rates');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'card:Schedule of rates', 'after naming the condition');
    await page.keyboard.press('k');
    await page.keyboard.type('code');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => {
        const b = await board(page);
        const condition = b.nodes.find((n) => n.kind === 'condition');
        return b.edges.some(
          (e) =>
            e.kind === 'causes' &&
            e.source === condition?.id &&
            e.target === stepByLabel(b, 'Code job to schedule of rates').id,
        );
      })
      .toBe(true);

    await expectFocus(page, 'card:Schedule of rates', 'after connecting the condition');

    // Moving a card: three presses, three undo steps; Ctrl+Z takes back one press.
    const before = (await board(page)).nodes.find((n) => n.kind === 'condition')!.position;
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await expect
      .poll(async () => (await board(page)).nodes.find((n) => n.kind === 'condition')!.position)
      .toEqual({ x: before.x + 20, y: before.y + 50 });
    await page.keyboard.press('ControlOrMeta+z');
    await expect
      .poll(async () => (await board(page)).nodes.find((n) => n.kind === 'condition')!.position)
      .toEqual({ x: before.x + 20, y: before.y });

    // E reaches the arrows of a card (they are not in the Tab sequence); Escape comes back to the card.
    await tabTo(page, 'card:Code job to schedule of rates', true);
    await page.keyboard.press('e');
    await expectFocus(page, 'edge', 'E focuses one of the step’s arrows');
    await page.keyboard.press('Escape');
    await expectFocus(page, 'card:Code job to schedule of rates', 'Escape from an arrow');

    // The card's menu (Shift+F10): ↓ to Rename, Enter; the new name is typed and the focus stays on the card.
    await page.keyboard.press('Shift+F10');
    await page.getByTestId('card-menu').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('inline-editor').waitFor();
    await page.keyboard.type('Code job to the schedule of rates');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'card:Code job to the schedule of rates', 'after renaming from the card’s menu');

    // Delete one step: its arrow goes with it.
    await tabTo(page, 'card:Schedule contractor');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await board(page)).nodes.filter((n) => n.kind === 'step').length).toBe(3);
    await expect.poll(async () => (await board(page)).edges.length).toBe(3);

    // E then Delete removes the arrow in focus, and the focus goes back to its card; Ctrl+Z brings it back.
    await tabTo(page, 'card:Raise works order', true);
    await page.keyboard.press('e');
    await expectFocus(page, 'edge', 'E on Raise works order');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await board(page)).edges.length).toBe(2);
    await expectFocus(page, 'card:Raise works order', 'after deleting its arrow');
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(async () => (await board(page)).edges.length).toBe(3);

    // The cards are drawn, and so tabbed through, lane by lane and left to right; the arrows are not tabbable.
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('.react-flow__node')].map(
        (n) => n.querySelector('[data-testid="step-label"], [data-testid="condition-label"]')?.textContent ?? '',
      ),
    );
    expect([new Set(drawn.slice(0, 2)), drawn.slice(2)]).toEqual([
      new Set(['Take repair call', 'Code job to the schedule of rates']),
      ['Raise works order', 'Schedule of rates'],
    ]);
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll('.react-flow__edge')].every((e) => e.getAttribute('tabindex') === '-1'),
      ),
    ).toBe(true);

    // The Analysis tab, reached with Tab and the arrow keys, says what the server computes.
    await tabTo(page, 'tab-inspector');
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('analysis-panel').waitFor();
    const fromServer = async () =>
      (await (await api(`${e2e.server.url}/api/boards/${boardId}/measures`)).json()) as Measures;
    await expect.poll(async () => (await fromServer()).handoffs).toBe(1);
    const measures = await fromServer();
    expect(measures).toMatchObject({ handoffs: 1, endToEndLeadTime: 10 + 1440 + 2880, processTime: 25 });
    for (const m of MEASURE_TEXTS) {
      await expect
        .poll(async () => ((await page.getByTestId(`measure-${m.key}`).textContent()) ?? '').trim(), {
          timeout: SEEN_WITHIN_MS,
        })
        .toBe(measureValueText(measures, m.key));
    }
  });

  test('the shortcut sheet opens with ? and closes with Escape, the focus back where it was; Space works on buttons and links', async () => {
    const boardId = await createBoard(e2e.server, 'Keys');
    const { page } = await e2e.newPerson();
    await openBoard(page, boardId);
    await page.keyboard.press('s');
    await page.getByTestId('inline-editor').waitFor();
    await page.keyboard.type('Take repair call');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'card:Take repair call', 'after naming');
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcut-sheet');
    await sheet.waitFor();
    for (const key of ['K', 'E', 'S', 'D', 'L', 'C', 'N', 'P', 'Delete', 'Esc', '?']) {
      await expect
        .poll(() => sheet.locator('kbd', { hasText: new RegExp(`^${key.replace('?', '\\?')}$`) }).count())
        .toBeGreaterThan(0);
    }
    // Every letter on the palette is one the sheet lists.
    for (const kbd of await page.locator('.palette kbd').allTextContents()) {
      expect(await sheet.locator('kbd', { hasText: kbd }).count(), `palette key ${kbd}`).toBeGreaterThan(0);
    }
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    await expectFocus(page, 'card:Take repair call', 'after closing the sheet');
    // Space works on a button: the palette's Keys button opens the sheet again.
    await tabTo(page, 'show-keys', true);
    await page.keyboard.press('Space');
    await sheet.waitFor();
    await page.keyboard.press('Enter'); // on Close
    await sheet.waitFor({ state: 'detached' });
    // Space follows a link too: "◂ Boards" goes back to the board list.
    await tabTo(page, 'back-to-boards', true);
    await page.keyboard.press('Space');
    await page.waitForURL((url) => url.pathname === '/');
  });

  test('K on a note says it is not linked; Connect… on a lone step says there is nothing to link to, and a name matching nothing makes nothing', async () => {
    const boardId = await createBoard(e2e.server, 'Nothing to link');
    const { page } = await e2e.newPerson();
    await openBoard(page, boardId);
    await page.keyboard.press('n');
    await page.getByTestId('inline-editor').waitFor();
    await page.keyboard.type('Ask the contractor');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.getByTestId('inline-editor').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('.react-flow__node-note') !== null))
      .toBe(true);
    await page.keyboard.press('k');
    await expect
      .poll(async () => (await page.getByTestId('toast').allTextContents()).join(' '))
      .toMatch(/note is not linked/);
    await page.keyboard.press('s');
    await page.getByTestId('inline-editor').waitFor();
    await page.keyboard.type('Only step');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'card:Only step', 'after naming the step');
    await page.keyboard.press('k');
    await page.getByTestId('connect-dialog').waitFor();
    await expect
      .poll(() => page.getByTestId('connect-picker').textContent())
      .toMatch(/Nothing on the board can be linked/);
    await page.keyboard.type('zzz');
    await page.keyboard.press('Enter'); // nothing chosen: nothing made, the dialog stays
    await page.keyboard.press('Escape'); // clears what was typed
    await page.keyboard.press('Escape'); // closes
    await page.getByTestId('connect-dialog').waitFor({ state: 'detached' });
    await expectFocus(page, 'card:Only step', 'after closing Connect…');
    expect((await board(page)).edges).toEqual([]);
  });
});

describe.skipIf(!chromiumAvailable())('connecting with the mouse', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  test('a connection dropped on a card’s body connects; a condition’s dot can be dragged to a step', async () => {
    const boardId = await createBoard(e2e.server, 'Drop on the card');
    const writer = connectClient(e2e.server.wsUrl, boardId);
    await synced(writer);
    const take = addStep(writer.doc, { position: { x: 0, y: 0 }, label: 'Take repair call' });
    const code = addStep(writer.doc, { position: { x: 400, y: 0 }, label: 'Code job' });
    const rates = addCondition(writer.doc, {
      position: { x: 150, y: 300 },
      label: 'Schedule of rates',
      conditionType: 'procedure',
    });
    await writer.saved();
    writer.destroy();

    const { page } = await e2e.newPerson();
    await openBoard(page, boardId);
    const card = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
    await card(code).waitFor();

    /** Drags from a card's dot onto another card's body, nowhere near its dots. */
    const dragTo = async (from: string, handle: string, to: string) => {
      await card(from).hover();
      const dot = await card(from).locator(handle).boundingBox();
      const body = await card(to).boundingBox();
      if (!dot || !body) throw new Error('not on screen');
      await page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
      await page.mouse.down();
      // A third of the way in from the top left: well away from every dot (left, right, bottom middle).
      const x = body.x + body.width / 3;
      const y = body.y + body.height / 3;
      await page.mouse.move(x, y, { steps: 12 });
      // The card under the pointer is highlighted as the target while the connection is dragged.
      await expect.poll(() => page.locator('.board-canvas').getAttribute('data-connect-from')).not.toBeNull();
      await page.mouse.up();
    };

    await dragTo(take, '[data-testid="step-handle-out"]', code);
    await expect
      .poll(async () => (await board(page)).edges.map((e) => [e.kind, e.source, e.target]))
      .toEqual([['flow', take, code]]);

    await dragTo(rates, '.step-handle', code);
    await expect
      .poll(async () => (await board(page)).edges.map((e) => [e.kind, e.source, e.target]).sort())
      .toEqual([
        ['causes', rates, code],
        ['flow', take, code],
      ]);
    expect(await page.locator('.board-canvas').getAttribute('data-connect-from')).toBeNull();

    // Right-click on a card: its menu, with Connect….
    await card(take).click({ button: 'right' });
    await page.getByTestId('card-menu-connect').click();
    await page.getByTestId('connect-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('connect-dialog').waitFor({ state: 'detached' });

    // The inspector's link fields need no aiming either: remove the flow, add it back.
    await card(take).click();
    const next = page.getByTestId('field-nextSteps');
    await next.getByTestId('link-item').filter({ hasText: 'Code job' }).waitFor();
    await next.getByTestId('link-remove').click();
    await expect.poll(async () => (await board(page)).edges.filter((e) => e.kind === 'flow').length).toBe(0);
    await page.getByTestId('nextSteps-picker-search').fill('code');
    await page.getByTestId('nextSteps-picker-search').press('Enter');
    await expect.poll(async () => (await board(page)).edges.filter((e) => e.kind === 'flow').length).toBe(1);
  });
});
