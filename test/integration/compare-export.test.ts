/**
 * The comparison as a PDF report and a PNG picture, from the real server
 * (GET /api/compare?format=pdf|png) and the CLI: the report holds the figures
 * the API's JSON gives for the housing-repairs template pair, embeds its fonts
 * and is the same bytes each time and from the CLI; the picture decodes and is
 * not blank; bad input gets its status, names what is wrong and creates nothing.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFParse } from 'pdf-parse';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/model';
import { fileNameFromDisposition, formatChange, formatChangePct, formatValue, verdictText } from '../../src/export';
import { api, ROOT, makeDataDir, startServer, type ServerProcess } from '../helpers/server';

const run = promisify(execFile);

let s: ServerProcess;
let before: string;
let after: string;
let json: Comparison;
beforeAll(async () => {
  s = await startServer();
  const make = async (template: string, title: string) => {
    const response = await api(`${s.url}/api/boards`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title, template }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  before = await make('housing-repairs-before', 'Repairs – before');
  after = await make('housing-repairs-after', 'Repairs – after');
  json = (await (await api(`${s.url}/api/compare?before=${before}&after=${after}&format=json`)).json()) as Comparison;
});
afterAll(async () => {
  await s?.stop();
});

async function get(format: string, b = before, a = after) {
  const response = await api(
    `${s.url}/api/compare?before=${encodeURIComponent(b)}&after=${encodeURIComponent(a)}&format=${format}`,
  );
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** Text as pdf-parse reads it, with its line breaks and runs of spaces made single spaces. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('GET /api/compare?format=pdf', () => {
  it('holds the figures of the JSON comparison, the step changes and the demand, and names the download', async () => {
    const pdf = await get('pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    const name = fileNameFromDisposition(pdf.disposition);
    expect(name).toMatch(/^Comparison – Repairs – before to Repairs – after – \d{4}-\d{2}-\d{2}\.pdf$/);
    expect(pdf.disposition).toContain('filename="Comparison - Repairs - before to Repairs - after - ');

    const parser = new PDFParse({ data: new Uint8Array(pdf.bytes) });
    const result = await parser.getText();
    await parser.destroy();
    const pages = result.pages.map((p) => flat(p.text));
    const all = pages.join(' ');
    // A title page with the table, the steps, demand, capability, then each map on its landscape page (or parts).
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(pages.length).toBeLessThanOrEqual(16);
    expect(all).toContain('Before → After');
    expect(all).toContain(json.before.title);
    expect(all).toContain(json.after.title);
    expect(name).toContain(/Comparison report · (\d{4}-\d{2}-\d{2})/.exec(all)![1]);

    // Every row of the measures table with its figures, as the JSON gives them (a long label wraps in its cell).
    const squashed = all.replace(/\s+/g, '');
    for (const m of json.measures) {
      const cells = [
        m.label,
        formatValue(m.unit, m.before),
        formatValue(m.unit, m.after),
        formatChange(m.unit, m.change),
        formatChangePct(m.changePct),
        verdictText(m.verdict),
      ];
      expect(squashed, m.key).toContain(cells.join('').replace(/\s+/g, ''));
    }
    const lead = json.measures.find((m) => m.key === 'endToEndLeadTime')!;
    expect(all).toContain(`End-to-end lead time ${formatValue('minutes', lead.before)}`);

    if (json.matchedBy === 'label') expect(all).toContain('matched by identical labels');
    expect(all).toContain(
      `${json.steps.removed.length} removed, ${json.steps.added.length} added, ${json.steps.changed.length} changed, ${json.steps.unchanged} unchanged`,
    );
    for (const step of [...json.steps.removed, ...json.steps.added]) expect(all).toContain(step.label);
    for (const step of json.steps.changed) expect(all).toContain(step.label);
    for (const type of json.demand.types) expect(all).toContain(type.words);
    expect(all).toContain('Capability');
    expect(pages.findIndex((p) => p.startsWith('Before: ') || p.includes(' Before: '))).toBeGreaterThan(0);
    expect(pages.at(-1)).toMatch(/After: /);
  });

  it('opens with the headline: its first page says the largest changes, in the JSON’s words, before the table', async () => {
    const headline = (json as unknown as { headline: Array<{ key: string; text: string }> }).headline;
    // The JSON carries each line's words (src/model/headline.ts picks them; test/unit/headline.test.ts the rule).
    expect(headline.map((h) => h.text)).toEqual([
      'End-to-end time: 24 d → 5 d (−79%)',
      'Measured end-to-end time, average: 24.3 d → 5.3 d (−78%)',
      'Repairs fixed at the first visit, %: 59% → 94% (+34 points)',
      'Failure demand: 55% → 17% (−38 points)',
      'Handoffs: 6 → 1',
      'Rolled C&A: 12% → 86% (+74 points)',
    ]);
    const parser = new PDFParse({ data: new Uint8Array((await get('pdf')).bytes) });
    const first = flat((await parser.getText()).pages[0].text);
    await parser.destroy();
    expect(first).toContain('The largest changes');
    let at = first.indexOf('The largest changes');
    for (const { text } of headline) {
      const found = first.indexOf(text, at);
      expect(found, text).toBeGreaterThan(at);
      at = found;
    }
    expect(first.indexOf('The measures')).toBeGreaterThan(at);
  });

  it('returns the results (outcome measures) matched by name, and the report lists them', async () => {
    const outcomes = (json as unknown as { outcomes: Array<Record<string, unknown>> }).outcomes;
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      key: 'outcome:repairs fixed at the first visit, %',
      label: 'Repairs fixed at the first visit, %',
      unit: 'percent',
      direction: 'higher-is-better',
      before: 59.375,
      after: 93.5,
      verdict: 'better',
      problem: null,
    });
    const parser = new PDFParse({ data: new Uint8Array((await get('pdf')).bytes) });
    const all = flat((await parser.getText()).text);
    await parser.destroy();
    expect(all).toContain('The results');
    expect(all.replace(/\s+/g, '')).toContain('Repairsfixedatthefirstvisit,%59.4%93.5%+34.1points—✓better');
  });

  it('embeds its fonts, has the maps on landscape pages, and gives the same bytes twice and from the CLI', async () => {
    const first = await get('pdf');
    const raw = first.bytes.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw).toContain('/FontFile2');
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(raw).toContain('/MediaBox [0 0 841.89 595.28]');
    const again = await get('pdf');
    expect(again.bytes.equals(first.bytes)).toBe(true);

    const dir = makeDataDir();
    const out = path.join(dir, 'comparison.pdf');
    await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/export.ts',
        'compare',
        '--before',
        before,
        '--after',
        after,
        '--format',
        'pdf',
        '--out',
        out,
        '--server',
        s.url,
        '--key',
        s.key,
      ],
      { cwd: ROOT },
    );
    expect(fs.readFileSync(out).equals(first.bytes)).toBe(true);
  });
});

// Two full-size PNG renders each: on a loaded 2-core machine that can pass 30 s.
describe('GET /api/compare?format=png', { timeout: 90_000 }, () => {
  it('decodes, is not blank, is named as the API says and is the same bytes twice', async () => {
    const png = await get('png');
    expect(png.status).toBe(200);
    expect(png.type).toBe('image/png');
    expect(fileNameFromDisposition(png.disposition)).toMatch(
      /^Comparison – Repairs – before to Repairs – after – .+\.png$/,
    );
    const image = PNG.sync.read(png.bytes);
    expect(image.width).toBeGreaterThan(1000);
    expect(image.height).toBeGreaterThan(image.width / 2);
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4 * 7) {
      colours.add((image.data[i] << 16) | (image.data[i + 1] << 8) | image.data[i + 2]);
    }
    expect(colours.size).toBeGreaterThan(20);
    expect((await get('png')).bytes.equals(png.bytes)).toBe(true);
  });

  it('format=results is the one-slide Results picture: 16:9 at 2×, named "Results – …", the same bytes twice', async () => {
    const slide = await get('results');
    expect(slide.status).toBe(200);
    expect(slide.type).toBe('image/png');
    expect(fileNameFromDisposition(slide.disposition)).toMatch(
      /^Results – Repairs – before to Repairs – after – .+\.png$/,
    );
    const image = PNG.sync.read(slide.bytes);
    expect([image.width, image.height]).toEqual([2560, 1440]);
    expect((await get('results')).bytes.equals(slide.bytes)).toBe(true);
  });

  it('the JSON form is a download too, named like the others', async () => {
    const answer = await get('json');
    expect(answer.type).toBe('application/json; charset=utf-8');
    expect(fileNameFromDisposition(answer.disposition)).toMatch(/^Comparison – .+\.json$/);
    expect(JSON.parse(answer.bytes.toString('utf8'))).toEqual(json);
  });
});

describe('bad input to the comparison exports', () => {
  it('an unknown board or version is a 404, a bad format a 400, and nothing is created', async () => {
    const boards = async () =>
      ((await (await api(`${s.url}/api/boards`)).json()) as { id: string }[]).map((b) => b.id).sort();
    const boardsBefore = await boards();
    const cases: Array<[string, string, string, number, RegExp]> = [
      ['pdf', 'nosuch', after, 404, /^Board "nosuch" not found$/],
      ['png', before, 'nosuch', 404, /^Board "nosuch" not found$/],
      ['pdf', before, `${after}@nosuch`, 404, /^Version "nosuch" of board/],
      ['png', `${before}@nosuch`, after, 404, /^Version "nosuch" of board/],
      ['svg', before, after, 400, /^"format" must be one of json, pdf, png, results, not "svg"/],
      ['results', before, 'nosuch', 404, /^Board "nosuch" not found$/],
      ['PDF', before, after, 400, /^"format" must be one of/],
      ['pdf', 'a@b@c', after, 400, /^"before" is not a board or version reference/],
    ];
    for (const [format, b, a, status, message] of cases) {
      const answer = await get(format, b, a);
      expect(answer.status, `${format} ${b} ${a}`).toBe(status);
      expect(answer.type).toMatch(/^application\/json/);
      expect(answer.disposition).toBeNull();
      expect((JSON.parse(answer.bytes.toString('utf8')) as { error: string }).error).toMatch(message);
    }
    const cli = run(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/export.ts',
        'compare',
        '--before',
        'nosuch',
        '--after',
        after,
        '--format',
        'pdf',
        '--out',
        '-',
        '--server',
        s.url,
        '--key',
        s.key,
      ],
      { cwd: ROOT },
    );
    await expect(cli).rejects.toMatchObject({
      stderr: expect.stringMatching(/Comparison failed: Board "nosuch" not found/),
    });
    expect(await boards()).toEqual(boardsBefore);
  });
});
