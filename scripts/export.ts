/**
 * Exports a board from the RUNNING server, for facilitators who script:
 *
 *   npm run export -- <boardId> --format json|csv-demand|csv-steps [--out file] [--server http://localhost:1234]
 *   npm run export -- compare --before <ref> --after <ref> [--format json] [--out file] [--server …]
 *
 * A ref is a board id, or <boardId>@<versionId> for a saved version. The
 * comparison comes from GET /api/compare: the same bytes as the API.
 *
 * It asks the server's HTTP API (GET /api/boards/:id/export), so it gives
 * exactly the bytes the board's Export menu and the API give, and it sees
 * the live board, edits not yet stored included. Without --out the file is
 * written under the server's suggested name in the current directory;
 * `--out -` writes to standard output. --server defaults to
 * http://localhost:$PORT (PORT defaults to 1234).
 */
import fs from 'node:fs';

const FORMATS = ['json', 'csv-demand', 'csv-steps'];
const USAGE = [
  `usage: npm run export -- <boardId> --format ${FORMATS.join('|')} [--out file|-] [--server http://localhost:1234]`,
  `       npm run export -- compare --before <ref> --after <ref> [--format json] [--out file|-] [--server …]`,
  `       (a ref is a board id, or <boardId>@<versionId> for a saved version)`,
].join('\n');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The file name the server suggests (RFC 5987 filename* first). */
function suggestedName(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain ? plain[1] : null;
}

const VALUE_OPTIONS: Record<string, 'format' | 'out' | 'server' | 'before' | 'after'> = {
  '--before': 'before',
  '--after': 'after',
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
  const values: { format?: string; out?: string; server?: string; before?: string; after?: string; help?: boolean } =
    {};
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
  const server = (values.server ?? `http://localhost:${process.env.PORT || 1234}`).replace(/\/+$/, '');
  // "compare" is the comparison only with --before or --after: a board may be called "compare".
  const comparing = boardId === 'compare' && (values.before !== undefined || values.after !== undefined);
  if (!comparing && (values.before !== undefined || values.after !== undefined)) {
    fail(`--before and --after go with "compare"\n${USAGE}`);
  }
  const url = comparing
    ? // The server checks the refs and the format, and says what is wrong with them.
      `${server}/api/compare?${new URLSearchParams({ before: values.before ?? '', after: values.after ?? '', format })}`
    : `${server}/api/boards/${encodeURIComponent(boardId)}/export?format=${encodeURIComponent(format)}`;

  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    fail(
      `Could not reach the Purposeboard server at ${server} (${(error as Error).message}). Is it running? Use --server.`,
    );
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = ((await response.json()) as { error?: string }).error ?? message;
    } catch {
      // not JSON: keep the status line
    }
    fail(`${comparing ? 'Comparison' : 'Export'} failed: ${message}`);
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (values.out === '-') {
    process.stdout.write(bytes);
    return;
  }
  const fallback = comparing ? `comparison ${values.before} to ${values.after}.${format}` : `${boardId}.${format}`;
  const out = values.out ?? suggestedName(response.headers.get('content-disposition')) ?? fallback;
  fs.writeFileSync(out, bytes);
  process.stderr.write(`Wrote ${bytes.length} bytes to ${out}\n`);
}

await main();
