/**
 * The real server, started in two steps for the crash test: the process
 * loads every module of the server first (seconds on a loaded machine), says
 * "warm", and only on a line on stdin reads its configuration, opens storage
 * and listens, as server/index.ts does. A standby warmed up while the previous
 * server runs takes over within a fraction of a second of its SIGKILL, so 50
 * kills fit in a minute or so. Nothing of the server is replaced: this is
 * server/index.ts with its module loading moved earlier.
 */
import { startServer } from '../../server/app';
import { readConfig } from '../../server/config';

const log = (message: string) => console.log(`[${new Date().toISOString()}] ${message}`);

console.log('warm');
process.stdin.once('data', () => {
  startServer(readConfig(), log).then(
    (server) => console.log(`listening on ${server.url}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
});
