/**
 * The integration-pg project: one real PostgreSQL for the whole run (each
 * test server gets its own database on it, test/helpers/storage.ts), stopped
 * when the run ends.
 */
import { openPostgresStorage } from '../server/storage/postgres';
import { postgresAvailable, startPostgres } from './helpers/services';
import { createTestDatabase } from './helpers/storage';

export default async function setup() {
  // Under CI=true this throws when PostgreSQL is missing: a failure, never a skip.
  postgresAvailable();
  const postgres = await startPostgres();
  process.env.PURPOSEBOARD_TEST_PG_URL = postgres.url;
  // One migrated database that every test database is copied from (postgres.test.ts makes
  // blank ones to test the migrations themselves).
  const template = await createTestDatabase({ blank: true, name: 'pb_template' });
  await (await openPostgresStorage(template)).close();
  process.env.PURPOSEBOARD_TEST_PG_TEMPLATE = 'pb_template';
  return () => postgres.stop();
}
