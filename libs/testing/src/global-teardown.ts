import { Socket } from 'node:net';
import { templateDatabase, withAdminClient } from './test-database';
import { deleteRedisKeys, runQueuePrefixStem } from './test-redis';

/**
 * On a two-core machine jest runs every file in its own process, so a connection a test left open (a client
 * made during an app's shutdown, say) keeps the run from ever ending, silently. Say which sockets were left,
 * where they lead, and close them, so the run ends and the leak is on record to be found with
 * `npx jest --detectOpenHandles`.
 */
function closeLeftSockets(): void {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  const left = handles.filter(
    (handle): handle is Socket =>
      handle instanceof Socket && !handle.destroyed && handle.remotePort !== undefined,
  );
  if (left.length === 0) return;
  const where = left.map((socket) => `${socket.remoteAddress}:${socket.remotePort}`).join(', ');
  process.stderr.write(
    `\nglobal teardown: ${left.length} connection(s) left open by a test (to ${where}); closed so the run can end\n`,
  );
  for (const socket of left) socket.destroy();
}

export default async function globalTeardown(): Promise<void> {
  const template = templateDatabase();
  // Each file deletes its own queue prefix; this catches what a failed or crashed file left, this run's only.
  await deleteRedisKeys(`${runQueuePrefixStem()}*`);
  await withAdminClient(
    async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)),
  );
  closeLeftSockets();
}
