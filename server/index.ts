/**
 * Start-up: read the configuration, start the server, and close cleanly on
 * SIGTERM / SIGINT (pending board-list summaries are written, connections are
 * told to come back, SQLite is closed).
 */
import { readConfig } from './config';
import { startServer } from './app';
import { describeStorage } from './storage/open';

const log = (message: string) => console.log(`[${new Date().toISOString()}] ${message}`);

async function main(): Promise<void> {
  const config = readConfig();
  const server = await startServer(config, log);
  // Tests and scripts read this line to find the port (PORT=0 picks a free one).
  console.log(`listening on ${server.url} (${describeStorage(config)})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing`);
    server.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
