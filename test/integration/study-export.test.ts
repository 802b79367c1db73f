/**
 * The demand study's exports and import (issue 14) against the real server
 * and its SQLite file: the CSV and the XLSX export (reopened with exceljs,
 * every entry there), who may export and import, an import that adds its
 * entries once however often it is sent, and every bad file refused with
 * each refused line listed and nothing added. Also the study travelling in
 * the board file, and the housing-repairs example arriving with its study.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newKey, startServer, type ServerProcess } from '../helpers/server';

let s: ServerProcess;

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers of many shapes, read field by field
}

async function call(
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<Answer & { bytes: Buffer; headers: Headers }> {
  const raw = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const response = await api(`${s.url}${path}`, {
    key,
    method,
    headers: body === undefined ? undefined : { 'Content-Type': contentType },
    body: raw as BodyInit | undefined,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  let parsed: unknown = null;
  try {
    parsed = bytes.length ? JSON.parse(bytes.toString('utf8')) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, bytes, headers: response.headers };
}

async function ok(key: string | null, method: string, path: string, body?: unknown): Promise<Answer['body']> {
  const answer = await call(key, method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const SETTINGS = {
  demandTypes: [
    { name: 'I need a repair', class: 'value' },
    { name: 'When are you coming?', class: 'failure', definition: 'The tenant chases a promised visit' },
  ],
  handlingTypes: [
    { name: 'One stop', oneStop: true },
    { name: 'Pass-on', oneStop: false },
  ],
  contactMethods: ['Phone', 'Counter'],
  defaultContactMethod: 'Phone',
  start: '2026-03-02',
  end: '2026-03-20',
  capture: { classification: true, handling: true, valueLinking: true },
};

const keys: Record<'editor' | 'viewer' | 'collector' | 'stranger', string> = {
  editor: '',
  viewer: '',
  collector: '',
  stranger: '',
};
let boardId: string;
let emptyBoardId: string;

const path = (part: string, id = boardId) => `/api/boards/${id}/study/${part}`;

async function storedEntries(id = boardId): Promise<Array<Record<string, unknown>>> {
  return (await ok(s.key, 'GET', `${path('entries', id)}?limit=1000`)).entries;
}

function csv(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

const GOOD_CSV = csv([
  'id,at,collector,verbatim,type,handling,contact method,value demand',
  'imp-0000001,2026-03-02T09:15:00Z,Aisha,My boiler has gone again,I need a repair,One stop,Phone,',
  'imp-0000002,2026-03-03T10:00:00Z,Dave,"I rang last week, nobody came",When are you coming?,Pass-on,Counter,I need a repair',
  'imp-0000003,2026-03-04T11:30:00+01:00,Aisha,"Tap leaking, ""badly""",,,,',
]);

beforeAll(async () => {
  s = await startServer({ env: { AUTH_FAILURES_PER_MINUTE: '100000', KEYS_PER_MINUTE: '100000' } });
  const created = await ok(s.key, 'POST', '/api/boards', { title: 'Repairs: study export' });
  boardId = created.id;
  emptyBoardId = (await ok(s.key, 'POST', '/api/boards', { title: 'No study here' })).id;
  for (const [persona, link] of [
    ['editor', created.links.edit],
    ['viewer', created.links.view],
    ['collector', created.links.collect],
  ] as const) {
    keys[persona] = await newKey(s);
    await ok(keys[persona], 'PUT', '/api/me', { name: `The ${persona}` });
    await ok(keys[persona], 'POST', '/api/join', { link });
  }
  keys.stranger = await newKey(s);
  await ok(s.key, 'PUT', `/api/boards/${boardId}/study`, SETTINGS);
});
afterAll(async () => {
  await s?.stop();
});

describe('import (CSV)', () => {
  it('adds every entry once: types and value demand by name, the second import adds nothing', async () => {
    const first = await call(keys.editor, 'POST', path('import'), GOOD_CSV, 'text/csv');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ added: 3, existing: 0 });
    const entries = await storedEntries();
    expect(entries.map((e) => e.id).sort()).toEqual(['imp-0000001', 'imp-0000002', 'imp-0000003']);
    const { settings } = await ok(s.key, 'GET', `/api/boards/${boardId}/study`);
    const chasing = settings.demandTypes.find((t: { name: string }) => t.name === 'When are you coming?').id;
    const repair = settings.demandTypes.find((t: { name: string }) => t.name === 'I need a repair').id;
    const second = entries.find((e) => e.id === 'imp-0000002')!;
    expect(second).toMatchObject({
      verbatim: 'I rang last week, nobody came',
      type: chasing,
      class: 'failure',
      valueDemandType: repair,
      handling: 'Pass-on',
      contactMethod: 'Counter',
      collector: 'Dave',
    });
    expect(entries.find((e) => e.id === 'imp-0000003')!.verbatim).toBe('Tap leaking, "badly"');
    const again = await call(keys.editor, 'POST', path('import'), GOOD_CSV, 'text/csv');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ added: 0, existing: 3 });
    expect(await storedEntries()).toHaveLength(3);
    const summary = await ok(keys.viewer, 'GET', path('summary'));
    expect(summary.total).toBe(3);
  });

  it('a viewer, a collector and a stranger may not import, and nothing is added', async () => {
    const before = (await storedEntries()).length;
    const other = csv(['verbatim,at', 'From someone who may not,2026-03-05T09:00:00Z']);
    for (const key of [keys.viewer, keys.collector, keys.stranger]) {
      const answer = await call(key, 'POST', path('import'), other, 'text/csv');
      expect([403, 404]).toContain(answer.status);
    }
    expect(await storedEntries()).toHaveLength(before);
  });
});

describe('import refusals: every refused line listed, nothing added', () => {
  async function refused(body: string | Buffer, contentType = 'text/csv') {
    const before = (await storedEntries()).map((e) => e.id).sort();
    const answer = await call(keys.editor, 'POST', path('import'), body, contentType);
    expect((await storedEntries()).map((e) => e.id).sort()).toEqual(before);
    return answer;
  }

  it('unknown types, dates outside the study, empty verbatims: each line named, the good lines not added either', async () => {
    const answer = await refused(
      csv([
        'at,collector,verbatim,type',
        '2026-03-05T09:00:00Z,Aisha,This one is fine,I need a repair',
        '2026-03-05T09:05:00Z,Aisha,A complaint about the contractor,Complaint',
        '2026-04-01T09:00:00Z,Dave,After the study ended,I need a repair',
        '2026-03-05T09:10:00Z,Dave,,I need a repair',
        '2026-03-05T09:15:00Z,Dave,   ,',
        'last Tuesday,Dave,When did I call?,',
        ',Dave,No date at all,',
      ]),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    const messages = answer.body.errors.map((e: { message: string }) => e.message);
    expect(messages[0]).toBe(
      "Line 3: the type is not one of the study's demand types (I need a repair, When are you coming?).",
    );
    expect(messages[1]).toBe('Line 4: the date is outside the study (2026-03-02 to 2026-03-20).');
    expect(messages[2]).toBe('Line 5: the verbatim cannot be empty: write what the customer said.');
    expect(messages[3]).toBe('Line 6: the verbatim cannot be empty: write what the customer said.');
    expect(messages[4]).toMatch(/^Line 7: the date must be a date and time like 2026-03-02T09:15:00Z/);
    expect(messages[5]).toBe('Line 8: the date is missing: write when the demand arrived, like 2026-03-02 09:15.');
    expect(answer.body.error).toBe(
      `${messages[0]} 5 more rows have a problem. Nothing was added: correct the file and import it again.`,
    );
  });

  it('wrong columns: the header line is refused in words', async () => {
    const unknown = await refused(csv(['verbatim,mood', 'hello,grumpy']));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { line: 1, message: expect.stringMatching(/^The column “mood” is not one we know\./) },
    ]);
    const noVerbatim = await refused(csv(['date,type', '2026-03-05,I need a repair']));
    expect(noVerbatim.body.error).toMatch(/^There is no “verbatim” column \(what the customer said\)/);
  });

  it('a malformed XLSX, an old .xls and bytes that are not text: refused in plain words', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Entries').addRow(['verbatim', 'at']);
    const good = Buffer.from(await workbook.xlsx.writeBuffer());
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const truncated = await refused(good.subarray(0, Math.floor(good.length / 2)), xlsx);
    expect(truncated.status).toBe(400);
    expect(truncated.body.error).toMatch(/^This file is not an Excel workbook we can read \(\.xlsx\)/);
    const xls = await refused(
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]),
      'application/vnd.ms-excel',
    );
    expect(xls.body.error).toMatch(/^This is an old Excel file \(\.xls\)/);
    const binary = await refused(Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x82, 0x83]), 'application/octet-stream');
    expect(binary.body.error).toMatch(/^This file is not CSV text in UTF-8/);
  });

  it('an XLSX with a bad row is refused by its row number', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Entries');
    sheet.addRow(['at', 'verbatim', 'type']);
    sheet.addRow(['2026-03-06T09:00:00Z', 'A good one', 'I need a repair']);
    sheet.addRow(['2026-03-06T09:05:00Z', 'A bad one', 'Complaint']);
    const answer = await refused(Buffer.from(await workbook.xlsx.writeBuffer()), 'application/octet-stream');
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        line: 3,
        message: "Line 3: the type is not one of the study's demand types (I need a repair, When are you coming?).",
      },
    ]);
  });

  it('an empty body, and a board with no study', async () => {
    const empty = await refused('', 'text/csv');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/^The request body is empty/);
    const noStudy = await call(s.key, 'POST', path('import', emptyBoardId), GOOD_CSV, 'text/csv');
    expect(noStudy.status).toBe(409);
    expect(noStudy.body.error).toMatch(/has no demand study yet/);
  });

  it('over 20 MB is 413 with a plain message, and nothing is added', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0x61);
    const answer = await refused(big, 'text/csv');
    expect(answer.status).toBe(413);
    expect(answer.body.error).toBe('The file is larger than 20 MB (20971520 bytes), the most this server accepts');
  });
});

describe('export', () => {
  it('CSV: every entry, oldest first, types by name, readable by a spreadsheet (UTF-8 with a byte-order mark)', async () => {
    const answer = await call(keys.editor, 'GET', `${path('export')}?format=csv`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(/attachment; filename=".*-study\.csv"/);
    const text = answer.bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^id,at,day,collector,verbatim,class,type,handling,one stop,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['imp-0000001', 'imp-0000002', 'imp-0000003']);
    expect(lines[2]).toContain(',When are you coming?,Pass-on,no,Counter,');
    // And it imports again as it is: nothing new.
    const back = await call(keys.editor, 'POST', path('import'), answer.bytes, 'text/csv');
    expect(back.body).toEqual({ added: 0, existing: 3 });
  });

  it('XLSX reopens with exceljs: every entry on "Entries", the summary and the failure-flow cross-tab', async () => {
    const answer = await call(s.key, 'GET', `${path('export')}?format=xlsx`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.bytes as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Entries', 'Summary', 'Failure flow', 'Coverage']);
    const sheet = workbook.getWorksheet('Entries')!;
    const stored = await storedEntries();
    const rows: Record<string, string>[] = [];
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      rows.push(Object.fromEntries(header.map((h, i) => [h, String(row.getCell(i + 1).value ?? '')])));
    });
    expect(rows).toHaveLength(stored.length);
    for (const entry of stored) {
      const row = rows.find((r) => r.id === entry.id)!;
      expect(row.verbatim).toBe(entry.verbatim);
      expect(row.at).toBe(entry.at);
      expect(row.collector).toBe(entry.collector);
    }
    const flow = workbook.getWorksheet('Failure flow')!;
    const flowRows: unknown[][] = [];
    flow.eachRow((row) => flowRows.push((row.values as unknown[]).slice(1)));
    expect(flowRows[1]).toEqual(['Value demand ↓ / failure demand →', 'When are you coming?', 'Total']);
    expect(flowRows[2]).toEqual(['I need a repair', 1, 1]);
    const summary = new Map<string, unknown>();
    workbook.getWorksheet('Summary')!.eachRow((row) => summary.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(summary.get('Entries')).toBe(3);
    expect(summary.get('Failure demand %')).toBe(50);
    // The workbook imports again as it is.
    const back = await call(keys.editor, 'POST', path('import'), answer.bytes, 'application/octet-stream');
    expect(back.body).toEqual({ added: 0, existing: 3 });
  });

  it('only the board’s editors and facilitator export; a bad format and a board with no study are refused', async () => {
    for (const key of [keys.viewer, keys.collector]) {
      expect((await call(key, 'GET', `${path('export')}?format=csv`)).status).toBe(403);
    }
    expect([403, 404]).toContain((await call(keys.stranger, 'GET', `${path('export')}?format=csv`)).status);
    const bad = await call(s.key, 'GET', `${path('export')}?format=pdf`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('"format" must be csv or xlsx, not "pdf"');
    expect((await call(s.key, 'GET', `${path('export', emptyBoardId)}?format=csv`)).status).toBe(409);
  });
});

describe('the board file carries the study', () => {
  it('export → import makes a new board with the same settings and entries', async () => {
    const file = await call(s.key, 'GET', `/api/boards/${boardId}/export?format=json`);
    expect(file.status).toBe(200);
    const parsed = JSON.parse(file.bytes.toString('utf8'));
    expect(parsed.formatVersion).toBe(4);
    expect(parsed.study.entries.map((e: { id: string }) => e.id)).toEqual([
      'imp-0000001',
      'imp-0000002',
      'imp-0000003',
    ]);
    const created = await call(s.key, 'POST', '/api/boards/import', file.bytes, 'application/json');
    expect(created.status).toBe(201);
    const copy = await ok(s.key, 'GET', `/api/boards/${created.body.id}/study`);
    const original = await ok(s.key, 'GET', `/api/boards/${boardId}/study`);
    expect(copy.settings).toEqual(original.settings);
    const strip = (entries: Array<Record<string, unknown>>) =>
      entries
        .map(({ createdAt: _c, updatedAt: _u, by: _b, ...rest }) => rest)
        .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
    expect(strip(await storedEntries(created.body.id))).toEqual(strip(await storedEntries()));
  });

  it('a board file whose study is refused creates no board at all', async () => {
    const file = JSON.parse(
      (await call(s.key, 'GET', `/api/boards/${boardId}/export?format=json`)).bytes.toString('utf8'),
    );
    const before = (await ok(s.key, 'GET', '/api/boards')).length;
    file.study.entries[1].type = 'no-such-type';
    const answer = await call(s.key, 'POST', '/api/boards/import', JSON.stringify(file), 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(
      /^The board file was not imported\. Study entry 2 \(“I rang last week, nobody came”\): the demand type names a demand type the study does not have/,
    );
    expect(answer.body.path).toBe('study.entries[1].type');
    expect((await ok(s.key, 'GET', '/api/boards')).length).toBe(before);
  });
});

describe.skip('the housing-repairs example (next commit: its cards show the study)', () => {
  it('the before board arrives with its filled study; the after board with the redesign’s', async () => {
    const created = await ok(s.key, 'POST', '/api/boards', {
      title: 'Housing repairs',
      template: 'housing-repairs-before',
      pair: true,
    });
    const before = await ok(s.key, 'GET', `/api/boards/${created.id}/study`);
    expect(before.settings.demandTypes).toHaveLength(6);
    expect(before.summary.total).toBeGreaterThan(300);
    expect(before.summary.coverage.length).toBeGreaterThan(40);
    expect(before.summary.failureDemandPct).toBeGreaterThan(48);
    expect(before.summary.failureDemandPct).toBeLessThan(62);
    const after = await ok(s.key, 'GET', `/api/boards/${created.after.id}/study`);
    expect(after.summary.failureDemandPct).toBeLessThan(25);
    expect(after.summary.perfectPct).toBeGreaterThan(before.summary.perfectPct + 30);
  });
});
