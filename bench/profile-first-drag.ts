/**
 * `npm run bench:profile`: what the first drag after opening a board pays for
 * (issue 18). Opens a board of PROFILE_STEPS steps (default 1,000) in
 * Chromium, then records the first drag with Chromium's own instruments
 * through Playwright's CDP session: the JS sampling profiler (self time per
 * function) and a performance trace (time per kind of browser work: script,
 * style, layout, paint, GC). Prints the top of both; with PROFILE_SECOND=1 it
 * also profiles a second drag a moment later, to compare; with PROFILE_FITTED=1
 * a drag with every card on screen (fit view).
 * Figures are for reading, not for asserting: the machine is shared.
 */
import fs from 'node:fs';
import path from 'node:path';
// Vite's own dependency (not ours): reads the build's source maps, so the profile names our sources.
import { SourceMapConsumer } from 'source-map-js';
import * as Y from 'yjs';
import type { CDPSession, Page } from 'playwright-core';
import { addStep, connect } from '../src/model';
import { connectClient, storedPatiently, synced } from '../test/helpers/clients';
import { createBoard, ROOT, startServer } from '../test/helpers/server';
import { launchChromium } from '../test/helpers/browser';
import { NAME_STORAGE_KEY } from '../src/collab/presence';
import { PARTICIPANT_KEY_STORAGE, buildClientIfStale } from '../test/e2e/helpers';

const STEPS = Number(process.env.PROFILE_STEPS ?? 1000);
const COLUMNS = 40;
const VIEWPORT = { width: 1280, height: 720 };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  cat: string;
}

async function fill(wsUrl: string, boardId: string) {
  const writer = connectClient(wsUrl, boardId);
  await synced(writer);
  const doc: Y.Doc = writer.doc;
  let previous: string | null = null;
  doc.transact(() => {
    for (let i = 0; i < STEPS; i++) {
      const id = addStep(doc, {
        position: { x: (i % COLUMNS) * 220, y: Math.floor(i / COLUMNS) * 140 },
        label: `Step ${i + 1}`,
      });
      if (previous && i % COLUMNS !== 0) connect(doc, previous, id);
      previous = id;
    }
  });
  if (!(await storedPatiently(writer))) throw new Error('the board was not stored');
  writer.destroy();
}

const maps = new Map<string, SourceMapConsumer | null>();
/** Where a built file's line and column come from: "src/canvas/BoardCanvas.tsx:120 onNodesChange". */
function original(url: string, line: number, column: number, name: string): string {
  const file = path.join(ROOT, 'dist', 'assets', path.basename(new URL(url).pathname));
  if (!maps.has(file)) {
    maps.set(
      file,
      fs.existsSync(`${file}.map`) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'))) : null,
    );
  }
  const at = maps.get(file)?.originalPositionFor({ line: line + 1, column });
  if (!at?.source) return `${name} ${path.basename(url)}:${line + 1}`;
  return `${at.source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, '')}:${at.line} ${at.name ?? name}`;
}

/** Self time per function (ms), heaviest first; only the samples between `from` and `to` (µs) when given. */
function selfTimes(profile: Profile, from = -Infinity, to = Infinity): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) return;
    const node = byId.get(id)!;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const key = url.startsWith('http')
      ? original(url, lineNumber, columnNumber, functionName)
      : functionName || '(anonymous)';
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Time per kind of browser work on the main thread (ms), from complete ("X") trace events. */
function workByKind(events: TraceEvent[]): Array<[string, number]> {
  const kinds = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    if (
      !/^(FunctionCall|EvaluateScript|v8\.compile|Layout|UpdateLayoutTree|RecalculateStyles|Paint|PrePaint|Layerize|MajorGC|MinorGC|V8\.GC.*|ParseHTML|EventDispatch|TimerFire|FireAnimationFrame|HitTest|Commit|UpdateLayer.*|IntersectionObserverController::computeIntersections|ScheduleStyleRecalculation|v8\.run|ResizeObserver.*)$/.test(
        e.name,
      )
    )
      continue;
    kinds.set(e.name, (kinds.get(e.name) ?? 0) + e.dur / 1000);
  }
  return [...kinds].sort((a, b) => b[1] - a[1]);
}

async function drag(page: Page) {
  const centre = (await page.evaluate(`(() => {
    let best = null, bestDistance = Infinity;
    for (const el of document.querySelectorAll('.react-flow__node')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      const d = (x - ${VIEWPORT.width / 2}) ** 2 + (y - ${VIEWPORT.height / 2}) ** 2;
      if (d < bestDistance) { bestDistance = d; best = { x, y }; }
    }
    return best;
  })()`)) as { x: number; y: number } | null;
  if (!centre) throw new Error('no card on screen');
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(centre.x + i * 3, centre.y + (i % 20) * 2);
  await page.mouse.up();
}

async function profiled(cdp: CDPSession, page: Page, label: string) {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'] },
  });
  await cdp.send('Profiler.start');
  const started = performance.now();
  await drag(page);
  const elapsed = performance.now() - started;
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  await cdp.send('Tracing.end');
  await done;
  console.log(`\n== ${label}: ${Math.round(elapsed)} ms wall`);
  console.log('-- main-thread work by kind (ms):');
  for (const [name, ms] of workByKind(events).slice(0, 14)) console.log(`   ${ms.toFixed(1).padStart(8)}  ${name}`);
  console.log('-- JS self time by function (ms):');
  for (const [name, ms] of selfTimes(profile).slice(0, 25)) console.log(`   ${ms.toFixed(1).padStart(8)}  ${name}`);
  // The longest tasks are the stutters a person feels: what ran in each.
  const tasks = events
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.dur && e.ts >= profile.startTime)
    .sort((a, b) => b.dur! - a.dur!)
    .slice(0, 4);
  for (const task of tasks) {
    console.log(
      `-- a ${(task.dur! / 1000).toFixed(1)} ms task ${((task.ts - profile.startTime) / 1000).toFixed(0)} ms into the drag:`,
    );
    const inside = events.filter((e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur!);
    const kinds = workByKind(inside)
      .slice(0, 5)
      .map(([name, ms]) => `${name} ${ms.toFixed(1)}`);
    console.log(`   browser work: ${kinds.join(', ')}`);
    for (const [name, ms] of selfTimes(profile, task.ts, task.ts + task.dur!).slice(0, 6)) {
      console.log(`   ${ms.toFixed(1).padStart(8)}  ${name}`);
    }
  }
}

async function main() {
  buildClientIfStale();
  const server = await startServer({ env: { STATIC_DIR: path.join(ROOT, 'dist') } });
  const browser = await launchChromium();
  try {
    const boardId = await createBoard(server, `${STEPS} steps`);
    await fill(server.wsUrl, boardId);
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.addInitScript(
      ([nameKey, nameValue, keyKey, keyValue]) => {
        localStorage.setItem(nameKey, nameValue);
        localStorage.setItem(keyKey, keyValue);
      },
      [NAME_STORAGE_KEY, 'Profile', PARTICIPANT_KEY_STORAGE, server.key] as const,
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await page.goto(`${server.url}/b/${boardId}`);
    await page.waitForFunction(
      (n) => {
        const w = window as unknown as { __purposeboard?: { doc: { getMap(n: string): { size: number } } } };
        return (
          (w.__purposeboard?.doc.getMap('nodes').size ?? 0) >= n &&
          document.querySelectorAll('[data-testid="step-node"]').length > 0
        );
      },
      STEPS,
      { timeout: 120_000, polling: 'raf' },
    );
    await profiled(cdp, page, `first drag, ${STEPS} steps`);
    if (process.env.PROFILE_SECOND === '1') {
      await page.waitForTimeout(1500);
      await profiled(cdp, page, `second drag, ${STEPS} steps`);
    }
    if (process.env.PROFILE_FITTED === '1') {
      await page.locator('.react-flow__controls-fitview').click();
      await page.waitForTimeout(2000); // the fit animates, then the simplified cards draw
      await profiled(cdp, page, `drag with every card on screen (fitted), ${STEPS} steps`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
