import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Five projects, run in order of cost. Integration and e2e tests start the
// real server on random ports, so they run one file at a time on this
// 2-core machine rather than fighting over it.

const integration = {
  include: ['test/integration/**/*.test.ts'],
  environment: 'node' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  fileParallelism: false,
};

// The same integration suite against PostgreSQL: one real server for the run
// (test/global-setup-pg.ts), a database per test server. Under CI a missing
// PostgreSQL fails the run (in the global setup); elsewhere the project is
// left out with a hint.
// (The check is test/helpers/services.ts's postgresAvailable, which the config cannot import.)
const postgresBin = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const withPostgres =
  process.env.CI === 'true' || ['postgres', 'initdb'].every((name) => fs.existsSync(path.join(postgresBin, name)));
if (!withPostgres) {
  console.warn(
    `PostgreSQL's server (${postgresBin}/postgres) not found: leaving out the integration-pg project (install it: apt-get install -y postgresql-15)`,
  );
}
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      // Checks of the built client (dist/, built first by `npm test`, or here when stale).
      { test: { name: 'build', include: ['test/build/**/*.test.ts'], environment: 'node', hookTimeout: 120_000 } },
      { test: { name: 'integration', ...integration } },
      ...(withPostgres
        ? [
            {
              test: {
                name: 'integration-pg',
                ...integration,
                globalSetup: ['test/global-setup-pg.ts'],
                env: { PURPOSEBOARD_TEST_STORAGE: 'postgres' },
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
