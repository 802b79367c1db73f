/**
 * Export and import over HTTP, and the CLI: the real server, its own writers,
 * every bad file refused with nothing created, the CLI's bytes equal to the API's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  TEMPLATE_IDS,
  TEMPLATES,
  exportBoardFile,
  measuresOfDoc,
  readBoard,
  serialiseBoardFile,
  type BoardFile,
} from '../../src/model';
import { attachmentHeader } from '../../server/http/export';
import { connectClient, synced } from '../helpers/clients';
import { api, ROOT, makeDataDir, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { storageEnv } from '../helpers/storage';

const run = promisify(execFile);

let s: ServerProcess;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.stop();
});

async function createFromTemplate(template: string, title = `From ${template}`): Promise<string> {
  const response = await api(`${s.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, template }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function exportOf(id: string, format: string) {
  const response = await api(`${s.url}/api/boards/${id}/export?format=${format}`);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function importFile(body: string | Uint8Array<ArrayBuffer>, contentType = 'application/json') {
  const response = await api(`${s.url}/api/boards/import`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { id: string; title: string; error?: string; path?: string },
  };
}

async function boardIds(): Promise<string[]> {
  const list = (await (await api(`${s.url}/api/boards`)).json()) as { id: string }[];
  return list.map((b) => b.id).sort();
}

describe('GET /api/boards/:id/export', () => {
  it('json: the board file, the same bytes twice, with type and a dated file name', async () => {
    const id = await createFromTemplate('housing-repairs-before', 'Repairs – before');
    const first = await exportOf(id, 'json');
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const today = new Date().toISOString().slice(0, 10);
    const disposition = first.response.headers.get('content-disposition')!;
    expect(disposition).toContain(`attachment; filename="Repairs - before - ${today}.json"`);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(`Repairs – before – ${today}.json`)}`);
    const second = await exportOf(id, 'json');
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const file = JSON.parse(first.bytes.toString('utf8')) as BoardFile;
    expect(file.formatVersion).toBe(4);
    expect(file.title).toBe('Repairs – before');
    // What the live board holds, serialised by the model: a client sees the same bytes.
    const client = connectClient(s.wsUrl, id);
    await synced(client);
    // (with the study, which is rows on the server, never in the document)
    expect(serialiseBoardFile(exportBoardFile(client.doc, [], { study: file.study }))).toBe(
      first.bytes.toString('utf8'),
    );
    client.destroy();
  });

  it('csv-demand and csv-steps: text/csv with a header line', async () => {
    const id = await createFromTemplate('housing-repairs-after', 'After');
    const demand = await exportOf(id, 'csv-demand');
    expect(demand.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(demand.response.headers.get('content-disposition')).toMatch(/-demand\.csv"/);
    expect(demand.bytes.toString('utf8')).toMatch(/^words,class,count,predictable\r\n/);
    const steps = await exportOf(id, 'csv-steps');
    expect(steps.response.headers.get('content-disposition')).toMatch(/-steps\.csv"/);
    expect(steps.bytes.toString('utf8').split('\r\n')[0]).toBe(
      'label,lane,class,waste type,PT minutes,LT minutes,PT,LT,%C&A,customer contact',
    );
  });

  it('an unknown format is 400 naming the known ones; an unknown board is 404', async () => {
    const id = await createFromTemplate('blank', 'Blank');
    for (const format of ['docx', '', 'toString', 'PDF']) {
      const { response, bytes } = await exportOf(id, format);
      expect(response.status).toBe(400);
      const { error } = JSON.parse(bytes.toString()) as { error: string };
      expect(error).toContain('json, csv-demand, csv-steps, svg, png, pdf');
    }
    expect((await exportOf('nosuchboard', 'json')).response.status).toBe(404);
    expect((await exportOf('nosuchboard', 'pdf')).response.status).toBe(404);
    expect((await exportOf('bad%20id', 'svg')).response.status).toBe(400);
  });

  it('svg, png and pdf: their types, dated names, and the same bytes twice', async () => {
    const id = await createFromTemplate('housing-repairs-before', 'Repairs: before – café');
    const today = new Date().toISOString().slice(0, 10);
    const expected = {
      svg: 'image/svg+xml; charset=utf-8',
      png: 'image/png',
      pdf: 'application/pdf',
    } as const;
    for (const [format, type] of Object.entries(expected)) {
      const first = await exportOf(id, format);
      expect(first.response.status).toBe(200);
      expect(first.response.headers.get('content-type')).toBe(type);
      const disposition = first.response.headers.get('content-disposition')!;
      expect(disposition).toContain(`filename="Repairs- before - caf_ - ${today}.${format}"`);
      expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1])).toBe(
        `Repairs- before – café – ${today}.${format}`,
      );
      const second = await exportOf(id, format);
      expect(second.bytes.equals(first.bytes), `${format} twice`).toBe(true);
    }
    const svg = (await exportOf(id, 'svg')).bytes.toString('utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect((await exportOf(id, 'png')).bytes.subarray(1, 4).toString()).toBe('PNG');
    expect((await exportOf(id, 'pdf')).bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('POST /api/boards/import', () => {
  it.each(TEMPLATE_IDS)(
    '"%s": exported and imported, a NEW board with identical elements and measures',
    async (template) => {
      const id = await createFromTemplate(template);
      const exported = (await exportOf(id, 'json')).bytes.toString('utf8');
      const before = await boardIds();
      const created = await importFile(exported);
      expect(created.status).toBe(201);
      expect(created.body.id).not.toBe(id);
      expect(created.body.title).toBe(`From ${template}`);
      expect(await boardIds()).toEqual([...before, created.body.id].sort());
      expect((await exportOf(created.body.id, 'json')).bytes.toString('utf8')).toBe(exported);
      const local = new Y.Doc();
      TEMPLATES[template].apply(local);
      const client = connectClient(s.wsUrl, created.body.id);
      await synced(client);
      expect(measuresOfDoc(client.doc).endToEndLeadTime).toBe(measuresOfDoc(local).endToEndLeadTime);
      expect(readBoard(client.doc).nodes).toHaveLength(readBoard(local).nodes.length);
      client.destroy();
      const summary = (await (await api(`${s.url}/api/boards/${created.body.id}`)).json()) as { steps: number };
      expect(summary.steps).toBe(measuresOfDoc(local).steps);
    },
  );

  it('importing the same file twice makes two boards: never an overwrite', async () => {
    const id = await createFromTemplate('housing-repairs-after');
    const exported = (await exportOf(id, 'json')).bytes.toString('utf8');
    const a = await importFile(exported);
    const b = await importFile(exported);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('every bad file is 400 with what and where, and the board list is unchanged', async () => {
    const id = await createFromTemplate('housing-repairs-after');
    const good = JSON.parse((await exportOf(id, 'json')).bytes.toString()) as BoardFile;
    const demandIndex = good.nodes.findIndex((n) => n.kind === 'demand');
    const stepIndex = good.nodes.findIndex((n) => n.kind === 'step');
    const withNode = (index: number, changes: Record<string, unknown>) => {
      const nodes: unknown[] = [...good.nodes];
      nodes[index] = { ...good.nodes[index], ...changes };
      return JSON.stringify({ ...good, nodes });
    };
    const before = await boardIds();
    const cases: [string, string, RegExp, string][] = [
      ['not JSON', '{ "formatVersion": 1,', /This file is not a Purposeboard board file \(it is not valid JSON\)/, ''],
      [
        'a newer format',
        JSON.stringify({ ...good, formatVersion: 5 }),
        /This file was saved by a newer Purposeboard \(format 5; this one reads up to 4\)/,
        'formatVersion',
      ],
      ['a missing field', JSON.stringify({ ...good, lanes: undefined }), /The list of lanes is missing\./, 'lanes'],
      [
        'a wrong-typed field',
        withNode(stepIndex, { pt: 'ten' }),
        /^The board file was not imported\. Step \d+ \(“.+”\): the process time \(PT\) must be a number \(you wrote “ten”\)\.$/,
        `nodes[${stepIndex}].pt`,
      ],
      [
        'a count that is not whole',
        withNode(demandIndex, { count: 3.5 }),
        /^The board file was not imported\. Demand \d+ \(“.+”\): the count must be a whole number \(you wrote 3\.5\)\.$/,
        `nodes[${demandIndex}].count`,
      ],
      [
        'an edge to a missing step',
        JSON.stringify({ ...good, edges: [{ ...good.edges[0], target: 'ghost' }, ...good.edges.slice(1)] }),
        /Arrow 1: the end of the arrow points to no element in the file \(id “ghost”\)\./,
        'edges[0].target',
      ],
      [
        'an unknown node kind',
        withNode(0, { kind: 'sticker' }),
        /Element 1( \(“.+”\))?: the kind of element is not one we know.*\(you wrote "sticker"\)/,
        'nodes[0].kind',
      ],
      [
        'LT below PT',
        withNode(stepIndex, { pt: 500, lt: 5 }),
        /Step \d+ \(“.+”\): lead time cannot be less than process time/,
        `nodes[${stepIndex}].lt`,
      ],
      ['an empty body', '', /empty/, ''],
    ];
    for (const [name, body, message, where] of cases) {
      const { status, body: answer } = await importFile(body);
      expect(status, name).toBe(400);
      expect(answer.error, name).toMatch(message);
      if (where) expect(answer.path, name).toBe(where);
      // The sentence is for people: no JSON parser's or schema's words in it.
      expect(answer.error, name).not.toMatch(/position \d+|expected|nodes\[|edges\[/);
    }
    expect(await boardIds()).toEqual(before);
  });

  it('a file with broken UTF-8 is 400 naming the field, and nothing is created (not stored as U+FFFD)', async () => {
    const id = await createFromTemplate('housing-repairs-after', 'Broken board');
    const before = await boardIds();
    const exported = (await exportOf(id, 'json')).bytes;
    expect(exported.indexOf('"title": "Broken')).toBeGreaterThan(0);
    const at = exported.indexOf('"title": "Broken') + '"title": "Broken'.length;
    const broken = Buffer.concat([exported.subarray(0, at), Buffer.from([0xc3, 0x28]), exported.subarray(at)]);
    const { status, body } = await importFile(new Uint8Array(broken));
    expect(status).toBe(400);
    expect(body.error).toMatch(/not valid UTF-8 text \(a broken character in title\)/);
    expect(body.path).toBe('title');
    expect(await boardIds()).toEqual(before);
  });

  it('a file over 10 MB is 413 with a clear message, and nothing is created', async () => {
    const before = await boardIds();
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 0x20);
    const { status, body } = await importFile(new Uint8Array(big));
    expect(status).toBe(413);
    expect(body.error).toBe('The board file is larger than 10 MB (10485760 bytes), the most this server accepts');
    expect(await boardIds()).toEqual(before);
  });
});

describe('POST /api/boards/:id/demand/import', () => {
  async function postCsv(id: string, csv: string) {
    const response = await api(`${s.url}/api/boards/${id}/demand/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: csv,
    });
    return {
      status: response.status,
      body: (await response.json()) as { added?: number; error?: string; errors?: { line: number; message: string }[] },
    };
  }

  it('adds the rows to the live board, and the demand CSV export reads back in', async () => {
    const id = await createFromTemplate('blank', 'Demand');
    const client = connectClient(s.wsUrl, id);
    await synced(client);
    const added = await postCsv(
      id,
      'words,class,count,predictable\r\nMy boiler is broken,value,40,yes\r\n"Chasing, again",failure,12,no\r\n',
    );
    expect(added).toEqual({ status: 200, body: { added: 2 } });
    const csv = (await exportOf(id, 'csv-demand')).bytes.toString();
    expect(csv).toBe(
      'words,class,count,predictable\r\nMy boiler is broken,value,40,yes\r\n"Chasing, again",failure,12,no\r\n',
    );
    const other = await createFromTemplate('blank', 'Other');
    expect((await postCsv(other, csv)).body.added).toBe(2);
    expect((await exportOf(other, 'csv-demand')).bytes.toString()).toBe(csv);
    // The rows reach the live client as an update after the answer: wait for them, not for time.
    await waitFor(
      () => measuresOfDoc(client.doc).totalDemand === 52,
      5000,
      () => `the live client to count the imported demand (it counts ${measuresOfDoc(client.doc).totalDemand})`,
    );
    client.destroy();
  });

  it('a bad row is 400 "line N: …" and nothing is added; so is a missing header', async () => {
    const id = await createFromTemplate('blank', 'Bad demand');
    const bad = await postCsv(id, 'words,class,count,predictable\nfine,value,1,no\nbad,value,2.5,no\n');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^Demand row 3: the count must be a whole number/);
    expect(bad.body.errors).toEqual([{ line: 3, message: expect.stringMatching(/^Demand row 3: the count must be/) }]);
    const several = await postCsv(
      id,
      `words,class,count,predictable\nfine,value,1,no\nbad,value,-1,no\n${'y'.repeat(600)},value,2,no\nworse,neither,1,no\n`,
    );
    expect(several.status).toBe(400);
    expect(several.body.errors!.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(several.body.error).toMatch(
      /^Demand row 3: .* 2 more rows have a problem\. Nothing was added: correct the file and import it again\.$/,
    );
    const long = await postCsv(id, `words,class,count,predictable\nfine,value,1,no\n\n${'x'.repeat(600)},value,2,no\n`);
    expect(long.body.error).toMatch(/^Demand row 4: the customer's words is too long/);
    const headless = await postCsv(id, 'fine,value,1,no\n');
    expect(headless.status).toBe(400);
    expect(headless.body.error).toMatch(
      /^The first line of the file must name the columns: words,class,count,predictable\. Add that line at the top\./,
    );
    expect((await exportOf(id, 'csv-demand')).bytes.toString()).toBe('words,class,count,predictable\r\n');
    expect((await postCsv('nosuchboard', 'words,class\n')).status).toBe(404);
  });
});

describe('npm run export (the CLI) against the running server and from the data directory', () => {
  // --data reads the directory's storage: with PostgreSQL, the database named for it.
  const cli = async (args: string[]) => {
    const data = args.indexOf('--data');
    const env = { ...process.env, ...(data >= 0 ? await storageEnv(args[data + 1]) : {}) };
    return run(process.execPath, ['--import', 'tsx', 'scripts/export.ts', ...args], {
      cwd: ROOT,
      encoding: 'buffer',
      env,
    });
  };

  it.each(['json', 'csv-demand', 'csv-steps', 'svg', 'png', 'pdf'])(
    '%s: the same bytes as the API, both ways',
    async (format) => {
      const id = await createFromTemplate('benefits-claim-before', 'Benefits – before');
      const out = path.join(makeDataDir(), `out-${format}`);
      await cli([id, '--format', format, '--out', out, '--server', s.url, '--key', s.key]);
      const api = (await exportOf(id, format)).bytes;
      expect(fs.readFileSync(out).equals(api), 'via the server').toBe(true);
      const fromData = await cli([id, '--format', format, '--out', '-', '--data', s.dataDir]);
      expect(Buffer.from(fromData.stdout).equals(api), 'from the data directory').toBe(true);
    },
    // Two CLI processes (each a cold tsx start) and a render: past 30 s on a loaded machine.
    60_000,
  );

  it('refuses an unknown format and a data directory without boards, exit 1', async () => {
    await expect(cli(['x', '--format', 'docx', '--data', s.dataDir])).rejects.toMatchObject({ code: 1 });
    await expect(cli(['x', '--data', makeDataDir()])).rejects.toMatchObject({ code: 1 });
    await expect(cli(['nosuchboard', '--data', s.dataDir])).rejects.toMatchObject({ code: 1 });
  });

  it('says what is wrong and exits 1 for an unknown board', async () => {
    await expect(
      run(
        process.execPath,
        ['--import', 'tsx', 'scripts/export.ts', 'nosuchboard', '--server', s.url, '--key', s.key],
        { cwd: ROOT },
      ),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Board "nosuchboard" not found') });
  });
});

describe('the download file name', () => {
  it('keeps the title, dates it, and stays a safe header whatever the title holds', () => {
    const date = new Date('2026-03-04T23:59:00Z');
    expect(attachmentHeader('Repairs', date, '.json')).toBe(
      `attachment; filename="Repairs - 2026-03-04.json"; filename*=UTF-8''Repairs%20%E2%80%93%202026-03-04.json`,
    );
    const header = attachmentHeader('Café "A/B"; 100% \\ résumé\n', date, '-steps.csv');
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(header).not.toMatch(/[\r\n]/);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(header)![1];
    expect(decodeURIComponent(encoded)).toBe('Café -A-B-; 100% - résumé – 2026-03-04-steps.csv');
  });
});
