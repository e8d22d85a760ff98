import { templateDatabase, withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const template = templateDatabase();
  await withAdminClient(
    async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)),
  );
}
