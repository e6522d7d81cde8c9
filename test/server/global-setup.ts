// Gives the server tests a PostgreSQL: CONFAB_TEST_DATABASE_URL as given, or else a throwaway
// cluster from Debian's binaries, stopped and removed after the run. When neither is possible
// the reason goes into CONFAB_TEST_DATABASE_ERROR and the PostgreSQL tests fail with it; the
// other tests still run.
import { startThrowawayPostgres } from '../../scripts/postgres-for-tests.mjs';

export default async function setup() {
  if (process.env.CONFAB_TEST_DATABASE_URL) return undefined;
  try {
    const cluster = await startThrowawayPostgres();
    process.env.CONFAB_TEST_DATABASE_URL = cluster.url;
    return () => cluster.stop();
  } catch (error) {
    process.env.CONFAB_TEST_DATABASE_ERROR = error instanceof Error ? error.message : String(error);
    return undefined;
  }
}
