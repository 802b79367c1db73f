/**
 * The comparison's Export menu in Chromium: the PDF report, the PNG picture
 * and the JSON download, each with a progress line, under the name the API
 * gives and with exactly the API's bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileNameFromDisposition } from '../../src/export';
import { chromiumAvailable, startE2E, type E2E } from './helpers';
import { api } from '../helpers/server';

/** Where the pictures of the screen go, to look at (SCREENSHOT_DIR, else a temp folder). */
const SHOTS = process.env.SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pb-compare-export-'));

describe.skipIf(!chromiumAvailable())('exporting the comparison from its view', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  async function templateBoard(title: string, template: string): Promise<string> {
    const response = await api(`${e2e.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title, template }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  test('Export ▾ → PDF, PNG, the Results slide and JSON: a progress line while the report and picture are made, then the API’s bytes under the API’s name', async () => {
    const before = await templateBoard('Repairs – before', 'housing-repairs-before');
    const after = await templateBoard('Repairs – after', 'housing-repairs-after');
    const { page } = await e2e.newPerson();
    await page.goto(`/compare?before=${before}&after=${after}`);
    await page.getByTestId('compare-screen').waitFor();

    await page.getByTestId('compare-export-menu').click();
    await page.screenshot({ path: path.join(SHOTS, 'compare-export-menu.png') });
    for (const [format, making] of [
      ['pdf', 'Making the PDF report…'],
      ['png', 'Making the PNG picture…'],
      ['results', 'Making the Results slide…'],
      // The JSON is made in a blink: its progress line may come and go before anyone could see it.
      ['json', null],
    ] as const) {
      if (format !== 'pdf') await page.getByTestId('compare-export-menu').click();
      const progress = making
        ? page.waitForSelector(`[data-testid="compare-export-progress"]:has-text("${making}")`)
        : Promise.resolve();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(`compare-export-${format}`).click(),
      ]);
      await progress;
      const answer = await api(`${e2e.server.url}/api/compare?before=${before}&after=${after}&format=${format}`);
      const apiBytes = Buffer.from(await answer.arrayBuffer());
      const name = fileNameFromDisposition(answer.headers.get('content-disposition'));
      const [kind, extension] = format === 'results' ? ['Results', 'png'] : ['Comparison', format];
      expect(name).toMatch(
        new RegExp(`^${kind} – Repairs – before to Repairs – after – \\d{4}-\\d{2}-\\d{2}\\.${extension}$`),
      );
      expect(download.suggestedFilename()).toBe(name);
      const bytes = fs.readFileSync((await download.path())!);
      expect(bytes.equals(apiBytes), format).toBe(true);
      await page.getByTestId('compare-export-progress').waitFor({ state: 'detached' });
    }
    expect(await page.getByTestId('compare-export-error').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'compare-after-export.png') });

    // The after board deleted while the view is open: the report is not made, and the view says why.
    expect((await api(`${e2e.server.url}/api/boards/${after}`, { method: 'DELETE' })).status).toBe(204);
    await page.getByTestId('compare-export-menu').click();
    await page.getByTestId('compare-export-pdf').click();
    const error = page.getByTestId('compare-export-error');
    await error.waitFor();
    expect(await error.textContent()).toContain(`Comparison report (PDF) was not made: Board "${after}" not found.`);
    await page.screenshot({ path: path.join(SHOTS, 'compare-export-error.png') });
  });
});
