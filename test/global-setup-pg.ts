/**
 * The integration-pg project: one real PostgreSQL for the whole run (each
 * test server gets its own database on it, test/helpers/storage.ts), stopped
 * when the run ends.
 */
import { postgresAvailable, startPostgres } from './helpers/services';

export default async function setup() {
  // Under CI=true this throws when PostgreSQL is missing: a failure, never a skip.
  postgresAvailable();
  const postgres = await startPostgres();
  process.env.PURPOSEBOARD_TEST_PG_URL = postgres.url;
  return () => postgres.stop();
}
