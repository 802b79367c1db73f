/**
 * Exports a board, for facilitators who script:
 *
 *   npm run export -- <boardId> --format json|csv-demand|csv-steps|svg|png|pdf [--out file|-]
 *                     [--server http://localhost:1234 | --data ./data]
 *   npm run export -- compare --before <ref> --after <ref> [--format json|pdf|png|results] [--out file|-] [--server …]
 *
 * A ref is a board id, or <boardId>@<versionId> for a saved version. The
 * comparison always asks the running server (GET /api/compare): the same
 * bytes as the API.
 *
 * Two ways, the same bytes (both end in server/export/exports.ts):
 * - against the RUNNING server (the default, or --server URL): it asks the
 *   HTTP API (GET /api/boards/:id/export), so it sees the live board, edits
 *   not yet stored included. --server defaults to http://localhost:$PORT
 *   (PORT defaults to 1234).
 * - from the DATA DIRECTORY (--data DIR, the server's DATA_DIR): it reads the
 *   stored board straight from SQLite, with no server running (or beside one).
 *
 * Without --out the file is written under the suggested name
 * ("<board title> – <date>.pdf") in the current directory; `--out -` writes
 * to standard output.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { readMeta } from '../src/model';
import { fileNameFromDisposition } from '../src/export';
import {
  EXPORT_FORMATS,
  EXPORT_TYPES,
  destroyVersions,
  exportBoard,
  isExportFormat,
  storedVersions,
} from '../server/export/exports';
import { downloadName } from '../server/http/export';
import { openDataStorage } from '../server/storage/open';

const FORMATS = EXPORT_FORMATS;
const USAGE = [
  `usage: npm run export -- <boardId> --format ${FORMATS.join('|')} [--out file|-] [--server http://localhost:1234 --key KEY | --data ./data]`,
  `       npm run export -- compare --before <ref> --after <ref> [--format json|pdf|png|results] [--out file|-] [--server …] [--key KEY]`,
  `       (a ref is a board id, or <boardId>@<versionId> for a saved version; the server needs a participant key`,
  `        with view rights on the board: --key, or PURPOSEBOARD_KEY; --data needs none)`,
].join('\n');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const VALUE_OPTIONS: Record<string, 'format' | 'out' | 'server' | 'data' | 'before' | 'after' | 'key'> = {
  '--key': 'key',
  '--before': 'before',
  '--after': 'after',
  '--data': 'data',
  '-d': 'data',
  '--format': 'format',
  '-f': 'format',
  '--out': 'out',
  '-o': 'out',
  '--server': 'server',
  '-s': 'server',
};

/**
 * Parses the arguments by hand rather than with util.parseArgs: a board id
 * may begin with "-" (nanoid's alphabet has it), and must still be taken as the board.
 */
function parseArguments(argv: string[]) {
  const values: {
    format?: string;
    out?: string;
    server?: string;
    data?: string;
    before?: string;
    after?: string;
    key?: string;
    help?: boolean;
  } = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (flag === '--help' || flag === '-h') values.help = true;
    else if (Object.hasOwn(VALUE_OPTIONS, flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`${flag} needs a value\n${USAGE}`);
      values[VALUE_OPTIONS[flag]] = value;
    } else if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('--')) fail(`Unknown option ${arg}\n${USAGE}`);
    else positionals.push(arg);
  }
  return { values, positionals };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArguments(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [boardId] = positionals;
  if (!boardId || positionals.length > 1) fail(USAGE);
  const format = values.format ?? 'json';
  // "compare" is the comparison only with --before or --after: a board may be called "compare".
  const comparing = boardId === 'compare' && (values.before !== undefined || values.after !== undefined);
  if (!comparing && (values.before !== undefined || values.after !== undefined)) {
    fail(`--before and --after go with "compare"\n${USAGE}`);
  }
  if (comparing) {
    if (values.data !== undefined)
      fail(`A comparison asks the running server; --data is for a board's export\n${USAGE}`);
    // The server checks the refs and the format, and says what is wrong with them.
    const query = new URLSearchParams({ before: values.before ?? '', after: values.after ?? '', format });
    const { bytes, name } = await fromServer(values, `/api/compare?${query}`, 'Comparison');
    return write(values.out, bytes, name ?? `comparison ${values.before} to ${values.after}.${format}`);
  }
  if (!isExportFormat(format)) fail(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  if (values.data !== undefined && values.server !== undefined) fail(`Use --server or --data, not both\n${USAGE}`);
  if (values.data !== undefined && values.key !== undefined)
    fail(`--data reads the data directory and needs no --key\n${USAGE}`);
  const { bytes, name } =
    values.data !== undefined
      ? await fromDataDir(values.data, boardId, format)
      : await fromServer(
          values,
          `/api/boards/${encodeURIComponent(boardId)}/export?format=${encodeURIComponent(format)}`,
          'Export',
        );
  write(values.out, bytes, name ?? `${boardId}${EXPORT_TYPES[format].suffix}`);
}

/** Writes to --out, to standard output for `--out -`, or else under the suggested name. */
function write(out: string | undefined, bytes: Buffer, suggested: string): void {
  if (out === '-') {
    process.stdout.write(bytes);
    return;
  }
  const file = out ?? suggested;
  fs.writeFileSync(file, bytes);
  process.stderr.write(`Wrote ${bytes.length} bytes to ${file}\n`);
}

/** Reads the stored board from the data directory's storage (or DATABASE_URL's) and makes the export here. */
async function fromDataDir(dataDir: string, boardId: string, format: (typeof FORMATS)[number]) {
  const dir = path.resolve(dataDir);
  const storage = await openDataStorage(dir).catch((error: Error) => fail(error.message));
  try {
    const record = await storage.getBoard(boardId);
    if (!record) fail(`Export failed: Board "${boardId}" not found in ${dir}`);
    const data = await storage.loadBoardData(boardId);
    const doc = new Y.Doc();
    if (data.snapshot) Y.applyUpdate(doc, data.snapshot);
    for (const update of data.updates) Y.applyUpdate(doc, update);
    const versions = format === 'json' ? await storedVersions(storage, boardId) : [];
    const bytes = await exportBoard(doc, format, new Date(record.updatedAt), versions);
    destroyVersions(versions);
    return { bytes, name: downloadName(readMeta(doc).title, new Date(), EXPORT_TYPES[format].suffix) };
  } finally {
    await storage.close();
  }
}

/** Asks the running server's HTTP API. */
async function fromServer(
  values: { server?: string; key?: string },
  pathAndQuery: string,
  what: 'Export' | 'Comparison',
) {
  const server = (values.server ?? `http://localhost:${process.env.PORT || 1234}`).replace(/\/+$/, '');
  const url = `${server}${pathAndQuery}`;
  const key = values.key ?? process.env.PURPOSEBOARD_KEY;
  if (!key) {
    fail(
      `${what} failed: the server needs a participant key with view rights on the board. Give --key KEY (or set PURPOSEBOARD_KEY), or use --data to read the data directory.`,
    );
  }

  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
  } catch (error) {
    fail(
      `Could not reach the Purposeboard server at ${server} (${(error as Error).message}). Is it running? Use --server, or --data to read the data directory.`,
    );
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = ((await response.json()) as { error?: string }).error ?? message;
    } catch {
      // not JSON: keep the status line
    }
    fail(`${what} failed: ${message}`);
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes, name: fileNameFromDisposition(response.headers.get('content-disposition')) };
}

await main();
