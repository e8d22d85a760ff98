import { Client } from 'pg';
import { CHANGE_CHANNEL } from '@tre/core';

/**
 * Listens on the change feed's channel for the length of a run and counts what was announced, table by table:
 * every announcement moves that table's generation in each API's read cache, dropping the answers read from it.
 * One notification per committing statement per table (Postgres folds repeats within a transaction).
 */
export class ChangeAnnouncements {
  private readonly counts = new Map<string, number>();

  private constructor(private readonly client: Client) {
    client.on('notification', ({ channel, payload }) => {
      if (channel !== CHANGE_CHANNEL || !payload) return;
      this.counts.set(payload, (this.counts.get(payload) ?? 0) + 1);
    });
  }

  static async listen(databaseUrl: string): Promise<ChangeAnnouncements> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'tre-bench-change-count' });
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    return new ChangeAnnouncements(client);
  }

  /** Stops listening (after a round trip, so every change committed before now has been counted). */
  async stop(): Promise<Map<string, number>> {
    await this.client.query('SELECT 1');
    await this.client.end();
    return this.counts;
  }
}

/** `<prefix>_announced: audit_events x 52, workspaces x 40, ...` (most first), or `none`. */
export function reportAnnouncements(prefix: string, seconds: number, counts: Map<string, number>): void {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  const each = sorted.map(([table, n]) => `${table} x ${n}`).join(', ');
  console.log(
    `${prefix}_announced: ${total} in ${seconds} s${each ? ` (${each})` : ''} (change-feed notifications: each drops the cached answers read from that table)`,
  );
}
