/**
 * `npm run screenshot`: the README's picture. Starts the real server, makes a
 * board from the housing-repairs example, opens it in Chromium at 1280×720
 * with a second person on it, and saves docs/screenshot.png (the board list
 * goes to /tmp/purposeboard-list.png for a look).
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { NAME_STORAGE_KEY } from '../src/collab/presence';
import { ROOT, api, newKey, startServer } from '../test/helpers/server';
import { PARTICIPANT_KEY_STORAGE } from '../test/e2e/helpers';
import { launchChromium } from '../test/helpers/browser';

async function person(browser: Browser, name: string, participantKey: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  // A remembered display name, so the first-visit name dialog is not in the picture, and the person's key.
  await context.addInitScript(
    ([nameKey, nameValue, keyKey, keyValue]) => {
      localStorage.setItem(nameKey, nameValue);
      localStorage.setItem(keyKey, keyValue);
    },
    [NAME_STORAGE_KEY, name, PARTICIPANT_KEY_STORAGE, participantKey] as const,
  );
  return context.newPage();
}

const server = await startServer();
const browser = await launchChromium();
try {
  const response = await api(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Housing repairs – before', template: 'housing-repairs-before' }),
  });
  const { id, links } = (await response.json()) as { id: string; links: { edit: string } };

  const facilitator = await person(browser, 'Facilitator', server.key);
  await facilitator.goto(`${server.url}/`);
  await facilitator.waitForSelector('[data-testid="board-row"]');
  await facilitator.screenshot({ path: '/tmp/purposeboard-list.png' });

  // The colleague joins through the board's edit link, as a workshop would.
  const colleague = await person(browser, 'Sam Jones', await newKey(server));
  await colleague.goto(links.edit);
  await colleague.waitForURL(`**/b/${id}`);
  await facilitator.goto(`${server.url}/b/${id}`);
  await facilitator.waitForSelector('[data-testid="step-node"]');
  // Closer than the fitted view, so the cards can be read in the README.
  for (let i = 0; i < 3; i++) await facilitator.click('.react-flow__controls-zoomin');
  await facilitator.getByTestId('show-main-path').click();
  const step = colleague.getByTestId('step-node').nth(2);
  await step.waitFor();
  await step.click();
  await facilitator.waitForTimeout(800);
  await facilitator.screenshot({ path: path.join(ROOT, 'docs', 'screenshot.png') });
  console.log('saved docs/screenshot.png and /tmp/purposeboard-list.png');
} finally {
  await browser.close();
  await server.stop();
}
