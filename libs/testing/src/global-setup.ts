import { migrate } from '@tre/core';
import { databaseUrl, isAlive, ownerPid, templateDatabaseName, withAdminClient } from './test-database';

/**
 * Runs once before all test files: builds this run's template database from the committed migrations (so
 * tests always exercise the real schema, triggers included) and drops databases whose run has died.
 */
export default async function globalSetup(): Promise<void> {
  const template = templateDatabaseName();
  await withAdminClient(async (client) => {
    const existing = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'tre\\_test\\_%' OR datname LIKE 'tre\\_tpl\\_%'`,
    );
    for (const { datname } of existing.rows) {
      const pid = ownerPid(datname);
      if (datname === template || (pid !== undefined && !isAlive(pid))) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  });
  await migrate(databaseUrl(template));
  process.env.TRE_TEST_TEMPLATE_DB = template;
}
