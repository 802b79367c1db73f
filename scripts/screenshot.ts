/**
 * `npm run screenshot`: the README's picture. Starts the real server, builds
 * a small board through a real client, opens it in Chromium at 1280×720 and
 * saves docs/screenshot.png (and the board list to /tmp for a look).
 */
import path from 'node:path';
import { addNote, addStep, connect, renameNode } from '../src/model';
import { connectClient, synced } from '../test/helpers/clients';
import { createBoard, ROOT, startServer } from '../test/helpers/server';
import { launchChromium } from '../test/helpers/browser';

const server = await startServer();
try {
  const boardId = await createBoard(server, 'Housing repairs – before');
  await createBoard(server, 'Council tax – new claims');
  const client = connectClient(server.wsUrl, boardId);
  await synced(client);
  const labels = ['Take repair call', 'Code job to schedule of rates', 'Pre-inspection visit', 'Raise works order'];
  const ids = labels.map((label, i) =>
    addStep(client.doc, { position: { x: 80 + i * 240, y: 160 + (i % 2) * 90 }, label }),
  );
  for (let i = 1; i < ids.length; i++) connect(client.doc, ids[i - 1], ids[i]);
  const note = addNote(client.doc, { position: { x: 420, y: 420 }, colour: 'yellow' });
  renameNode(client.doc, note, 'Why do we inspect before every repair?');
  await client.saved();
  client.destroy();

  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${server.url}/`);
  await page.waitForSelector('[data-testid="board-row"]');
  await page.screenshot({ path: '/tmp/purposeboard-list.png' });
  await page.goto(`${server.url}/b/${boardId}`);
  await page.waitForSelector('[data-testid="step-node"]');
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshot.png') });
  await browser.close();
  console.log('saved docs/screenshot.png and /tmp/purposeboard-list.png');
} finally {
  await server.stop();
}
