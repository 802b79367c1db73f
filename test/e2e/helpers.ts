/**
 * E2E fixtures: the built client (rebuilt when stale), the real server on a
 * free port with a fresh data directory, and Debian's Chromium.
 * Chromium missing: the tests are skipped with a message, or fail under CI=true
 * (see test/helpers/browser.ts).
 */
import { execFileSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../helpers/browser';
import { ROOT, startServer, type ServerProcess } from '../helpers/server';
import { NAME_STORAGE_KEY } from '../../src/collab/presence';

export { chromiumAvailable };

/** Where the app keeps this browser's participant key (src/api/http.ts). */
export const PARTICIPANT_KEY_STORAGE = 'purposeboard.participantKey';

export interface E2E {
  server: ServerProcess;
  browser: Browser;
  /**
   * A fresh browser context (its own storage: another person) with one page at 1280×720.
   * The person's display name is already remembered (no name dialog) unless `name` is null.
   * The browser holds the test's participant key (so it is the facilitator of
   * the boards the test made), or `key`, or none with `key: null` (it then
   * gets its own on first visit, as a new device would).
   */
  newPerson(options?: { name?: string | null; key?: string | null }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** Builds dist/ when it is missing or older than the client's sources (same rule as `npm start`). */
export function buildClientIfStale(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-if-stale.ts'], { cwd: ROOT, stdio: 'pipe' });
}

export async function startE2E(): Promise<E2E> {
  buildClientIfStale();
  const server = await startServer();
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await server.stop();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async newPerson({
      name = `Person ${contexts.length + 1}`,
      key = server.key,
    }: { name?: string | null; key?: string | null } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: server.url });
      contexts.push(context);
      if (key !== null) {
        await context.addInitScript(
          ([storageKey, value]) => {
            try {
              if (!localStorage.getItem(storageKey)) localStorage.setItem(storageKey, value);
            } catch {
              // about:blank and other pages without storage
            }
          },
          [PARTICIPANT_KEY_STORAGE, key] as const,
        );
      }
      if (name !== null) {
        await context.addInitScript(
          ([key, value]) => {
            try {
              if (!localStorage.getItem(key)) localStorage.setItem(key, value);
            } catch {
              // about:blank and other pages without storage
            }
          },
          [NAME_STORAGE_KEY, name] as const,
        );
      }
      const page = await context.newPage();
      // A page error is a bug: make it visible in the test output.
      page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
      return { context, page };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}

/** The centre of an element on screen. */
export async function centreOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Uses one of the board tools (Demand table, Capability, Tidy up, Bring
 * everyone here): on the header when it has room, else from "Tools ▾", where
 * the header folds them before it would cut the board title.
 */
export async function openBoardTool(page: Page, testId: string): Promise<void> {
  // The fold is decided once the title is in: wait for that, then for either form.
  await page.waitForFunction(() => {
    const title = document.querySelector('[data-testid="board-title"]');
    return title !== null && title.textContent !== 'Loading…';
  });
  await page.locator(`[data-testid="${testId}"], [data-testid="tools-menu"]`).first().waitFor();
  const menu = page.getByTestId('tools-menu');
  if ((await menu.count()) > 0 && (await page.getByRole('menu', { name: 'Board tools' }).count()) === 0) {
    await menu.click();
  }
  await page.getByTestId(testId).click();
}

/**
 * The facilitator's Present (issue 15): in the room menu (the comments button)
 * on a roomy header, or in "Tools ▾" when the header is folded.
 */
export async function startPresenting(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const title = document.querySelector('[data-testid="board-title"]');
    return title !== null && title.textContent !== 'Loading…';
  });
  await page.locator('[data-testid="comments-button"], [data-testid="tools-menu"]').first().waitFor();
  const tools = page.getByTestId('tools-menu');
  await ((await tools.count()) > 0 ? tools : page.getByTestId('comments-button')).click();
  await page.getByTestId('present-button').click();
}
