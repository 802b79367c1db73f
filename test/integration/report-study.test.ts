/**
 * The PDF report's demand study pages (issue 14), read back as text with
 * pdftotext from the report the real server makes of the housing-repairs
 * example (which comes with its study): every section there, with the
 * study's own figures, and no study pages for a board without one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPct } from '../../src/export';
import { api, startServer, type ServerProcess } from '../helpers/server';

let s: ServerProcess;
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasPdftotext && process.env.CI === 'true')
  throw new Error('pdftotext is missing: apt-get install -y poppler-utils');

async function json(method: string, url: string, body?: unknown) {
  const response = await api(`${s.url}${url}`, {
    key: s.key,
    method,
    headers: body ? { 'Content-Type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  return response.json();
}

async function reportText(boardId: string): Promise<string> {
  const response = await api(`${s.url}/api/boards/${boardId}/export?format=pdf`, { key: s.key });
  expect(response.status).toBe(200);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'h-study-data-pdf-')), 'report.pdf');
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.stop();
});

describe.skipIf(!hasPdftotext)('the report’s demand study pages (install poppler-utils for pdftotext)', () => {
  it('carry the figures, demand over time, failure flow, causes, what matters, splits and coverage', async () => {
    const created = await json('POST', '/api/boards', { title: 'Repairs report', template: 'housing-repairs-before' });
    const { summary } = await json('GET', `/api/boards/${created.id}/study`);
    const text = await reportText(created.id);
    expect(text).toContain('Demand study');
    expect(text).toContain('2026-03-02 to 2026-03-20');
    expect(text).toContain(`Failure demand: ${formatPct(summary.failureDemandPct)} of the classified entries`);
    expect(text).toContain(`Perfect: ${formatPct(summary.perfectPct)} of value demand handled in one stop`);
    for (const section of [
      'Demand by type',
      'Failure flow: which value demand produces which failure demand',
      'Failure causes, ranked',
      'What matters, by category',
      'What matters, in their words',
      'Contact methods',
      'Points of transaction',
      'Collection coverage',
    ])
      expect(text).toContain(section);
    // The top cause with its count, and the collector who stopped, with fewer days than the others.
    const top = summary.causes[0];
    expect(text).toMatch(new RegExp(`${top.cause}\\s+${top.count}\\b`));
    expect(text).toMatch(/Tom\s+\d+\s+8 of 15/);
    expect(text).toMatch(/When are you coming\?\s+⚠ failure\s+260/);
  });

  it('a board without a study has no study pages', async () => {
    const created = await json('POST', '/api/boards', { title: 'No study', template: 'benefits-claim-before' });
    expect(await reportText(created.id)).not.toContain('Demand study');
  });
});
