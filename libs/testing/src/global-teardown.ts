import { templateDatabase, withAdminClient } from './test-database';
import { deleteRedisKeys, runQueuePrefixStem } from './test-redis';

export default async function globalTeardown(): Promise<void> {
  const template = templateDatabase();
  // Each file deletes its own queue prefix; this catches what a failed or crashed file left, this run's only.
  await deleteRedisKeys(`${runQueuePrefixStem()}*`);
  await withAdminClient(
    async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)),
  );
}
