/**
 * The administrator's door (whoever has a shell on the server):
 *
 *   npm run admin -- list                  every board, its members and facilitators
 *   npm run admin -- grant <boardId>       prints a facilitator link (it opens once)
 *
 * Both read the data directory (DATA_DIR, or --data DIR), like `npm run
 * export -- --data`, and may run beside the running server. A link is made
 * for PUBLIC_URL, or --url, or http://localhost:$PORT.
 */
import path from 'node:path';
import { createAccess } from '../server/access/access';
import { loadLinkSecret } from '../server/access/secrets';
import { openDataStorage } from '../server/storage/open';

const USAGE = [
  'usage: npm run admin -- list [--data DIR]',
  '       npm run admin -- grant <boardId> [--data DIR] [--url http://host:port]',
].join('\n');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const options: { data?: string; url?: string } = {};
const positionals: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--data' || arg === '--url') {
    const value = args[++i];
    if (value === undefined) fail(`${arg} needs a value\n${USAGE}`);
    options[arg === '--data' ? 'data' : 'url'] = value;
  } else if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg.startsWith('--')) fail(`Unknown option ${arg}\n${USAGE}`);
  else positionals.push(arg);
}

const dataDir = path.resolve(options.data ?? process.env.DATA_DIR ?? './data');
const base = (options.url ?? process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT || 1234}`).replace(
  /\/+$/,
  '',
);
// With DATABASE_URL set, the boards are in PostgreSQL; the link secret is still the data directory's.
const storage = await openDataStorage(dataDir).catch((error: Error) => fail(error.message));
const access = createAccess(storage, {
  linkSecret: loadLinkSecret(dataDir),
  keysPerMinute: 1,
  failuresPerMinute: 1,
  log: () => {},
});

try {
  const [command, boardId, ...rest] = positionals;
  if (command === 'list' && boardId === undefined) {
    const boards = await storage.listBoards();
    if (boards.length === 0) process.stdout.write(`No boards in ${dataDir}\n`);
    for (const board of boards) {
      const members = await storage.listMembers(board.id);
      const facilitators = members.filter((m) => m.role === 'facilitator').map((m) => m.name || 'Someone');
      process.stdout.write(
        `${board.id}  ${board.title}  (${members.length} member${members.length === 1 ? '' : 's'}; facilitator: ${
          facilitators.length > 0 ? facilitators.join(', ') : 'none — use grant'
        }${board.lockedBy ? '; locked' : ''})\n`,
      );
    }
  } else if (command === 'grant' && boardId !== undefined && rest.length === 0) {
    if (!(await storage.getBoard(boardId)))
      fail(`There is no board "${boardId}" in ${dataDir}. "npm run admin -- list" lists them.`);
    process.stdout.write(
      `Facilitator link for "${(await storage.getBoard(boardId))?.title}" (opens once):\n${await access.grant(boardId, base)}\n`,
    );
  } else fail(USAGE);
} finally {
  await storage.close();
}
